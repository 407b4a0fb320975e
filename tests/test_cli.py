"""The `align` command end to end on the real plans: every format, batch, outline, help.

Most runs go through `aligner.cli.main` in-process (see conftest); a few start a real
`python -m aligner` process where only a process can tell: pipes and ttys (colour), and
hash randomisation (determinism across runs).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aligner.cli import app
from conftest import run_module

ANSI = re.compile(r"\x1b\[")


# --- one province ---------------------------------------------------------------------------------


@pytest.fixture
def align(align_in_english):  # type: ignore[no-untyped-def]
    """These tests pin the CLI's mechanics on its English wording (conftest.align_in_english)."""
    return align_in_english


def test_terminal_report_on_the_real_plans(workdir, align):
    run = align("national.txt", "qinghai.txt")
    assert run.code == 0, run.err
    assert "青海" in run.out
    assert re.search(r"\b19/19 covered\b", run.out)
    assert "Traceback" not in run.err


def test_cli_runner_with_compare_prefix_matches_main(workdir, align):
    """The subcommand spelled out (what `align A B` is rewritten to) gives the same report."""
    result = CliRunner().invoke(app, ["compare", "national.txt", "qinghai.txt", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == align("national.txt", "qinghai.txt", "--format", "json").out


def test_piped_output_has_no_ansi_escapes(workdir):
    """Also the `python -m aligner` entry point: a real process writing into a pipe."""
    run = run_module("national.txt", "qinghai.txt", cwd=workdir, env={"NO_COLOR": ""})
    assert run.returncode == 0, run.stderr.decode()
    text = run.stdout.decode("utf-8")
    assert "青海" in text and "19/19" in text
    assert not ANSI.search(text)


def _on_a_tty(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """Run with stdout on a pseudo-terminal, where rich would colour unless told not to."""
    import pty

    leader, follower = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment["TERM"] = "xterm-256color"  # CI often says TERM=dumb, which would switch colour off anyway
    process = subprocess.Popen([sys.executable, "-m", "aligner", *args], cwd=cwd, stdout=follower,
                               stderr=subprocess.DEVNULL, env={**environment, **env})
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO once the child has closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return process.wait(timeout=120), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_no_color_on_a_terminal_has_no_ansi_escapes(workdir):
    """A tty colours by default (so the check below can fail) and NO_COLOR turns all styling off,
    the batch matrix included (it once kept bold and reverse video)."""
    code, coloured = _on_a_tty(["national.txt", "qinghai.txt"], workdir, {})
    assert code == 0 and ANSI.search(coloured)
    code, plain = _on_a_tty(["national.txt", "qinghai.txt", "hebei.txt", "-j", "1"], workdir, {"NO_COLOR": "1"})
    assert code == 0
    assert "青海" in plain and "河北" in plain
    assert not ANSI.search(plain)


def test_json_contract(workdir, align):
    run = align("national.txt", "qinghai.txt", "--format", "json")
    assert run.code == 0, run.err
    document = json.loads(run.out)
    assert {"national", "provinces"} <= document.keys()
    national_ids = {c["id"] for c in document["national"]["clauses"]}
    (province,) = document["provinces"]
    for key in ("links", "coverage", "additions", "clauses", "warnings"):
        assert key in province
    province_ids = {c["id"] for c in province["clauses"]}
    assert province["links"], "the real plans link"
    for link in province["links"]:
        assert link["national"] in national_ids
        assert link["province"] in province_ids
    for row in province["coverage"]:
        assert row["national"] in national_ids
        assert set(row["counterparts"]) <= province_ids
    assert set(province["additions"]) <= province_ids


def test_output_extension_sets_the_format(workdir, align):
    run = align("national.txt", "qinghai.txt", "-o", "tmp/x.md")
    assert run.code == 0, run.err
    text = (workdir / "tmp" / "x.md").read_text(encoding="utf-8")
    assert text.startswith("# Alignment report: 青海")
    assert "| # | national task | status | provincial counterpart(s) | score | relation |" in text
    assert run.out == ""


def test_md_without_output_goes_to_reports_folder(workdir, align):
    run = align("national.txt", "qinghai.txt", "--format", "md")
    assert run.code == 0, run.err
    assert (workdir / "reports" / "青海.md").read_text(encoding="utf-8").startswith("# Alignment report")
    assert "wrote reports" in run.err


def test_output_into_an_existing_folder(workdir, align):
    (workdir / "out").mkdir()
    run = align("national.txt", "qinghai.txt", "-f", "html", "-o", "out")
    assert run.code == 0, run.err
    assert (workdir / "out" / "青海.html").is_file()


def test_csv_to_stdout_parses(workdir, align):
    run = align("national.txt", "qinghai.txt", "--format", "csv")
    assert run.code == 0, run.err
    assert run.out.startswith("\ufeff")  # the UTF-8 BOM: Excel on Chinese Windows reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(run.out.removeprefix("\ufeff"))))
    assert rows and {"national_id", "status", "province_id"} <= rows[0].keys()
    assert {row["province"] for row in rows} == {"青海"}


def test_xlsx_opens(workdir, align):
    openpyxl = pytest.importorskip("openpyxl")
    run = align("national.txt", "qinghai.txt", "-o", "r.xlsx")
    assert run.code == 0, run.err
    book = openpyxl.load_workbook(workdir / "r.xlsx")
    assert "national coverage" in book.sheetnames
    assert book["national coverage"].max_row > 1


def test_html_has_no_script(workdir, align):
    run = align("national.txt", "qinghai.txt", "-o", "r.html")
    assert run.code == 0, run.err
    text = (workdir / "r.html").read_text(encoding="utf-8")
    assert "青海" in text and "<script" not in text.lower()


def test_explain_shows_evidence(workdir, align):
    plain = align("national.txt", "qinghai.txt")
    explained = align("national.txt", "qinghai.txt", "--explain")
    assert explained.code == 0
    assert "shared terms" in explained.out and "shared terms" not in plain.out


def test_script_changes_national_titles(workdir, align):
    simplified = align("national.txt", "qinghai.txt", "--script", "simplified").out
    traditional = align("national.txt", "qinghai.txt", "--script", "traditional").out
    assert "二、（二）1. (line 25)" in simplified and "进一步深化户籍制度改革" in simplified
    assert "進一步深化戶籍制度改革" in traditional
    assert "进一步深化户籍" not in traditional


def test_bad_thesaurus_line(workdir, align):
    (workdir / "extra.txt").write_text("农牧业 => 农业\n这一行没有箭头\n", encoding="utf-8")
    run = align("national.txt", "qinghai.txt", "--thesaurus", "extra.txt")
    assert run.code == 2
    assert len(run.err_lines) == 1
    assert "extra.txt" in run.err and "line 2" in run.err
    assert run.out == ""


def test_good_thesaurus_is_accepted(workdir, align):
    (workdir / "extra.txt").write_text("# comment\n农牧业 => 农业\n", encoding="utf-8")
    assert align("national.txt", "qinghai.txt", "--thesaurus", "extra.txt").code == 0


def test_fail_under(workdir, align):
    below = align("national.txt", "hebei.txt", "--fail-under", "99")
    assert below.code == 1
    assert "below --fail-under" in below.err
    assert align("national.txt", "hebei.txt", "--fail-under", "5").code == 0
    assert align("national.txt", "qinghai.txt", "--fail-under", "99").code == 0


# --- several provinces ----------------------------------------------------------------------------

BATCH = ("national.txt", "qinghai.txt", "gansu.txt", "hebei.txt")


def test_batch_terminal_matrix(workdir, align):
    run = align(*BATCH, "-j", "1")
    assert run.code == 0, run.err
    for name in ("青海", "甘肃", "河北"):
        assert re.search(rf"^{name}: \d+/19 covered", run.out, re.MULTILINE)
    assert "national task / measure" in run.out and "coverage" in run.out
    assert not (workdir / "reports").exists()  # the terminal format writes nothing


def test_batch_writes_reports_and_matrix(workdir, align):
    run = align(*BATCH, "-f", "md", "-o", "outdir", "-j", "1")
    assert run.code == 0, run.err
    written = {p.name for p in (workdir / "outdir").iterdir()}
    assert written == {"青海.md", "甘肃.md", "河北.md", "matrix.md", "matrix.html"}
    assert "national task / measure" in run.out  # the matrix is shown as well
    matrix = (workdir / "outdir" / "matrix.md").read_text(encoding="utf-8")
    assert "| # | national task / measure | 青海 | 甘肃† | 河北† |" in matrix


def test_batch_with_one_unreadable_province(workdir, align):
    (workdir / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    run = align("national.txt", "qinghai.txt", "broken.txt", "hebei.txt", "-f", "md", "-o", "outdir", "-j", "1")
    assert run.code == 2
    errors = [line for line in run.err_lines if line.startswith("error:")]
    assert len(errors) == 1 and "broken.txt" in errors[0] and "PNG" in errors[0]
    assert "青海" in run.out and "河北" in run.out
    assert {"青海.md", "河北.md", "matrix.md"} <= {p.name for p in (workdir / "outdir").iterdir()}
    assert "Traceback" not in run.err


def test_folder_of_provinces_skips_the_national_plan(workdir, align):
    """plans/ holds national.txt next to the provinces; the folder must not compare it with itself."""
    folder = workdir / "plans"
    folder.mkdir()
    for name in ("national.txt", "qinghai.txt", "hebei.txt"):
        shutil.copyfile(workdir / name, folder / name)
    (folder / "~$qinghai.docx").write_bytes(b"lock")  # Word's lock file is not a plan
    run = align("plans/national.txt", "plans", "-j", "1")
    assert run.code == 0, run.err
    assert re.findall(r"^(\S+): \d+/19 covered", run.out, re.MULTILINE) == ["河北", "青海"]


def test_batch_json_to_stdout(workdir, align):
    run = align("national.txt", "qinghai.txt", "hebei.txt", "-f", "json", "-j", "1")
    assert run.code == 0, run.err
    assert [p["name"] for p in json.loads(run.out)["provinces"]] == ["青海", "河北"]


# --- outline, help --------------------------------------------------------------------------------


def test_outline_json(workdir, align):
    run = align("outline", "qinghai.txt", "--json")
    assert run.code == 0, run.err
    clauses = json.loads(run.out)["clauses"]
    assert sum(1 for c in clauses if c["kind"] == "task") == 39


def test_outline_tree(workdir, align):
    run = align("outline", "qinghai.txt")
    assert run.code == 0 and "39 tasks" in run.out


@pytest.mark.parametrize("args", [["--help"], ["-h"]])
def test_top_level_help(align, args):
    run = align(*args)
    assert run.code == 0
    assert "outline" in run.out and "compare" in run.out


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_compare_help(align, flag):
    run = align("compare", flag)
    assert run.code == 0
    assert "--format" in run.out and "--fail-under" in run.out


# --- determinism ----------------------------------------------------------------------------------


def test_same_inputs_give_identical_bytes(workdir, align):
    """Across processes with different hash seeds (set order must not leak into reports)."""
    runs = [run_module("national.txt", "qinghai.txt", "-f", "json", cwd=workdir, env={"PYTHONHASHSEED": seed})
            for seed in ("1", "2")]
    assert runs[0].returncode == 0 and runs[0].stdout
    assert runs[0].stdout == runs[1].stdout
    for n in (1, 2):
        assert align("national.txt", "qinghai.txt", "-o", f"r{n}.md", "--explain").code == 0
        assert align("national.txt", "qinghai.txt", "-o", f"r{n}.xlsx").code == 0
    assert (workdir / "r1.md").read_bytes() == (workdir / "r2.md").read_bytes()
    assert (workdir / "r1.xlsx").read_bytes() == (workdir / "r2.xlsx").read_bytes()
