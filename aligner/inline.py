"""Lists written inside a sentence: how Chinese official texts enumerate named items.

A news summary or a plan's opening names its tasks in one sentence (明确实施A行动、B行动和C行动 /
实施A、B、C等六大工程 / 重点抓好A、B和C三项工作 / 包括A、B、C). A list is only taken when it is
introduced the way such lists are (a listing verb, or an action verb with a stated count or a
shared head noun) and its items look like named tasks (noun or verb phrases of some length, no
figures), so an ordinary sentence with 、 (regions, departments, adjectives) is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aligner import numbering
from aligner.lazy_re import lazy

_CN_COUNT = "[一二三四五六七八九十两]{1,3}"

# Verbs that introduce a list on their own (…明确A、B、C / 要求，A、B、C).
_ZHUAHAO = r"(?:重点|着力|全力|切实)?抓好"
_LIST_VERB = lazy(rf"(?:包括|包含|涵盖|提出了?|部署了?|明确了?|安排了?|涉及|要求|{_ZHUAHAO}|聚焦)")
_ADVERB = r"(?:全力|深入|大力|重点|着力|加快|扎实|全面|持续|积极|统筹|组织)?"
# Verbs that introduce a list only with a count or a shared head noun (实施A、B等六大工程).
_ACTION_VERB = lazy(rf"{_ADVERB}(?:实施|开展|推进|推动|启动|打造)")
# 从A、B、C等三个方面: the aspects a text is organised by, named in one phrase with their count.
_FROM_ASPECTS = lazy(
    rf"从(?!而|事|严|中|业|来|未|此|头|容|小|根本)(?P<list>[^,，。;；:：从]+?)等?(?P<n>\d{{1,3}}|{_CN_COUNT})(?:个|大)?方面"
)
# Where a list's stretch ends: any clause or sentence end.
_STRETCH_END = lazy(r"[,，。;；:：!！？?]")
# A stated count closing the stretch: 等六大工程 / 三项工作 / 6项任务 / 三个方面.
_COUNT_TAIL = lazy(
    rf"(?P<deng>等)?[“\"]?(?P<n>\d{{1,3}}|{_CN_COUNT})(?P<unit>大|项|个|类)?(?:重点|主要|重大)?"
    r"(?P<head>专项行动|行动|工程|工作|任务|举措|计划|项目|活动|方面|重点)?[”\"]?$"
)
# A second listing verb right after the first (要求重点抓好A、B): the same list's.
_SECOND_VERB = lazy(_ZHUAHAO)
# The noun that closes a list without a count (重点抓好A、B、C等工作).
_CLOSING_NOUN = lazy(r"等(?:重点|主要)?(?:工作|任务|举措|措施|内容|领域)$")
# Heads a list of named items shares (…行动、…行动和…行动).
_HEADS = ("专项行动", "行动", "工程", "计划", "项目", "活动", "工作")
_HEADS_RESTORED = ("行动", "工程", "计划", "工作", "专项行动")
# Words a task phrase starts with: the verbs policy texts use for what is to be done.
_POLICY_VERB = lazy(
    _ADVERB + r"(?:推进|推动|加快|加强|加大|支持|完善|实施|开展|强化|提升|建立|健全|深化|促进|落实|优化|培育|"
    r"扩大|保障|提高|构建|打造|发展|组织|搭建|规范|鼓励|引导|严格|创新|探索|坚持|统筹|增强|做好|抓好|夯实|"
    r"改善|巩固|拓展|畅通|建设|实行|严控|控制|降低|减少|淘汰|有序|稳步|着力|大力|积极|全面|持续|深入|全力|"
    r"用好|用足|落细|推广|推行|制定|出台|编制|修订)"
)
_CONNECTOR = lazy(r"以及|和|及|与")
# Verbs written after their object in action names (交通结构调整, 面源污染防治).
_TRAILING_VERB = lazy(r"(?:调整|优化|治理|防治|提升|整治|改造|升级|转型|建设)$")

_NOT_AN_ITEM = lazy(r"[\d０-９%％年月日]|^(?:等|其|该)")
# 各地区、各部门 name who acts, not what is done; 各地区梯次有序碳达峰行动 is a named item.
_WHO_ACTS = lazy(r"^各.{0,4}$")
_MIN_ITEM, _MAX_ITEM = 4, 40
# A clause item (《方案》要求，深化A，用好B、C和D) is a verb phrase that may carry its own list of
# objects, so it runs longer than an item of a 、-list (a noun phrase).
_MAX_CLAUSE_ITEM = 50
# Connectives and topic frames that open a sentence before its subject: 此外，《方案》提出… /
# 在政策支持上，《方案》明确…
_CONNECTIVE = lazy(r"\s*(?:此外|另外|同时|与此同时|其次|再次|最后|再者|另一方面|在[^,，。;；]{2,16}上)[,，]")
# 在A方面，… / A方面，… / 围绕A，… at the start of a paragraph: the topic of what follows.
_TOPIC = lazy(
    r"^(?:另外|此外|同时)?[,，]?(?:在?(?P<topic>[^,，。;；:：]{2,20}?)方面|围绕(?P<around>[^,，。;；:：]{2,20}?)(?<!目标|要求|部署|决策|任务|精神|主线|中心))[,，:：]"
)
_LEAD_COUNT = lazy(rf"(?P<n>\d{{1,3}}|{_CN_COUNT})(?:大|项|个|条|类)(?:重点|主要)?[^,，。;；:：]{{0,8}}[:：]?$")
# How a text mentions another task in passing instead of doing it: with / in step with it
# (与……统筹考虑, 配合做好……, 结合……, 同……相衔接).
_IN_PASSING = lazy(r"^(?:与|同|和|跟|配合|结合|参照|对接|衔接)|(?:统筹考虑|相衔接|相结合|相协调|相配套|相适应)$")


def mentions_in_passing(phrase: str) -> bool:
    """Whether a phrase only mentions a task (与提升城际通勤效率统筹考虑) rather than saying what to do."""
    return _IN_PASSING.search(phrase.strip()) is not None


def policy_object(phrase: str) -> str:
    """What a verb phrase of policy acts on: 优化交通结构 and 交通结构调整 both → 交通结构.
    Empty when too little is left to name anything."""
    rest = phrase
    while (verb := _POLICY_VERB.match(rest)) and verb.end() > 0:
        rest = rest[verb.end():]
    rest = _TRAILING_VERB.sub("", rest)
    return rest if len(rest) >= 2 else ""


@dataclass(frozen=True)
class Item:
    """One listed item: where it is written, and the shared head noun it lost, if any."""

    start: int
    end: int
    head: str = ""  # restored from …等六大工程: added after the item's own text
    body_end: int = 0  # where the item's body (after its title clause) ends; 0: it has none


@dataclass(frozen=True)
class InlineList:
    items: tuple[Item, ...]
    declared: int | None  # the count the sentence states, if any
    start: int
    end: int

    @property
    def count_mismatch(self) -> bool:
        return self.declared is not None and self.declared != len(self.items)


def _count(text: str) -> int | None:
    return numbering.cn_to_int(text)


def _parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The 、-separated parts of text[start:end], as offsets, a trailing 等 dropped."""
    parts, position = [], start
    for chunk in text[start:end].split("、"):
        chunk_end = position + len(chunk)
        if chunk.endswith("等"):
            chunk_end -= 1
        parts.append((position, chunk_end))
        position += len(chunk) + 1
    return parts


def _shared_head(texts: list[str]) -> str:
    return next((h for h in _HEADS if texts and all(t.endswith(h) for t in texts)), "")


def _split_last(text: str, parts: list[tuple[int, int]], declared: int | None) -> list[tuple[int, int]]:
    """Split the last part at its connector (…C和D) when the count or the items' shape says so.

    推进再制造和资源再生利用 stays one item: its second half is not shaped like the other items.
    """
    start, end = parts[-1]
    found = list(_CONNECTOR.finditer(text, start, end))
    if not found:
        return parts
    cut = found[-1]
    left, right = (start, cut.start()), (cut.end(), end)
    split = [*parts[:-1], left, right]
    if declared is not None:
        return split if len(split) == declared else parts
    others = [text[a:b] for a, b in parts[:-1]]
    halves = [text[a:b] for a, b in (left, right)]
    head = _shared_head(others)
    if head and _shared_head(halves) == head:
        return split
    if others and all(_POLICY_VERB.match(o) for o in others) and _POLICY_VERB.match(halves[1]):
        return split
    return parts


def _is_item(text: str, longest: int = _MAX_ITEM) -> bool:
    return _MIN_ITEM <= len(text) <= longest and not _NOT_AN_ITEM.search(text) and not _WHO_ACTS.match(text)


def _list_at(text: str, verb: re.Match[str], listing: bool) -> InlineList | None:
    """The list introduced by the verb, if the stretch after it is one."""
    begin = verb.end()
    if listing and begin < len(text) and text[begin] in ",，:：":
        begin += 1  # 要求，A、B、C
    again = _SECOND_VERB.match(text, begin)
    if again and begin == verb.end():
        begin = again.end()  # 要求重点抓好A、B: the second verb introduces the same list
    stop = _STRETCH_END.search(text, begin)
    end = stop.start() if stop else len(text)
    closing = _CLOSING_NOUN.search(text, begin, end)
    if closing:
        end = closing.start() + 1  # …C等工作: the list's closing noun is no part of C (等 is dropped later)
    tail = _COUNT_TAIL.search(text, begin, end)
    declared, head = None, ""
    if tail and (tail.group("unit") or tail.group("head")):
        declared = _count(tail.group("n"))
        if tail.group("deng") and tail.group("unit") == "大" and tail.group("head") in _HEADS_RESTORED:
            head = tail.group("head")
        end = tail.start()
    if "、" not in text[begin:end] and not (declared and _CONNECTOR.search(text, begin, end)):
        return None
    parts = _parts(text, begin, end)
    parts = _split_last(text, parts, declared)
    # 明确全力实施A行动、B行动: the first item carries the list's verb when the others do not.
    first = _ACTION_VERB.match(text, parts[0][0], parts[0][1])
    if first and len(parts) > 1 and not _POLICY_VERB.match(text, parts[1][0], parts[1][1]):
        parts[0] = (first.end(), parts[0][1])
    texts = [text[a:b] for a, b in parts]
    if len(parts) < 2 or not all(_is_item(t + (head if not t.endswith(head) else "")) for t in texts):
        return None
    if "的" in texts[-1] and not any("的" in t for t in texts[:-1]):
        return None  # 坚持A、B、C的工作原则: the parts qualify one noun, they are not items
    if not listing and declared is None and not _shared_head(texts):
        return None  # 推进A、B: an action verb lists only with a count or a shared head
    items = tuple(Item(a, b, head if head and not text[a:b].endswith(head) else "") for a, b in parts)
    return InlineList(items, declared, parts[0][0], end)


def _aspects_at(text: str, match: re.Match[str]) -> InlineList | None:
    """从A、B、C等三个方面(提出…): the aspects named, when each is shaped like an item."""
    declared = _count(match.group("n"))
    parts = _split_last(text, _parts(text, match.start("list"), match.end("list")), declared)
    texts = [text[a:b] for a, b in parts]
    if len(parts) < 2 or not all(_is_item(t) for t in texts):
        return None
    return InlineList(tuple(Item(a, b) for a, b in parts), declared, parts[0][0], match.end())


def find_lists(text: str) -> list[InlineList]:
    """The inline lists of a piece of text, in order, never overlapping."""
    found: list[InlineList] = []
    # True: a listing verb; False: an action verb (needs a count or a shared head); None: 从…方面.
    candidates: list[tuple[re.Match[str], bool | None]] = [(m, True) for m in _LIST_VERB.finditer(text)]
    candidates += [(m, False) for m in _ACTION_VERB.finditer(text)]
    candidates += [(m, None) for m in _FROM_ASPECTS.finditer(text)]
    candidates.sort(key=lambda c: (c[0].start(), c[1] is not True))
    taken_until = 0
    for verb, listing in candidates:
        if verb.start() < taken_until:
            continue
        inline = _aspects_at(text, verb) if listing is None else _list_at(text, verb, listing)
        if inline is not None:
            found.append(inline)
            taken_until = inline.end
    return found


# Where a run of clauses ends: a sentence end (a comma-separated list never crosses it).
_SENTENCE_END = lazy(r"[。;；!！？?]")
_CLAUSE_SEP = lazy(r"[,，]")


def _after_listing_verb(text: str, start: int, end: int) -> int | None:
    """Where the list begins when text[start:end] is a sentence opened by a listing verb after its
    subject (《方案》还明确，… / 此外，《方案》提出…), else None. A 要求 deep inside a sentence
    (按照……的总体要求，…) is a noun, and what follows it no list."""
    connective = _CONNECTIVE.match(text, start, end)
    subject = connective.end() if connective else start
    first_comma = _CLAUSE_SEP.search(text, subject, end)
    verb = _LIST_VERB.search(text, subject, first_comma.start() if first_comma else end)
    if verb is None:
        return None
    return verb.end() + (verb.end() < end and text[verb.end()] in ",，:：")


def clause_lists(text: str) -> list[InlineList]:
    """News copy lists measures as clauses of one sentence after a listing verb
    (《方案》还明确，加大A，用好B，保障C。), or as its ；-separated segments (明确，A，……；B，……。):
    every item a policy-verb phrase of item length. In a topic paragraph (在A方面，《方案》提出B。)
    one such clause is the topic's one item."""
    opening = _TOPIC.match(text)
    fewest = 1 if opening else 2
    start = opening.end() if opening else 0
    found = _segment_lists(text, start)
    covered = [(f.start, f.end) for f in found]
    for stop in [*_SENTENCE_END.finditer(text, start), None]:
        end = stop.start() if stop else len(text)
        begin = _after_listing_verb(text, start, end)
        if begin is not None and not any(a < end and begin < b for a, b in covered):  # a ；-segment list's own
            parts, position = [], begin
            for chunk in _CLAUSE_SEP.split(text[begin:end]):
                parts.append((position, position + len(chunk)))
                position += len(chunk) + 1
            if len(parts) >= fewest and all(_POLICY_VERB.match(text, a, b) and _is_item(text[a:b], _MAX_CLAUSE_ITEM)
                                            for a, b in parts):
                found.append(InlineList(tuple(Item(a, b) for a, b in parts), None, begin, end))
        if stop is None:
            break
        start = stop.end()
    return sorted(found, key=lambda f: f.start)


_SEGMENT_TRIM = " \t\u3000“”\"'‘’「」"


def _segment_lists(text: str, start: int) -> list[InlineList]:
    """《方案》明确，A，……；B，……；C，……。: after a listing verb that opens the sentence, each
    ；-separated segment is one item: its first clause the title, the rest its body."""
    found: list[InlineList] = []
    for sentence in re.finditer(r"[^。!！？?]+", text[start:]):
        begin_s, end_s = start + sentence.start(), start + sentence.end()
        if "；" not in text[begin_s:end_s] and ";" not in text[begin_s:end_s]:
            continue
        begin = _after_listing_verb(text, begin_s, end_s)
        if begin is None:
            continue
        items, position = [], begin
        for segment in re.split(r"[；;]", text[begin:end_s]):
            title = _CLAUSE_SEP.split(segment, maxsplit=1)[0]
            lead = len(title) - len(title.lstrip(_SEGMENT_TRIM))
            title = title.strip(_SEGMENT_TRIM)
            if title:  # a ； closing the sentence leaves an empty segment
                items.append(Item(position + lead, position + lead + len(title), body_end=position + len(segment)))
            position += len(segment) + 1
        if len(items) >= 2 and all(_opens_with_verb(text, i) and _is_item(text[i.start:i.end]) for i in items):
            found.append(InlineList(tuple(items), None, begin, end_s))
    return found


# A ；-segment's verb may follow a two-character modifier of manner or place (分类推进, 全域建设,
# 率先建立): the sentence already opened with a listing verb, so the segment is a task either way.
_SEGMENT_MODIFIER = 2


def _opens_with_verb(text: str, item: Item) -> bool:
    return any(_POLICY_VERB.match(text, item.start + skip, item.end) for skip in range(_SEGMENT_MODIFIER + 1))


def topic(text: str) -> tuple[int, int] | None:
    """Offsets of A in a paragraph that opens 在A方面，… (the subject of the list it leads)."""
    match = _TOPIC.match(text)
    if match is None:
        return None
    return match.span("topic") if match.group("topic") else match.span("around")


def lead_count(text: str) -> int | None:
    """The count a list's lead sentence states just before the list: …明确了三项重点：一是…"""
    match = _LEAD_COUNT.search(text.rstrip())
    return _count(match.group("n")) if match else None
