"""CSV and XLSX exports, for analysts who sort, filter and pivot the results in a spreadsheet.

Plan text is untrusted: a title like `=HYPERLINK(...)` must never become a live formula.
CSV cells get a leading `'` (`csv_safe`); XLSX cells are written with `write_string`,
which stores text as text whatever it starts with.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from aligner.model import Alignment, Clause, Kind, Link
from aligner.report.text import (
    action_index,
    coverage_percent,
    display_title,
    format_score,
    links_by_pair,
    linked_national,
    one_line,
    summary_counts,
)

if TYPE_CHECKING:
    import xlsxwriter
    from xlsxwriter.worksheet import Worksheet


CSV_COLUMNS = (
    "province",
    "national_id",
    "national_kind",
    "national_action",
    "national_title",
    "status",
    "province_id",
    "province_title",
    "score",
    "relation",
    "shared_terms",
    "responsible_units",
)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Fixed so the same alignment always gives byte-identical xlsx (xlsxwriter also fixes zip times).
FIXED_CREATED = datetime(2000, 1, 1, 0, 0, 0)


def csv_safe(value: str) -> str:
    """Prefix `'` to text a spreadsheet would read as a formula (CSV/DDE injection)."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _join(items: Iterable[str]) -> str:
    return "、".join(one_line(i) for i in items if i)


def coverage_rows(alignment: Alignment, script: str = "original") -> list[dict[str, str]]:
    """One row per national task/measure × counterpart; a gap gets one row with no counterpart.

    `responsible_units` are the provincial counterpart's 责任单位 (national plans name none).
    Values are raw text: CSV escaping is applied by `render_csv`, XLSX writes them as strings.
    """
    national = alignment.national.by_id()
    province = alignment.province.by_id()
    actions = action_index(alignment.national)
    pairs = links_by_pair(alignment)
    rows: list[dict[str, str]] = []
    for cov in alignment.coverage:
        clause = national.get(cov.national)
        action = actions.get(cov.national)
        base = {
            "province": one_line(alignment.province.name),
            "national_id": cov.national,
            "national_kind": clause.kind.value if clause else "",
            "national_action": one_line(display_title(alignment.national, action, script)) if action else "",
            "national_title": one_line(display_title(alignment.national, clause, script)) if clause else "",
            "status": cov.status.value,
        }
        empty = {k: "" for k in CSV_COLUMNS[6:]}
        if not cov.counterparts:
            rows.append(base | empty)
        for pid in cov.counterparts:
            rows.append(base | _counterpart(alignment, province.get(pid), pid, pairs.get((cov.national, pid)), script))
    return rows


def _counterpart(alignment: Alignment, clause: Clause | None, pid: str, link: Link | None, script: str) -> dict[str, str]:
    return {
        "province_id": pid,
        "province_title": one_line(display_title(alignment.province, clause, script)) if clause else "",
        "score": format_score(link.score) if link else "",
        "relation": link.relation.value if link else "",
        "shared_terms": _join(link.evidence.shared_terms) if link else "",
        "responsible_units": _join(clause.units) if clause else "",
    }


def render_csv(alignment: Alignment, script: str = "original") -> str:
    """The coverage rows as RFC 4180 CSV (CRLF line ends); write it with encoding utf-8-sig for Excel."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in coverage_rows(alignment, script):
        writer.writerow([csv_safe(row[c]) for c in CSV_COLUMNS])
    return buffer.getvalue()


def render_xlsx(alignment: Alignment, script: str = "original", created: datetime = FIXED_CREATED) -> bytes:
    """A workbook with sheets summary, national coverage, provincial tasks and links.

    Deterministic: `created` is fixed by default, so identical input gives identical bytes
    (reports can be diffed and cached).
    """
    buffer = io.BytesIO()
    import xlsxwriter  # only xlsx needs it; keeps start-up of every other format short

    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"created": created, "title": one_line(alignment.province.title)[:255]})
    bold = book.add_format({"bold": True})
    _summary_sheet(book, alignment, bold)
    _sheet(book, "national coverage", CSV_COLUMNS, _rows_as_lists(coverage_rows(alignment, script)), bold)
    _sheet(book, "provincial tasks", _TASK_COLUMNS, _task_rows(alignment, script), bold)
    _sheet(book, "links", _LINK_COLUMNS, _link_rows(alignment, script), bold)
    book.close()
    return buffer.getvalue()


def _rows_as_lists(rows: list[dict[str, str]]) -> list[list[str | float]]:
    out: list[list[str | float]] = []
    for row in rows:
        values: list[str | float] = [row[c] for c in CSV_COLUMNS]
        score_at = CSV_COLUMNS.index("score")
        values[score_at] = float(row["score"]) if row["score"] else ""
        out.append(values)
    return out


def _write(sheet: Worksheet, r: int, c: int, value: str | float | int, fmt: object = None) -> None:
    """Numbers as numbers, everything else with write_string: never a formula, never a URL."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(r, c, value, fmt)
    elif value != "":
        sheet.write_string(r, c, str(value), fmt)


def _sheet(
    book: xlsxwriter.Workbook,
    name: str,
    header: Iterable[str],
    rows: list[list[str | float]],
    bold: object,
) -> None:
    sheet = book.add_worksheet(name)
    header = list(header)
    for c, title in enumerate(header):
        _write(sheet, 0, c, title, bold)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            _write(sheet, r, c, value)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(header) - 1)
    for c, title in enumerate(header):
        widest = max([len(title), *(len(str(row[c])) for row in rows if c < len(row))])
        sheet.set_column(c, c, min(max(widest * 1.6, 8), 60))


def _summary_sheet(book: xlsxwriter.Workbook, alignment: Alignment, bold: object) -> None:
    counts = summary_counts(alignment)
    rows: list[list[str | float]] = [
        ["province", one_line(alignment.province.name)],
        ["plan title", one_line(alignment.province.title)],
        ["plan file", alignment.province.path],
        ["national plan", one_line(alignment.national.title)],
        ["national tasks", counts.tasks],
        ["covered", counts.covered],
        ["partial", counts.partial],
        ["gap", counts.gap],
        ["coverage percent", round(coverage_percent(alignment), 1)],
        ["national measures", counts.measures],
        ["measures covered", counts.measures_covered],
        ["measures partial", counts.measures_partial],
        ["provincial additions", counts.additions],
    ]
    rows += [["warning", one_line(w)] for w in [*alignment.province.warnings, *alignment.warnings]]
    _sheet(book, "summary", ["item", "value"], rows, bold)


_TASK_COLUMNS = ("province_id", "kind", "action", "title", "responsible_units", "linked_national_ids", "addition")


def _task_rows(alignment: Alignment, script: str) -> list[list[str | float]]:
    """Provincial tasks and measures with what they implement, so additions can be filtered."""
    plan = alignment.province
    actions = action_index(plan)
    linked = linked_national(alignment)
    additions = set(alignment.additions)
    rows: list[list[str | float]] = []
    for clause in plan.of_kind(Kind.TASK, Kind.MEASURE):
        action = actions.get(clause.id)
        rows.append(
            [
                clause.id,
                clause.kind.value,
                one_line(display_title(plan, action, script)) if action else "",
                one_line(display_title(plan, clause, script)),
                _join(clause.units),
                ", ".join(linked.get(clause.id, [])),
                "yes" if clause.id in additions else "no",
            ]
        )
    return rows


_LINK_COLUMNS = (
    "national_id",
    "national_title",
    "province_id",
    "province_title",
    "score",
    "relation",
    "shared_terms",
    "province_sentence",
    "national_sentence",
    "sentence_score",
    "notes",
)


def _link_rows(alignment: Alignment, script: str) -> list[list[str | float]]:
    national = alignment.national.by_id()
    province = alignment.province.by_id()
    rows: list[list[str | float]] = []
    for link in alignment.links:
        n, p, ev = national.get(link.national), province.get(link.province), link.evidence
        rows.append(
            [
                link.national,
                one_line(display_title(alignment.national, n, script)) if n else "",
                link.province,
                one_line(display_title(alignment.province, p, script)) if p else "",
                round(link.score, 4),
                link.relation.value,
                _join(ev.shared_terms),
                one_line(ev.province_sentence),
                one_line(ev.national_sentence),
                round(ev.sentence_score, 4),
                "; ".join(one_line(x) for x in ev.notes),
            ]
        )
    return rows

