"""Output formats by name (TEMPORARY shim over today's renderers; replaced by the report-view branch)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aligner.model import Alignment, Plan
    from aligner.report.matrix import MatrixColumn


@dataclass(frozen=True)
class RenderOptions:
    explain: bool = False
    script: str = "original"
    width: int = 80
    color: bool = False


@dataclass(frozen=True)
class OutputFormat:
    name: str
    extension: str
    module: str
    to_stdout: bool
    has_matrix: bool


FORMATS: dict[str, OutputFormat] = {
    "terminal": OutputFormat("terminal", "txt", "aligner.report.terminal", True, True),
    "md": OutputFormat("md", "md", "aligner.report.markdown", False, True),
    "json": OutputFormat("json", "json", "aligner.report.json_report", True, False),
    "csv": OutputFormat("csv", "csv", "aligner.report.tabular", True, True),
    "xlsx": OutputFormat("xlsx", "xlsx", "aligner.report.tabular", False, False),
    "html": OutputFormat("html", "html", "aligner.report.html", False, True),
}
_SUFFIXES = {".md": "md", ".markdown": "md", ".json": "json", ".csv": "csv", ".xlsx": "xlsx", ".html": "html", ".htm": "html"}


def get_format(name: str) -> OutputFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown format {name!r}; expected one of {', '.join(FORMATS)}") from None


def format_for_suffix(suffix: str) -> str | None:
    return _SUFFIXES.get(suffix.lower())


def _console(options: RenderOptions, buffer: io.StringIO):  # noqa: ANN202
    from rich.console import Console

    return Console(file=buffer, width=options.width, force_terminal=options.color,
                   color_system="auto" if options.color else None, highlight=False, no_color=not options.color)


def render_report(alignment: Alignment, fmt: str, options: RenderOptions) -> str | bytes:
    get_format(fmt)
    if fmt == "terminal":
        from aligner.report.terminal import render_terminal

        buffer = io.StringIO()
        render_terminal(alignment, _console(options, buffer), options.explain, options.script)
        return buffer.getvalue()
    if fmt == "json":
        from aligner.report.json_report import province_json, render_document

        return render_document(alignment.national, [province_json(alignment)])
    if fmt == "md":
        from aligner.report.markdown import render_markdown

        return render_markdown(alignment, options.explain, options.script)
    if fmt == "csv":
        from aligner.report.tabular import render_csv

        return render_csv(alignment, options.script)
    if fmt == "xlsx":
        from aligner.report.tabular import render_xlsx

        return render_xlsx(alignment, options.script)
    from aligner.report.html import render_html

    return render_html(alignment, options.script)


def render_matrix(national: Plan, columns: list[MatrixColumn], fmt: str, options: RenderOptions) -> str | bytes:
    from aligner.report import matrix

    if fmt == "terminal":
        from rich.console import Console

        buffer = io.StringIO()
        console = Console(file=buffer, highlight=False, width=options.width, no_color=not options.color,
                          force_terminal=options.color, color_system="auto" if options.color else None, emoji=False)
        matrix.render_matrix_terminal(national, columns, console)
        return buffer.getvalue()
    renderers = {"md": matrix.render_matrix_markdown, "csv": matrix.render_matrix_csv, "html": matrix.render_matrix_html}
    if fmt not in renderers:
        raise ValueError(f"format {fmt!r} has no matrix")
    return renderers[fmt](national, columns)
