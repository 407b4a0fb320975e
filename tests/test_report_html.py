"""HTML report: self-contained, hostile text escaped, every internal link resolves."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from report_fixtures import EVIL_SCRIPT, alignment, block_targets, empty_alignment, use_fake_targets

from aligner.report.html import anchor, highlight, render_html
from aligner.report.registry import RenderOptions, render_report


@pytest.fixture(autouse=True)
def _targets(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_targets(monkeypatch)


def soup_of(script: str = "original", al=None) -> tuple[str, BeautifulSoup]:  # type: ignore[no-untyped-def]
    text = render_html(al or alignment(), script)
    return text, BeautifulSoup(text, "html.parser")


def test_document_shell() -> None:
    text, soup = soup_of()
    assert text.startswith("<!DOCTYPE html>")
    assert soup.html["lang"] == "zh"
    assert soup.find("meta", charset="utf-8") is not None
    assert soup.title.string == "青海 — 青海省深入实施以人为本的新型城镇化战略五年行动计划实施方案"


def test_no_script_and_no_external_urls() -> None:
    text, soup = soup_of()
    assert soup.find_all("script") == []
    assert soup.find_all("link") == [] and soup.find_all("img") == [] and soup.find_all("iframe") == []
    assert "http" not in text.lower()
    assert "url(" not in text
    for tag in soup.find_all(True):
        assert not any(attr.startswith("on") for attr in tag.attrs), tag.name  # no event handlers


def test_hostile_text_is_escaped_and_still_readable() -> None:
    text, soup = soup_of()
    assert EVIL_SCRIPT not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    # the escaped text reads back as the original string
    gap = soup.find(id="n-3.2.2")
    assert EVIL_SCRIPT in gap.get_text()
    assert "plans/qinghai<x>.txt" in soup.get_text()
    assert "plans/qinghai<x>.txt" not in text


def test_every_anchor_resolves() -> None:
    _, soup = soup_of()
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    hrefs = [a["href"] for a in soup.find_all("a", href=True)]
    assert hrefs, "expected cross links"
    for href in hrefs:
        assert href.startswith("#"), href
        assert href[1:] in ids, href
    assert len(ids) == len(soup.find_all(id=True))  # ids are unique


def _rows(soup: BeautifulSoup) -> list:  # type: ignore[type-arg]
    return soup.select("table.rows tbody tr[data-national]")


def test_each_row_carries_both_sides_of_one_link() -> None:
    al = alignment()
    _, soup = soup_of(al=al)
    nat, prov = al.national.by_id(), al.province.by_id()
    pairs = []
    for tr in _rows(soup):
        cells = tr.find_all("td", recursive=False)
        assert [c["class"][0] for c in cells] == ["national", "status", "province", "score", "evidence"]
        if not tr.has_attr("data-province"):
            continue
        n, p = tr["data-national"], tr["data-province"]
        pairs.append((n, p))
        # read across the row: the national clause, its own numbering and line, and the provincial one
        assert nat[n].title.split(" ")[0] in cells[0].get_text() and f"(line {nat[n].line})" in cells[0].get_text()
        assert prov[p].title.split("\n")[0] in cells[2].get_text() and f"(line {prov[p].line})" in cells[2].get_text()
        link = next(l for l in al.links if (l.national, l.province) == (n, p))
        assert f"{link.score:.2f}" in cells[3].get_text() and link.relation.value in cells[3].get_text()
        assert link.evidence.province_sentence.split(" ")[0] in cells[4].get_text()
    assert sorted(pairs) == sorted((l.national, l.province) for l in al.links)  # every link, each once


def test_a_clause_with_two_counterparts_takes_two_rows_anchored_once() -> None:
    _, soup = soup_of()
    rows = [tr for tr in _rows(soup) if tr["data-national"] == "3.2.3"]
    assert [tr["data-province"] for tr in rows] == ["2.2", "2.1"]  # best first
    assert rows[0].find("td", class_="national")["id"] == "n-3.2.3"
    assert not rows[1].find("td", class_="national").has_attr("id") and "again" in rows[1]["class"]
    assert "强化产业发展人才支撑" in rows[1].find("td", class_="national").get_text()  # still readable across


def test_a_link_outside_tasks_and_actions_still_gets_its_row() -> None:
    from dataclasses import replace

    al = alignment()
    extra = replace(al.links[0], national="2.1", province="1.2")  # a provincial task ↔ a national section
    _, soup = soup_of(al=replace(al, links=[*al.links, extra]))
    row = soup.select_one('tr[data-national="2.1"][data-province="1.2"]')
    assert row is not None and "other" in row["class"]
    assert "发展方向" in row.find("td", class_="national").get_text()
    assert row.find_previous("tr", class_="group").get_text() == "Other links"


def test_a_gap_row_says_no_counterpart() -> None:
    _, soup = soup_of()
    gap = soup.find(id="n-3.2.2").parent
    assert "gap" in gap["class"] and not gap.has_attr("data-province")
    assert gap.find("td", class_="province").get_text() == "no counterpart found"
    zh = BeautifulSoup(str(render_report(alignment(), "html", RenderOptions())), "html.parser")
    assert zh.find(id="n-3.2.2").parent.find("td", class_="province").get_text() == "未见对应"


def test_print_keeps_every_column_on_a4_landscape() -> None:
    _, soup = soup_of()
    css = soup.style.get_text()
    assert "@page{size:A4 landscape" in css and "thead{display:table-header-group}" in css
    assert "table.rows{width:100%;table-layout:fixed}" in css
    assert len(soup.select("table.rows colgroup col")) == 5 == len(soup.select("table.rows thead th"))
    for tr in soup.select("table.rows tbody tr"):
        cells = tr.find_all(["td", "th"], recursive=False)
        assert sum(int(c.get("colspan", 1)) for c in cells) == 5


def test_statuses_coloured_with_legend() -> None:
    _, soup = soup_of()
    assert "covered" in soup.find(id="n-2.2.1").parent["class"]
    assert "partial" in soup.find(id="n-2.2.3").parent["class"]
    assert "gap" in soup.find(id="n-3.2.2").parent["class"]
    assert "addition" in soup.find(id="p-2.3")["class"]
    assert soup.find(id="p-2.3").find_parent(id="additions") is not None  # additions: their own section
    legend = soup.find(class_="legend").get_text()
    assert "✔ covered" in legend and "◐ partial" in legend and "✘ gap" in legend


def test_shared_terms_marked_in_both_plans() -> None:
    _, soup = soup_of(script="simplified")
    national = [m.get_text() for m in soup.find(id="n-2.2.1").find_all("mark")]
    province = [m.get_text() for m in soup.find(id="p-1.1").find_all("mark")]
    assert "户籍制度" in national and "户籍制度" in province
    assert soup.find(id="n-3.2.2").find("mark") is None  # a gap shares nothing


def test_marks_follow_traditional_script() -> None:
    _, soup = soup_of(script="traditional")
    assert "戶籍制度" in [m.get_text() for m in soup.find(id="n-2.2.1").find_all("mark")]


def test_summary_gaps_additions_warnings_targets() -> None:
    _, soup = soup_of()
    assert "4/6 covered, 1 partial, 1 gap (75.0%)" in soup.find(id="summary").get_text()
    gap_links = [a["href"] for a in soup.find(id="gaps").find_all("a")]
    assert gap_links == ["#n-3.2.2", "#n-3.3.1"]
    additions = soup.find(id="additions")
    assert additions.find(id="p-2.3") is not None
    assert "实施潜力地区城镇化水平提升行动" in additions.find("h3").get_text()
    warnings = [li.get_text() for li in soup.find(id="warnings").find_all("li")]
    assert f"line 77: could not parse {EVIL_SCRIPT}" in warnings
    cells = [td.get_text() for td in soup.find(id="targets").find_all("td")]
    assert cells[:3] == ["常住人口城镇化率", "接近70% (2029)", "65% (2029)"]


def test_targets_section_optional(monkeypatch: pytest.MonkeyPatch) -> None:
    block_targets(monkeypatch)
    _, soup = soup_of()
    assert soup.find(id="targets") is None


def test_empty_and_deterministic() -> None:
    _, soup = soup_of(al=empty_alignment())
    assert soup.find(id="warnings") is None
    assert len(soup.find(id="gaps").find_all("li")) == 8
    assert render_html(alignment(), "original") == render_html(alignment(), "original")


def test_highlight_escapes_around_marks() -> None:
    out = highlight("<b>户籍</b>制度 & 户籍", ["户籍"])
    assert out == "&lt;b&gt;<mark>户籍</mark>&lt;/b&gt;制度 &amp; <mark>户籍</mark>"
    assert highlight("a<b", ["<"]) == "a<mark>&lt;</mark>b"


def test_anchor_is_injective_and_attribute_safe() -> None:
    assert anchor("n", "2.2.1") == "n-2.2.1"
    weird = [anchor("p", x) for x in ['a"b', "a b", "a_b", "a_20_b", "一"]]
    assert len(set(weird)) == len(weird)
    assert all(re.fullmatch(r"p-[A-Za-z0-9._\-]+", w) for w in weird)
