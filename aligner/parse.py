"""Clean lines → plan tree: numbered clauses nested by the numbering styles the document uses.

Levels are not fixed per style: a style seen for the first time opens a level below the current
one, a style already open closes everything below it. That handles documents that skip levels or
number on across sections (（六） under 三、), and any order of styles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from aligner import articles, headings, inline, numbering
from aligner.lazy_re import lazy
from aligner.model import Clause, CleanText, Kind, Line, Plan
from aligner.package_data import read_data

_CN = numbering.CN_NUMERAL
cn_to_int = numbering.cn_to_int  # re-exported: the one numeral reader of the whole parser

_TITLE_END = lazy(r"[。;!！？]")
_SHI_TITLE_END = lazy(r"[。;!！？,，:：]")

_UNITS = lazy(r"\(\s*(?:责任单位|牵头单位|责任部门|牵头部门|责任主体)\s*[:：]([^()]*)(?:\)|$)")

# Inline enumerations: 包括A、B、C 5项重点任务 / 提出A、B…6项任务，以及D、E.
_ENUM_VERB = r"(?:包括|提出了?|包含|涵盖|部署了?|明确了?|安排了?|涉及)"
_ENUM = lazy(
    rf"{_ENUM_VERB}(?P<list>[^。;:：]*?)(?P<n>\d{{1,3}}|{_CN})项(?P<what>(?:重点|主要)?任务|重点工作|举措|工程)"
)
_ENUM_TAIL = lazy(r"^[,，]?\s*(?:以及|及|和|并)(?P<list>[^。;]+)")
_GENERIC_MEASURE = lazy(r"(?:等|的)?(?:有关|相关|配套)?(?:政策措施|政策举措|保障措施)$")

# Counts a document declares about itself: 4项重大行动、19项重点任务 / “6大行动”,39项重点任务.
_DECLARED_ACTIONS = lazy(rf"(\d{{1,3}}|{_CN})\s*(?:项重大|大|项|个)\s*行动")
_CENTRAL_DOCUMENT = lazy(r"(?:国务院|中共中央|党中央)[^。；;,，]{0,30}?(?:印发|出台|发布|制定)[^。；;,，]{0,4}《")
_DECLARED_TASKS = lazy(rf"(\d{{1,3}}|{_CN})\s*项(?:重点|主要)任务")

_PLAN_TITLE = lazy(r"(方案|计划|规划|意见|措施|办法|纲要|要点)$")
_QUOTED_TITLE = lazy(r"《([^《》]{6,80})》")


@dataclass
class Piece:
    """A run of text that starts a clause (marker set) or continues the one before (marker None)."""

    line: Line
    original: str
    simplified: str
    style: str | None = None
    label: str = ""
    value: int | None = None
    at_line_start: bool = False  # False for a clause split off inside a paragraph (…。一是…)


@dataclass
class Node:
    """A clause while the tree is being built."""

    piece: Piece
    body: list[Piece] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None
    enumerated: str | None = None  # "task" / "measure" for items found in an inline list
    paragraph: bool = False  # an unnumbered paragraph promoted to a clause (policy measures)
    group: bool = False  # a news paragraph's topic (在A方面，…) over the list it leads


def _split_inline(text: str) -> list[int]:
    """Offsets where a numbered clause starts inside a line (besides offset 0).

    Linear in the line's length: markers are matched in place, never on a copy of the rest.
    """
    starts: list[int] = []
    last_value: dict[str, int] = {}
    head = numbering.match_marker(text)
    if head:
        value = numbering.value_of(head[1])
        if value is not None:
            last_value[head[0].name] = value
    candidates = [m.start() for m in numbering.INLINE_CANDIDATE.finditer(text)]
    for offset in candidates:
        if offset <= 0 or offset >= len(text):
            continue
        found = numbering.match_marker(text, inline_only=True, pos=offset)
        if not found:
            continue
        style, match = found
        before = text[offset - 1]
        if style.name != "cn-shi" and before in ",，":
            continue
        value = numbering.value_of(match)
        if value is None:
            continue
        expected = last_value.get(style.name, 0) + 1
        # Only a sequence counts: 一是…二是…, (一)…(二)…; a lone "3." in a sentence is not a clause.
        if value != expected:
            continue
        if style.name == "ar-dot" and not text[match.end() : match.end() + 1].strip():
            continue
        last_value[style.name] = value
        starts.append(offset)
    return starts


def _pieces(lines: tuple[Line, ...]) -> list[Piece]:
    pieces: list[Piece] = []
    for line in lines:
        simplified, original = line.simplified, line.original
        same_length = len(simplified) == len(original)
        offsets = [0, *_split_inline(simplified), len(simplified)]
        for start, end in zip(offsets, offsets[1:]):
            part_s = simplified[start:end].strip()
            part_o = original[start:end].strip() if same_length else part_s
            if not part_s:
                continue
            piece = Piece(line=line, original=part_o, simplified=part_s, at_line_start=start == 0)
            found = numbering.match_marker(part_s)
            if found:
                style, match = found
                piece.style = style.name
                piece.label = part_s[: match.end()].strip()
                piece.value = numbering.value_of(match)
                piece.simplified = part_s[match.end() :].strip()
                piece.original = part_o[match.end() :].strip() if same_length else piece.simplified
            previous = pieces[-1] if pieces else None
            if (
                previous is not None
                and previous.style is not None
                and previous.at_line_start
                and not previous.simplified
                and piece.style is None
                and piece.at_line_start
            ):
                # A number alone on its line ("（一）" then "推进甲"): the next line is its heading.
                # The clause keeps the heading's line, where its title can be found.
                previous.simplified, previous.original, previous.line = piece.simplified, piece.original, line
                continue
            pieces.append(piece)
    return pieces


def _is_title_line(piece: Piece) -> bool:
    """A line that names a plan on its own: short, unnumbered, ends in 方案/计划/…, no sentence in it.

    The notice line (关于印发《…》的通知) is not the title, and neither are short headings such as
    保障措施 that end in the same words.
    """
    text = piece.simplified
    return (
        piece.style is None
        and piece.at_line_start
        and 6 <= len(text) <= 80
        and bool(_PLAN_TITLE.search(text))
        and not re.search(r"[,，。;；:：!！？]", text)
        and "关于印发" not in text
    )


def _title_index(pieces: list[Piece]) -> int | None:
    """The title line that precedes the plan, if there is one.

    Only lines before the first line that opens with a number count: after that we are inside the
    plan, where a line like 重点项目建设实施方案 is a sub-heading or an attachment, not the title.
    Numbers split off inside a news paragraph (…。一是…) do not open a line, so a news report
    quoting the plan before its title does not hide the title.
    """
    for index, piece in enumerate(pieces):
        if piece.style is not None and piece.at_line_start:
            return None
        if _is_title_line(piece):
            return index
    return None


def _plan_start(pieces: list[Piece]) -> int:
    """Index of the first piece of the plan proper; what comes before is notice, news or preamble.

    The plan starts after its title line when there is one, so numbered items in a news report or
    notice before the title (一是…二是…) are not taken for clauses. Then the outermost numbering
    style present wins: 第一章 before 一、 before anything else; bullets only when nothing else is
    numbered.
    """
    title = _title_index(pieces)
    begin = 0 if title is None else title + 1
    for wanted in (("chapter",), ("cn-comma",)):
        for index in range(begin, len(pieces)):
            if pieces[index].style in wanted:
                return index
    for index in range(begin, len(pieces)):
        if pieces[index].style not in (None, "bullet"):
            return index
    for index in range(begin, len(pieces)):
        if pieces[index].style is not None:
            return index
    return begin


def _build_tree(pieces: list[Piece]) -> list[Node]:
    roots: list[Node] = []
    stack: list[Node] = []  # open numbered clauses, outermost first
    for piece in pieces:
        if piece.style is None:
            if stack:
                stack[-1].body.append(piece)
            continue
        depth = next((i for i, node in enumerate(stack) if node.piece.style == piece.style), None)
        rank = numbering.rank(piece.style)
        if rank is not None:  # 编/章/节/条 close every open level of their rank or below
            ranked = (i for i, node in enumerate(stack) if (numbering.rank(node.piece.style) or -1) >= rank)
            depth = next(ranked, depth)
        if depth is not None:
            del stack[depth:]
        node = Node(piece=piece, parent=stack[-1] if stack else None)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def _is_running_text(pieces: list[Piece]) -> bool:
    """News copy and plan openings: no line opens with a number; what lists there is sits inside
    paragraphs (A、B等六大工程, …：一是…；二是…). News puts a run's 一是… lines each on a line of
    their own after a lead (……部署了四项举措：): such runs do not make the text a numbered plan, but
    a 工作要点 numbered by 一是/二是 lines alone (bodies on the lines between) is one."""
    previous: Piece | None = None
    for piece in pieces:
        if piece.at_line_start and piece.style is not None and not (
            piece.style == "cn-shi" and previous is not None and _continues_run([previous], piece)
        ):
            return False
        previous = piece
    return bool(pieces)


def _continues_run(paragraph: list[Piece], piece: Piece) -> bool:
    """A line opening 二是… carries on the run of the paragraph before (or the lead ending in ：
    that announces it); a 一是 starts a run of its own."""
    if piece.style != "cn-shi" or not paragraph:
        return False
    last = paragraph[-1]
    if last.simplified.rstrip().endswith(("：", ":")):
        return True
    return last.style == "cn-shi" and piece.value != 1


def _running_tree(pieces: list[Piece]) -> tuple[list[Node], list[str]]:
    """Paragraph by paragraph, the items each one lists; a paragraph that lists nothing is context."""
    paragraphs: list[list[Piece]] = []
    for piece in pieces:
        if (piece.at_line_start and not (paragraphs and _continues_run(paragraphs[-1], piece))) or not paragraphs:
            paragraphs.append([piece])
        else:
            paragraphs[-1].append(piece)
    nodes: list[Node] = []
    warnings: list[str] = []
    for paragraph in paragraphs:
        found, notes = _paragraph_items(paragraph)
        nodes.extend(found)
        warnings.extend(notes)
    return nodes, warnings


def _paragraph_items(paragraph: list[Piece]) -> tuple[list[Node], list[str]]:
    """The lists of one paragraph: inline lists in its lead, then each 一是… run (its own list).

    A lead 在A方面，… over a list becomes the group A holding the items; without a list it says nothing.
    """
    lead_end = next((i for i, p in enumerate(paragraph) if p.style is not None), len(paragraph))
    lead, numbered = paragraph[:lead_end], paragraph[lead_end:]
    holder = Node(piece=lead[0]) if lead else None
    items: list[Node] = []
    warnings: list[str] = []
    for piece in lead:
        listed = _enumerations_in(holder, piece)  # type: ignore[arg-type]
        items.extend(listed if listed else _clause_items(holder, piece))  # type: ignore[arg-type]
        for found in inline.find_lists(piece.simplified):
            if found.count_mismatch:
                warnings.append(
                    f"line {piece.line.number}: a list declares {found.declared} items, {len(found.items)} were found"
                )
    runs = _build_tree(numbered)
    if runs and lead:
        declared = inline.lead_count(lead[-1].simplified)
        if declared is not None and declared != len(runs):
            warnings.append(f"line {lead[-1].line.number}: a list declares {declared} items, {len(runs)} were found")
    items.extend(runs)
    span = inline.topic(lead[0].simplified) if lead and items else None
    if span is None:
        for item in items:
            item.parent = None
        return items, warnings
    first = lead[0]
    original = first.original if len(first.original) == len(first.simplified) else first.simplified
    title = Piece(line=first.line, original=original[span[0] : span[1]], simplified=first.simplified[span[0] : span[1]])
    group = Node(piece=title, children=items, group=True)
    for item in items:
        item.parent = group
    return [group], warnings


def _split_title(text: str, style: str | None) -> tuple[str, str]:
    """The heading sentence and the rest. 一是-items end their heading at a comma too; an article
    runs on, so its head is cut short (articles.split_head)."""
    if style == articles.ARTICLE_STYLE:
        return articles.split_head(text)
    end = (_SHI_TITLE_END if style == "cn-shi" else _TITLE_END).search(text)
    title, rest = (text, "") if end is None else (text[: end.start()], text[end.end() :].strip())
    return _run_on_head(title.rstrip(":："), rest)


# A heading sentence longer than this runs on: reprints and summaries put a whole task on one
# line (3.深化户籍制度改革，探索……，推动……). Plan headings are verb phrases of 6–20 characters;
# the longest real two-part headings (深化城市建设、运营、治理体制改革，加快转变城市发展方式: 27) stay whole.
RUN_ON_TITLE_CHARS = 30
_CLAUSE_END = lazy(r"[,，:：;；]")
_MIN_HEAD_CHARS = 4  # a first clause shorter than this (为此，/ 一是，) is no heading
_HEAD_COLON = lazy(r"[:：](?=.)")


def _run_on_head(title: str, rest: str) -> tuple[str, str]:
    """A run-on item's title is its first clause; the rest of the sentence joins the body.
    A colon inside the sentence always closes the heading (推进……降碳：实施……)."""
    colon = _HEAD_COLON.search(title, _MIN_HEAD_CHARS)
    if colon is not None:
        tail = title[colon.end() :].strip()
        return title[: colon.start()], f"{tail}。{rest}" if rest else tail
    if len(title) <= RUN_ON_TITLE_CHARS:
        return title, rest
    for end in _CLAUSE_END.finditer(title):
        if end.start() >= _MIN_HEAD_CHARS:
            tail = title[end.end() :].strip()
            return title[: end.start()], f"{tail}。{rest}" if rest else tail
    return title, rest


def _extract_units(text: str) -> tuple[str, list[str]]:
    """Responsible units named in （责任单位：…）, removed from the text."""
    units: list[str] = []

    def take(match: re.Match[str]) -> str:
        listed = re.split(r"[。]", match.group(1))[0]
        for unit in re.split(r"[,，、;；]", listed):
            unit = unit.strip()
            if unit and unit not in units:
                units.append(unit)
        return ""

    return _UNITS.sub(take, text).strip(), units


def _plain(title: str) -> str:
    return re.sub(r"[\s“”\"'‘’《》。,，:：;；!！？]", "", title)


def _listed(match: re.Match[str]) -> list[str]:
    return [x for x in match.group("list").split("、") if x.strip()]


def _enumerations(node: Node, general: bool = True) -> list[Node]:
    """Items listed inline in a clause's text become child clauses (tasks, then measures).

    Piece by piece, so each item keeps the line it is written on (a list is never split across
    pieces: neither pattern crosses a 。).
    """
    items: list[Node] = []
    for piece in (node.piece, *node.body):
        items.extend(_enumerations_in(node, piece, general))
    return items


def _new_items(node: Node, items: list[Node]) -> list[Node]:
    """`items` listed in a part's lead, less those that only preview the part's numbered clauses.

    Plans announce their sub-items before writing them out (三、重点任务 / 重点实施A行动、B行动……等
    “十大行动”。/ （一）A行动 …): an item that is the heading of a numbered clause below would count
    that task twice; one written out nowhere else stays.
    """
    numbered = [_plain(_heading(child)) for child in node.children if not child.enumerated]
    if len(numbered) < 2 or not items:
        return items
    return [item for item in items if not any(_restates(_plain(_heading(item)), h) for h in numbered)]


def _restates(item: str, heading: str) -> bool:
    """Whether a listed item names a numbered heading (one contains the other, ignoring a 。)."""
    return bool(item) and bool(heading) and (item in heading or heading in item)


def _enumerations_in(node: Node, source: Piece, general: bool = True) -> list[Node]:
    """The counted lists of the seed phrasing (包括A、B 5项重点任务); else, where the clause may hold
    tasks (`general`), the lists of any common phrasing."""
    text = source.simplified
    # Items are found in the simplified text and shown in the author's script: same offsets when
    # script conversion kept the length (it almost always does), else the simplified form.
    original = source.original if len(source.original) == len(text) else text
    items: list[Node] = []
    if not _ENUM.search(text):
        if not general:
            return []
        # Lists of named items first; else the clauses a listing verb opens (明确，加大A；用好B).
        return _general_lists(node, source, original) or _clause_items(node, source)
    for match in _ENUM.finditer(text):
        listed = _listed(match)
        if len(listed) < 2 and cn_to_int(match.group("n")) != 1:
            continue  # 包括“6大行动”,39项重点任务 is a total, not a list
        items.extend(_items(node, source, original, match.start("list"), match.end("list"), "task"))
        tail = _ENUM_TAIL.match(text[match.end() :])
        if not tail:
            continue
        measures = tail.group("list").strip()
        if "、" not in measures and not re.search(r"等(?:有关|相关|配套)?政策措施$", measures):
            continue  # 和支持都市圈建设的政策措施: a generic mention, not a list
        start = match.end() + tail.start("list")
        end = start + len(_GENERIC_MEASURE.sub("", tail.group("list").rstrip()))
        items.extend(_items(node, source, original, start, end, "measure"))
    return items


def _general_lists(node: Node, source: Piece, original: str) -> list[Node]:
    """Items of the lists aligner.inline finds (实施A、B等六大工程, 明确A行动、B行动和C行动, 包括A、B)."""
    items = []
    for found in inline.find_lists(source.simplified):
        for item in found.items:
            simplified = source.simplified[item.start : item.end] + item.head
            written = original[item.start : item.end] + item.head
            items.append(_enumerated(node, source, simplified, written, "task"))
    return items


def _clause_items(node: Node, source: Piece) -> list[Node]:
    """Items news copy writes as the clauses of one sentence (aligner.inline.clause_lists), each
    with its body when the list gives one (明确，A，a；B，b。)."""
    text = source.simplified
    original = source.original if len(source.original) == len(text) else text
    out = []
    for found in inline.clause_lists(text):
        for item in found.items:
            enumerated = _enumerated(node, source, text[item.start : item.end], original[item.start : item.end], "task")
            body = text[item.end : item.body_end].lstrip(",，").strip()
            if body:
                written = original[item.end : item.body_end].lstrip(",，").strip()
                enumerated.body.append(Piece(line=source.line, original=written, simplified=body))
            out.append(enumerated)
    return out


def _items(node: Node, source: Piece, original: str, start: int, end: int, kind: str) -> list[Node]:
    """The 、-separated items of the source text between two offsets, with their original form."""
    out = []
    position = start
    for part in source.simplified[start:end].split("、"):
        part_original = original[position : position + len(part)]
        position += len(part) + 1
        simplified, written = re.sub(r"等$", "", part), re.sub(r"等$", "", part_original)
        if simplified.strip():
            out.append(_enumerated(node, source, simplified, written, kind))
    return out


def _unquote(item: str) -> str:
    """Trim list debris around an item, keeping quotes that belong to it (统筹推进“三大工程”)."""
    item = re.sub(r"^(了|的|有|等)", "", item.strip()).strip(" ,，")
    if item.startswith("“") and "”" not in item:
        item = item[1:]
    if item.endswith("”") and "“" not in item:
        item = item[:-1]
    return item


def _enumerated(parent: Node, source: Piece, item: str, written: str, kind: str) -> Node:
    item, written = _unquote(item), _unquote(written)
    piece = Piece(line=source.line, original=written if len(written) == len(item) else item, simplified=item)
    return Node(piece=piece, parent=parent, enumerated=kind)


@dataclass(frozen=True)
class _Context:
    kind: str  # "top", "tasks", "measures", "other", "inside-task"
    under_action: bool = False
    beside_tasks: bool = False  # a sibling is the document's task section (四、主要任务)


def _heading(node: Node) -> str:
    return _plain(_split_title(node.piece.simplified, node.piece.style)[0])


def _says_nothing(node: Node) -> bool:
    """A bare marker (一、 （一） 1. with no words) over nothing but bare markers."""
    return not node.piece.simplified and not node.body and all(_says_nothing(child) for child in node.children)


def _has_deeper_level(node: Node, ctx: _Context) -> bool:
    """Numbered clauses below the node, or (where lists are read) tasks listed in its text."""
    if any(not child.enumerated for child in node.children):
        return True
    return bool(node.children) or (ctx.kind in ("top", "tasks") and bool(_enumerations(node)))


def _classify(node: Node, ctx: _Context) -> tuple[Kind, _Context]:
    """A clause's kind from its heading words, its place, and whether it has numbered children."""
    if _says_nothing(node):
        return Kind.OTHER, _Context("other")  # a task must say something: markers alone are no plan
    return _by_origin(node, ctx) or _by_heading(node, ctx, _heading(node)) or _by_structure(node, ctx)


def _by_origin(node: Node, ctx: _Context) -> tuple[Kind, _Context] | None:
    """Items found in an inline list, and whatever lies inside a part already classified."""
    if node.enumerated == "measure":
        return Kind.MEASURE, _Context("other")
    if node.enumerated == "task":
        return Kind.TASK, _Context("inside-task")
    if ctx.kind in ("other", "inside-task"):
        return Kind.OTHER, _Context(ctx.kind, ctx.under_action)
    if ctx.kind == "measures":
        return Kind.MEASURE, _Context("inside-task")
    return None


def _by_heading(node: Node, ctx: _Context, head: str) -> tuple[Kind, _Context] | None:
    """The parts a plan names in its headings (aligner/data/headings.toml)."""
    question = None if ctx.under_action else headings.question_part(head)
    if question == "tasks":
        return Kind.SECTION, _Context("tasks")
    if question in ("measures", "safeguards"):
        # 如何保障落地见效？ — what follows (从A、B、C等三个方面…) is the plan's safeguard measures.
        return Kind.SECTION, _Context("measures")
    if question == "context":
        return Kind.OTHER, _Context("other")
    safeguards = headings.names("safeguards", head)
    if headings.names("tasks", head):
        return Kind.SECTION, _Context("tasks", ctx.under_action)
    if headings.names("measures", head) and (ctx.under_action or not safeguards):
        return Kind.SECTION, _Context("measures", ctx.under_action)
    if safeguards and any(child.enumerated is None for child in node.children):
        # A top-level 保障措施 with numbered items: its 强化资金保障 / 强化用地保障 … are policy
        # measures (its organisational items are matched against the national 组织实施 ones).
        return Kind.SECTION, _Context("measures", ctx.under_action)
    if ctx.under_action and headings.names("direction", head):
        return Kind.SECTION, _Context("other", True)
    if safeguards or headings.names("context", head):
        return Kind.OTHER, _Context("other")
    if node.group:
        return Kind.ACTION, _Context("tasks", True)
    if not ctx.under_action and headings.names_action(head) and _has_deeper_level(node, ctx):
        # A 行动 is an action when it groups tasks; a plan whose tasks are actions (十大行动,
        # each a paragraph) has them as tasks.
        return Kind.ACTION, _Context("tasks", True)
    return None


def _by_structure(node: Node, ctx: _Context) -> tuple[Kind, _Context]:
    """What the clause's place and numbered children say when its heading says nothing."""
    if ctx.kind == "top" and ctx.beside_tasks:
        # The plan names its task part (重点任务/主要任务): the other top-level parts are its
        # context — background, considerations, goals — not tasks, whatever their headings say.
        return Kind.OTHER, _Context("other")
    has_numbered_children = any(child.enumerated is None for child in node.children)
    if ctx.kind == "tasks" and not ctx.under_action and has_numbered_children:
        return Kind.ACTION, _Context("tasks", True)  # a group of tasks under 重点任务
    if ctx.kind == "top" and has_numbered_children and not node.children[0].enumerated:
        return Kind.ACTION, _Context("tasks", True)
    return Kind.TASK, _Context("inside-task")


_LONG_TITLE = 40


def _first_phrase(sentence: str) -> tuple[str, str]:
    """A long sentence's first comma-delimited phrase, and the rest of it."""
    match = re.search(r"[,，;；]", sentence)
    if match is None or match.start() < 6:
        return sentence, ""
    return sentence[: match.start()], sentence[match.end() :]


def is_organisation_heading(title: str) -> bool:
    """组织实施 / 保障措施 and the like: the part of a plan about carrying it out."""
    plain = _plain(title)
    return headings.names("safeguards", plain) or headings.names("carrying_out", plain)


def _promote_paragraphs(node: Node) -> None:
    """Unnumbered paragraphs of a policy-measures section are measures in their own right."""
    node.children.extend(Node(piece=piece, parent=node, paragraph=True) for piece in node.body)
    node.body = []


@dataclass
class _Emitter:
    """Turns nodes into Clauses with path ids, in document order."""

    clauses: list[Clause] = field(default_factory=list)

    def emit(self, nodes: list[Node], parent: Clause | None, ctx: _Context) -> None:
        used: set[int] = set()
        if ctx.kind == "top" and any(headings.names("tasks", _heading(node)) for node in nodes):
            ctx = replace(ctx, beside_tasks=True)
        for node in nodes:
            kind, child_ctx = _classify(node, ctx)
            listed: list[Node] = []
            if kind is Kind.ACTION or (kind is Kind.SECTION and child_ctx.kind == "tasks") or ctx.kind == "top":
                # Background and goals may quote another plan's list: only the seed's counted phrasing there.
                listed = _new_items(node, _enumerations(node, general=kind is not Kind.OTHER))
            if kind is Kind.SECTION and child_ctx.kind == "measures":
                for item in listed:
                    item.enumerated = "measure"  # items listed in a measures part are measures
                if not listed and not headings.names("safeguards", _heading(node)):
                    _promote_paragraphs(node)  # unlisted paragraphs are measures in their own right
            node.children.extend(listed)
            number = node.piece.value if node.piece.value and node.piece.value not in used else None
            if number is None:
                number = max(used, default=0) + 1
            used.add(number)
            clause_id = f"{parent.id}.{number}" if parent else str(number)
            clause = self._clause(node, kind, clause_id, parent)
            self.clauses.append(clause)
            if parent:
                parent.children.append(clause_id)
            self.emit(node.children, clause, child_ctx)

    @staticmethod
    def _clause(node: Node, kind: Kind, clause_id: str, parent: Clause | None) -> Clause:
        piece = node.piece
        style = None if node.paragraph else piece.style
        # Units first, on whole pieces: the bracket often holds a sentence end of its own
        # (（责任单位：省公安厅。以下任务…）), which would otherwise cut the title inside it.
        units: list[str] = []
        parts_s: list[str] = []
        parts_o: list[str] = []
        for part in (piece, *node.body):
            simplified, found = _extract_units(part.simplified)
            original, _ = _extract_units(part.original)
            units.extend(u for u in found if u not in units)
            parts_s.append(simplified)
            parts_o.append(original)
        # The heading is the first piece that says something: the number's own piece unless that
        # held only a units bracket. Never several pieces run together into one title.
        head = next((i for i, part in enumerate(parts_s) if part), 0)
        title, rest = _split_title(parts_s[head], style if head == 0 else None)
        o_title, o_rest = _split_title(parts_o[head], style if head == 0 else None)
        if not title and rest:  # the piece opened with a sentence end: "。内容"
            title, rest = _split_title(rest, None)
            o_title, o_rest = _split_title(o_rest, None)
        text = " ".join(x for x in [rest, *parts_s[head + 1 :]] if x)
        o_text = " ".join(x for x in [o_rest, *parts_o[head + 1 :]] if x)
        # 1)健全常住地提供基本公共服务制度方面 — a digest's heading names the task plus 方面
        title, o_title = (re.sub(r"(?<=.{4})方面$", "", t) for t in (title, o_title))
        if node.paragraph and len(title) > _LONG_TITLE:
            # An unnumbered paragraph has no heading: its first phrase stands in for one.
            (title, extra), (o_title, o_extra) = _first_phrase(title), _first_phrase(o_title)
            text, o_text = f"{extra}。{text}".strip("。 "), f"{o_extra}。{o_text}".strip("。 ")
        return Clause(
            id=clause_id,
            kind=kind,
            number=piece.label,
            title=title.strip(),
            text=text.strip(),
            parent=parent.id if parent else None,
            line=(piece, *node.body)[head].line.number,  # where the title is written
            units=units,
            original_title=o_title.strip(),
            original_text=o_text.strip(),
            # An article's paragraphs (款) and items (（一）…) are its units of evidence.
            passages=tuple(x for x in parts_s if x) if piece.style == articles.ARTICLE_STYLE else (),
        )


@lru_cache(maxsize=1)
def _province_forms() -> tuple[tuple[str, tuple[str, ...]], ...]:
    text = read_data("provinces.txt")
    rows = []
    for line in text.splitlines():
        fields = line.split()
        if fields and not line.startswith("#"):
            rows.append((fields[0], tuple(fields[1:]) or (fields[0],)))
    # Longest Chinese forms first, so 新疆生产建设兵团 wins over 新疆 (pinyin forms match whole words).
    return tuple(sorted(rows, key=lambda row: -max((len(f) for f in row[1] if not f.isascii()), default=0)))


def find_province(texts: list[str]) -> str | None:
    """The first province any of the texts names (by its Chinese forms; pinyin forms are for file names)."""
    for text in texts:
        for name, forms in _province_forms():
            if any(form in text for form in forms if not form.isascii()):
                return name
    return None


def province_of_stem(stem: str) -> str | None:
    """The province a file name spells in pinyin (hebei.txt, gansu_alt.txt), matched word by word.

    Whole words only: a substring test would find provinces inside unrelated names.
    """
    words = set(re.split(r"[^a-z]+", stem.lower()))
    for name, forms in _province_forms():
        if any(form.isascii() and form.lower() in words for form in forms):
            return name
    return None


def _title_of(preamble: list[Piece], all_lines: tuple[Line, ...]) -> tuple[str, str, int | None]:
    """The plan's title (simplified, original, line number): a title line before the plan, else a
    《…》 naming a provincial plan in the first lines (a 解读 names the plan it explains that way).
    The line number is None when the title was quoted, since the plan itself does not start there.
    """
    # Anywhere in the preamble: it is all before the plan, even where a numbered line came first.
    for piece in preamble:
        if _is_title_line(piece):
            return piece.simplified, piece.original, piece.line.number
    for line in all_lines[:5]:
        for match in _QUOTED_TITLE.finditer(line.simplified):
            quoted = match.group(1)
            if _PLAN_TITLE.search(quoted) and find_province([quoted]):
                return quoted, quoted, None
    return "", "", None


def _check_counts(plan_clauses: list[Clause], nodes_text: str) -> tuple[dict[str, int], list[str]]:
    """Compare the counts a document declares with what was parsed."""
    declared: dict[str, int] = {}
    warnings: list[str] = []
    # Totals: the last declaration wins when a background section also quotes another plan's counts;
    # declarations next to a list of items are per-action and checked below.
    stripped = _ENUM.sub(lambda m: "" if len(_listed(m)) >= 2 else m.group(0), nodes_text)
    # A sentence on what the central government's plan does (国务院印发《…》，部署实施四项重大行动)
    # states that plan's counts, not this document's.
    stripped = "。".join(s for s in stripped.split("。") if not _CENTRAL_DOCUMENT.search(s))
    # 一项行动 is an article (这是我省增加的一项行动), not a plan's total: totals count two or more.
    action_counts = [n for m in _DECLARED_ACTIONS.finditer(stripped) if (n := cn_to_int(m.group(1))) and n >= 2]
    task_counts = [n for m in _DECLARED_TASKS.finditer(stripped) if (n := cn_to_int(m.group(1))) and n >= 2]
    if action_counts and action_counts[-1]:
        declared["actions"] = action_counts[-1]
    if task_counts and task_counts[-1]:
        declared["tasks"] = task_counts[-1]
    return declared, warnings


def _check_enumeration_counts(clauses: list[Clause]) -> list[str]:
    """Per-action declarations (…5项重点任务) against the tasks listed with them."""
    warnings = []
    by_id = {c.id: c for c in clauses}
    for clause in clauses:
        if clause.kind is not Kind.ACTION:
            continue
        body = clause.title + "。" + clause.text
        for match in _ENUM.finditer(body):
            declared = cn_to_int(match.group("n"))
            found = sum(1 for cid in clause.children if by_id[cid].kind is Kind.TASK)
            if declared is not None and declared != found:
                warnings.append(
                    f"line {clause.line}: 「{clause.title}」 declares {declared} tasks, {found} were found"
                )
    return warnings


# --- article documents (第X条): the genre's meaning of the markers lives in aligner/articles.py ---


def _without_markup(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Lines with HTML comments removed; a line that held only markup is dropped."""
    kept = []
    for line in lines:
        if "<!--" not in line.simplified:
            kept.append(line)
            continue
        simplified, original = articles.strip_markup(line.simplified), articles.strip_markup(line.original)
        if simplified.strip():
            kept.append(Line(line.number, original, simplified))
    return tuple(kept)


def _fold_items(pieces: list[Piece]) -> list[Piece]:
    """Inside articles, numbered items (（一）… 1. …) are paragraphs of the article, not clauses."""
    structural = {articles.ARTICLE_STYLE, *articles.SECTION_STYLES}
    seen_article = False
    for piece in pieces:
        seen_article = seen_article or piece.style == articles.ARTICLE_STYLE
        if seen_article and piece.style is not None and piece.style not in structural:
            piece.simplified = f"{piece.label}{piece.simplified}"
            piece.original = f"{piece.label}{piece.original}"
            piece.style, piece.label, piece.value = None, "", None
    return pieces


def _article_start(pieces: list[Piece]) -> int:
    """The first 编/章/节 or 条 marker: a copy may lack its 第一章 heading, and the title and the
    adoption or promulgation notes before it are metadata."""
    structural = {articles.ARTICLE_STYLE, *articles.SECTION_STYLES}
    return next((i for i, p in enumerate(pieces) if p.style in structural and p.at_line_start), 0)


def _article_kinds(clauses: list[Clause]) -> list[Clause]:
    """Every article is a clause unit (附则 articles too); chapters group them (actions), 编 and
    节 are sections; anything else the plan rules made inside an article is dropped."""
    kept: list[Clause] = []
    for clause in clauses:
        style = numbering.label_style(clause.number)
        if style == numbering.ARTICLE_STYLE:
            clause.kind = Kind.TASK
        elif style == "chapter":
            clause.kind = Kind.ACTION
        elif style in numbering.SECTION_STYLES:
            clause.kind = Kind.SECTION
        else:
            continue
        kept.append(clause)
    ids = {c.id for c in kept}
    for clause in kept:
        clause.children = [c for c in clause.children if c in ids]
    return kept


def parse(clean: CleanText, name_hint: str | None = None) -> Plan:
    """Build the plan tree of one document."""
    pieces = _pieces(_without_markup(clean.lines))
    article_document = articles.is_article_document([(p.style, p.at_line_start) for p in pieces])
    if article_document:
        pieces = _fold_items(pieces)
    running = not article_document and _is_running_text(pieces)
    if running:
        title_at = _title_index(pieces)
        start = 0 if title_at is None else title_at + 1
    else:
        start = _article_start(pieces) if article_document else _plan_start(pieces)
    preamble, body = pieces[:start], pieces[start:]
    roots, list_warnings = _running_tree(body) if running else (_build_tree(body), [])
    emitter = _Emitter()
    emitter.emit(roots, None, _Context("top"))
    clauses = _article_kinds(emitter.clauses) if article_document else emitter.clauses

    title, _, title_line = _title_of(preamble, clean.lines)
    if article_document and not title:
        title = articles.document_title([p.simplified for p in preamble])
    # Issuer and document-number lines are short; a news paragraph naming provinces is not.
    preamble_text = [p.simplified for p in preamble[:12] if len(p.simplified) <= 30]
    name = find_province([title, *preamble_text]) if title or preamble_text else None
    if name is None:
        stem = Path(clean.path).stem
        name = name_hint or province_of_stem(stem) or stem

    # Counts a news report or notice before the title states belong to another document.
    counted = [line for line in clean.lines if title_line is None or line.number >= title_line]
    all_text = "。".join(line.simplified for line in counted)
    declared, warnings = _check_counts(clauses, all_text)
    warnings += _check_enumeration_counts(clauses) + list_warnings
    # Totals that differ from the declared ones, and a text cut short, are aligner.checks' to report.
    warnings += list(clean.notes)
    return Plan(path=clean.path, title=title, name=name, clauses=clauses, warnings=warnings, declared=declared)
