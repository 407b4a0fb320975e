"""Every bad input a user can give `align`: one line on stderr naming the file and the problem,
exit code 2, no traceback, and no report left behind. Documents that parse but look wrong
still get a report, with the warning first. And an interrupted write never tears a report.
"""

from __future__ import annotations

import json
import os
import shutil
import types
from pathlib import Path

import pytest

import aligner.report.write as write_module
from conftest import Run, files_under, run_module

NEWS = "新华社北京电 今天上午,市政府召开新闻发布会,介绍了今年以来全市经济运行情况。与会人员表示,要继续努力工作。\n"
SMALL_PLAN = (
    "{title}\n"
    "一、重点任务\n"
    "(一)进一步深化户籍制度改革。全面放开城区常住人口300万以下城市落户限制。\n"
    "(二)健全常住地提供基本公共服务制度。推动未落户常住人口享有基本公共服务。\n"
    "(三)保障随迁子女在流入地受教育权利。扩大公办学校学位供给。\n"
)
# Deterministic "random" bytes: the same failure every run.
JUNK = bytes((i * 131 + 7) % 256 for i in range(2048))


@pytest.fixture
def align(align_in_english):  # type: ignore[no-untyped-def]
    """These tests pin the CLI's mechanics on its English wording (conftest.align_in_english)."""
    return align_in_english


def assert_rejected(run: Run, workdir: Path, before: set[str], name: str, *problem: str) -> str:
    """The product rule for a bad input, in one place."""
    assert run.code == 2, (run.code, run.err)
    assert "Traceback" not in run.err and "Traceback" not in run.out
    assert len(run.err_lines) == 1, run.err
    line = run.err_lines[0]
    assert line.startswith("error: ")
    assert name in line, line
    for words in problem:
        assert words in line, line
    assert run.out == ""
    assert files_under(workdir) == before, "no report (or temp file) may be left behind"
    return line


def rejected(align, workdir: Path, args: list[str], name: str, *problem: str) -> str:
    """Run with a report format that writes a file on success, so a leftover would show."""
    before = files_under(workdir)
    run = align(*args, "--format", "md", "-j", "1")
    return assert_rejected(run, workdir, before, name, *problem)


# --- unreadable or unusable files -------------------------------------------------------------------


def test_missing_file(workdir, align):
    rejected(align, workdir, ["national.txt", "nosuch.txt"], "nosuch.txt", "file not found")


def test_missing_national(workdir, align):
    rejected(align, workdir, ["nosuch.txt", "qinghai.txt"], "nosuch.txt", "file not found")


def test_directory_as_national_plan(workdir, align):
    (workdir / "folder").mkdir()
    shutil.copyfile(workdir / "qinghai.txt", workdir / "folder" / "qinghai.txt")
    rejected(align, workdir, ["folder", "qinghai.txt"], "folder", "is a directory")


def test_empty_directory_as_province_folder(workdir, align):
    (workdir / "empty").mkdir()
    rejected(align, workdir, ["national.txt", "empty"], "empty", "no provincial plan documents")


def test_folder_holding_only_the_national_plan(workdir, align):
    (workdir / "plans").mkdir()
    shutil.copyfile(workdir / "national.txt", workdir / "plans" / "national.txt")
    rejected(align, workdir, ["plans/national.txt", "plans"], "plans", "no provincial plan documents")


def test_no_read_permission(workdir, align):
    locked = workdir / "locked.txt"
    shutil.copyfile(workdir / "qinghai.txt", locked)
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("this user (root?) can read a file without read permission")
        rejected(align, workdir, ["national.txt", "locked.txt"], "locked.txt", "permission denied")
    finally:
        locked.chmod(0o644)


def test_empty_file(workdir, align):
    (workdir / "empty.txt").write_bytes(b"")
    rejected(align, workdir, ["national.txt", "empty.txt"], "empty.txt", "is empty")


def test_whitespace_only_file(workdir, align):
    (workdir / "blank.txt").write_text(" \n\t\n", encoding="utf-8")
    rejected(align, workdir, ["national.txt", "blank.txt"], "blank.txt", "is empty")


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n" + JUNK, "PDF"),
        (b"\x89PNG\r\n\x1a\n" + JUNK, "PNG"),
    ],
    ids=["pdf", "png"],
)
def test_binary_renamed_to_txt(workdir, align, data, what):
    (workdir / "plan.txt").write_bytes(data)
    rejected(align, workdir, ["national.txt", "plan.txt"], "plan.txt", what, "not text")


def test_undecodable_bytes(workdir, align):
    (workdir / "garbage.txt").write_bytes(bytes(range(0x80, 0x100)) * 16)
    rejected(align, workdir, ["national.txt", "garbage.txt"], "garbage.txt", "cannot decode")


def test_mixed_utf8_and_gbk(workdir, align):
    utf8 = "一、重点任务\n(一)进一步深化户籍制度改革。全面放开落户限制。\n".encode()
    gbk = "(二)完善农业转移人口多元化住房保障体系。加快建设保障性住房。\n".encode("gbk")
    (workdir / "mixed.txt").write_bytes(utf8 + gbk)
    line = rejected(align, workdir, ["national.txt", "mixed.txt"], "mixed.txt", "mixes encodings")
    assert "line 3" in line


def test_corrupt_docx(workdir, align):
    (workdir / "plan.docx").write_bytes(b"PK\x03\x04" + JUNK)
    rejected(align, workdir, ["national.txt", "plan.docx"], "plan.docx", "not a valid .docx")


def test_password_protected_docx(workdir, align):
    """Word saves an encrypted .docx inside an OLE container, not a ZIP."""
    (workdir / "secret.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + JUNK)
    rejected(align, workdir, ["national.txt", "secret.docx"], "secret.docx", "password-protected")


def test_corrupt_pdf(workdir, align):
    (workdir / "plan.pdf").write_bytes(b"%PDF-1.7\n" + JUNK)
    rejected(align, workdir, ["national.txt", "plan.pdf"], "plan.pdf", "not a valid PDF")


def test_corrupt_pdf_in_a_real_process(workdir):
    """pypdf logs "EOF marker not found" itself; pytest's log capture would hide that line
    in-process, so only a real process shows whether it reaches the user's stderr."""
    (workdir / "plan.pdf").write_bytes(b"%PDF-1.7\n" + JUNK)
    run = run_module("national.txt", "plan.pdf", cwd=workdir)
    assert run.returncode == 2
    assert run.stderr.decode("utf-8").splitlines() == ["错误：plan.pdf：不是有效的 PDF 文件"]  # zh, the default
    run = run_module("national.txt", "plan.pdf", "--lang", "en", cwd=workdir)
    assert run.stderr.decode("utf-8").splitlines() == ["error: plan.pdf: is not a valid PDF"]
    assert run.stdout == b""


def test_document_without_tasks(workdir, align):
    (workdir / "news.txt").write_text(NEWS, encoding="utf-8")
    rejected(align, workdir, ["national.txt", "news.txt"], "news.txt", "no task clauses found in news.txt: is it a plan?")


def test_news_as_national_plan(workdir, align):
    (workdir / "news.txt").write_text(NEWS, encoding="utf-8")
    rejected(align, workdir, ["news.txt", "qinghai.txt"], "news.txt", "no task clauses found")


def test_same_file_as_national_and_province(workdir, align):
    rejected(align, workdir, ["national.txt", "./national.txt"], "national.txt", "is the national plan itself")


def test_file_over_max_size(workdir, align):
    (workdir / "big.txt").write_bytes(b"a" * (2 * 1024 * 1024))
    rejected(align, workdir, ["national.txt", "big.txt", "--max-size", "1"], "big.txt", "over the 1.0 MB limit")


def test_infinite_max_size(workdir, align):
    rejected(align, workdir, ["national.txt", "qinghai.txt", "--max-size", "inf"], "--max-size", "finite")


def test_missing_thesaurus(workdir, align):
    rejected(align, workdir, ["national.txt", "qinghai.txt", "--thesaurus", "nosuch.txt"], "nosuch.txt", "thesaurus")


def test_outline_of_a_bad_file(workdir, align):
    (workdir / "plan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + JUNK)
    before = files_under(workdir)
    run = align("outline", "plan.txt")  # outline has no --lang: the error is in Chinese, the default
    assert run.code == 2 and len(run.err_lines) == 1, run.err
    assert run.err_lines[0].startswith("错误：plan.txt：") and "PNG" in run.err_lines[0]
    assert files_under(workdir) == before


def test_every_province_of_a_batch_fails(workdir, align):
    """Nothing usable, so no matrix either: a report of failures alone is not written."""
    (workdir / "empty.txt").write_bytes(b"")
    before = files_under(workdir)
    run = align("national.txt", "nosuch.txt", "empty.txt", "-f", "md", "-o", "out", "-j", "1")
    assert run.code == 2
    assert "Traceback" not in run.err
    errors = [line for line in run.err_lines if line.startswith("error:")]
    assert len(errors) == 2 and "nosuch.txt" in errors[0] and "empty.txt" in errors[1]
    assert files_under(workdir) == before and not (workdir / "out").exists()


# --- where the report goes -------------------------------------------------------------------------


def test_output_folder_is_created(workdir, align):
    run = align("national.txt", "qinghai.txt", "-o", "new/deeper/x.md")
    assert run.code == 0, run.err
    assert (workdir / "new" / "deeper" / "x.md").is_file()


def test_output_under_a_file(workdir, align):
    (workdir / "somefile.txt").write_text("notes\n", encoding="utf-8")
    before = files_under(workdir)
    line = assert_rejected(align("national.txt", "qinghai.txt", "-o", "somefile.txt/x.md"), workdir, before,
                           "somefile.txt/x.md", "somefile.txt is a file, not a folder")
    assert "cannot write" in line


def test_batch_output_folder_is_a_file(workdir, align):
    (workdir / "somefile.txt").write_text("notes\n", encoding="utf-8")
    before = files_under(workdir)
    run = align("national.txt", "qinghai.txt", "hebei.txt", "-f", "md", "-o", "somefile.txt", "-j", "1")
    assert_rejected(run, workdir, before, "somefile.txt", "is a file, not a folder")


def test_report_never_overwrites_an_input(workdir, align):
    original = (workdir / "qinghai.txt").read_bytes()
    before = files_under(workdir)
    run = align("national.txt", "qinghai.txt", "-f", "md", "-o", "qinghai.txt")
    assert_rejected(run, workdir, before, "qinghai.txt", "input documents")
    assert (workdir / "qinghai.txt").read_bytes() == original


def test_output_format_cannot_be_inferred(workdir, align):
    before = files_under(workdir)
    assert_rejected(align("national.txt", "qinghai.txt", "-o", "report.txt"), workdir, before,
                    "report.txt", "--format")


def test_title_with_path_separators_stays_in_the_folder(workdir, align):
    """Province names reach file names; a hostile title or file name must not escape `out/`."""
    (workdir / "evil.txt").write_text(SMALL_PLAN.format(title="../../evil省深入实施新型城镇化实施方案"), encoding="utf-8")
    (workdir / "...txt").write_text(SMALL_PLAN.format(title="/etc/passwd省深入实施新型城镇化实施方案"), encoding="utf-8")
    before = files_under(workdir)
    run = align("national.txt", "evil.txt", "...txt", "-f", "md", "-o", "out", "-j", "1")
    assert run.code == 0, run.err
    new = files_under(workdir) - before
    assert new and all(path.startswith("out/") and path.count("/") == 1 for path in new), new
    assert len([p for p in new if p.endswith(".md") and not p.startswith("out/matrix")]) == 2
    assert not any(p.name.startswith(".") for p in (workdir / "out").iterdir())


# --- documents that parse but look wrong: a report, with the warning first ---------------------------


def _warning_first(text: str, warning: str) -> None:
    head = text.split("Province", 1)[0]  # the summary table starts with the Province row
    assert "Warnings" in head and warning in head.replace("\n", "").replace("│", "").replace(" ", ""), text[:600]


def test_truncated_document_is_reported_with_a_warning(workdir, align):
    run = align("national.txt", "hebei.txt")
    assert run.code == 0, run.err
    _warning_first(run.out, "truncated:Thetextseemscutoff")
    document = json.loads(align("national.txt", "hebei.txt", "-f", "json").out)["provinces"][0]
    assert [w for w in document["warnings"] if w["code"] == "truncated" and "cut off" in w["message"] and w["line"]]
    assert document["summary"]["unreliable"] == "truncated"


def test_declared_count_mismatch_is_reported_with_a_warning(workdir, align):
    text = (workdir / "qinghai.txt").read_text(encoding="utf-8")
    assert "39項重點任務" in text
    (workdir / "qinghai40.txt").write_text(text.replace("39項重點任務", "40項重點任務"), encoding="utf-8")
    run = align("national.txt", "qinghai40.txt")
    assert run.code == 0, run.err
    _warning_first(run.out, "declares40keytasksbut39werefound")
    json_run = align("national.txt", "qinghai40.txt", "-f", "json")
    warnings = json.loads(json_run.out)["provinces"][0]["warnings"]
    assert any(w["code"] == "declared-count-mismatch" and "declares 40 key tasks but 39" in w["message"] for w in warnings)
    assert "warning: 青海: declared-count-mismatch: The document declares 40 key tasks" in json_run.err  # for pipes


# --- interrupted writes ----------------------------------------------------------------------------


def _os_with(**overrides: object) -> types.SimpleNamespace:
    """The os module as seen by aligner.report.write only, with some calls replaced."""
    namespace = types.SimpleNamespace(**{name: getattr(os, name) for name in dir(os) if not name.startswith("__")})
    for name, value in overrides.items():
        setattr(namespace, name, value)
    return namespace


@pytest.mark.parametrize(
    ("where", "error", "code"),
    [
        ("replace", KeyboardInterrupt(), 130),
        ("fsync", OSError(28, "No space left on device"), 2),
    ],
    ids=["ctrl-c-before-rename", "disk-full-while-writing"],
)
def test_interrupted_write_keeps_the_previous_report(workdir, align, monkeypatch, where, error, code):
    previous = "# previous report\n"
    (workdir / "out").mkdir()
    (workdir / "out" / "report.md").write_text(previous, encoding="utf-8")

    def fail(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(write_module, "os", _os_with(**{where: fail}))
    run = align("national.txt", "qinghai.txt", "-o", "out/report.md")
    assert run.code == code
    assert "Traceback" not in run.err
    if code == 2:
        assert run.err_lines[0] == "error: cannot write out/report.md: no space left on device"
    assert (workdir / "out" / "report.md").read_text(encoding="utf-8") == previous
    assert [p.name for p in (workdir / "out").iterdir()] == ["report.md"], "no temp file may remain"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_report_into_a_pipe_keeps_the_pipe(workdir, align):
    """-o /dev/stdout or a FIFO is written through; renaming a temp file over it would replace
    the node itself (as root, `-o /dev/null` would delete /dev/null). Tested on a FIFO, safely."""
    import stat
    import threading

    fifo = workdir / "pipe.md"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    run = align("national.txt", "qinghai.txt", "-f", "md", "-o", "pipe.md")
    reader.join(timeout=30)
    assert run.code == 0, run.err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert received and received[0].decode("utf-8").startswith("# Alignment report: 青海")
    assert not [p for p in workdir.iterdir() if p.name.startswith(".aligner-")]


# --- the last resort: bugs still give one line, never a traceback ----------------------------------


def test_unexpected_error_in_a_province_is_one_line(workdir, align, monkeypatch):
    import aligner.batch

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("matcher bug\nwith a second line")

    monkeypatch.setattr(aligner.batch, "align_plans", broken)
    before = files_under(workdir)
    line = assert_rejected(align("national.txt", "qinghai.txt", "-f", "md"), workdir, before,
                           "qinghai.txt", "could not be processed", "RuntimeError")
    assert "\\n" in line  # the message's own newline, escaped


def test_unexpected_error_outside_a_province_is_an_internal_error(workdir, align, monkeypatch):
    import aligner.api

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("thesaurus bug")

    monkeypatch.setattr(aligner.api, "load_thesaurus", broken)
    before = files_under(workdir)
    assert_rejected(align("national.txt", "qinghai.txt", "-f", "md"), workdir, before,
                    "internal error", "RuntimeError: thesaurus bug")


def test_file_name_with_a_newline_stays_on_one_line(workdir, align):
    rejected(align, workdir, ["national.txt", "two\nlines.txt"], "two\\nlines.txt", "file not found")
