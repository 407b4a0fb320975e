"""Warnings with stable codes: when the input is not what the user thinks, the report must say so.

Users sign reports built on this tool. A meeting report aligned as if it were an implementation
plan, two arguments given the wrong way round, or a web copy that stops half-way would each give a
confident coverage figure that means nothing. The checks here look only at the parsed data
(Plan, Alignment) plus, when the caller has it, the normalised text (CleanText: it keeps the
preamble, notice and last lines the clause tree does not hold). Every rule is about how Chinese
plans and regulations are written in general (总体要求 … 组织实施, 根据《…》, 文号, 实施方案 …),
never about one document.

Codes (stable; reports and scripts may key on them):
  truncated               the text stops inside an item or before its closing part
  declared-count-mismatch the plan states how many actions/tasks it has, the parser found another number
  garbled-text            much of the text is mojibake (a wrong encoding somewhere upstream)
  not-an-implementation   the second document shares too little with the first to implement it
  arguments-swapped       the first document is the implementation of the second
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from aligner import numbering
from aligner.cjk import han_count, has_han
from aligner.lazy_re import lazy
from aligner.model import Alignment, Clause, CleanText, Kind, Notice, Plan, Status
from aligner.parse import find_province

# --- Thresholds: each trades missed warnings against false alarms ---------------------------------

# A last sentence with no punctuation at all and at least this many CJK characters is cut off.
# Lower catches shorter cuts; page furniture (打印本页关闭窗口, 网站地图 联系我们) is 4–12
# characters, and a Chinese sentence of 25 characters without a comma is rare.
TAIL_UNPUNCTUATED_MIN = 25
# Lines at the very end shorter than this (CJK characters) and without any sentence punctuation are
# treated as footers, dates or signatures and skipped before the last line is judged. Higher skips
# more furniture but also skips a genuinely cut short line.
FOOTER_MAX_CJK = 16

# garbled-text: share of letters that cannot be policy text (CJK outside the 3,755 common
# characters of GB2312 level 1, Latin-1 letters, Cyrillic/Greek/kana, controls, U+FFFD). Real plans
# measure ≤ 0.001 (rare place names such as 泸 鄱); UTF-8 read as GBK measures ≈ 0.8. Lower
# flags documents full of rare characters; higher lets half-garbled documents through.
GARBLED_CHAR_SHARE = 0.05
# … or the share of lines the normaliser had to cut as mojibake. One bad line in a short plan
# (Qinghai: 1 of 16) is reported line by line already and does not make the plan unreadable.
GARBLED_LINE_SHARE = 0.20
GARBLED_MIN_LINES = 2  # and at least this many lines, so one line in a 4-line text is not "garbled"

# not-an-implementation: the second document is weakly linked when fewer than these shares of the
# national tasks and measures have any counterpart AND fewer than these of its own tasks link.
# Measured (national / own share): every real implementation has ≥ 0.29 national or ≥ 0.58 own
# (lowest: 营商环境 Henan 0.30 / 0.27, 节能法 Zhejiang 0.29 / 0.70; truncated copies 0.04–0.12 / 1.0);
# the 2021 meeting report 0.12 / 0.23; unrelated pairs ≤ 0.01 / 0.03. Higher thresholds call terse
# regulations "not an implementation"; lower ones let a report on a neighbouring subject pass.
NATIONAL_LINKED_MIN = 0.20
PROVINCE_LINKED_MIN = 0.35
# Weak linkage is forgiven when the document names the national one (title, 《…》 or 文号): a real
# implementation of a very different shape (a truncated copy, a terse regulation) still passes.
# Below this share on both sides nothing is forgiven: naming a plan does not make a text carry it out.
NEGLIGIBLE_LINKED = 0.05
# A document titled as an implementation (实施方案, 实施意见 …) that does not name the national
# document gets the weak-link thresholds multiplied by this: some benefit of the doubt, not a pass.
GENRE_RELIEF = 0.5

# Title matching: rapidfuzz score (0–100) from which one title is (nearly) inside another. 90 lets
# one character differ in a 20-character title (深入推进 for 深入实施); two unrelated plans on the
# same subject (国家新型城镇化规划 vs 新型城镇化战略五年行动计划) score far lower.
TITLE_MATCH_MIN = 90
MIN_TITLE_CHARS = 6  # shorter "titles" (a file stem, 方案) are not evidence of anything

# --- Codes ---------------------------------------------------------------------------------------

TRUNCATED = "truncated"
DECLARED_COUNT_MISMATCH = "declared-count-mismatch"
GARBLED_TEXT = "garbled-text"
NOT_AN_IMPLEMENTATION = "not-an-implementation"
ARGUMENTS_SWAPPED = "arguments-swapped"
# A summary (news, a plan's opening, a 解读 page) that lists fewer tasks than it says the plan has:
# what it does not list shows as gaps, though the plan may well carry it.
PARTIAL_LISTING = "partial-listing"
# A copy that lost its paragraph breaks (a page pasted as one block): its numbered parts run
# together in one line, so the clause tree, and every task in it, could not be read.
LOST_LINE_BREAKS = "lost-line-breaks"
# In the order a report names them when several hold.
UNRELIABLE_COVERAGE_ORDER = (NOT_AN_IMPLEMENTATION, TRUNCATED, LOST_LINE_BREAKS, PARTIAL_LISTING)
UNRELIABLE_COVERAGE_CODES = frozenset(UNRELIABLE_COVERAGE_ORDER)


def unreliable_coverage(notices: Iterable[Notice]) -> bool:
    """Whether a report should mark the coverage figure unreliable instead of showing a gap rate."""
    return any(n.code in UNRELIABLE_COVERAGE_CODES for n in notices)


# --- How Chinese plans and regulations are written -------------------------------------------------

_SENTENCE_END = lazy(r"[。！？!?；;…]")
# A text that ends with one of these ends a sentence, a bracket, a quote, a heading or a list intro.
_CLOSED_END = lazy(r"[。！？!?；;…”’」』)）》〉】\]:：]$")
_INNER_MARK = lazy(r"[，,、]")
_BRACKETS = (("(", ")"), ("（", "）"), ("《", "》"), ("“", "”"), ("「", "」"), ("【", "】"))
# 版记 and page furniture that may stand after a plan's last sentence (公文 conventions).
_FURNITURE_START = lazy(r"^(附件|抄送|印发|主送|相关文件|相关链接|联系人|联系电话|来源|责任编辑|扫一扫|分享)")

# Opening and closing parts of a plan (总体要求 … 组织实施) or regulation (总则 … 附则).
_OPENING = lazy(
    r"^(总体要求|指导思想|总体思路|基本原则|工作原则|发展目标|行动目标|主要目标|工作目标|总体目标|目标任务|目标要求|"
    r"总则|制定背景|起草背景|背景|重要意义|适用范围)"
)
# Closing parts are matched loosely (保障 anywhere in a part not named as an action (…行动): 强化要素保障,
# 政策保障 …): a cut plan whose last part happens to hold such a word goes unflagged, which is the
# cheaper mistake than calling a complete plan truncated.
_CLOSING = lazy(
    r"组织实施|组织领导|保障|支持政策|工作要求|实施要求|落实|党的领导|全面领导|监督|督导|督查|督促|考核|评估|"
    r"宣传|氛围|其他事项|附则"
)
_IN_FORCE = lazy(r"自.{0,24}(起施行|施行)|(起施行|施行)$")

# A document titled as the implementation of another one.
_GENRE = lazy(
    r"(实施方案|实施意见|实施办法|实施细则|实施计划|行动方案|工作方案|落实方案|推进方案|若干措施|若干政策|"
    r"贯彻落实|实施《.{2,60}》(?:的)?办法)"
)
_CITING = lazy(r"(根据|依据|按照|依照|贯彻落实|贯彻|落实)[^。；;]{0,24}?《([^《》]{2,80})》")
_QUOTED = lazy(r"《([^《》]{2,80})》")
_INNER_QUOTED = lazy(r"〈([^〈〉]{2,80})〉")
_DOC_NUMBER = lazy(r"[\u4e00-\u9fff]{1,8}[〔\[(（【]\s*\d{4}\s*[〕\])）】]\s*\d{1,4}\s*号")
_TITLE_SHAPED = lazy(r"(条例|法|规定|办法|细则|方案|计划|规划|意见|纲要|要点|决定|措施)$")
_PLAIN = lazy(r"[\s\"'“”‘’《》〈〉「」()（）\[\]【】、，,。.；;：:！!？?·—\-…#*]")
_GARBLED_NOTE = lazy(r"^line \d+: garbled text")


def _plain(text: str) -> str:
    return _PLAIN.sub("", text)


def _cjk_count(text: str) -> int:
    return han_count(text)


# --- check_plan ------------------------------------------------------------------------------------


def check_plan(plan: Plan, clean: CleanText | None = None) -> list[Notice]:
    """What is wrong with one document on its own: cut off, counts that disagree, garbled text.

    Pass the document's CleanText when you have it: its last lines hold what the clause tree drops
    (a cut-off （责任单位：… bracket, a footer) and its line count scales the garbled-line share.
    """
    return [
        *_check_truncated(plan, clean),
        *_check_partial_listing(plan),
        *_check_declared_counts(plan),
        *_check_garbled(plan, clean),
        *_check_lost_line_breaks(plan, clean),
    ]


def _is_running_text(plan: Plan) -> bool:
    """News, a summary: no top-level part is numbered (its groups are topics, its items listed inline)."""
    tops = [c for c in plan.clauses if c.parent is None]
    return bool(tops) and not any(c.number for c in tops)


def _check_partial_listing(plan: Plan) -> list[Notice]:
    shortfall = _declared_shortfall(plan) if _is_running_text(plan) else ""
    if not shortfall:
        return []
    return [
        Notice(
            PARTIAL_LISTING,
            f"The text summarises the plan: it declares {shortfall}, so national tasks it "
            "does not list show as gaps though the plan itself may carry them.",
            None,
            f"文本是对方案的摘要或报道：写明的数量多于列出的（{_declared_shortfall_zh(plan)}），"
            "未列出的国家任务会显示为缺口，但方案本身可能已有部署。",
        )
    ]


def _check_truncated(plan: Plan, clean: CleanText | None) -> list[Notice]:
    reasons: list[str] = []
    reasons_zh: list[str] = []
    line: int | None = None
    cut = _last_sentence_cut(plan, clean)
    if cut is not None:
        line, fragment = cut
        where = f"at line {line}" if clean is not None else f"in the item at line {line}"
        reasons.append(f"it ends mid-sentence {where} (「…{fragment[-12:]}」)")
        reasons_zh.append(f"在第{line}行{'' if clean is not None else '的条款中'}句子中断（「…{fragment[-12:]}」）")
    early = _stops_before_closing(plan)
    if early is not None:
        last, why, why_zh = early
        line = line if line is not None else last.line
        reasons.append(f"{why} after 「{last.number}{last.title[:16]}」")
        reasons_zh.append(f"{why_zh}，止于「{last.number}{last.title[:16]}」")
    if not reasons:
        return []
    return [
        Notice(
            TRUNCATED,
            "The text seems cut off: " + " and ".join(reasons) + ", so what is missing would show as gaps.",
            line,
            "文本似乎不完整：" + "，且".join(reasons_zh) + "，缺失部分会显示为缺口。",
        )
    ]


def _last_sentence_cut(plan: Plan, clean: CleanText | None) -> tuple[int, str] | None:
    """The line and fragment where the document stops mid-sentence, if it does."""
    if clean is not None and clean.lines:
        segments = [(line.number, line.simplified) for line in clean.lines]
    else:
        last = _last_clause(plan)
        if last is None:
            return None
        if not last.text:
            # The parser cut the heading's closing mark off with the heading, so a heading-only
            # clause shows no end to judge; only a bracket or quote left open still tells.
            return (last.line, last.title) if _opens_bracket(last.title) else None
        # Pieces of a clause are joined by spaces: a footer line is its own piece.
        segments = [(last.line, part) for part in last.text.split(" ") if part]
    for number, text in reversed(segments):
        if _is_footer(text):
            continue
        return (number, text) if _ends_open(text) else None
    return None


def _last_clause(plan: Plan) -> Clause | None:
    if not plan.clauses:
        return None
    best = max(range(len(plan.clauses)), key=lambda i: (plan.clauses[i].line, i))
    return plan.clauses[best]


def _is_footer(text: str) -> bool:
    """Page furniture, dates and signatures after the last sentence: skipped, never judged."""
    text = text.strip()
    if _FURNITURE_START.match(text) or not has_han(text):
        return True
    return _cjk_count(text) < FOOTER_MAX_CJK and not re.search(r"[，,、。；;！？]", text)


def _ends_open(text: str) -> bool:
    """Whether a line stops inside a sentence: a comma-bearing or long tail, or an open bracket."""
    text = text.strip()
    if re.search(r"[，,、]$", text):
        return True
    if _CLOSED_END.search(text):
        return False
    ends = list(_SENTENCE_END.finditer(text))
    tail = text[ends[-1].end() :] if ends else text
    return _opens_bracket(tail) or bool(_INNER_MARK.search(tail)) or _cjk_count(tail) >= TAIL_UNPUNCTUATED_MIN


def _opens_bracket(text: str) -> bool:
    return any(text.count(a) > text.count(b) for a, b in _BRACKETS)


def _stops_before_closing(plan: Plan) -> tuple[Clause, str, str] | None:
    """The last top-level part, when the plan opens like a plan but never reaches its closing part."""
    tops = [c for c in plan.clauses if c.parent is None]
    if len(tops) < 2 or _is_closing(plan, tops[-1]):
        return None
    if _is_running_text(plan):
        # Running text (news, a plan's summary): no numbered parts, so no closing part to expect;
        # a shortfall against its declared counts is a partial listing (_check_partial_listing).
        return None
    if _OPENING.match(_plain(tops[0].title)):
        return (tops[-1], f"it opens with 「{tops[0].title[:12]}」 but has no closing part (组织实施, 保障措施, 附则)",
                f"以「{tops[0].title[:12]}」开篇，却没有结尾部分（组织实施、保障措施、附则）")
    short = _declared_shortfall(plan)
    if short:
        zh = f"写明的数量多于识别出的（{_declared_shortfall_zh(plan)}），且没有结尾部分"
        return tops[-1], f"it declares {short} and has no closing part", zh
    return None


def _is_closing(plan: Plan, part: Clause) -> bool:
    """A part about carrying the plan out (组织实施 …), an appendix (附则), or one ending in 施行."""
    # Not by Kind: the parser makes any top-level part with numbered items an action, 组织实施 too.
    title = _plain(part.title)
    if _CLOSING.search(title) and "行动" not in title:
        return True
    last = _last_clause(plan)
    return last is not None and bool(_IN_FORCE.search(_plain(last.title + last.text)))


def _declared_shortfall(plan: Plan) -> str:
    """'6 actions (4 found)' for each count the plan declares higher than what was found, or ''."""
    found = {"actions": len(plan.of_kind(Kind.ACTION)), "tasks": len(plan.of_kind(Kind.TASK))}
    short = [f"{n} {what} ({found[what]} found)" for what, n in plan.declared.items() if n > found.get(what, n)]
    return " and ".join(short)


def _declared_shortfall_zh(plan: Plan) -> str:
    found = {"actions": len(plan.of_kind(Kind.ACTION)), "tasks": len(plan.of_kind(Kind.TASK))}
    names = {"actions": "行动", "tasks": "任务"}
    return "、".join(f"{n}项{names.get(what, what)}（识别出{found[what]}项）"
                    for what, n in plan.declared.items() if n > found.get(what, n))


def _check_declared_counts(plan: Plan) -> list[Notice]:
    labels = {"actions": (Kind.ACTION, "actions"), "tasks": (Kind.TASK, "key tasks")}
    notices = []
    for key, declared in plan.declared.items():
        if key not in labels or not declared:
            continue
        kind, label = labels[key]
        found = len(plan.of_kind(kind))
        if found != declared:
            notices.append(
                Notice(
                    DECLARED_COUNT_MISMATCH,
                    f"The document declares {declared} {label} but {found} were found, "
                    "so some may be missing from the comparison or split wrongly.",
                    None,
                    f"文件写明{declared}项{'行动' if kind is Kind.ACTION else '重点任务'}，但只识别出{found}项，"
                    "部分内容可能未纳入对照或拆分有误。",
                )
            )
    return notices


# A line this long that holds a run of numbered parts (一、…二、…三、…) is a document whose paragraph
# breaks were lost; the parts of a plan written properly each start a line, and a condensed task line
# (3.深化……，探索……) is far shorter. The run must count this many parts, in order from the first.
RUN_TOGETHER_LINE = 400
RUN_TOGETHER_PARTS = 3
RUN_SCAN_CHARS = 20_000  # a run shows in a line's first pages; bounds the scan of a hostile megabyte line
# The styles that number a plan's parts (not 一是, which runs inline in every news copy).
_PART_STYLES = ("chapter", "cn-comma", "cn-paren", "ar-paren", "ar-dot", "article")
_MARKER_START = lazy(r"[第(（一二三四五六七八九十\d]")


def _numbered_run(text: str) -> tuple[str, int]:
    """The longest run 1, 2, 3 … of one part-numbering style inside `text`, as (first three
    markers, length). Linear: each candidate position is matched in place."""
    best, best_markers = 0, ""
    last: dict[str, int] = {}
    markers: dict[str, list[str]] = {}
    for start in _MARKER_START.finditer(text):
        found = numbering.match_marker(text, pos=start.start())
        if found is None or found[0].name not in _PART_STYLES:
            continue
        style, match = found
        value = numbering.value_of(match)
        if value is None:
            continue
        name = style.name
        if value == 1:
            last[name], markers[name] = 1, [match.group(0).strip()]
        elif last.get(name) == value - 1:
            last[name] = value
            markers[name].append(match.group(0).strip())
        else:
            continue
        if last[name] > best:
            best, best_markers = last[name], "".join(markers[name][:3])
    return best_markers, best


def run_together(clean: CleanText, plan: Plan | None = None) -> tuple[int, str, int, int] | None:
    """The first line holding a run of numbered parts the parser did not read as numbered clauses
    (all of them when no plan is given), as (line number, first markers, parts, characters)."""
    for line in clean.lines:
        if len(line.simplified) < RUN_TOGETHER_LINE:
            continue
        markers, run = _numbered_run(line.simplified[:RUN_SCAN_CHARS])
        read = sum(1 for c in plan.clauses if c.line == line.number and c.number) if plan is not None else 0
        if run >= RUN_TOGETHER_PARTS and read < run:
            return line.number, markers, run, len(line.simplified)
    return None


def _check_lost_line_breaks(plan: Plan, clean: CleanText | None) -> list[Notice]:
    found = run_together(clean, plan) if clean is not None else None
    if found is None:
        return []
    number, markers, run, size = found
    return [
        Notice(
            LOST_LINE_BREAKS,
            f"the text's paragraph breaks appear lost: {run} numbered parts ({markers}…) run together "
            f"in one line of {size} characters, so the plan's structure and its tasks could not be read",
            number,
            f"第{number}行：文本的分段似已丢失：{run}个编号（{markers}…）连在一行（共{size}字）中，"
            "无法读出方案的结构和任务；请用保留分段的文本（如原文件或逐段复制）重新对照。",
        )
    ]


def _check_garbled(plan: Plan, clean: CleanText | None) -> list[Notice]:
    # The whole text when given: a garbled copy may lose its numbering, and with it its clauses.
    parts = [line.simplified for line in clean.lines] if clean is not None else [c.title + c.text for c in plan.clauses]
    text = "".join([plan.title, *parts])
    odd, letters, sample = _odd_letters(text)
    cut_lines = sum(1 for note in (clean.notes if clean is not None else plan.warnings) if _GARBLED_NOTE.match(note))
    total_lines = len(clean.lines) + cut_lines if clean is not None else len({c.line for c in plan.clauses}) + cut_lines
    evidence, evidence_zh = [], []
    if letters and odd / letters >= GARBLED_CHAR_SHARE:
        evidence.append(f"{odd / letters:.0%} of its characters are not ordinary Chinese text (e.g. 「{sample}」)")
        evidence_zh.append(f"{odd / letters:.0%}的字符不是常用汉字（如「{sample}」）")
    if cut_lines >= GARBLED_MIN_LINES and total_lines and cut_lines / total_lines >= GARBLED_LINE_SHARE:
        evidence.append(f"{cut_lines} of {total_lines} lines had to be cut as mojibake")
        evidence_zh.append(f"{total_lines}行中有{cut_lines}行因乱码被删去")
    if not evidence:
        return []
    return [
        Notice(
            GARBLED_TEXT,
            "The text looks garbled (read in the wrong encoding somewhere): "
            + " and ".join(evidence)
            + ", so its tasks cannot be matched reliably.",
            None,
            "文本疑似乱码（某处按错误编码读取）：" + "，".join(evidence_zh) + "，其任务无法可靠对照。",
        )
    ]


def garbled_share(text: str) -> float:
    """Share of a text's letters that are mojibake signatures (see GARBLED_CHAR_SHARE)."""
    odd, letters, _ = _odd_letters(text)
    return odd / letters if letters else 0.0


@lru_cache(maxsize=65536)
def _char_class(ch: str) -> int:
    """0: not a letter (ignored), 1: plausible policy text, 2: a mojibake signature."""
    if ch == "\ufffd" or ("\u2500" <= ch <= "\u257f"):
        return 2
    if ch.isascii():
        return 0
    category = unicodedata.category(ch)
    if category == "Cc":
        return 2
    if not category.startswith("L"):
        return 0
    try:
        encoded = ch.encode("gb2312")
    except UnicodeEncodeError:
        return 2
    # GB2312 level 1 (lead bytes 0xB0–0xD7) holds the 3,755 common characters policy text uses.
    return 1 if len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7 else 2


def _odd_letters(text: str) -> tuple[int, int, str]:
    """Mojibake signatures among the letters of a text, all letters counted, and a sample."""
    odd = letters = 0
    first = -1
    for i, ch in enumerate(text):
        cls = _char_class(ch)
        if cls:
            letters += 1
            if cls == 2:
                odd += 1
                first = i if first < 0 else first
    sample = text[first : first + 16] if first >= 0 else ""
    return odd, letters, "".join(ch for ch in sample if not unicodedata.category(ch).startswith("C"))[:12]


# --- check_pair ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Doc:
    """What the pair checks need of one document: its title, its own 文号 and its text."""

    title: str
    number: str
    lines: tuple[str, ...]


def check_pair(
    national: Plan,
    province: Plan,
    alignment: Alignment,
    national_clean: CleanText | None = None,
    province_clean: CleanText | None = None,
) -> list[Notice]:
    """Whether the second document can be an implementation of the first, and not the reverse.

    The CleanTexts, when given, add what the clause trees drop: the notice and preamble where a
    plan cites its national document (为贯彻落实《…》（国发〔2024〕17号）) and the title line of a
    regulation (# 山东省优化营商环境条例).
    """
    first, second = _doc(national, national_clean), _doc(province, province_clean)
    swapped = _check_swapped(first, second)
    return [*swapped, *_check_implementation(province, alignment, first, second)]


def _doc(plan: Plan, clean: CleanText | None) -> _Doc:
    lines = tuple(line.simplified for line in clean.lines) if clean is not None else ()
    title = plan.title or _title_line(lines)
    body = lines or (plan.title, *(f"{c.title}。{c.text}" for c in plan.clauses))
    return _Doc(title=title, number=_own_number(lines), lines=tuple(body))


def _title_line(lines: Sequence[str]) -> str:
    """A title the parser does not look for (条例, 法 …): a short title-shaped line at the top."""
    for text in lines[:8]:
        candidate = text.strip()
        if 4 <= len(candidate) <= 60 and _TITLE_SHAPED.search(candidate) and not re.search(r"[，,。；;！？]", candidate):
            return candidate
    return ""


def _own_number(lines: Sequence[str]) -> str:
    """The document's own 文号: a line near the top holding nothing else (湘政发〔2024〕15号)."""
    for text in lines[:15]:
        match = _DOC_NUMBER.fullmatch(text.strip()) if "号" in text else None
        if match:
            return _plain(match.group(0))
    return ""


def _contains_title(haystack: str, title: str) -> bool:
    """Whether a text holds a title, allowing a character or two to differ (深入推进 for 深入实施)."""
    needle, hay = _plain(title), _plain(haystack)
    if len(needle) < MIN_TITLE_CHARS or not hay:
        return False
    if len(hay) < len(needle):
        return fuzz.ratio(needle, hay) >= TITLE_MATCH_MIN
    return fuzz.partial_ratio(needle, hay) >= TITLE_MATCH_MIN


def _quoted_titles(lines: Iterable[str]) -> list[str]:
    """Every 《…》 title in the text, and the 〈…〉 one inside a notice's title (关于印发〈…〉的通知)."""
    found: list[str] = []
    for text in lines:
        for quoted in _QUOTED.findall(text):
            found.append(quoted)
            found.extend(_INNER_QUOTED.findall(quoted))
    return found


def _names(doc: _Doc, other: _Doc) -> str:
    """How doc refers to the other document (its title, a 《…》 quote, its 文号), or ''."""
    if other.title and _contains_title(doc.title, other.title) and len(_plain(doc.title)) > len(_plain(other.title)):
        return f"its title 「{doc.title}」 contains 「{other.title}」"
    if other.title and any(_contains_title(q, other.title) for q in _quoted_titles(doc.lines)):
        return f"it quotes 《{other.title}》"
    if other.number and any(other.number in _plain(text) for text in doc.lines):
        return f"it cites {other.number}"
    return ""


def _implements(doc: _Doc, other: _Doc) -> str:
    """Strong evidence that doc is made to carry out the other: titled after it, or citing it."""
    titled_after = (
        other.title
        and len(_plain(doc.title)) > len(_plain(other.title))
        and _contains_title(doc.title, other.title)
        and (_GENRE.search(doc.title) or find_province([doc.title]))
    )
    if titled_after:
        return f"its title 「{doc.title}」 is 「{other.title}」 plus its own scope"
    for text in doc.lines:
        for verb, quoted in _CITING.findall(text):
            if other.title and (_contains_title(quoted, other.title) or any(
                _contains_title(inner, other.title) for inner in _INNER_QUOTED.findall(quoted)
            )):
                return f"it says {verb}《{quoted}》"
    if other.number and any(re.search(r"(根据|依据|按照|贯彻|落实)", t) and other.number in _plain(t) for t in doc.lines):
        return f"it cites {other.number}"
    return ""


def _check_swapped(first: _Doc, second: _Doc) -> list[Notice]:
    how = _implements(first, second)
    if not how or _names(second, first):
        return []
    return [
        Notice(
            ARGUMENTS_SWAPPED,
            f"The first document looks like the implementation of the second ({how}), "
            "so the arguments are probably swapped: give the national document first.",
            None,
            "第一份文件看起来是第二份文件的实施方案，参数顺序可能颠倒：请把国家文件放在前面。",
        )
    ]


def _check_implementation(province: Plan, alignment: Alignment, first: _Doc, second: _Doc) -> list[Notice]:
    """not-an-implementation: weak linkage both ways, not excused by the document naming the national one."""
    national_units = alignment.coverage
    national_linked = sum(1 for c in national_units if c.status is not Status.GAP)
    province_units = province.of_kind(Kind.TASK, Kind.MEASURE)
    linked_ids = {link.province for link in alignment.links}
    province_linked = sum(1 for c in province_units if c.id in linked_ids)
    n_share = national_linked / len(national_units) if national_units else 0.0
    p_share = province_linked / len(province_units) if province_units else 0.0

    named = _names(second, first)
    genre = _GENRE.search(second.title) if second.title else None
    relief = GENRE_RELIEF if genre and not named else 1.0
    weak = n_share < NATIONAL_LINKED_MIN * relief and p_share < PROVINCE_LINKED_MIN * relief
    negligible = n_share < NEGLIGIBLE_LINKED and p_share < NEGLIGIBLE_LINKED
    if not (negligible or (weak and not named)):
        return []
    if named:
        naming = f"although {named}, almost nothing in it takes the national tasks up"
    elif genre:
        naming = f"although titled 「{second.title}」, it does not name the national document"
    else:
        naming = "it neither names the national document nor is titled as an implementation plan"
    national_name = f"《{first.title}》" if first.title else "the national document"
    if named:
        naming_zh = "虽然文中提到了国家文件，但几乎没有承接国家任务"
    elif genre:
        naming_zh = f"虽然标题为「{second.title}」，但未提及该国家文件"
    else:
        naming_zh = "既未提及该国家文件，标题也不是实施方案"
    return [
        Notice(
            NOT_AN_IMPLEMENTATION,
            f"This document does not read as an implementation of {national_name}: "
            f"{national_linked} of {len(national_units)} national tasks and measures have any counterpart in it "
            f"({n_share:.0%}), {province_linked} of {len(province_units)} of its own tasks link back ({p_share:.0%}), "
            f"and {naming}.",
            None,
            f"该文件不像{national_name if first.title else '该国家文件'}的实施方案：国家{len(national_units)}项任务和措施中"
            f"有对应的{national_linked}项（{n_share:.0%}），本文件{len(province_units)}项任务中能对应回去的{province_linked}项"
            f"（{p_share:.0%}），{naming_zh}。",
        )
    ]
