"""Properties of the whole pipeline on arbitrary input: a file is either refused with an
InputError by `load_plan`, or it is compared and rendered in every format without error.

Arbitrary text almost never parses as a plan, so the text strategy also assembles documents
from plan-like fragments (numbering styles, titles, inline task lists, responsibility brackets,
traditional script with pinyin, mojibake), which is where the parser and renderers do real work.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rich.console import Console

from aligner.errors import InputError
from aligner.match import Thresholds
from aligner.model import Plan
from aligner.normalise import normalise
from aligner.parse import parse
from aligner.pipeline import align_plans, load_plan
from aligner.report import html, json_report, markdown, matrix, outline, tabular, terminal
from aligner.thesaurus import Thesaurus, load_thesaurus
from conftest import NATIONAL, PARTIAL, QINGHAI

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FRAGMENTS = [
    "青海省深入实施新型城镇化战略五年行动计划实施方案\n",
    "一、重点任务\n", "二、政策措施\n", "三、组织实施\n", "第一章 总则\n",
    "(一)实施新一轮农业转移人口市民化行动\n", "(二)\n", "1.进一步深化户籍制度改革。", "2、完善住房保障体系。\n",
    "一是加强组织领导,", "二是强化资金保障。", "①推进老旧小区改造\n", "- 项目清单\n",
    "包括深化户籍制度改革、完善住房保障、扩大社会保障3项重点任务,以及用地保障、资金保障等政策措施。",
    "(责任单位:省公安厅、省发展改革委)", "19项重点任务", "“6大行动”,39项重点任务。",
    "國(guó)家發(fā)展改革委", "?。ㄒ唬嵤┬", "全面放开城区常住人口300万以下城市落户限制,", "\n", " ", "《关于印发〈方案〉的通知》",
    "常住人口城镇化率提升至70%。", "<b>", "[/]", "=SUM(1)",
]
CHARACTERS = st.sampled_from(list("一二三四五六七八九十、。,;:()（）1234567890.是任务行动方案省?①·-#《》“”\n \t户籍改革"))
NOISE = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map("".join)
# Text without control characters: too many of them make a file binary, which load_plan refuses.
PRINTABLE = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=20)
PRINTABLE_NOISE = st.lists(st.one_of(st.sampled_from(FRAGMENTS), PRINTABLE), max_size=20).map("".join)
# A plan skeleton with arbitrary headings and bodies: passes load_plan, so the renderers run.
TASK = st.tuples(st.sampled_from(["(一)", "(二)", "1.", "2、", "一是", "①", "(3)"]),
                 PRINTABLE, PRINTABLE_NOISE).map(lambda t: f"{t[0]}{t[1]}。{t[2]}\n")
PLAN = st.tuples(st.sampled_from(FRAGMENTS[:1] + [""]), st.lists(TASK, min_size=1, max_size=8), PRINTABLE_NOISE).map(
    lambda t: t[0] + "一、重点任务\n" + "".join(t[1]) + t[2]
)
TEXT = st.one_of(st.one_of(st.text(max_size=300), st.lists(CHARACTERS, max_size=200).map("".join), NOISE), PLAN)
SCRIPTS = st.sampled_from(["original", "simplified", "traditional"])


@pytest.fixture(scope="module")
def national() -> Plan:
    return load_plan(NATIONAL)


@pytest.fixture(scope="module")
def thesaurus() -> Thesaurus:
    return load_thesaurus()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for all examples: hypothesis runs many examples per test function."""
    return tmp_path_factory.mktemp("examples")


def _all_renderers(national: Plan, thesaurus: Thesaurus, path: Path, explain: bool, script: str) -> None:
    """load_plan may refuse the file; nothing after it may raise."""
    try:
        province = load_plan(path)
    except InputError:
        event("refused by load_plan")
        return
    event("compared and rendered")
    alignment = align_plans(national, province, thesaurus, Thresholds())
    json_report.render_json(national, [alignment])
    markdown.render_markdown(alignment, explain, script)
    tabular.render_csv(alignment, script)
    tabular.render_xlsx(alignment, script)
    assert "<script" not in html.render_html(alignment, script).lower()
    terminal.render_terminal(alignment, Console(file=io.StringIO(), width=80), explain, script)
    columns = [matrix.matrix_columns_from(alignment), matrix.MatrixColumn.failed("坏", "is empty")]
    matrix.render_matrix_markdown(national, columns)
    matrix.render_matrix_csv(national, columns)
    matrix.render_matrix_html(national, columns)
    matrix.render_matrix_terminal(national, columns, Console(file=io.StringIO(), width=80))
    outline.render_outline_json(province)
    outline.render_outline(province, Console(file=io.StringIO(), width=80))


@SETTINGS
@given(text=TEXT, suffix=st.sampled_from([".txt", ".md", ".html"]), explain=st.booleans(), script=SCRIPTS)
def test_any_text_is_refused_cleanly_or_fully_reported(national, thesaurus, scratch, text, suffix, explain, script):
    path = scratch / f"province{suffix}"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    _all_renderers(national, thesaurus, path, explain, script)


@SETTINGS
@given(data=st.one_of(st.binary(max_size=600),
                     st.tuples(TEXT, st.sampled_from(["gb18030", "big5", "utf-16", "utf-8-sig"]))
                     .map(lambda t: t[0].encode(t[1], "replace")),
                     st.tuples(PLAN.map(str.encode), st.binary(max_size=6), st.integers(0, 400))
                     .map(lambda t: t[0][: t[2]] + t[1] + t[0][t[2]:])),
       suffix=st.sampled_from([".txt", ".txt", ".htm", ".docx", ".pdf"]), script=SCRIPTS)
def test_any_bytes_are_refused_cleanly_or_fully_reported(national, thesaurus, scratch, data, suffix, script):
    path = scratch / f"bytes{suffix}"
    path.write_bytes(data)
    _all_renderers(national, thesaurus, path, False, script)


# Responsibility brackets (（责任单位：…）) are cut out of a clause before its title is taken, so a
# title can join the text on both sides of one; the text is compared with them removed as well.
_UNITS = re.compile(r"\(\s*(?:责任单位|牵头单位|责任部门|牵头部门|责任主体)\s*[:：][^()]*(?:\)|$)")


def _squash(text: str) -> str:
    return re.sub(r"\s", "", text)


def _titles_are_in_the_text(text: str) -> None:
    clean = normalise("plan.txt", text)
    plan = parse(clean)
    joined = "\n".join(line.simplified for line in clean.lines)
    plain, without_units = _squash(joined), _squash(_UNITS.sub("", joined))
    for clause in plan.clauses:
        title = _squash(clause.title)
        assert title in plain or title in without_units, (clause.id, clause.title)


@SETTINGS
@given(text=TEXT)
def test_clause_titles_come_from_the_document(text):
    _titles_are_in_the_text(text)


@pytest.mark.parametrize("path", [NATIONAL, QINGHAI, *sorted(PARTIAL.glob("*.txt"))], ids=lambda p: p.name)
def test_real_plans_titles_come_from_the_document(path):
    _titles_are_in_the_text(path.read_text(encoding="utf-8"))
