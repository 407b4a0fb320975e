"""Issue 14 leftovers: the documents' own numbering everywhere, 文号/issuer/date, provenance in every
file, Chinese notes and errors, no <br> in markdown, skipped files named, the HTML print stylesheet."""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

import pytest

from aligner import align as align_plans
from aligner.docmeta import extract
from aligner.params import Thresholds
from aligner.report.messages import Catalogue
from aligner.report.problems import _NOTES, _PROBLEMS

REPO = Path(__file__).resolve().parents[1]
NATIONAL = REPO / "plans" / "national.txt"
QINGHAI = REPO / "plans" / "qinghai.txt"
SHARED_HUNAN = REPO.parent / "shared" / "provinces_partial" / "hunan.txt"
EPOCH = "1704067200"  # 2024-01-01
T = Thresholds()  # the defaults the CLI runs with


def _text_of(data: str | bytes, fmt: str) -> str:
    """Everything a reader sees in a rendered report, as one string."""
    if fmt == "xlsx":
        from golden_cases import xlsx_values

        return str(xlsx_values(data))  # type: ignore[arg-type]
    if fmt == "docx":
        import docx

        document = docx.Document(io.BytesIO(data))  # type: ignore[arg-type]
        return "\n".join([p.text for p in document.paragraphs]
                         + [c.text for t in document.tables for r in t.rows for c in r.cells])
    return str(data)


# --- 文号, issuer and date ----------------------------------------------------------------------


def test_a_notice_gives_its_number_issuer_and_date() -> None:
    meta = extract(["国务院关于印发《某某行动计划》的通知", "国发〔2024〕17号", "各省、自治区、直辖市人民政府：",
                    "现将《某某行动计划》印发给你们，请认真贯彻执行。", "国务院", "2024年7月28日", "（此件公开发布）"])
    assert (meta.number, meta.issuer, meta.date) == ("国发〔2024〕17号", "国务院", "2024年7月28日")


def test_the_signature_above_the_closing_date_is_the_issuer() -> None:
    meta = extract(["某某省实施方案", "青政〔2024〕12号", "一、总体要求", "正文。", "青海省人民政府", "2024年9月6日"])
    assert (meta.number, meta.issuer, meta.date) == ("青政〔2024〕12号", "青海省人民政府", "2024年9月6日")


def test_regulations_are_numbered_by_decree_and_chinese_numeral_dates_are_read() -> None:
    meta = extract(["某某条例", "中华人民共和国国务院令第722号", "第一条 为了……", "二〇一九年十月二十二日"])
    assert (meta.number, meta.date) == ("中华人民共和国国务院令第722号", "二〇一九年十月二十二日")


def test_a_date_or_number_in_the_body_is_not_the_documents() -> None:
    body = [f"第{n}段正文。" for n in range(40)]
    body[20] = "2023年5月1日起施行的国发〔2023〕3号文件提出……"
    assert not extract(body)


def test_report_headers_show_the_national_plans_number_in_every_format() -> None:
    result = align_plans(NATIONAL, QINGHAI)
    for fmt in ("terminal", "md", "html", "xlsx", "docx"):
        text = _text_of(result.render(fmt), fmt)
        assert "国发〔2024〕17号" in text and "成文日期" in text and "2024年7月28日" in text, fmt
    national = result.to_dict()["national"]
    assert national["metadata"] == {"number": "国发〔2024〕17号", "issuer": "国务院", "date": "2024年7月28日"}


# --- the documents' own numbering and line, everywhere a clause is named --------------------------


@pytest.mark.parametrize("fmt", ["terminal", "md", "html", "xlsx", "docx"])
def test_clauses_are_named_by_the_documents_numbering_not_made_up_ids(fmt: str) -> None:
    text = _text_of(align_plans(NATIONAL, QINGHAI).render(fmt), fmt)
    if fmt == "html":
        from bs4 import BeautifulSoup

        text = BeautifulSoup(text, "html.parser").get_text()  # ids stay in anchors, out of sight
    if fmt == "xlsx":  # a column for the numbering, one for the line
        assert '"二、（二）1.",\n   "25"' in text and '"四、二是",\n   "14"' in text
        return
    assert "二、（二）1.（第25行）" in text, fmt  # the national task as the plan numbers it
    assert "四、二是第1项（第14行）" in text, fmt  # its provincial counterpart, by its place in the list
    if fmt in ("terminal", "md", "html"):
        assert not re.search(r"(?<![\d.])4\.2\.1(?![\d.])", text), fmt  # the parser's id of that counterpart


def test_csv_and_json_keep_ids_and_add_the_numbering_and_line() -> None:
    import csv

    result = align_plans(NATIONAL, QINGHAI)
    rows = list(csv.DictReader(io.StringIO(str(result.render("csv", lang="en")).removeprefix("\ufeff"))))
    first = rows[0]
    assert (first["national_id"], first["national_number"], first["national_line"]) == ("2.2.1", "二、（二）1.", "25")
    assert (first["province_id"], first["province_number"], first["province_line"]) == ("4.2.1", "四、二是", "14")
    clauses = {c["id"]: c for c in result.to_dict()["national"]["clauses"]}
    assert clauses["2.2.1"]["numbering"] == "二、（二）1." and clauses["2.2.1"]["line"] == 25


@pytest.mark.parametrize("fmt", ["terminal", "md", "csv", "html", "xlsx", "docx"])
def test_matrix_rows_carry_the_national_numbering(fmt: str) -> None:
    text = _text_of(align_plans(NATIONAL, QINGHAI, QINGHAI).render(fmt), fmt)
    assert "二、（二）1." in text, fmt


def test_markdown_holds_no_html_line_breaks() -> None:
    result = align_plans(NATIONAL, QINGHAI)
    for explain in (False, True):
        text = str(result.render("md", explain=explain))
        assert "<br" not in text
        # a national task with two counterparts: one table row each, the second's national cells blank
        assert re.search(r"^\|   \|   \|   \| 四、[一二三四五六七八九十]+是第\d+项（第14行） \S+ \| \d\.\d\d（标题\d\.\d\d） \| 部分 \|", text, re.M)


# --- warnings and errors in the reader's language --------------------------------------------------


def test_the_parsers_remarks_are_in_chinese_by_default_and_english_on_request(workdir, align) -> None:  # type: ignore[no-untyped-def]
    zh = align("national.txt", "qinghai.txt")
    assert "第16行：乱码已删去，保留「从责任压实" in zh.out and "garbled" not in zh.out
    en = align("national.txt", "qinghai.txt", "--lang", "en")
    assert "line 16: garbled text (mojibake) cut" in en.out


def test_input_errors_are_in_chinese_by_default(workdir, align) -> None:  # type: ignore[no-untyped-def]
    run = align("national.txt", "nosuch.txt")
    assert run.code == 2 and run.err_lines == ["错误：nosuch.txt：找不到文件"]
    run = align("national.txt", "nosuch.txt", "--lang", "en")
    assert run.err_lines == ["error: nosuch.txt: file not found"]


def test_every_translated_sentence_is_chinese() -> None:
    for _, zh in (*_NOTES, *_PROBLEMS):
        assert re.search(r"[\u4e00-\u9fff]", zh), zh
    msg = Catalogue("zh")
    assert msg.problem("is not a valid .docx (corrupt or not a Word file)") == "不是有效的 .docx（文件损坏或不是 Word 文件）"
    assert msg.problem("something new") == "something new"  # unknown: kept, never lost
    assert msg.note("something new") == "说明：something new"
    assert Catalogue("en").note("line 3: garbled text (mojibake) skipped") == "line 3: garbled text (mojibake) skipped"


# --- a folder batch names what it skipped ------------------------------------------------------------


def test_a_folder_batch_lists_skipped_files_and_how_to_convert_them(workdir, align) -> None:  # type: ignore[no-untyped-def]
    folder = workdir / "provinces"
    folder.mkdir()
    (folder / "qinghai.txt").write_bytes(QINGHAI.read_bytes())
    for name in ("甘肃.doc", "湖南.wps", "河北.ofd", "附件.xls", ".hidden", "~$lock.docx"):
        (folder / name).write_bytes(b"x")
    run = align("national.txt", "provinces", "-f", "md", "-o", "out")
    assert run.code == 0, run.err
    skipped = [line for line in run.err_lines if line.startswith("已跳过")]
    assert len(skipped) == 4, skipped
    assert any("甘肃.doc" in s and "另存为” .docx 或 .txt" in s for s in skipped)
    assert any("湖南.wps" in s and ".docx" in s for s in skipped)
    assert any("河北.ofd" in s and "PDF" in s for s in skipped)
    assert any("附件.xls" in s for s in skipped)
    en = align("national.txt", "provinces", "-f", "md", "-o", "out2", "--lang", "en")
    assert any(line.startswith("skipped ") and "甘肃.doc" in line and "save it as .docx" in line for line in en.err_lines)


# --- provenance in every file -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html", "xlsx", "docx", "json", "terminal"])
def test_every_report_file_says_where_it_came_from(fmt: str, workdir, align, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    target = workdir / f"r.{fmt}"
    run = align("national.txt", "qinghai.txt", "-f", fmt, *([] if fmt == "terminal" else ["-o", str(target)]))
    assert run.code == 0, run.err
    if fmt == "terminal":
        text = run.out
    else:
        data = target.read_bytes()
        text = _text_of(data if fmt in ("xlsx", "docx") else data.decode("utf-8"), fmt)
    sha = hashlib.sha256(QINGHAI.read_bytes()).hexdigest()
    if fmt == "json":
        prov = json.loads(text)["provenance"]
        assert prov["date"] == "2024-01-01" and prov["inputs"][1] == {"file": "qinghai.txt", "sha256": sha}
        assert prov["thresholds"] == {"same": T.same, "adapted": T.adapted, "link": T.link}
        return
    assert "生成信息" in text and "aligner 0.1.0" in text and "2024-01-01" in text, fmt
    assert "qinghai.txt" in text and sha in text, fmt
    assert f"阈值：相同 {T.same:g}，调整 {T.adapted:g}，关联 {T.link:g}" in text and "词表：内置词表" in text, fmt


@pytest.mark.parametrize("fmt", ["md", "html", "xlsx", "docx", "terminal"])
def test_every_matrix_file_says_where_it_came_from(fmt: str, workdir, align, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    (workdir / "qinghai-2.txt").write_bytes(QINGHAI.read_bytes())
    args = ["national.txt", "qinghai.txt", "qinghai-2.txt", "-f", fmt]
    run = align(*args, *([] if fmt == "terminal" else ["-o", "out"]))
    assert run.code == 0, run.err
    if fmt == "terminal":
        text = run.out
    else:
        path = workdir / "out" / f"matrix.{fmt}"
        text = _text_of(path.read_bytes() if fmt in ("xlsx", "docx") else path.read_text("utf-8"), fmt)
    sha = hashlib.sha256(QINGHAI.read_bytes()).hexdigest()
    assert "aligner 0.1.0" in text and "2024-01-01" in text and "qinghai-2.txt" in text and sha in text, fmt


def test_the_library_leaves_provenance_out_unless_asked() -> None:
    from aligner.report.provenance import provenance

    result = align_plans(NATIONAL, QINGHAI)
    assert "生成信息" not in str(result.render("md"))
    assert "provenance" not in result.to_dict()
    from aligner.report.registry import RenderOptions, render_report

    options = RenderOptions(provenance=provenance(T.same, T.adapted, T.link))
    assert "生成信息" in str(render_report(result.alignments[0], "md", options))


# --- HTML for print ----------------------------------------------------------------------------------


def test_html_prints_on_a4_landscape_with_repeated_headers() -> None:
    result = align_plans(NATIONAL, QINGHAI, QINGHAI)
    for html in (str(align_plans(NATIONAL, QINGHAI).render("html")), str(result.render("html"))):
        assert "@page{size:A4 landscape" in html and "thead{display:table-header-group}" in html


@pytest.mark.skipif(not SHARED_HUNAN.exists(), reason="needs /work/shared")
def test_the_shared_partial_hunan_is_truncated_in_every_matrix_format() -> None:
    result = align_plans(NATIONAL, QINGHAI, SHARED_HUNAN)
    for fmt in ("terminal", "md", "csv", "html", "xlsx", "docx"):
        text = _text_of(result.render(fmt), fmt)
        assert "湖南†" in text and "† 湖南：文本不完整" in text, fmt


def test_html_matrix_cells_link_to_the_provinces_report_at_the_task(workdir, align) -> None:  # type: ignore[no-untyped-def]
    from urllib.parse import unquote

    from bs4 import BeautifulSoup

    (workdir / "qinghai-2.txt").write_bytes(QINGHAI.read_bytes())
    run = align("national.txt", "qinghai.txt", "qinghai-2.txt", "-f", "html", "-o", "out")
    assert run.code == 0, run.err
    soup = BeautifulSoup((workdir / "out" / "matrix.html").read_text("utf-8"), "html.parser")
    links = [a["href"] for a in soup.select("td.cell a")]
    assert links and all("#n-" in href for href in links)
    reports: dict[str, BeautifulSoup] = {}
    for href in links:
        file, fragment = unquote(href).split("#")
        if file not in reports:
            reports[file] = BeautifulSoup((workdir / "out" / file).read_text("utf-8"), "html.parser")
        target = reports[file].find(id=fragment)
        assert target is not None, href  # the anchor exists in the province's report …
        assert "national" in target["class"] and target.parent.name == "tr", href  # … on the task's row
    heads = [a["href"] for a in soup.select("thead th a")]
    assert len(set(heads)) == 2  # two provinces of one name: two reports, each its own link


def test_long_titles_are_shortened_at_80_columns_and_whole_with_explain(workdir, align) -> None:  # type: ignore[no-untyped-def]
    from rich.cells import cell_len

    long_title = "加快推进保障性住房建设、“平急两用”公共基础设施建设、城中村改造"
    plain = align("national.txt", "qinghai.txt")
    assert max(cell_len(line) for line in plain.out.splitlines()) <= 80
    assert "加快推进保障性住房建设、“平急两用…" in plain.out and long_title not in plain.out.replace("\n", "")
    assert "加 --explain 显示全文" in plain.out
    explained = align("national.txt", "qinghai.txt", "--explain")
    flat = "".join(line.strip("│ ") for line in explained.out.splitlines())
    assert "“平急两用”公共基础设施建设" in flat and "显示全文" not in explained.out


def test_batch_warnings_wait_until_the_progress_bar_is_gone(tmp_path: Path) -> None:
    from aligner import api, batch
    from aligner.output import Writer
    from aligner.read import DEFAULT_MAX_BYTES

    thesaurus = api.thesaurus_of(None)
    thresholds = api.thresholds_of(T.link, T.adapted)
    job = batch.Job(api.prepare(NATIONAL, thesaurus, DEFAULT_MAX_BYTES), thesaurus, thresholds, DEFAULT_MAX_BYTES,
                    "terminal")
    events: list[str] = []
    paths = [str(QINGHAI), str(tmp_path / "nosuch.txt"), str(QINGHAI)]
    code = batch.run_batch(paths, job, None, 1, None, Writer([], events.append), events.append, lambda _: None,
                           progress=lambda done, total: events.append(f"progress {done}"),
                           finished=lambda: events.append("finished"))
    assert code == batch.EXIT_INPUT  # one province failed
    said = events[events.index("finished") + 1:]
    assert events[:events.index("finished")] == ["progress 1", "progress 2", "progress 3"]  # nothing inside the bar
    assert any(line.startswith("提示：青海：第16行") for line in said)
    assert any(line.startswith("错误：") and "nosuch.txt：找不到文件" in line for line in said)
