"""The report view and the format registry: one view per alignment, every format only renders it."""

from __future__ import annotations

import ast
import dataclasses
import io
import subprocess
import sys
import types
from pathlib import Path

import pytest
from report_fixtures import alignment, national_plan, use_fake_targets
from rich.console import Console

from aligner.model import Status
from aligner.report import registry
from aligner.report.matrix import MatrixColumn, matrix_columns_from, render_matrix_terminal
from aligner.report.registry import FORMATS, RenderOptions, format_for_suffix, get_format, render_matrix, render_report
from aligner.report.terminal import render_terminal
from aligner.report.matrix_view import build_matrix_view
from aligner.report.view import build_view

REPORT = Path(__file__).resolve().parents[1] / "aligner" / "report"
FORMAT_MODULES = {f.module.rsplit(".", 1)[-1] for f in FORMATS.values()}


@pytest.fixture(autouse=True)
def _targets(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_targets(monkeypatch)


def test_formats_table() -> None:
    assert list(FORMATS) == ["terminal", "md", "json", "csv", "xlsx", "html", "docx", "review", "review-csv"]
    assert [n for n, f in FORMATS.items() if not f.listed] == ["review-csv"]  # chosen by -o review.csv
    assert all(name == spec.name for name, spec in FORMATS.items())
    assert {n for n, f in FORMATS.items() if f.to_stdout} == {"terminal", "json", "csv"}
    assert {n for n, f in FORMATS.items() if f.has_matrix} == {"terminal", "md", "csv", "html", "xlsx", "docx"}
    assert get_format("md").extension == "md"
    with pytest.raises(ValueError, match="terminal, md, json, csv, xlsx, html, docx"):
        get_format("pdf")


@pytest.mark.parametrize(
    ("suffix", "expected"),
    [(".md", "md"), (".markdown", "md"), (".MD", "md"), (".htm", "html"), (".html", "html"), (".json", "json"),
     (".csv", "csv"), (".xlsx", "xlsx"), ("csv", "csv"), (".txt", None), (".docx", "docx"), ("", None)],
)
def test_format_for_suffix(suffix: str, expected: str | None) -> None:
    assert format_for_suffix(suffix) == expected


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_renders_through_the_registry(fmt: str) -> None:
    out = render_report(alignment(), fmt, RenderOptions(lang="en", explain=True))
    assert isinstance(out, bytes) if fmt in ("xlsx", "docx", "review") else isinstance(out, str)
    assert len(out) > 200


def test_terminal_is_what_the_console_prints() -> None:
    """Same bytes as printing the report on a Console set up as the CLI does, with and without colour."""
    for color in (False, True):
        buffer = io.StringIO()
        console = Console(file=buffer, width=100, force_terminal=color, color_system="auto" if color else None,
                          highlight=False, no_color=not color)
        render_terminal(alignment(), console, True, "traditional")
        options = RenderOptions(lang="en", explain=True, script="traditional", width=100, color=color)
        assert render_report(alignment(), "terminal", options) == buffer.getvalue()
        assert ("\x1b[" in buffer.getvalue()) is color


def test_matrix_formats_and_xlsx_fallback() -> None:
    columns = [matrix_columns_from(alignment()), MatrixColumn.failed("河北", "plans/hebei.doc: cannot read")]
    for fmt in ("terminal", "md", "csv", "html"):
        out = render_matrix(national_plan(), columns, fmt, RenderOptions(lang="en"))
        assert "河北" in out and "进一步深化户籍制度改革" in out
    for fmt in ("json",):
        with pytest.raises(ValueError, match="has no matrix"):
            render_matrix(national_plan(), columns, fmt, RenderOptions(lang="en"))


def test_a_new_format_is_one_module_and_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("fake_format")
    module.render_report = lambda view, options: f"{view.titles.province_name} {view.summary.tasks_line}"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_format", module)
    monkeypatch.setitem(registry.FORMATS, "fake", registry.OutputFormat("fake", "txt", "fake_format", False, False))
    assert render_report(alignment(), "fake", RenderOptions(lang="en")) == "青海 4/6 covered, 1 partial, 1 gap (75.0%)"


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "json"])
def test_renderers_use_only_the_view(fmt: str) -> None:
    """With the Alignment taken out of the view, every display format renders the same."""
    module = __import__(FORMATS[fmt].module, fromlist=["render_report"])
    view = build_view(alignment(), explain=True, script="original")
    options = RenderOptions(lang="en", explain=True)
    detached = dataclasses.replace(view, alignment=None)  # type: ignore[arg-type]
    assert module.render_report(detached, options) == module.render_report(view, options)


def test_no_renderer_imports_another() -> None:
    for name in FORMAT_MODULES:
        tree = ast.parse((REPORT / f"{name}.py").read_text(encoding="utf-8"))
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.rsplit(".", 1)[-1])
                imported.update(a.name for a in node.names if node.module == "aligner.report")
            elif isinstance(node, ast.Import):
                imported.update(a.name.rsplit(".", 1)[-1] for a in node.names)
        assert not (imported & FORMAT_MODULES - {name}), f"{name} imports {imported & FORMAT_MODULES}"


def test_json_never_imports_rich_or_builds_a_workbook() -> None:
    code = (
        "import sys; sys.path.insert(0, 'tests'); import report_fixtures as f;"
        "from aligner.report.registry import render_report, RenderOptions;"
        "out = render_report(f.alignment(), 'json', RenderOptions(lang='en'));"
        "assert out.startswith('{');"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'xlsxwriter', 'opencc')))"
    )
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_view_sections() -> None:
    view = build_view(alignment(), explain=False, script="original")
    assert [g.action.id if g.action else None for g in view.task_groups] == ["2", "3"]
    assert [r.clause.id for g in view.task_groups for r in g.rows] == ["2.2.1", "2.2.2", "2.2.3", "3.2.1", "3.2.2", "3.2.3"]
    assert [r.clause.id for r in view.measures] == ["2.3.1", "3.3.1"]
    assert [r.clause.id for r in view.gaps] == ["3.2.2", "3.3.1"]
    assert [(g.action.id if g.action else None, [i.clause.id for i in g.items]) for g in view.additions] == [("2", ["2.3"])]
    double = next(r for r in view.coverage if r.clause.id == "3.2.3")
    assert [(p.clause.id, p.link.relation if p.link else None) for p in double.counterparts] == [("2.2", "adapted"), ("2.1", "partial")]
    assert view.summary.tasks_line == "4/6 covered, 1 partial, 1 gap (75.0%)"
    assert view.national_column.blocks[0].id == "1" and view.province_column.blocks[-1].id == "3"
    assert [e.symbol for e in view.legend] == ["✔", "◐", "✘"]


def test_view_text_is_in_the_requested_script() -> None:
    traditional = build_view(alignment(), explain=True, script="traditional")
    first = traditional.coverage[0]
    assert first.clause.title == "進一步深化戶籍制度改革"
    assert first.counterparts[0].clause.title == "深化戶籍制度改革"
    assert any("戶籍" in line for line in first.counterparts[0].link.evidence)
    original = build_view(alignment(), explain=False, script="original")
    task = original.provincial_tasks[0]
    assert (task.clause.title, task.action_title) == ("深化戶籍制度改革", "實施新一輪農業轉移人口市民化行動")  # as written
    simplified = build_view(alignment(), explain=False, script="simplified").provincial_tasks[0]
    assert (simplified.clause.title, simplified.action_title) == ("深化户籍制度改革", "实施新一轮农业转移人口市民化行动")


def test_matrix_honours_the_script() -> None:
    """The matrix used to show simplified titles whatever --script said."""
    plan = national_plan()
    plan.clauses[1].original_title = "實施新一輪農業轉移人口市民化行動"  # action 2, as a traditional-script plan has it
    columns = [matrix_columns_from(alignment())]
    for fmt in ("terminal", "md", "csv", "html"):
        original = render_matrix(plan, columns, fmt, RenderOptions(lang="en", script="original", width=120))
        traditional = render_matrix(plan, columns, fmt, RenderOptions(lang="en", script="traditional", width=120))
        simplified = render_matrix(plan, columns, fmt, RenderOptions(lang="en", script="simplified", width=120))
        assert "實施新一輪農業轉移人口市民化行動" in original and "培育特色优势产业集群" in original
        assert "進一步深化戶籍制度改革" in traditional and "进一步深化户籍制度改革" not in traditional
        assert "实施新一轮农业转移人口市民化行动" in simplified and "實施" not in simplified
    view = build_matrix_view(plan, columns, script="simplified")
    assert [g.label for g in view.groups] == ["2 (line 20) 实施新一轮农业转移人口市民化行动",
                                              "3 (line 40) 实施潜力地区城镇化水平提升行动"]
    assert view.groups[0].rows[0].cells[0].status is Status.COVERED


def test_matrix_cells_are_shared_not_copied() -> None:
    """3,000 provinces × 40 rows must not mean 120,000 cell objects."""
    columns = [matrix_columns_from(alignment()) for _ in range(50)]
    view = build_matrix_view(national_plan(), columns, script="original")
    assert len({id(cell) for group in view.groups for row in group.rows for cell in row.cells}) <= 5



def test_terminal_matrix_is_what_the_cli_prints() -> None:
    """The CLI prints the matrix on its own Console (emoji off); the registry returns the same text."""
    columns = [matrix_columns_from(alignment()), MatrixColumn.failed("河北", "plans/hebei.doc: cannot read")]
    for color in (False, True):
        buffer = io.StringIO()
        console = Console(file=buffer, highlight=False, width=90, no_color=not color, force_terminal=color,
                          color_system="auto" if color else None, emoji=False)
        render_matrix_terminal(national_plan(), columns, console, script="simplified")
        options = RenderOptions(lang="en", script="simplified", width=90, color=color)
        assert render_matrix(national_plan(), columns, "terminal", options) == buffer.getvalue()
