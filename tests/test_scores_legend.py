"""Issue 14: scores that tell "same" from "adapted" (both may reach the 1.00 cap), and one legend
that every format renders from aligner.report.messages."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from report_fixtures import alignment, use_fake_targets
from test_reports_zh import _text_of

from aligner import align as align_plans
from aligner.model import Alignment, Relation
from aligner.params import Thresholds
from aligner.report.messages import Catalogue
from aligner.report.registry import RenderOptions, render_report
from aligner.report.view import LEGEND_KEYS

REPO = Path(__file__).resolve().parents[1]
FORMATS = ["terminal", "md", "html", "docx", "xlsx"]


@pytest.fixture(autouse=True)
def _targets(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_targets(monkeypatch)


def both_at_the_cap() -> Alignment:
    """The fixture with a near-verbatim and an adapted link that both score 1.00."""
    al = alignment()
    links = list(al.links)
    links[0] = replace(links[0], score=1.0, relation=Relation.SAME, title_similarity=0.96)
    links[1] = replace(links[1], score=1.0, relation=Relation.ADAPTED, title_similarity=0.62)
    return replace(al, links=links)


def _render(al: Alignment, fmt: str, lang: str) -> str:
    return _text_of(render_report(al, fmt, RenderOptions(lang=lang, width=200)), fmt)


@pytest.mark.parametrize("fmt", ["terminal", "md", "html", "docx"])  # spreadsheets: two number columns (below)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_same_and_adapted_at_the_cap_never_look_the_same(fmt: str, lang: str) -> None:
    text = _render(both_at_the_cap(), fmt, lang)
    same, adapted = ("1.00（标题0.96）", "1.00（标题0.62）") if lang == "zh" else ("1.00 (title 0.96)", "1.00 (title 0.62)")
    assert same in text and adapted in text, fmt


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_format_renders_the_one_legend(fmt: str, lang: str) -> None:
    text = _render(both_at_the_cap(), fmt, lang)
    msg = Catalogue(lang)
    for key in LEGEND_KEYS:
        if fmt == "terminal":  # the terminal folds long lines (inside Chinese text too) and frames them
            assert "".join(msg(key).split()) in "".join(text.replace("│", "").split()), (fmt, key)
        else:
            assert msg(key) in text, (fmt, key)
    assert msg("status.covered") in text and msg("status.gap") in text


def test_csv_and_json_keep_the_two_numbers_apart() -> None:
    al = both_at_the_cap()
    rows = list(csv.DictReader(io.StringIO(str(render_report(al, "csv", RenderOptions(lang="en"))).removeprefix("\ufeff"))))
    by_pair = {(r["national_id"], r["province_id"]): r for r in rows}
    assert (by_pair["2.2.1", "1.1"]["score"], by_pair["2.2.1", "1.1"]["title_similarity"]) == ("1.00", "0.96")
    assert (by_pair["2.2.2", "1.2"]["score"], by_pair["2.2.2", "1.2"]["title_similarity"]) == ("1.00", "0.62")
    zh = str(render_report(al, "csv", RenderOptions(lang="zh"))).removeprefix("\ufeff").splitlines()[0].split(",")
    assert zh[zh.index("匹配度") + 1] == "标题相似度"
    links = json.loads(str(render_report(al, "json", RenderOptions())))["provinces"][0]["links"]
    assert [(l["score"], l["title_similarity"]) for l in links[:2]] == [(1.0, 0.96), (1.0, 0.62)]
    assert links[2]["title_similarity"] is None  # a link made without comparing titles says so


def test_the_workbook_stores_the_title_similarity_as_a_number() -> None:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(render_report(both_at_the_cap(), "xlsx", RenderOptions(lang="en"))))  # type: ignore[arg-type]
    for sheet in (book["national coverage"], book["links"]):
        header = [c.value for c in sheet[1]]
        values = [row[header.index("title_similarity")] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert 0.96 in values and 0.62 in values, sheet.title


def test_qinghai_same_and_adapted_links_at_one_are_told_apart() -> None:
    """The real pair: several links of each relation reach 1.00; the title similarity separates them."""
    result = align_plans(REPO / "plans" / "national.txt", REPO / "plans" / "qinghai.txt")
    links = json.loads(str(result.render("json")))["provinces"][0]["links"]
    assert all(set(l) >= {"province", "national", "score", "relation", "evidence", "shared_terms"} for l in links)
    same = [l for l in links if l["relation"] == "same"]
    adapted_at_one = [l for l in links if l["relation"] == "adapted" and l["score"] == 1.0]
    assert same and adapted_at_one
    # "same" is a title similarity at the threshold: the number shown is the one that decided it
    assert all(l["title_similarity"] >= Thresholds().same for l in same)
    assert all(l["title_similarity"] < Thresholds().same for l in adapted_at_one)
    md = str(result.render("md"))
    for l in adapted_at_one:
        assert f"1.00（标题{l['title_similarity']:.2f}） | 调整 |" in md


def test_article_links_carry_the_texts_similarity_that_decides_same() -> None:
    from aligner import align

    national = ("某条例\n第一条 为了持续优化营商环境，制定本条例。\n"
                "第二条 国家持续深化简政放权、放管结合、优化服务改革，最大限度减少政府对市场资源的直接配置。\n"
                "第三条 各级人民政府应当加强对优化营商环境工作的组织领导，完善优化营商环境的政策措施。\n")
    province = ("某省条例\n第一条 为了持续优化营商环境，制定本条例。\n"
                "第二条 本省持续深化简政放权、放管结合、优化服务改革，最大限度减少政府对市场资源的直接配置，激发市场活力。\n"
                "第三条 县级以上人民政府应当建立健全优化营商环境工作机制，统筹推进本行政区域内优化营商环境工作。\n")
    links = align(national, province).alignments[0].links
    assert links and all(link.title_similarity is not None for link in links)
    assert {link.relation for link in links} >= {Relation.SAME, Relation.ADAPTED}
    for link in links:
        assert (link.relation is Relation.SAME) == (link.title_similarity >= 0.90), link
    # No titles were compared: the bracket names what was, the articles' whole texts.
    md = str(align(national, province).render("md"))
    assert "1.00（全文1.00） | 相同 |" in md and "（标题" not in md
