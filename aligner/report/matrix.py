"""The multi-province matrix data: national tasks down, provinces across, one status per cell.

A batch run keeps only a `MatrixColumn` per province (a few hundred statuses), not the
whole Alignment with both plans' text, so memory stays flat however many provinces run.
A province whose file failed still gets a column, showing the error, so a batch report
never silently drops a province. What the matrix says is built by `view.build_matrix_view`
and drawn by each format's `render_matrix` (see `registry.render_matrix`); the
`render_matrix_*` functions here keep the older entry points working.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aligner.model import Alignment, Clause, Kind, Plan, Status
from aligner.report.text import action_index, coverage_percent

if TYPE_CHECKING:
    from rich.console import Console, Group

MISSING = "?"  # the province's result has no status for this national clause (e.g. an older national plan)
FAILED = "⚠"
LEGACY_SCRIPT = "simplified"  # what the render_matrix_* entry points always showed; the registry honours --script


@dataclass(frozen=True)
class MatrixColumn:
    """One province's column: statuses by national clause id, or the error that stopped it."""

    name: str
    statuses: dict[str, Status] = field(default_factory=dict)
    coverage_percent: float = 0.0
    error: str | None = None
    unreliable: str = ""  # e.g. "truncated": the column's gaps may be missing text, not missing tasks
    file: str = ""  # the file name, to tell apart two provinces of one name
    path: str = ""  # the file as given (the matrix's provenance hashes it)
    report: str = ""  # its HTML report beside the matrix (`青海.html`): HTML matrix cells link into it

    @classmethod
    def failed(cls, name: str, error: str) -> MatrixColumn:
        """A column for a province whose file could not be read, parsed or aligned."""
        return cls(name=name, statuses={}, coverage_percent=0.0, error=error)


def matrix_columns_from(alignment: Alignment) -> MatrixColumn:
    """Reduce an Alignment to what the matrix needs, so the Alignment can be dropped."""
    return MatrixColumn(
        name=alignment.province.name,
        statuses={c.national: c.status for c in alignment.coverage},
        coverage_percent=coverage_percent(alignment),
        error=None,
        unreliable=alignment.unreliable,
        file=_file_name(alignment.province.path),
        path=alignment.province.path,
    )


def _file_name(path: str) -> str:
    from pathlib import PurePath

    return PurePath(path).name if path else ""


def matrix_groups(national: Plan) -> list[tuple[Clause | None, list[Clause]]]:
    """National tasks, then measures, under each action in plan order; unattached clauses last."""
    actions = action_index(national)
    rows = [*national.of_kind(Kind.TASK), *national.of_kind(Kind.MEASURE)]
    groups: list[tuple[Clause | None, list[Clause]]] = []
    for action in [*national.of_kind(Kind.ACTION), None]:
        key = action.id if action else None
        members = [c for c in rows if _id_or_none(actions.get(c.id)) == key]
        if members:
            groups.append((action, members))
    return groups


def _id_or_none(clause: Clause | None) -> str | None:
    return clause.id if clause else None


def _render(national: Plan, columns: list[MatrixColumn], fmt: str, script: str, width: int = 80) -> str:
    from aligner.report.registry import RenderOptions, render_matrix

    text = render_matrix(national, columns, fmt, RenderOptions(script=script, width=width, lang="en"))
    assert isinstance(text, str)
    return text


def render_matrix_terminal(
    national: Plan, columns: list[MatrixColumn], console: Console, script: str = LEGACY_SCRIPT
) -> None:
    """Print the matrix on `console`, fitted to its width."""
    console.print(matrix_terminal(national, columns, console.width, script))


def matrix_terminal(national: Plan, columns: list[MatrixColumn], width: int = 80, script: str = LEGACY_SCRIPT) -> Group:
    """The renderable behind render_matrix_terminal, kept separate so it can be measured or paged."""
    from aligner.report.matrix_view import build_matrix_view
    from aligner.report.terminal import matrix_renderable

    return matrix_renderable(build_matrix_view(national, columns, script=script), width)


def render_matrix_markdown(national: Plan, columns: list[MatrixColumn], script: str = LEGACY_SCRIPT) -> str:
    return _render(national, columns, "md", script)


def render_matrix_csv(national: Plan, columns: list[MatrixColumn], script: str = LEGACY_SCRIPT) -> str:
    return _render(national, columns, "csv", script)


def render_matrix_html(national: Plan, columns: list[MatrixColumn], script: str = LEGACY_SCRIPT) -> str:
    return _render(national, columns, "html", script)
