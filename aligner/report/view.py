"""What a report says, decided once: every output format only lays this out.

`build_view` walks an Alignment a single time and returns plain frozen dataclasses holding every
piece of text a report shows — already in the requested script and already passed through
`escape.safe_text` (so no control, bidi or undecodable character reaches any format).
`matrix_view.build_matrix_view` does the same for the batch matrix (its own module: a single
report never creates its classes). Renderers never look at Alignment or
Plan, and so cannot disagree on what a row, a gap or an addition is.

Text is kept as written (not collapsed to one line): a table cell that must stay on one line is
a layout decision of the format (`text.one_line`, `escape.md_escape`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from aligner import articles
from aligner.docmeta import plan_meta
from aligner.model import Alignment, Clause, Kind, Link, Notice, Plan, Status, Target
from aligner.numbering import formal
from aligner.report.escape import safe_text
from aligner.report.messages import Catalogue
from aligner.report.problems import note_text
from aligner.report.provenance import Provenance, inputs_of, provenance_lines
from aligner.report.text import (
    SummaryCounts,
    action_index,
    check_script,
    coverage_percent,
    display_text,
    display_title,
    evidence_lines,
    format_percent,
    format_score,
    group_by_action,
    linked_national,
    links_by_pair,
    one_line,
    same_as_title,
    script_terms,
    script_text,
    status_symbol,
    summary_counts,
    target_cell,
    target_indicator,
    target_pairs,
)

shown = safe_text  # the one function every displayed string goes through
# The view classes are frozen with eq=False: a view is built once and only read by a renderer, never
# compared, hashed or used as a key, and each generated __eq__/__hash__ costs start-up time (one exec
# per method per class at import). Compare rendered output instead.
# What the lower-level calls (build_view, the render_* entry points older callers use) speak when not told:
# they keep the English they always had. The CLI, RenderOptions and Result.render default to Chinese.
LEGACY_LANG = "en"


@dataclass(frozen=True, eq=False)
class LegendEntry:
    """One symbol of a legend; `key` is the status value (or `missing` / `error`), also a CSS class."""

    key: str
    symbol: str
    label: str


STATUS_LEGEND = tuple(LegendEntry(s.value, status_symbol(s), s.value) for s in Status)


def status_legend(msg: Catalogue) -> tuple[LegendEntry, ...]:
    """The one legend every format shows, its labels in the report's language."""
    return tuple(LegendEntry(s.value, status_symbol(s), msg.status(s.value)) for s in Status)


LEGEND_KEYS = ("legend.relations", "legend.score", "legend.title")


def legend_notes(msg: Catalogue) -> tuple[str, ...]:
    """What the relations and the two numbers beside every link mean: shown under the symbols by every
    format, so "1.00（标题1.00）相同" and "1.00（标题0.62）调整" are read the same way everywhere."""
    return tuple(msg(k) for k in LEGEND_KEYS)


def score_label(msg: Catalogue, score: float, title_similarity: float | None, by_article: bool = False) -> str:
    """`1.00（标题0.97）`: the match score, and the titles' similarity where the matcher compared titles.
    The score stops at 1.00; the title similarity is what tells a near-verbatim link from an adapted one.
    Regulations aligned article by article compare the articles' whole texts: `0.60（全文0.42）`."""
    if title_similarity is None:
        return format_score(score)
    key = "score.label_article" if by_article else "score.label"
    return msg(key, score=format_score(score), title=format_score(title_similarity))


@dataclass(frozen=True, eq=False)
class ClauseRef:
    """A clause as a report names it; `title` None when the id is missing from its plan."""

    id: str
    title: str | None
    kind: str = ""  # Kind value, "" when missing
    label: str = ""  # how the document itself numbers it, and its line: `二、（一）（第14行）`
    number: str = ""  # the document's own numbering alone: `二、（一）` ("" when unnumbered)
    line: int | None = None  # its line in the source text (None when the id is missing)

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.id)


@dataclass(frozen=True, eq=False)
class LinkView:
    """A link's score, relation and evidence. Evidence lines are in the requested script; the
    raw evidence fields (for spreadsheets) are as the matcher found them, in simplified script."""

    score: float
    score_text: str
    relation: str
    evidence: tuple[str, ...]
    shared_terms: tuple[str, ...]
    province_sentence: str
    national_sentence: str
    sentence_score: float
    notes: tuple[str, ...]
    title_similarity: float | None = None  # the titles' character ratio (None: no titles were compared)
    title_text: str = ""  # `0.97`, "" when None
    label: str = ""  # what a reader sees: `1.00（标题0.97）` (score_label)
    decision: str = ""  # an analyst's (accept / add / reject, aligner.decisions), "" when none
    note: str = ""  # the analyst's note with it

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.score_text)


@dataclass(frozen=True, eq=False)
class Counterpart:
    """A provincial clause behind a national one; `link` None when no link backs the pairing."""

    clause: ClauseRef
    units: tuple[str, ...]
    link: LinkView | None


@dataclass(frozen=True, eq=False)
class CoverageRow:
    """One national task or measure: status and its provincial counterparts, best first."""

    clause: ClauseRef
    action_title: str | None  # the national action above it
    status: Status
    symbol: str
    counterparts: tuple[Counterpart, ...]


@dataclass(frozen=True, eq=False)
class TaskGroup:
    """National tasks under one national action (`action` None: tasks outside any action)."""

    action: ClauseRef | None
    rows: tuple[CoverageRow, ...]
    counterparts: tuple[Counterpart, ...] = ()  # provincial actions linked to the national action itself


@dataclass(frozen=True, eq=False)
class AdditionItem:
    clause: ClauseRef
    units: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class AdditionGroup:
    """Provincial additions under one provincial action (`action` None: outside any action)."""

    action: ClauseRef | None
    items: tuple[AdditionItem, ...]


@dataclass(frozen=True, eq=False)
class TargetRow:
    """A quantitative target side by side; a cell is "" when that plan states no such target."""

    indicator: str
    national: str
    province: str


@dataclass(frozen=True, eq=False)
class ClauseBlock:
    """One clause of a plan shown in full (HTML): `text` is "" when it only repeats the title."""

    id: str
    kind: str
    title: str
    text: str
    units: tuple[str, ...]
    status: Status | None  # national side: its coverage status, if it has one
    symbol: str
    addition: bool  # provincial side: a provincial addition
    terms: tuple[str, ...]  # shared terms to highlight, in the displayed script, longest first
    label: str = ""  # the document's own numbering and line (the id stays the anchor)


@dataclass(frozen=True, eq=False)
class PlanColumn:
    title: str
    name: str
    path: str
    blocks: tuple[ClauseBlock, ...]


@dataclass(frozen=True, eq=False)
class ProvincialTask:
    """A provincial task or measure with what it implements (spreadsheets filter additions by it)."""

    clause: ClauseRef
    action_title: str | None
    units: tuple[str, ...]
    linked: tuple[str, ...]  # national ids
    addition: bool


@dataclass(frozen=True, eq=False)
class LinkRow:
    national: ClauseRef
    province: ClauseRef
    link: LinkView


@dataclass(frozen=True, eq=False)
class TitleBlock:
    province_name: str
    province_title: str
    province_path: str
    national_name: str
    national_title: str
    national_path: str
    province_meta: str = ""  # `文号：青政〔2024〕12号；成文日期：2024年9月6日`, "" when none is stated
    national_meta: str = ""


@dataclass(frozen=True, eq=False)
class Summary:
    counts: SummaryCounts
    percent: float
    percent_text: str
    tasks_line: str  # `17/19 covered, 1 partial, 1 gap (89.5%)`
    measures_line: str
    unreliable: str = ""  # why the percentage is no gap rate, in the reader's language ("" = it is one)
    paragraph: str = ""  # the formal summary, ready to paste into a 汇报材料
    definitions: tuple[str, ...] = ()  # how the figures are counted


@dataclass(frozen=True, eq=False)
class ReportView:
    """Everything one province's report says, in reading order of the terminal and markdown reports."""

    titles: TitleBlock
    summary: Summary
    warnings: tuple[str, ...]
    legend: tuple[LegendEntry, ...]
    legend_notes: tuple[str, ...]  # relations, score and title similarity explained (legend_notes)
    task_groups: tuple[TaskGroup, ...]
    measures: tuple[CoverageRow, ...]
    coverage: tuple[CoverageRow, ...]  # every row in national order (tabular formats)
    gaps: tuple[CoverageRow, ...]
    additions: tuple[AdditionGroup, ...]
    targets: tuple[TargetRow, ...] | None  # None when target pairing is unavailable
    script: str
    explain: bool
    lang: str
    # The data itself, for formats that serialise it rather than display it (JSON, the contract).
    alignment: Alignment = field(repr=False, compare=False)
    _builder: _Builder | None = field(default=None, repr=False, compare=False)
    provenance: tuple[str, ...] = ()  # version, date, inputs with sha256 …, one line each (() when not asked)
    provenance_json: dict[str, object] | None = None

    @cached_property
    def national_column(self) -> PlanColumn:
        """The national plan in full, clause by clause. Built on first use: only HTML shows clause
        texts, and highlighting shared terms in the author's script needs OpenCC (slow to load)."""
        assert self._builder is not None, "a ReportView comes from build_view"
        return _national_column(self._builder)

    @cached_property
    def province_column(self) -> PlanColumn:
        """The provincial plan in full (built on first use, like `national_column`)."""
        assert self._builder is not None, "a ReportView comes from build_view"
        return _province_column(self._builder)

    @cached_property
    def provincial_tasks(self) -> tuple[ProvincialTask, ...]:
        """Provincial tasks and measures with what they implement (built on first use: spreadsheets only)."""
        assert self._builder is not None, "a ReportView comes from build_view"
        return _provincial_tasks(self._builder)

    @cached_property
    def links(self) -> tuple[LinkRow, ...]:
        """Every link in matcher order (built on first use: spreadsheets only)."""
        assert self._builder is not None, "a ReportView comes from build_view"
        return self._builder.link_rows(self._builder.alignment.links)

    @cached_property
    def rejected(self) -> tuple[LinkRow, ...]:
        """Links an analyst rejected (aligner.decisions), in the order decided: the review sheet
        writes them back with their decision, so a sheet made after a decisions run loses none."""
        assert self._builder is not None, "a ReportView comes from build_view"
        return self._builder.link_rows(self._builder.alignment.rejected)


def _tuple(items: Iterable[str]) -> tuple[str, ...]:
    return tuple([shown(i) for i in items])


class _Builder:
    """Holds the per-alignment indexes so each clause's display title is computed once."""

    def __init__(self, alignment: Alignment, script: str, msg: Catalogue | None = None) -> None:
        self.alignment = alignment
        self.script = script
        self.msg = msg or Catalogue()
        self.national = alignment.national
        self.province = alignment.province
        self.nat_index = self.national.by_id()
        self.prov_index = self.province.by_id()
        self.nat_actions = action_index(self.national)
        self.pairs = links_by_pair(alignment)
        # Two regulations are aligned article by article (match.align): no titles were compared.
        self.by_article = articles.is_article_plan(self.national) and articles.is_article_plan(self.province)
        self._titles: dict[tuple[int, str], str] = {}
        self._links: dict[int, LinkView] = {}

    def title(self, plan: Plan, clause: Clause) -> str:
        key = (id(plan), clause.id)
        if key not in self._titles:
            self._titles[key] = shown(display_title(plan, clause, self.script))
        return self._titles[key]

    def ref(self, plan: Plan, index: dict[str, Clause], clause_id: str) -> ClauseRef:
        clause = index.get(clause_id)
        if clause is None:
            return ClauseRef(shown(clause_id), None, "")
        return clause_ref(clause, index, self.title(plan, clause), self.msg)

    def link_rows(self, links: Iterable[Link]) -> tuple[LinkRow, ...]:
        return tuple(LinkRow(self.ref(self.national, self.nat_index, l.national),
                             self.ref(self.province, self.prov_index, l.province), self.link(l)) for l in links)

    def link(self, link: Link) -> LinkView:
        """The view of a link, made once however many places show it."""
        key = id(link)
        if key not in self._links:
            self._links[key] = self._link(link)
        return self._links[key]

    def _link(self, link: Link) -> LinkView:
        ev = link.evidence
        return LinkView(
            score=link.score,
            score_text=format_score(link.score),
            relation=self.msg.relation(link.relation.value) + (self.msg(f"decision.{link.decision}") if link.decision else ""),
            evidence=_tuple(evidence_lines(link, self.script, self.msg)),
            shared_terms=_tuple(ev.shared_terms),
            province_sentence=shown(ev.province_sentence),
            national_sentence=shown(ev.national_sentence),
            sentence_score=ev.sentence_score,
            notes=_tuple(note_text(note, self.msg.zh) for note in ev.notes),
            title_similarity=link.title_similarity,
            title_text=format_score(link.title_similarity) if link.title_similarity is not None else "",
            label=score_label(self.msg, link.score, link.title_similarity, self.by_article),
            decision=link.decision or "",
            note=shown(link.note),
        )

    def counterparts(self, national_id: str, province_ids: Iterable[str]) -> tuple[Counterpart, ...]:
        parts = []
        for pid in province_ids:
            clause = self.prov_index.get(pid)
            link = self.pairs.get((national_id, pid))
            units = _tuple(clause.units) if clause else ()
            parts.append(Counterpart(self.ref(self.province, self.prov_index, pid), units, self.link(link) if link else None))
        return tuple(parts)

    def coverage_row(self, coverage_national: str, status: Status, counterparts: tuple[str, ...]) -> CoverageRow:
        action = self.nat_actions.get(coverage_national)
        parts = self.counterparts(coverage_national, counterparts)
        return CoverageRow(
            clause=self.ref(self.national, self.nat_index, coverage_national),
            action_title=self.title(self.national, action) if action else None,
            status=status,
            symbol=status_symbol(status),
            counterparts=parts,
        )

    def action_ref(self, plan: Plan, action: Clause | None) -> ClauseRef | None:
        if action is None:
            return None
        index = self.nat_index if plan is self.national else self.prov_index
        return clause_ref(action, index, self.title(plan, action), self.msg)


_DECIMAL_NUMBER = re.compile(r"^\d+(?:\.\d+)+\.?$")


def numbering(clause: Clause, index: dict[str, Clause]) -> str:
    """The document's own numbering of a clause, from the top: `二、（一）1.` (empty parts skipped)."""
    parts: list[str] = []
    current: Clause | None = clause
    seen: set[str] = set()
    while current is not None and current.id not in seen:
        seen.add(current.id)
        if current.number:
            parts.append(formal(current.number))  # （一）, as 公文 print it
            if _DECIMAL_NUMBER.match(current.number.strip()):
                break  # `2.1.` already holds its parents' numbers
        current = index.get(current.parent) if current.parent else None
    return "".join(reversed(parts))


def clause_ref(clause: Clause, index: dict[str, Clause], title: str, msg: Catalogue) -> ClauseRef:
    """A clause as every report names it: its own numbering and line, the id kept for links."""
    return ClauseRef(shown(clause.id), title, clause.kind.value, shown(clause_label(clause, index, msg)),
                     shown(numbering(clause, index)), clause.line)


def clause_label(clause: Clause, index: dict[str, Clause], msg: Catalogue) -> str:
    """`二、（一）（第14行）` / `二、（一） (line 14)`: what a reader finds in the document itself."""
    number = numbering(clause, index) + item_position(clause, index, msg)
    line = msg("label.line", line=clause.line)
    return f"{number}{line}" if number else line.strip(" ()（）")


def item_position(clause: Clause, index: dict[str, Clause], msg: Catalogue) -> str:
    """`第3项` for an item listed inline (包括A、B、C): it has no number of its own, and its
    siblings share its parent's numbering and line, so its place in the list tells them apart."""
    parent = index.get(clause.parent) if clause.parent else None
    if clause.number or parent is None:
        return ""
    unnumbered = [c for c in parent.children if c in index and not index[c].number and index[c].line == clause.line]
    if len(unnumbered) < 2 or clause.id not in unnumbered:
        return ""
    return msg("label.item", n=unnumbered.index(clause.id) + 1)


def build_view(alignment: Alignment, *, explain: bool, script: str, lang: str = LEGACY_LANG,
               provenance: Provenance | None = None) -> ReportView:
    """Build what the report for one province says, for any format, in `lang` and `script`."""
    check_script(script)
    msg = Catalogue(lang)
    inputs = inputs_of([alignment.national.path, alignment.province.path]) if provenance else []
    b = _Builder(alignment, script, msg)
    rows = [b.coverage_row(c.national, c.status, c.counterparts) for c in alignment.coverage]
    tasks = {r.clause.id: r for r, c in zip(rows, alignment.coverage) if _kind(b.nat_index, c.national) is Kind.TASK}
    task_groups = tuple(
        TaskGroup(b.action_ref(b.national, action), tuple(tasks[i] for i in ids),
                  b.counterparts(action.id, _linked_to(alignment, action.id)) if action else ())
        for action, ids in group_by_action(b.national, tasks)
    )
    measures = tuple(r for r, c in zip(rows, alignment.coverage) if _kind(b.nat_index, c.national) is Kind.MEASURE)
    counts = summary_counts(alignment)
    percent = coverage_percent(alignment)
    return ReportView(
        titles=_titles(alignment, msg, script),
        summary=Summary(
            counts=counts,
            percent=percent,
            percent_text=format_percent(percent),
            tasks_line=tasks_line(msg, counts, percent, alignment.unreliable),
            measures_line=measures_line(msg, counts),
            unreliable=unreliable_reason(msg, alignment.unreliable) if alignment.unreliable else "",
            paragraph=shown(script_text(summary_paragraph(b, counts, percent), script)),
            definitions=tuple(msg(k) for k in ("def.tasks", "def.status", "def.measures")),
        ),
        warnings=_tuple(script_text(w, script) for w in warning_texts(alignment, msg)),
        legend=status_legend(msg),
        legend_notes=legend_notes(msg),
        task_groups=task_groups,
        measures=measures,
        coverage=tuple(rows),
        gaps=tuple(r for r in rows if r.status is Status.GAP),
        additions=_additions(b),
        targets=_targets(alignment),
        script=script,
        explain=explain,
        lang=msg.lang,
        provenance=_tuple(provenance_lines(provenance, inputs, msg)) if provenance else (),
        provenance_json=provenance.to_json(inputs) if provenance else None,
        alignment=alignment,
        _builder=b,
    )


def _linked_to(alignment: Alignment, national_id: str) -> list[str]:
    """The provincial clauses linked to one national clause (an action), best score first."""
    mine = [l for l in alignment.links if l.national == national_id]
    return [l.province for l in sorted(mine, key=lambda l: -l.score)]


def _kind(index: dict[str, Clause], clause_id: str) -> Kind | None:
    clause = index.get(clause_id)
    return clause.kind if clause else None


_LISTED = 5  # titles named in the paragraph before 等N项


def _listing(msg: Catalogue, titles: list[str]) -> str:
    named = [f"“{one_line(t)}”" for t in titles[:_LISTED]]
    text = msg("para.list_sep").join(named)
    return text + (msg("para.more", n=len(titles), rest=len(titles) - _LISTED) if len(titles) > _LISTED else "")


def summary_paragraph(b: _Builder, counts: SummaryCounts, percent: float) -> str:
    """《…实施方案》共部署X项行动、Y项任务，覆盖国家Z项重点任务中的W项（其中部分覆盖V项）…: the
    sentence an official pastes. When the coverage is unreliable it says why and gives no rate."""
    msg, alignment = b.msg, b.alignment
    province, national = alignment.province, alignment.national
    actions = len(province.of_kind(Kind.ACTION))
    parts = [*([msg("para.actions", n=actions)] if actions else []), msg("para.tasks", n=len(province.of_kind(Kind.TASK)))]
    title = one_line(province.title or province.name)
    text = msg("para.intro", title=title, parts=msg("para.join").join(parts))
    had = counts.covered + counts.partial
    national_title = one_line(national.title or national.name)
    if alignment.unreliable:
        text += msg("para.coverage_unreliable", national=national_title, tasks=counts.tasks, covered=had,
                    partial=counts.partial, why=unreliable_reason(msg, alignment.unreliable))
    else:
        text += msg("para.coverage", national=national_title, tasks=counts.tasks, covered=had, partial=counts.partial,
                    percent=format_percent(percent))
        gap_titles = [b.title(national, c) for c in _gap_clauses(b, Kind.TASK)]
        text += msg("para.gaps", items=_listing(msg, gap_titles)) if gap_titles else msg("para.no_gaps")
    if counts.measures:
        text += msg("para.measures", total=counts.measures, covered=counts.measures_covered + counts.measures_partial)
    added = [b.title(province, c) for pid in alignment.additions if (c := b.prov_index.get(pid)) is not None]
    text += msg("para.additions", n=len(added), items=_listing(msg, added)) if added else msg("para.no_additions")
    if alignment.decided:
        decided = [sum(1 for l in alignment.links if l.decision == d) for d in ("accept", "add")]
        text += msg("para.decisions", accepted=decided[0], added=decided[1], rejected=len(alignment.rejected))
    return text + msg("para.end")


def _gap_clauses(b: _Builder, kind: Kind) -> list[Clause]:
    return [c for cov in b.alignment.coverage if cov.status is Status.GAP
            and (c := b.nat_index.get(cov.national)) is not None and c.kind is kind]


def unreliable_reason(msg: Catalogue, why: str) -> str:
    """Why the coverage figure is unreliable, in the reader's language (the code itself otherwise)."""
    key = f"why.{why}"
    try:
        return msg(key)
    except KeyError:
        return why


def tasks_line(msg: Catalogue, counts: SummaryCounts, percent: float, unreliable: str) -> str:
    """`17/19 covered, 1 partial, 1 gap (89.5%)` — or why the figure is no gap rate."""
    line = msg("line.tasks", covered=counts.covered, tasks=counts.tasks, partial=counts.partial, gap=counts.gap)
    if unreliable:
        return line + msg("line.unreliable", why=unreliable_reason(msg, unreliable))
    return line + msg("line.percent", percent=format_percent(percent))


def measures_line(msg: Catalogue, counts: SummaryCounts) -> str:
    """Measures counted on their own, gaps included (they are not in the percentage)."""
    text = msg("line.measures", covered=counts.measures_covered, total=counts.measures)
    if counts.measures_partial:
        text += msg("line.measures_partial", partial=counts.measures_partial)
    gaps = counts.measures - counts.measures_covered - counts.measures_partial
    return text + (msg("line.measures_gap", gap=gaps) if gaps else "")


def notice_text(notice: Notice, msg: Catalogue) -> str:
    """A coded warning as a reader sees it: `truncated: line 14: …`, or 文本不完整：第14行：… in Chinese."""
    if not msg.zh:
        return notice.as_text()
    if not notice.message_zh:  # a check without a Chinese sentence yet: its code in Chinese, the English kept
        label = msg(f"notice.{notice.code}") if f"notice.{notice.code}" in _NOTICE_KEYS else notice.code
        return f"{label}：{notice.message}"
    body = notice.message_zh
    where = msg("notice.line", line=notice.line) if notice.line is not None and f"第{notice.line}行" not in body else ""
    return f"{where}{body}"


_NOTICE_KEYS = {f"notice.{c}" for c in ("truncated", "declared-count-mismatch", "garbled-text",
                                         "not-an-implementation", "arguments-swapped", "partial-listing",
                                         "lost-line-breaks", "note")}


def warning_texts(alignment: Alignment, msg: Catalogue) -> list[str]:
    """The coded checks first, then the parser's and matcher's own remarks (kept as they are written)."""
    return [*(notice_text(n, msg) for n in alignment.notices), *(msg.note(w) for w in alignment.province.warnings),
            *(msg.note(w) for w in alignment.warnings)]


def meta_line(plan: Plan, msg: Catalogue) -> str:
    """The 文号, issuer and date a document states, as one header line ("" when it states none)."""
    meta = plan_meta(plan)
    sep = "：" if msg.zh else ": "
    parts = [f"{msg(key)}{sep}{value}" for key, value in
             (("meta.number", meta.number), ("meta.issuer", meta.issuer), ("meta.date", meta.date)) if value]
    return shown(("；" if msg.zh else "; ").join(parts))


def _titles(alignment: Alignment, msg: Catalogue, script: str) -> TitleBlock:
    national, province = alignment.national, alignment.province
    return TitleBlock(
        province_name=shown(province.name),
        province_title=shown(province.title),
        province_path=shown(province.path),
        national_name=shown(national.name),
        national_title=shown(national.title),
        national_path=shown(national.path),
        province_meta=script_text(meta_line(province, msg), script),
        national_meta=script_text(meta_line(national, msg), script),
    )


def _additions(b: _Builder) -> tuple[AdditionGroup, ...]:
    groups = []
    for action, ids in group_by_action(b.province, b.alignment.additions):
        items = []
        for pid in ids:
            clause = b.prov_index.get(pid)
            items.append(AdditionItem(b.ref(b.province, b.prov_index, pid), _tuple(clause.units) if clause else ()))
        groups.append(AdditionGroup(b.action_ref(b.province, action), tuple(items)))
    return tuple(groups)


def _targets(alignment: Alignment) -> tuple[TargetRow, ...] | None:
    pairs = target_pairs(alignment)
    if pairs is None:
        return None
    return tuple(TargetRow(shown(target_indicator(p)), _cell(p[0]), _cell(p[1])) for p in pairs)


def _cell(target: Target | None) -> str:
    return shown(target_cell(target))


def _terms_by_clause(links: list[Link], national_side: bool) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for link in links:
        key = link.national if national_side else link.province
        out.setdefault(key, set()).update(link.evidence.shared_terms)
    return out


def _block(b: _Builder, plan: Plan, clause: Clause, terms: Iterable[str], status: Status | None = None,
           addition: bool = False) -> ClauseBlock:
    title = display_title(plan, clause, b.script)
    text = display_text(clause, b.script)
    worth_showing = bool(text.strip()) and not same_as_title(text, title)
    return ClauseBlock(
        id=shown(clause.id),
        kind=clause.kind.value,
        title=b.title(plan, clause),
        text=shown(text) if worth_showing else "",
        units=_tuple(clause.units),
        status=status,
        symbol=status_symbol(status) if status else "",
        addition=addition,
        terms=_tuple(script_terms(terms, b.script)),
        label=shown(clause_label(clause, b.nat_index if plan is b.national else b.prov_index, b.msg)),
    )


def _national_column(b: _Builder) -> PlanColumn:
    plan = b.national
    coverage = {c.national: c.status for c in b.alignment.coverage}
    terms = _terms_by_clause(b.alignment.links, national_side=True)
    blocks = tuple(_block(b, plan, clause, terms.get(clause.id, ()), status=coverage.get(clause.id))
                   for clause in plan.clauses)
    return PlanColumn(shown(plan.title), shown(plan.name), shown(plan.path), blocks)


def _province_column(b: _Builder) -> PlanColumn:
    plan = b.province
    additions = set(b.alignment.additions)
    terms = _terms_by_clause(b.alignment.links, national_side=False)
    blocks = tuple(_block(b, plan, clause, terms.get(clause.id, ()), addition=clause.id in additions)
                   for clause in plan.clauses)
    return PlanColumn(shown(plan.title), shown(plan.name), shown(plan.path), blocks)


def _provincial_tasks(b: _Builder) -> tuple[ProvincialTask, ...]:
    plan = b.province
    actions = action_index(plan)
    linked = linked_national(b.alignment)
    additions = set(b.alignment.additions)
    out = []
    for clause in plan.of_kind(Kind.TASK, Kind.MEASURE):
        action = actions.get(clause.id)
        out.append(
            ProvincialTask(
                clause=clause_ref(clause, b.prov_index, b.title(plan, clause), b.msg),
                action_title=b.title(plan, action) if action else None,
                units=_tuple(clause.units),
                linked=_tuple(linked.get(clause.id, [])),
                addition=clause.id in additions,
            )
        )
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Rows of the tabular formats (CSV and the workbook's coverage sheet share them)

CSV_COLUMNS = (
    "province",
    "national_id",
    "national_number",
    "national_line",
    "national_kind",
    "national_action",
    "national_title",
    "status",
    "province_id",
    "province_number",
    "province_line",
    "province_title",
    "score",
    "title_similarity",
    "relation",
    "shared_terms",
    "responsible_units",
)


def csv_header(view_lang: str, columns: Iterable[str] = CSV_COLUMNS) -> list[str]:
    """Column names in the reader's language (English keeps the snake_case names scripts rely on)."""
    msg = Catalogue(view_lang)
    return [msg(f"field.{c}") for c in columns]


def joined(items: Iterable[str]) -> str:
    """`a、b` with each item on one line: how lists (terms, units) fit one spreadsheet cell."""
    return "、".join(one_line(i) for i in items if i)


def coverage_records(view: ReportView) -> list[dict[str, str]]:
    """One record per national task/measure × counterpart; a gap gets one with no counterpart.

    `responsible_units` are the provincial counterpart's 责任单位 (national plans name none).
    Values are one-line text, not yet escaped for any format.
    """
    msg = Catalogue(view.lang)
    province = one_line(view.titles.province_name)
    records: list[dict[str, str]] = []
    empty = {k: "" for k in CSV_COLUMNS[CSV_COLUMNS.index("province_id"):]}
    for row in view.coverage:
        base = {
            "province": province,
            "national_id": row.clause.id,
            "national_number": row.clause.number,
            "national_line": _line(row.clause),
            "national_kind": msg.kind(row.clause.kind) if row.clause.kind else "",
            "national_action": one_line(row.action_title) if row.action_title is not None else "",
            "national_title": one_line(row.clause.title) if row.clause.title is not None else "",
            "status": msg.status(row.status.value),
        }
        if not row.counterparts:
            records.append(base | empty)
        for part in row.counterparts:
            link = part.link
            records.append(
                base
                | {
                    "province_id": part.clause.id,
                    "province_number": part.clause.number,
                    "province_line": _line(part.clause),
                    "province_title": one_line(part.clause.title) if part.clause.title is not None else "",
                    "score": link.score_text if link else "",
                    "title_similarity": link.title_text if link else "",
                    "relation": link.relation if link else "",
                    "shared_terms": joined(link.shared_terms) if link else "",
                    "responsible_units": joined(part.units),
                }
            )
    return records


def _line(ref: ClauseRef) -> str:
    return str(ref.line) if ref.line is not None else ""
