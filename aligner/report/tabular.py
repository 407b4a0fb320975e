"""CSV and XLSX of one alignment, for callers not yet on `registry.render_report`.

The formats themselves are `csv_report` and `xlsx_report`; this module keeps the older entry
points (`render_csv(alignment)`, `render_xlsx(alignment)`) and names working.
"""

from __future__ import annotations

from datetime import datetime

from aligner.model import Alignment
from aligner.report.escape import csv_safe
from aligner.report.view import CSV_COLUMNS, build_view, coverage_records
from aligner.report.xlsx_report import FIXED_CREATED

__all__ = ["CSV_COLUMNS", "FIXED_CREATED", "coverage_rows", "csv_safe", "render_csv", "render_xlsx"]


def coverage_rows(alignment: Alignment, script: str = "original") -> list[dict[str, str]]:
    """One record per national task/measure × counterpart (see `view.coverage_records`)."""
    return coverage_records(build_view(alignment, explain=False, script=script))


def render_csv(alignment: Alignment, script: str = "original") -> str:
    from aligner.report.registry import RenderOptions, render_report

    text = render_report(alignment, "csv", RenderOptions(script=script, lang="en"))
    assert isinstance(text, str)
    return text


def render_xlsx(alignment: Alignment, script: str = "original", created: datetime = FIXED_CREATED) -> bytes:
    from aligner.report.xlsx_report import render_workbook

    return render_workbook(build_view(alignment, explain=False, script=script), created)
