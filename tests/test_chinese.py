"""Chinese-first reports (issue 14): what a user forwarding Word and Excel files must see."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from aligner import __version__, align
from aligner.report.messages import HELP, LANGS, _TABLE, message

REPO = Path(__file__).resolve().parents[1]
NATIONAL = REPO / "plans" / "national.txt"
QINGHAI = REPO / "plans" / "qinghai.txt"
HUNAN = REPO / "tests" / "fixtures" / "partial" / "hunan.txt"
PROVINCES = REPO / "tests" / "fixtures" / "provinces"


def test_every_message_has_both_languages() -> None:
    for key, (zh, en) in {**_TABLE, **HELP}.items():
        assert zh and en, key
        zh = re.sub(r"\{\w+\}|aligner|align|NATIONAL|json|csv|docx|xlsx|html|reports|txt|pdf|zh|en|MB", "", zh)
        assert re.search(r"[\u4e00-\u9fff]", zh) or not re.search(r"[A-Za-z]{3}", zh), key
    assert LANGS == ("zh", "en")
    assert message("zh", "status.gap") == "未覆盖（缺口）" and message("en", "status.gap") == "gap"


def test_the_default_report_is_chinese_and_simplified(workdir, align) -> None:  # type: ignore[no-untyped-def]
    from opencc import OpenCC

    run = align("national.txt", "qinghai.txt")
    assert run.code == 0, run.err
    for word in ("覆盖", "未覆盖", "省级新增", "国家重点任务", "相同", "调整", "图例"):
        assert word in run.out, word
    assert "covered" not in run.out and "Warnings" not in run.out
    # One script: nothing that simplified conversion would change (the Qinghai copy is traditional).
    to_simplified = OpenCC("t2s").convert
    assert to_simplified(run.out) == run.out
    assert "從責任壓實" not in run.out and "从责任压实" in run.out


def test_lang_en_prints_english(workdir, align) -> None:  # type: ignore[no-untyped-def]
    run = align("national.txt", "qinghai.txt", "--lang", "en")
    assert run.code == 0, run.err
    assert "covered" in run.out and "Provincial additions" in run.out and "Gaps" in run.out
    assert "省级新增" not in run.out and "图例" not in run.out


def test_summary_paragraph_opens_every_text_report() -> None:
    result = align(NATIONAL, QINGHAI)
    for fmt in ("terminal", "md", "html"):
        text = re.sub(r"[\s│]", "", str(result.render(fmt)))
        assert "《青海省深入实施以人为本的新型城镇化战略五年行动计划的实施方案》共部署6项行动、39项任务" in text, fmt
        assert "19项重点任务中的19项（其中部分覆盖0项）" in text, fmt
        assert "口径说明" in text or fmt == "terminal", fmt


def test_unreliable_coverage_paragraph_gives_no_rate() -> None:
    text = str(align(NATIONAL, HUNAN).render("md"))
    paragraph = next(line for line in text.splitlines() if line.startswith("《"))
    assert "覆盖率不可靠" in paragraph and "覆盖率1" not in paragraph and "%" not in paragraph


def test_docx_names_clauses_by_the_documents_numbering_and_line() -> None:
    import docx

    document = docx.Document(io.BytesIO(align(NATIONAL, QINGHAI).render("docx")))  # type: ignore[arg-type]
    first_row = [c.text for c in document.tables[0].rows[1].cells]
    assert first_row[:2] == ["二、（二）1.（第25行）", "进一步深化户籍制度改革"]
    assert first_row[3].startswith("四、二是第1项（第14行）")  # not the made-up id 4.2.1


def test_docx_opens_with_the_summary_and_document_numbering(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    target = tmp_path / "r.docx"
    align(NATIONAL, QINGHAI).write(target)
    document = docx.Document(str(target))
    first = " ".join(p.text for p in document.paragraphs[:3])
    assert "共部署6项行动、39项任务" in first and "覆盖国家" in first
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any(re.search(r"（[一二三四五六七八九十]+）", cell) for cell in cells)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_csv_starts_with_the_bom(workdir, align) -> None:  # type: ignore[no-untyped-def]
    run = align("national.txt", "qinghai.txt", "-f", "csv")
    assert run.out.startswith("\ufeff")
    header = next(csv.reader(io.StringIO(run.out.removeprefix("\ufeff"))))
    assert header[:2] == ["省份", "国家条款编号"]


def test_batch_xlsx_writes_a_workbook_with_a_matrix_sheet(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    written = align(NATIONAL, QINGHAI, HUNAN).write(tmp_path / "out", "xlsx")
    assert tmp_path / "out" / "matrix.xlsx" in written
    book = openpyxl.load_workbook(tmp_path / "out" / "matrix.xlsx")
    assert book.sheetnames[0] == "覆盖矩阵"
    sheet = book["覆盖矩阵"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert [c.value for c in sheet[1]][2:] == ["青海", "湖南†"]


@pytest.mark.parametrize("fmt", ["terminal", "md", "csv", "html", "xlsx", "docx"])
def test_a_truncated_province_is_marked_in_every_matrix_format(fmt: str) -> None:
    data = align(NATIONAL, QINGHAI, HUNAN).render(fmt)
    if fmt == "xlsx":
        from golden_cases import xlsx_values

        data = xlsx_values(data)  # type: ignore[arg-type]
    elif fmt == "docx":
        import docx

        document = docx.Document(io.BytesIO(data))  # type: ignore[arg-type]
        data = "\n".join([p.text for p in document.paragraphs]
                         + [c.text for t in document.tables for r in t.rows for c in r.cells])
    text = str(data)
    assert "湖南†" in text, fmt
    assert "† 湖南：文本不完整（疑似截断）" in text, fmt


def test_duplicate_province_names_are_told_apart(tmp_path: Path) -> None:
    copy = tmp_path / "qinghai-2024.txt"
    copy.write_bytes(QINGHAI.read_bytes())
    text = str(align(NATIONAL, QINGHAI, copy).render("md"))
    assert "青海（qinghai.txt）" in text and "青海（qinghai-2024.txt）" in text


def test_version(workdir, align) -> None:  # type: ignore[no-untyped-def]
    run = align("--version")
    assert run.code == 0 and run.out.strip() == f"aligner {__version__}"


def test_help_is_in_chinese(workdir, align) -> None:  # type: ignore[no-untyped-def]
    run = align("compare", "--help")
    assert "报告语言" in run.out and "--lang" in run.out and "--script" in run.out
