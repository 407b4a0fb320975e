"""What the batch matrix says, decided once: national tasks down, provinces across.

Split from `view` so that a single report (the common run) does not create these classes or import
the matrix data module: `build_matrix_view` is only called for a batch matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

from aligner.model import Clause, Kind, Plan, Status
from aligner.report.matrix import FAILED, MISSING, MatrixColumn, matrix_groups
from aligner.report.messages import DEFAULT_LANG, Catalogue
from aligner.report.provenance import Provenance, inputs_of, provenance_lines
from aligner.report.text import action_index, check_script, display_title, format_percent, one_line, script_text, status_symbol
from aligner.report.view import (
    LEGACY_LANG,
    STATUS_LEGEND,
    LegendEntry,
    _tuple,
    clause_label,
    numbering,
    shown,
    status_legend,
    unreliable_reason,
)


@dataclass(frozen=True)
class MatrixCell:
    """A province's status for one national clause: a status value, `missing` or `error`."""

    value: str
    symbol: str
    status: Status | None


_CELLS = {s.value: MatrixCell(s.value, status_symbol(s), s) for s in Status} | {
    "missing": MatrixCell("missing", MISSING, None),
    "error": MatrixCell("error", FAILED, None),
}

MATRIX_LEGEND = (*STATUS_LEGEND, LegendEntry("missing", MISSING, "missing"), LegendEntry("error", FAILED, "failed"))


def matrix_legend(msg: Catalogue) -> tuple[LegendEntry, ...]:
    return (*status_legend(msg), LegendEntry("missing", MISSING, msg.status("missing")),
            LegendEntry("error", FAILED, msg.status("error")))


@dataclass(frozen=True)
class MatrixColumnView:
    name: str
    error: str | None
    percent: float
    footer: str  # `53.3%`, or `error`
    unreliable: str = ""  # why its coverage is no gap rate, in the reader's language ("" = it is one)
    marker: str = ""  # `†` beside the name when unreliable
    report: str = ""  # the province's HTML report file, "" when none was written beside the matrix


@dataclass(frozen=True)
class MatrixRow:
    id: str
    kind: str
    title: str
    action_title: str  # "" outside any action
    cells: tuple[MatrixCell, ...]  # one per column, in column order
    label: str = ""  # the national plan's own numbering and line: `二、（一）（第14行）`
    number: str = ""  # the numbering alone: `二、（一）`
    line: int | None = None

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.id)

    @property
    def is_measure(self) -> bool:
        return self.kind == Kind.MEASURE.value


@dataclass(frozen=True)
class MatrixGroup:
    label: str  # `2 实施新一轮…行动`, or `other`
    rows: tuple[MatrixRow, ...]


@dataclass(frozen=True)
class MatrixView:
    """National tasks down, provinces across; failed provinces keep their column."""

    title: str
    columns: tuple[MatrixColumnView, ...]
    groups: tuple[MatrixGroup, ...]
    legend: tuple[LegendEntry, ...]
    script: str
    lang: str = DEFAULT_LANG
    provenance: tuple[str, ...] = ()  # as in ReportView

    @property
    def failed(self) -> tuple[MatrixColumnView, ...]:
        return tuple(c for c in self.columns if c.error is not None)

    @property
    def footnotes(self) -> tuple[str, ...]:
        """One line per unreliable column: its gaps are not to be read as gaps (every matrix format shows them)."""
        msg = Catalogue(self.lang)
        return tuple(msg("matrix.footnote", name=c.name.removesuffix(c.marker), why=c.unreliable)
                     for c in self.columns if c.unreliable)


def build_matrix_view(national: Plan, columns: list[MatrixColumn], *, script: str,
                      lang: str = LEGACY_LANG, provenance: Provenance | None = None) -> MatrixView:
    """Build the batch matrix: national titles in the requested script, one cell per province."""
    check_script(script)
    msg = Catalogue(lang)
    titles: dict[str, str] = {}

    def title(clause: Clause) -> str:
        if clause.id not in titles:
            titles[clause.id] = shown(display_title(national, clause, script))
        return titles[clause.id]

    actions = action_index(national)
    index = national.by_id()
    groups = []
    for action, clauses in matrix_groups(national):
        label = (f"{shown(clause_label(action, index, msg))} {one_line(title(action))}" if action
                 else msg("matrix.other"))
        rows = []
        for clause in clauses:
            above = actions.get(clause.id)
            cells = tuple(_CELLS[_cell_value(column, clause.id)] for column in columns)
            rows.append(MatrixRow(shown(clause.id), clause.kind.value, title(clause), title(above) if above else "", cells,
                                  shown(clause_label(clause, index, msg)), shown(numbering(clause, index)),
                                  clause.line))
        groups.append(MatrixGroup(label, tuple(rows)))
    return MatrixView(
        title=shown(national.title),
        columns=tuple(_column_view(c, msg, script) for c in distinct_names(columns)),
        groups=tuple(groups),
        legend=matrix_legend(msg),
        script=script,
        lang=msg.lang,
        provenance=_tuple(provenance_lines(provenance, inputs_of([national.path, *(c.path for c in columns)]), msg))
        if provenance else (),
    )


def distinct_names(columns: list[MatrixColumn]) -> list[MatrixColumn]:
    """Two provinces of one name (two versions of a plan) get their file name beside it, so the
    columns can be told apart; names already distinct are kept as they are."""
    from collections import Counter
    from dataclasses import replace

    counts = Counter(c.name for c in columns)
    return [replace(c, name=f"{c.name}（{c.file}）") if counts[c.name] > 1 and c.file else c for c in columns]


def _cell_value(column: MatrixColumn, clause_id: str) -> str:
    if column.error is not None:
        return "error"
    status = column.statuses.get(clause_id)
    return status.value if status else "missing"


def _column_view(column: MatrixColumn, msg: Catalogue, script: str) -> MatrixColumnView:
    failed = column.error is not None
    why = unreliable_reason(msg, column.unreliable) if column.unreliable and not failed else ""
    marker = msg("matrix.unreliable_mark") if why else ""
    return MatrixColumnView(
        name=shown(script_text(column.name, script)) + marker,
        error=shown(column.error) if column.error is not None else None,
        percent=column.coverage_percent,
        footer=msg("matrix.error") if failed else (msg("matrix.unreliable", why=why) if why
                                                   else format_percent(column.coverage_percent)),
        unreliable=why,
        marker=marker,
        report=column.report,
    )
