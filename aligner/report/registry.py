"""The output formats, in one table: the CLI and the library render every report through here.

Every format is a module with

    def render_report(view: view.ReportView, options: RenderOptions) -> str | bytes
    def render_matrix(view: matrix_view.MatrixView, options: RenderOptions) -> str | bytes   # if has_matrix

and one line in `FORMATS`. **Adding a format is one new module plus one FORMATS line**: the
registry builds the view (what the report says, in the requested script, with unsafe
characters made visible) once and hands it to the module, which only lays it out.

Modules are imported only when their format is used (`importlib`), so `--format json` never
imports rich and `import aligner.report.registry` costs next to nothing at start-up.

The formats without a matrix are `json` (a batch is one JSON document holding every province)
and `review` (the analyst's sheet, one per province; a batch gets matrix.csv):
`render_matrix(..., "json", ...)` raises ValueError rather than guessing. A batch in xlsx writes
matrix.xlsx (a workbook with the matrix sheet), in docx matrix.docx.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aligner.model import Alignment, Plan
    from aligner.report.matrix import MatrixColumn
    from aligner.report.provenance import Provenance


@dataclass(frozen=True)
class RenderOptions:
    explain: bool = False
    script: str = "simplified"  # simplified | traditional | original: one script in the whole report
    width: int = 80  # terminal width
    color: bool = False  # terminal colours
    lang: str = "zh"  # zh | en: the words of the report (aligner.report.messages); JSON stays English
    provenance: Provenance | None = None  # version, date, inputs' sha256 …: every file says where it came from


@dataclass(frozen=True)
class OutputFormat:
    name: str  # "md"
    extension: str  # "md" (no dot) — default file extension
    module: str  # "aligner.report.markdown", imported only when used (start-up time matters)
    to_stdout: bool  # json and csv go to standard output when no -o is given
    has_matrix: bool  # can render the batch matrix
    function: str = "render_report"  # the module's function that renders one province
    listed: bool = True  # a --format choice (review-csv is chosen by -o review.csv)


FORMATS: dict[str, OutputFormat] = {
    # The terminal report is printed, never written under reports/ by default; "txt" is its file extension for -o.
    "terminal": OutputFormat("terminal", "txt", "aligner.report.terminal", to_stdout=True, has_matrix=True),
    "md": OutputFormat("md", "md", "aligner.report.markdown", to_stdout=False, has_matrix=True),
    "json": OutputFormat("json", "json", "aligner.report.json_report", to_stdout=True, has_matrix=False),
    "csv": OutputFormat("csv", "csv", "aligner.report.csv_report", to_stdout=True, has_matrix=True),
    "xlsx": OutputFormat("xlsx", "xlsx", "aligner.report.xlsx_report", to_stdout=False, has_matrix=True),
    "html": OutputFormat("html", "html", "aligner.report.html", to_stdout=False, has_matrix=True),
    "docx": OutputFormat("docx", "docx", "aligner.report.docx_report", to_stdout=False, has_matrix=True),
    # The analyst's review sheet (aligner.decisions reads it back): xlsx, or csv when -o ends in .csv.
    # Its own extension (reports/青海.review.xlsx): never taken for -f xlsx's report, never inferred from -o.
    "review": OutputFormat("review", "review.xlsx", "aligner.report.review", to_stdout=False, has_matrix=False),
    "review-csv": OutputFormat("review-csv", "review.csv", "aligner.report.review", to_stdout=False, has_matrix=False,
                               function="render_csv", listed=False),
}

# Other spellings of a file's suffix; every format's own extension is recognised too.
_SUFFIX_ALIASES = {"markdown": "md", "htm": "html"}


# A batch's matrix files in a report folder (a province called "matrix" gets another name).
MATRIX_NAMES = ("matrix.md", "matrix.csv", "matrix.html", "matrix.xlsx", "matrix.docx")


def matrix_files(fmt: str) -> tuple[tuple[str, str], ...]:
    """The matrix files a folder of `fmt` reports gets, as (file name, format): the matrix in the
    reports' format where it has one (else CSV, which opens in Excel), and always an HTML one whose
    cells link to the reports."""
    kind = fmt if FORMATS[fmt].has_matrix and fmt != "terminal" else "csv"
    return ((f"matrix.{kind}", kind),) + ((("matrix.html", "html"),) if kind != "html" else ())


def get_format(name: str) -> OutputFormat:
    """The format called `name`; ValueError naming the known formats otherwise."""
    try:
        return FORMATS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown report format {name!r}; expected one of {', '.join(FORMATS)}") from None


def format_for_suffix(suffix: str) -> str | None:
    """The format a file suffix stands for (".md", ".markdown" → "md", ".htm" → "html", …), else None.

    Case-insensitive; the leading dot is optional. ".txt" gives None: a text file could be
    anything, and the CLI should ask for --format rather than guess.
    """
    key = suffix.lower().removeprefix(".")
    if key in _SUFFIX_ALIASES:
        return _SUFFIX_ALIASES[key]
    return next((f.name for f in FORMATS.values() if f.extension == key and f.name != "terminal"), None)


def render_report(alignment: Alignment, fmt: str, options: RenderOptions) -> str | bytes:
    """One province's report in format `fmt`: the view is built once, then the format lays it out."""
    spec = get_format(fmt)
    from aligner.report.view import build_view

    view = build_view(alignment, explain=options.explain, script=options.script, lang=options.lang,
                      provenance=options.provenance)
    rendered: str | bytes = getattr(importlib.import_module(spec.module), spec.function)(view, options)
    return rendered


def render_matrix(national: Plan, columns: list[MatrixColumn], fmt: str, options: RenderOptions) -> str | bytes:
    """The batch matrix (national tasks × provinces) in format `fmt`, titles in `options.script`."""
    spec = get_format(fmt)
    if not spec.has_matrix:
        with_matrix = ", ".join(f.name for f in FORMATS.values() if f.has_matrix)
        raise ValueError(f"format {fmt!r} has no matrix; use one of {with_matrix} (a batch in xlsx writes matrix.csv)")
    from aligner.report.matrix_view import build_matrix_view

    view = build_matrix_view(national, columns, script=options.script, lang=options.lang,
                             provenance=options.provenance)
    return importlib.import_module(spec.module).render_matrix(view, options)
