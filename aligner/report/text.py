"""Helpers every report format shares, so all formats agree on titles, counts and percentages."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from aligner.cjk import has_han
from aligner.model import Alignment, Clause, Kind, Link, Plan, Status, Target
from aligner.report.problems import note_text

if TYPE_CHECKING:
    from opencc import OpenCC

    from aligner.report.messages import Catalogue

SCRIPTS = ("original", "simplified", "traditional")

_SYMBOLS = {Status.COVERED: "✔", Status.PARTIAL: "◐", Status.GAP: "✘"}
_COLOURS = {Status.COVERED: "green", Status.PARTIAL: "yellow", Status.GAP: "red"}

TargetPairs = list[tuple[Target | None, Target | None]]


def check_script(script: str) -> str:
    """Fail early on a typo'd --script rather than silently showing simplified text."""
    if script not in SCRIPTS:
        raise ValueError(f"unknown script {script!r}; expected one of {', '.join(SCRIPTS)}")
    return script


@lru_cache(maxsize=1)
def _s2t() -> OpenCC:
    """Load the OpenCC dictionary once, and only when traditional output is asked for (it is slow)."""
    from opencc import OpenCC

    return OpenCC("s2t")


def to_traditional(text: str) -> str:
    """Simplified → traditional, for readers in Hong Kong, Macao and Taiwan."""
    return _s2t().convert(text) if text else text


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified, for text the parser did not convert (warnings quoting the source)."""
    if not text or not has_han(text) or _in_gb2312(text):
        return text  # GB2312 holds simplified characters only: nothing to convert, and OpenCC stays unloaded
    return _t2s().convert(text)


def _in_gb2312(text: str) -> bool:
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def script_text(text: str, script: str) -> str:
    """Free text (a warning, a plan title) in the requested script: one script in every report."""
    if script == "simplified":
        return to_simplified(text)
    if script == "traditional":
        return to_traditional(text)
    return text


def display_title(plan: Plan, clause: Clause, script: str) -> str:
    """The clause heading in the script the reader asked for.

    `plan` is taken so callers never need to know whether a plan-level setting
    (e.g. the document's own script) affects the choice; today it does not.
    """
    del plan  # part of the stable signature; not needed yet
    check_script(script)
    if script == "original":
        return clause.original_title or clause.title
    if script == "traditional":
        return to_traditional(clause.title)
    return clause.title


def display_text(clause: Clause, script: str) -> str:
    """The clause body in the requested script (HTML shows bodies, other formats only titles)."""
    check_script(script)
    if script == "original":
        return clause.original_text or clause.text
    if script == "traditional":
        return to_traditional(clause.text)
    return clause.text


def script_terms(terms: Iterable[str], script: str) -> list[str]:
    """Shared terms are simplified; add traditional forms so they can be found in displayed text."""
    out: set[str] = set()
    for term in terms:
        if not term:
            continue
        if script != "traditional":
            out.add(term)
        if script != "simplified":
            out.add(to_traditional(term))
    return sorted(out, key=lambda t: (-len(t), t))  # longest first so regex alternation prefers them


def evidence_lines(link: Link, script: str, msg: Catalogue | None = None) -> list[str]:
    """Evidence as readable lines in the reader's language; converted for traditional readers
    (it is built from simplified text), the matcher's notes included (aligner/report/problems.py)."""
    ev = link.evidence
    if msg is None or not msg.zh:
        lines = ev.as_strings()
    else:
        lines = [msg("ev.shared", terms="、".join(ev.shared_terms))] if ev.shared_terms else []
        if ev.province_sentence and ev.national_sentence:
            lines.append(msg("ev.pair", score=f"{ev.sentence_score:.2f}", province=ev.province_sentence,
                             national=ev.national_sentence))
        lines.extend(note_text(note, zh=True) for note in ev.notes)
    return [to_traditional(line) for line in lines] if script == "traditional" else lines


def same_as_title(text: str, title: str) -> bool:
    """A body that only repeats the heading (plus final punctuation) is not worth showing twice."""
    return text.strip().rstrip("。.;；:：") == title.strip().rstrip("。.;；:：")


def status_symbol(status: Status) -> str:
    """A symbol per status so the reports also work without colour (NO_COLOR, print-outs)."""
    return _SYMBOLS[status]


def status_colour(status: Status) -> str:
    """The rich colour name used for a status; other formats map the same three colours."""
    return _COLOURS[status]


def one_line(text: str) -> str:
    """Collapse newlines and runs of whitespace: table cells and CSV rows must stay one line."""
    return re.sub(r"\s+", " ", text).strip()


def format_score(score: float) -> str:
    """Two decimals is what the matcher can meaningfully distinguish."""
    return f"{score:.2f}"


@dataclass(frozen=True)
class SummaryCounts:
    """The headline numbers every report starts with."""

    tasks: int
    covered: int
    partial: int
    gap: int
    measures: int
    measures_covered: int
    measures_partial: int
    additions: int


def summary_counts(alignment: Alignment) -> SummaryCounts:
    """Count national task statuses, measures covered, and provincial additions."""
    index = alignment.national.by_id()
    tasks = [c for c in alignment.coverage if _kind(index, c.national) is Kind.TASK]
    measures = [c for c in alignment.coverage if _kind(index, c.national) is Kind.MEASURE]
    return SummaryCounts(
        tasks=len(tasks),
        covered=sum(1 for c in tasks if c.status is Status.COVERED),
        partial=sum(1 for c in tasks if c.status is Status.PARTIAL),
        gap=sum(1 for c in tasks if c.status is Status.GAP),
        measures=len(measures),
        measures_covered=sum(1 for c in measures if c.status is Status.COVERED),
        measures_partial=sum(1 for c in measures if c.status is Status.PARTIAL),
        additions=len(alignment.additions),
    )


def _kind(index: dict[str, Clause], clause_id: str) -> Kind | None:
    clause = index.get(clause_id)
    return clause.kind if clause else None


def percent_of(statuses: Iterable[Status]) -> float:
    """(covered + 0.5 × partial) / n × 100; 0.0 when there is nothing to cover.

    A partial counts half: the province takes the task up, but not all of it. Gaps count zero.
    Shared by single reports and the multi-province matrix so both show the same number.
    """
    values = list(statuses)
    if not values:
        return 0.0
    covered = sum(1 for s in values if s is Status.COVERED)
    partial = sum(1 for s in values if s is Status.PARTIAL)
    return (covered + 0.5 * partial) / len(values) * 100


def coverage_percent(alignment: Alignment) -> float:
    """Share of national *tasks* taken up: (covered + 0.5 × partial) / tasks × 100.

    Measures are reported separately and do not enter the percentage; a plan with no
    national tasks scores 0.0 rather than dividing by zero.
    """
    index = alignment.national.by_id()
    return percent_of(c.status for c in alignment.coverage if _kind(index, c.national) is Kind.TASK)


def format_percent(value: float) -> str:
    return f"{value:.1f}%"


def summary_line(counts: SummaryCounts) -> str:
    """`17/19 covered, 1 partial, 1 gap` — the sentence analysts quote."""
    return f"{counts.covered}/{counts.tasks} covered, {counts.partial} partial, {counts.gap} gap"


def measures_line(counts: SummaryCounts) -> str:
    text = f"{counts.measures_covered}/{counts.measures} covered"
    return text + (f", {counts.measures_partial} partial" if counts.measures_partial else "")


def action_index(plan: Plan) -> dict[str, Clause | None]:
    """Each clause id → its nearest action, computed in one pass (Plan.action_of is per call)."""
    index = plan.by_id()
    out: dict[str, Clause | None] = {}
    for clause in plan.clauses:
        current: Clause | None = clause
        seen: set[str] = set()
        while current is not None and current.kind is not Kind.ACTION and current.id not in seen:
            seen.add(current.id)
            current = index.get(current.parent) if current.parent else None
        out[clause.id] = current if current is not None and current.kind is Kind.ACTION else None
    return out


def group_by_action(plan: Plan, ids: Iterable[str]) -> list[tuple[Clause | None, list[str]]]:
    """Group clause ids under their action, actions in plan order, ungrouped ids last."""
    actions = action_index(plan)
    wanted = list(ids)
    groups: list[tuple[Clause | None, list[str]]] = []
    for action in plan.of_kind(Kind.ACTION):
        members = [i for i in wanted if (a := actions.get(i)) is not None and a.id == action.id]
        if members:
            groups.append((action, members))
    loose = [i for i in wanted if actions.get(i) is None]
    if loose:
        groups.append((None, loose))
    return groups


def links_by_pair(alignment: Alignment) -> dict[tuple[str, str], Link]:
    """(national id, provincial id) → link, to find score and evidence for a counterpart."""
    return {(link.national, link.province): link for link in alignment.links}


def linked_national(alignment: Alignment) -> dict[str, list[str]]:
    """Provincial id → the national ids it is linked to, in link order."""
    out: dict[str, list[str]] = {}
    for link in alignment.links:
        out.setdefault(link.province, [])
        if link.national not in out[link.province]:
            out[link.province].append(link.national)
    return out


def target_pairs(alignment: Alignment) -> TargetPairs | None:
    """National vs provincial targets side by side, or None when aligner.targets is unavailable.

    Imported lazily because that module is optional for reporting; a missing pairing
    step should drop one section, not break the whole report.
    """
    pair = _load_pair_targets()
    if pair is None:
        return None
    return list(pair(list(alignment.national.targets), list(alignment.province.targets)))


def _load_pair_targets() -> Callable[[list[Target], list[Target]], TargetPairs] | None:
    try:
        from aligner.targets import pair_targets
    except ImportError:
        return None
    return pair_targets


def target_cell(target: Target | None) -> str:
    """`接近70% (2029)`; empty when one side states no such target."""
    if target is None:
        return ""
    return f"{target.value} ({target.year})" if target.year else target.value


def target_indicator(pair: tuple[Target | None, Target | None]) -> str:
    national, province = pair
    either = national or province
    return either.indicator if either is not None else ""
