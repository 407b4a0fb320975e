"""Hostile inputs for the reading stages, each built at test time in a small version.

A stranger's file may be a zip bomb, a page of 20,000 <br>, a plan whose tasks sit in a table or
cite a web address. Each must either be read correctly or refused with one clean InputError
(exit 2) that names the limit, quickly and without blowing up memory. The big versions, with
wall time and peak memory, are in bench/hostile.py.
"""

from __future__ import annotations

import io
import struct
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from aligner.errors import InputError
from aligner.model import Kind
from aligner.pipeline import load_plan
from aligner.read import chinese_numeral, read_document

HANG_GUARD = 60.0  # seconds; a bound on runaway work, not a speed measurement
TASKS = ("深化户籍制度改革。放开落户限制。", "健全常住地提供基本公共服务制度。推进基本公共服务均等化。")


def _problem(path: Path, **kwargs: int) -> str:
    with pytest.raises(InputError) as info:
        read_document(path, **kwargs)
    return info.value.problem


def _timed(action: Callable[[], object]) -> object:
    start = time.monotonic()
    result = action()
    assert time.monotonic() - start < HANG_GUARD
    return result


# --- zip containers ---------------------------------------------------------------------------------


def _bomb(path: Path, megabytes: int) -> Path:
    """A .docx-looking ZIP whose word/document.xml is `megabytes` MB of one repeated character."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b"a" * (1 << 20)
            for _ in range(megabytes):
                member.write(chunk)
    return path


def test_zip_bomb_is_refused_from_its_directory(tmp_path: Path) -> None:
    path = _bomb(tmp_path / "bomb.docx", 40)  # 40 MB that packs into ~40 KB
    assert path.stat().st_size < 1024 * 1024
    problem = _timed(lambda: _problem(path, max_bytes=1024 * 1024))
    assert problem == "expands to more than 20.0 MB (the limit is 20 × --max-size; raise it with --max-size MB; it is now 1.0 MB)"


def _lie_about_sizes(data: bytes, size: int) -> bytes:
    """Rewrite every declared uncompressed size (local headers and directory) to `size`."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = out.find(signature)
        while start != -1:
            out[start + offset : start + offset + 4] = struct.pack("<I", size)
            start = out.find(signature, start + 4)
    return bytes(out)


def test_zip_whose_directory_understates_sizes_is_refused(tmp_path: Path) -> None:
    """Declared sizes can lie: members are read through a bounded stream, never trusted."""
    honest = _bomb(tmp_path / "honest.docx", 40).read_bytes()
    path = tmp_path / "liar.docx"
    path.write_bytes(_lie_about_sizes(honest, 1000))
    problem = _timed(lambda: _problem(path, max_bytes=1024 * 1024))
    assert problem == "is not a valid .docx (corrupt or not a Word file)"


def test_zip_with_too_many_entries_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(1100):
            archive.writestr(f"word/media/{n}.xml", "")
    assert path.stat().st_size < 1024 * 1024
    problem = _problem(path, max_bytes=1024 * 1024)
    assert problem.startswith("holds 1,100 files, over the 1,024 limit (the limit is 1024 per MB of --max-size;")


def _docx(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_SMALL_LIMIT = 64 * 1024  # python-docx's empty template alone is ~36 KB


def test_docx_with_too_much_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.docx"
    path.write_bytes(_docx(["推进落户。" * 40] * 700))  # 140,000 characters, highly compressible
    assert path.stat().st_size < _SMALL_LIMIT
    problem = _problem(path, max_bytes=_SMALL_LIMIT)
    assert problem.startswith("holds more than 131,072 characters of text (the limit is 2 per byte of --max-size;")


def test_docx_with_a_pathological_line_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "line.docx"
    path.write_bytes(_docx(["推进落户。" * 14000]))  # one 70,000-character paragraph
    problem = _problem(path, max_bytes=_SMALL_LIMIT)
    assert problem.startswith("has a line of 70,000 characters, over the 65,536 limit")


def test_a_normal_docx_is_within_every_limit(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(_docx(["一、重点任务", *(f"{n}.{task}" for n, task in enumerate(TASKS, 1))]))
    assert read_document(path).text.splitlines()[1] == "1." + TASKS[0]


# --- HTML -------------------------------------------------------------------------------------------


def _page(body: str) -> str:
    tasks = "".join(f"<p>{n}.{task}</p>" for n, task in enumerate(TASKS, 1))
    return f"<html><body><p>一、重点任务</p>{body.replace('TASKS', tasks)}</body></html>"


@pytest.mark.parametrize(
    "body",
    [
        "TASKS" + "<br>" * 20_000,
        "<div>" * 20_000 + "TASKS" + "</div>" * 20_000,
        "<div>" * 20_000 + "TASKS",  # never closed
        "<br>" * 10_000 + "TASKS" + "</span>" * 10_000,  # end tags with nothing open
    ],
    ids=["20000-br", "20000-nested-div", "unclosed-div", "stray-end-tags"],
)
def test_html_with_many_elements_is_read_in_linear_time(tmp_path: Path, body: str) -> None:
    path = tmp_path / "page.html"
    path.write_text(_page(body), encoding="utf-8")
    plan = _timed(lambda: load_plan(path))
    assert [t.title for t in plan.of_kind(Kind.TASK)] == ["深化户籍制度改革", "健全常住地提供基本公共服务制度"]  # type: ignore[attr-defined]


# --- no silent loss ---------------------------------------------------------------------------------


def test_a_task_citing_a_web_address_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "一、重点任务\n1.推进数字政府建设。依托https://zwfw.example.gov.cn/平台实现一网通办。\n"
        "https://www.example.gov.cn/\n2.深化户籍制度改革。放开落户限制。\n",
        encoding="utf-8",
    )
    tasks = load_plan(path).of_kind(Kind.TASK)
    assert [t.title for t in tasks] == ["推进数字政府建设", "深化户籍制度改革"]
    assert "https://zwfw.example.gov.cn/" in tasks[0].text


def test_task_one_thousand_and_one_is_found(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    lines = ["一、重点任务", *(f"{n}.推进第{n}项工作。落实要求。" for n in range(1, 1002))]
    path.write_text("\n".join(lines), encoding="utf-8")
    tasks = load_plan(path).of_kind(Kind.TASK)
    assert len(tasks) == 1001
    assert (tasks[-1].number, tasks[-1].title) == ("1001.", "推进第1001项工作")


def test_chinese_list_markers_of_any_size() -> None:
    assert [chinese_numeral(n) for n in (1, 10, 12, 20, 21, 100, 105, 110, 1001, 1010, 12000)] == [
        "一", "十", "十二", "二十", "二十一", "一百", "一百零五", "一百一十", "一千零一", "一千零一十", "一万二千",
    ]


def test_a_file_of_bare_markers_is_not_a_plan(workdir: Path, align) -> None:  # type: ignore[no-untyped-def]
    (workdir / "markers.txt").write_text("一、\n（一）\n1.\n2.\n（二）\n1.\n二、\n（一）\n", encoding="utf-8")
    run = align("national.txt", "markers.txt", "--format", "json")
    assert run.code == 2
    assert run.err_lines == ["错误：markers.txt：markers.txt 中未找到任务条款：这是方案文件吗？"]  # zh, the default
    run = align("national.txt", "markers.txt", "--format", "json", "--lang", "en")
    assert run.err_lines == ["error: markers.txt: no task clauses found in markers.txt: is it a plan?"]


# --- Word tables ------------------------------------------------------------------------------------


def _table_docx(path: Path, numbers: list[str], content_control: bool = False) -> Path:
    document = docx.Document()
    document.add_paragraph("某省实施方案")
    document.add_paragraph("一、重点任务")
    table = document.add_table(rows=1 + len(TASKS), cols=3)
    for column, header in enumerate(("序号", "任务", "责任单位")):
        table.cell(0, column).text = header
    for row, (number, task) in enumerate(zip(numbers, TASKS), 1):
        table.cell(row, 0).text = number
        table.cell(row, 1).text = task
        table.cell(row, 2).text = "省公安厅"
    if content_control:  # the table inside a content control (w:sdt), as form templates have it
        from docx.oxml import OxmlElement

        sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
        table._tbl.addprevious(sdt)
        sdt.append(content)
        content.append(table._tbl)
    document.add_paragraph("二、保障措施")
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    ("numbers", "content_control"),
    [(["1", "2"], False), (["(一)", "(二)"], False), (["一", "二"], False), (["1", "2"], True)],
    ids=["arabic", "bracketed", "chinese", "in-content-control"],
)
def test_docx_tasks_in_a_table_are_read(tmp_path: Path, numbers: list[str], content_control: bool) -> None:
    plan = load_plan(_table_docx(tmp_path / "plan.docx", numbers, content_control))
    tasks = plan.of_kind(Kind.TASK)
    assert [t.title for t in tasks] == ["深化户籍制度改革", "健全常住地提供基本公共服务制度"]
    assert tasks[0].text.startswith("放开落户限制。")


def test_docx_table_lines_keep_document_order(tmp_path: Path) -> None:
    text = read_document(_table_docx(tmp_path / "plan.docx", ["1", "2"])).text
    assert text.splitlines() == [
        "某省实施方案", "一、重点任务", "序号", "任务", "责任单位",
        "1." + TASKS[0], "省公安厅", "2." + TASKS[1], "省公安厅", "二、保障措施",
    ]
