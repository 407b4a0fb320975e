"""The `align` command: typer options → the library (aligner.api, aligner.batch) → output.

Exit status: 0 done; 1 a province fell below --fail-under; 2 bad usage or an unreadable input
(in a batch, the other provinces still complete and are reported); 130/143 interrupted.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from enum import Enum
from pathlib import Path

import typer

from aligner import api, batch
from aligner.errors import InputError
from aligner.match import Thresholds
from aligner.model import Kind
from aligner.output import Writer, display_path, expand_inputs, is_dir, output_format, skipped_files
from aligner.report.messages import LANGS, Catalogue, message
from aligner.report.messages import help_text as _h
from aligner.report.registry import FORMATS, RenderOptions

# Choices for typer, one per registered format and script.
Format = Enum("Format", {name: name for name, spec in FORMATS.items() if spec.listed}, type=str)  # type: ignore[misc]
Script = Enum("Script", {name: name for name in ("simplified", "traditional", "original")}, type=str)  # type: ignore[misc]
Lang = Enum("Lang", {name: name for name in LANGS}, type=str)  # type: ignore[misc]


app = typer.Typer(
    add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
    # -h is what people type first; main() turns any unexpected exception into one line.
    context_settings={"help_option_names": ["-h", "--help"]},
    help=_h("app"),
)


def _err(message: str) -> None:
    """One line on stderr, whatever the message holds (a file name with a newline, a library's
    multi-line text); no markup, so a file named "a:x:b.txt" is printed as named."""
    one_line = display_path(message).replace("\r", "\\r").replace("\n", "\\n")
    sys.stderr.write(one_line + "\n")
    sys.stderr.flush()


def _fail(message: str, code: int = batch.EXIT_INPUT, lang: str = "en") -> typer.Exit:
    _err(f"{'错误：' if lang == 'zh' else 'error: '}{message}")
    return typer.Exit(code)


def _emit(text: str) -> None:
    """Report text to standard output; a closed pipe (`| head`) ends quietly, a full disk says so."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(141) from None
    except OSError as error:
        raise _fail(f"cannot write to standard output: {(error.strerror or str(error)).lower()}") from None


_MAX_SIZE = typer.Option(api.DEFAULT_MAX_SIZE_MB, "--max-size", help=_h("max_size"))


@app.command("compare", help=_h("compare"))
def compare_command(
    national: Path = typer.Argument(..., help=_h("national")),
    provinces: list[Path] = typer.Argument(..., help=_h("provinces")),
    fmt: Format = typer.Option("terminal", "--format", "-f", help=_h("format")),
    output: Path | None = typer.Option(None, "--output", "-o", help=_h("output")),
    explain: bool = typer.Option(False, "--explain", "-e", help=_h("explain")),
    script: Script = typer.Option("simplified", "--script", help=_h("script")),
    lang: Lang = typer.Option("zh", "--lang", help=_h("lang")),
    thesaurus_file: Path | None = typer.Option(None, "--thesaurus", help=_h("thesaurus")),
    link_threshold: float = typer.Option(Thresholds.link, "--link-threshold", help=_h("link")),
    adapted_threshold: float = typer.Option(Thresholds.adapted, "--adapted-threshold", help=_h("adapted")),
    fail_under: float | None = typer.Option(None, "--fail-under", min=0.0, max=100.0, help=_h("fail_under")),
    jobs: int = typer.Option(os.cpu_count() or 1, "--jobs", "-j", min=1, help=_h("jobs")),
    max_size: float = _MAX_SIZE,
    decisions_file: Path | None = typer.Option(None, "--decisions", help=_h("decisions")),
) -> None:
    try:
        max_bytes = api.max_bytes_of(max_size)
        thresholds = api.thresholds_of(link_threshold, adapted_threshold)
    except ValueError as error:
        raise _fail(str(error).replace("link_threshold", "--link-threshold").replace("adapted_threshold",
                    "--adapted-threshold").replace("the size limit", "--max-size")) from None
    try:
        thesaurus = api.thesaurus_of(thesaurus_file)
        prepared = api.prepare(national, thesaurus, max_bytes)
        if not prepared.plan.of_kind(Kind.TASK):
            raise InputError(str(national), "no key tasks found in the national plan")
        paths = expand_inputs(provinces, national)
        for line in skipped_files(provinces, lang.value):
            _err(line)
        several = len(paths) > 1 or any(is_dir(p) for p in provinces)
        decisions = api.load_decisions(decisions_file, several) if decisions_file else None
    except InputError as error:
        raise _fail(Catalogue(lang.value).input_error(error.path, error.problem), lang=lang.value) from None
    try:
        chosen = output_format(fmt.value, output, several)
    except ValueError as error:
        raise _fail(str(error)) from None
    if several and jobs > batch.worker_count(jobs) and len(paths) >= batch.PARALLEL_FROM:
        _err(f"note: --jobs {jobs} capped at {batch.worker_count(jobs)}, the cores available")
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    width = min(_terminal_width(), 120) if sys.stdout.isatty() else 80
    options = RenderOptions(explain, script.value, width, color, lang.value, api.provenance_of(thresholds, thesaurus_file))
    job = batch.Job(prepared, thesaurus, thresholds, max_bytes, chosen, options, decisions)
    writer = Writer([national, *paths, *filter(None, (thesaurus_file, decisions_file))], _err)
    if several:
        raise typer.Exit(_run_batch(paths, job, output, jobs, fail_under, writer))
    raise typer.Exit(batch.run_single(paths[0], job, output, fail_under, writer, _err, _emit))


def _terminal_width() -> int:
    """COLUMNS, else the terminal's width, else 80 (a pseudo-terminal may report 0 columns)."""
    import shutil

    return shutil.get_terminal_size((80, 24)).columns or 80


def _run_batch(paths: list[str], job: batch.Job, output: Path | None, jobs: int, fail_under: float | None,
               writer: Writer) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    stderr = Console(stderr=True, highlight=False)
    bar = Progress(TextColumn(message(job.render.lang, "progress")), BarColumn(), MofNCompleteColumn(),
                   TimeRemainingColumn(), console=stderr,
                   transient=True, disable=not stderr.is_terminal)
    with bar:
        task = bar.add_task("align", total=len(paths))
        return batch.run_batch(paths, job, output, jobs, fail_under, writer, _err, _emit,
                               progress=lambda done, total: bar.update(task, completed=done), finished=bar.stop)


@app.command("outline", help=_h("outline"))
def outline_command(
    file: Path = typer.Argument(..., help=_h("file")),
    as_json: bool = typer.Option(False, "--json", help=_h("json")),
    max_size: float = _MAX_SIZE,
) -> None:
    from aligner.report.outline import render_outline, render_outline_json

    try:
        plan = api.parse_plan(file, max_size_mb=max_size)
    except (InputError, ValueError) as error:
        raise _fail(Catalogue().input_error(error.path, error.problem) if isinstance(error, InputError) else str(error),
                    lang="zh" if isinstance(error, InputError) else "en") from None
    if as_json:
        return _emit(render_outline_json(plan))
    from rich.console import Console

    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    # Off means off: rich's own NO_COLOR handling drops colours but keeps bold and dim.
    console = Console(highlight=False, emoji=False, force_terminal=color, color_system="auto" if color else None)
    render_outline(plan, console)


class _Terminated(KeyboardInterrupt):
    """SIGTERM unwinds like Ctrl-C (writes remove their temp files); typer makes both a silent exit 130."""

    received = False


def _terminated(signum: int, frame: object) -> None:
    _Terminated.received = True
    raise _Terminated


def main() -> None:
    """`align A B` means `align compare A B`. The last line of defence for the rule that a user
    never sees a traceback: anything not turned into a message becomes one line and exit 2."""
    # Libraries' log lines (pypdf: "EOF marker not found") are not for users: problems come as exceptions.
    logging.getLogger().addHandler(logging.NullHandler())
    signal.signal(signal.SIGTERM, _terminated)
    args = sys.argv[1:]
    if args[:1] in (["--version"], ["-V"]):
        from aligner import __version__

        return _emit(f"aligner {__version__}\n")
    if args and args[0] not in ("compare", "outline", "--help", "-h"):
        args = ["compare", *args]
    try:
        app(args=args, prog_name="align")
    except (KeyboardInterrupt, SystemExit) as stop:
        if isinstance(stop, SystemExit) and stop.code != 130:
            raise
        _err("stopped: no report was left half-written")
        sys.exit(143 if _Terminated.received else 130)
    except Exception as error:  # noqa: BLE001 - see the docstring
        _err(f"error: internal error ({error.__class__.__name__}: {error}); please report it with the input files")
        sys.exit(batch.EXIT_INPUT)
