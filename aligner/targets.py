"""Quantitative targets a plan states (常住人口城镇化率提升至接近70% …) and pairing them across plans.

Targets are the one part of a plan that can be compared exactly, so reports show the national
figure next to the provincial one. Extraction works on simplified-script lines and is purely
pattern based: "<indicator><verb><value>" where the value is a number with % or a unit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from .lazy_re import lazy
from .model import Target

PAIR_THRESHOLD = 70.0
_MIN_CONTAINED = 3  # a shorter indicator must have this many characters to pair by containment

# Longest first so 提升至 is not read as 提升 + 至….
_VERBS = ("提升至", "提升到", "提高到", "提高至", "增加到", "增加至", "增长到", "增长至", "降低到", "降低至",
          "下降到", "下降至", "保持在", "控制在", "稳定在", "不低于", "不少于", "达到", "超过", "降至", "增至")
# Verbs whose meaning is part of the value: "超过70%" is not the same target as "达到70%".
_VERB_QUALIFIERS = ("超过", "不低于", "不少于")
_UNITS = (
    "个百分点", "%", "％", "‰",
    "平方公里", "平方米", "公里", "千米", "米",
    "万人次", "人次", "万人", "亿人", "人",
    "万套", "套", "万户", "户", "万亩", "亩", "万元", "亿元", "元",
    "万个", "个", "万家", "家", "所", "座", "张", "辆", "万吨", "吨", "项", "处", "条", "台", "床", "岁", "倍",
)
_NUMBER = r"\d+(?:\.\d+)?(?:\s*[-~～—至]\s*\d+(?:\.\d+)?)?"
_TARGET = lazy(
    "(?P<verb>" + "|".join(map(re.escape, _VERBS)) + ")"
    r"(?P<value>(?:接近|超过|约|近|不低于|不少于)?"
    + _NUMBER
    + "(?:" + "|".join(map(re.escape, _UNITS)) + ")"
    + r"(?:左右|以上|以下|以内|上下)?)"
)
_CLAUSE_BREAK = lazy(r"[,，、;；:：。!！?？\n()（）《》“”\"]")
_SENTENCE = lazy(r"[^。!！?？;；\n]+")
_YEAR = lazy(r"(?:\d{4}\s*[-—~～至]\s*)?(?P<year>(?:19|20)\d{2})\s*年")
_SPAN_YEARS = lazy(r"经过\s*(?P<n>\d+|[一二三四五六七八九十]+)\s*年")
_LEADING_NOISE = lazy(
    r"^(?:(?:到|至|在|于)?(?:19|20)\d{2}年(?:底|末)?(?:前)?|经过\d+年(?:的)?(?:努力|时间)?"
    r"|提出|明确|力争|努力|争取|确保|推动|促进|实现|预计|其中|同时|以及|将)"
)
_TRAILING_NOISE = lazy(r"(?:稳步|逐步|进一步|持续|明显|显著|有望|力争|争取|努力|将|(?<!人)均|分别|基本)$")
_FILLER = ("全省", "全国", "全市", "全区", "常住地")
_MIN_INDICATOR = 2


def extract_targets(lines: Sequence[tuple[int, str]]) -> list[Target]:
    """All "<indicator><verb><number+unit>" statements, deduplicated, in document order."""
    found: list[Target] = []
    seen: set[tuple[str, str]] = set()
    for number, text in lines:
        for sentence in _SENTENCE.finditer(text):
            for target in _sentence_targets(sentence.group(), number):
                key = (target.indicator, target.value)
                if key not in seen:
                    seen.add(key)
                    found.append(target)
    return found


def _sentence_targets(sentence: str, line: int) -> list[Target]:
    targets: list[Target] = []
    for match in _TARGET.finditer(sentence):
        indicator = _indicator(sentence[: match.start()])
        if len(indicator) < _MIN_INDICATOR:
            continue
        verb, value = match.group("verb"), match.group("value")
        if verb in _VERB_QUALIFIERS and not value.startswith(verb):
            value = verb + value
        targets.append(Target(indicator=indicator, value=value, year=_year(sentence, match.start()), line=line))
    return targets


def _indicator(before: str) -> str:
    """The noun phrase right before the verb: the clause tail, minus time phrases and adverbs."""
    clause = _CLAUSE_BREAK.split(before)[-1].strip()
    previous = None
    while previous != clause:
        previous = clause
        clause = _LEADING_NOISE.sub("", clause).strip()
        clause = _TRAILING_NOISE.sub("", clause).strip()
    return _drop_filler(clause)


def _drop_filler(phrase: str) -> str:
    """全省/全国… only scope the indicator; drop them when a real indicator remains."""
    for filler in _FILLER:
        rest = phrase[len(filler):]
        if phrase.startswith(filler) and len(rest) >= 4:
            return rest
    return phrase


def _year(sentence: str, position: int) -> str:
    """The year mention nearest the target in its sentence: "2030", or "5年" for 经过5年的努力.

    Plans put the year first (到2030年,…达到…), so a mention before the target wins over one after
    it, which usually starts the next goal (…,2035年全面实现).
    """
    mentions: list[tuple[int, str]] = [(m.start("year"), m.group("year")) for m in _YEAR.finditer(sentence)]
    mentions += [(m.start(), m.group("n") + "年") for m in _SPAN_YEARS.finditer(sentence)]
    before = [mention for mention in mentions if mention[0] < position]
    if before:
        return max(before)[1]
    return min(mentions)[1] if mentions else ""


def pair_targets(
    national: list[Target], province: list[Target]
) -> list[tuple[Target | None, Target | None]]:
    """Pair targets by indicator, best matches first; national order, then unpaired provincial ones."""
    candidates = sorted(
        (-score, -fuzz.ratio(nat.indicator, prov.indicator), n, p)
        for n, nat in enumerate(national)
        for p, prov in enumerate(province)
        if (score := indicator_similarity(nat.indicator, prov.indicator)) >= PAIR_THRESHOLD
    )
    partner: dict[int, int] = {}
    taken: set[int] = set()
    for _, _, n, p in candidates:
        if n not in partner and p not in taken:
            partner[n] = p
            taken.add(p)
    pairs: list[tuple[Target | None, Target | None]] = [
        (nat, province[partner[n]] if n in partner else None) for n, nat in enumerate(national)
    ]
    pairs.extend((None, prov) for p, prov in enumerate(province) if p not in taken)
    return pairs


def indicator_similarity(a: str, b: str) -> float:
    """0..100; containment counts as a full match (城镇化率 ⊂ 常住人口城镇化率)."""
    if not a or not b:
        return 0.0
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= _MIN_CONTAINED and shorter in longer:
        return 100.0
    return float(fuzz.ratio(a, b))
