"""Paragraph-level alignment of articles, on small regulation texts written here (and, when
../shared is present, the development pair scored with the shared scorer)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from aligner.match import align
from aligner.model import Relation
from aligner.normalise import normalise
from aligner.parse import parse

SHARED = Path(__file__).resolve().parents[2] / "shared"

NATIONAL = """示例促进条例

第一章 总则

第一条 为了持续促进示例事业，保障示例主体合法权益，制定本条例。

第二条 本条例所称示例主体，是指依法开展示例活动的企业和其他组织。

第二章 登记与审批

第三条 国家建立示例登记制度，登记机关应当公布登记事项清单，清单之外不得要求示例主体办理登记。

第四条 国家推行示例审批告知承诺制，示例主体书面承诺符合审批条件的，审批机关应当当场作出审批决定。

第五条 国家建立示例档案电子化管理制度，示例档案应当在线查询、电子调取。

第三章 法律责任

第六条 政府和有关部门及其工作人员有下列情形之一的，依法依规追究责任：

（一）在登记事项清单之外要求示例主体办理登记；

（二）对书面承诺符合审批条件的示例主体不当场作出审批决定。

第七条 示例服务机构有下列情形之一的，由有关部门责令改正，依法追究法律责任：

（一）违法收取示例服务费用；

（二）强制示例主体接受示例服务。

第四章 附则

第八条 本条例自2020年1月1日起施行。
"""

PROVINCE = """某省示例促进条例

第一章 总则

第一条 为了优化本省示例发展环境，激发示例主体活力，根据有关法律、行政法规，结合本省实际，制定本条例。

第二条 本省行政区域内的示例促进活动，适用本条例。

第二章 登记与审批

第三条 登记机关应当编制并公布示例登记事项清单，清单之外不得要求示例主体办理登记。

审批机关应当推行示例审批告知承诺制，示例主体书面承诺符合审批条件的，审批机关应当当场作出审批决定。

第四条 省人民政府应当设立示例发展专项基金，支持山区县示例基础设施建设和人才培养。

第三章 法律责任

第五条 各级人民政府和有关部门及其工作人员有下列情形之一的，由上级机关责令改正；情节严重的，依法给予处分：

（一）在示例登记事项清单之外要求示例主体办理登记的；

（二）违法收取示例服务费用的。

第四章 附则

第六条 本条例自2021年3月1日起施行。
"""


def _alignment():
    national = parse(normalise("national.txt", NATIONAL))
    province = parse(normalise("province.txt", PROVINCE))
    result = align(national, province)
    n_number = {c.id: c.number for c in national.clauses}
    p_number = {c.id: c.number for c in province.clauses}
    links: dict[str, set[str]] = {}
    for link in result.links:
        links.setdefault(p_number[link.province], set()).add(n_number[link.national])
    return result, links, {p_number[a] for a in result.additions}


def test_an_article_links_to_every_national_rule_its_paragraphs_carry() -> None:
    _, links, _ = _alignment()
    assert links["第三条"] == {"第三条", "第四条"}


def test_purpose_and_effective_date_articles_align_by_role() -> None:
    _, links, _ = _alignment()
    assert links["第一条"] == {"第一条"}  # few shared words, same role
    assert links["第六条"] == {"第八条"}


def test_scope_is_not_a_definition_and_a_local_fund_is_an_addition() -> None:
    _, links, additions = _alignment()
    assert "第二条" in additions  # the national text has no scope article
    assert "第四条" in additions


def test_liability_links_to_the_same_liable_party_only() -> None:
    _, links, _ = _alignment()
    # its items restate wrongdoing from both national liability articles, but only the
    # government-staff article holds the same party liable; substantive articles are not linked
    assert links["第五条"] == {"第六条"}


def test_relations_are_graded_and_evidence_names_the_paragraphs() -> None:
    result, _, _ = _alignment()
    assert all(link.relation in (Relation.SAME, Relation.ADAPTED, Relation.PARTIAL) for link in result.links)
    assert all(link.evidence.province_sentence and link.evidence.national_sentence for link in result.links)
    assert {c.status.value for c in result.coverage} >= {"covered", "gap"}


def test_development_pair_scores_at_least_the_target(tmp_path: Path) -> None:
    corpus, gold = SHARED / "corpus", SHARED / "gold"
    scorer = SHARED / "tools" / "score_alignment.py"
    if not (corpus.exists() and gold.exists() and scorer.exists()):
        pytest.skip("../shared is not here")
    out = tmp_path / "o.json"
    with out.open("w", encoding="utf-8") as handle:
        subprocess.run(
            [sys.executable, "-m", "aligner", str(corpus / "yingshang_national.txt"),
             str(corpus / "yingshang_shandong.txt"), "-f", "json"],
            stdout=handle, check=True,
        )
    scored = subprocess.run(
        [sys.executable, str(scorer), str(out), str(gold / "yingshang_shandong.json"),
         "--national-keys", str(gold / "yingshang_national_keys.json")],
        capture_output=True, text=True, check=True,
    )
    figures = json.loads(scored.stdout.strip().splitlines()[-1])
    assert figures["tasks_found"] == figures["tasks_gold"] == 67
    assert figures["precision"] >= 0.90 and figures["f1"] >= 0.90 and figures["additions_f1"] >= 0.80
