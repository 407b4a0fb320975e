"""Many provinces against one national plan: the runner behind `align NATIONAL P1 P2 …`.

Each province is independent given the national plan, so the work is a map over files, in a
process pool when there is enough of it. A worker returns only what the parent writes and
keeps (the rendered report, a matrix column, a summary line), never a whole Alignment, so a
batch of thousands stays flat in memory. One bad file never stops a batch: its error becomes
part of its outcome and of the matrix. Usable from Python, a notebook or a Dask/Ray map
(`align_file(path, job)` is the unit of work).
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from aligner.errors import InputError
from aligner.match import Thresholds
from aligner.model import Alignment
from aligner.output import Say, Writer, display_path, same_file, unique_path
from aligner.pipeline import National, align_plans, load_plan, load_province
from aligner.report.registry import MATRIX_NAMES, RenderOptions, matrix_files, render_matrix, render_report
from aligner.thesaurus import Thesaurus

if TYPE_CHECKING:
    from aligner.decisions import Decisions
    from aligner.report.json_report import JsonStream
    from aligner.report.matrix import MatrixColumn

EXIT_OK = 0
EXIT_BELOW = 1  # a province fell below --fail-under
EXIT_INPUT = 2  # bad usage, or an input that cannot be used
PARALLEL_FROM = 4  # fewer provinces than this run in the parent: starting workers costs more


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to align one province; picklable for the process pool."""

    national: National
    thesaurus: Thesaurus
    thresholds: Thresholds
    max_bytes: int
    fmt: str  # the report format written for each province
    render: RenderOptions = field(default_factory=RenderOptions)
    decisions: Decisions | None = None  # an analyst's decisions (aligner.decisions), applied per province


@dataclass
class Outcome:
    """One province's result, reduced to what the parent process writes and keeps."""

    path: str
    name: str = ""
    rendered: str | bytes | None = None  # the report in the requested format
    summary: str = ""  # one line: name and counts
    column: MatrixColumn | None = None
    percent: float = 0.0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    json_body: dict[str, object] | None = None


def _msg(job: Job, key: str, **params: object) -> str:
    from aligner.report.messages import message

    return message(job.render.lang, key, **params)


def _warning_line(job: Job, name: str, warning: str) -> str:
    """`warning: 青海: …` in English, `提示：青海：…` in Chinese: one line on standard error."""
    if job.render.lang == "en":
        return f"warning: {name}: {warning}"
    return f"{_msg(job, 'warning')}：{name}：{warning}"


def align_path(path: str, national: National, thesaurus: Thesaurus, thresholds: Thresholds,
               max_bytes: int, decisions: Decisions | None = None, cached: bool = False) -> Alignment:
    """One provincial file against the prepared national plan; InputError for an unusable file.
    `cached`: the parsed province is kept in the user cache (single runs: `pipeline.load_province`)."""
    if same_file(path, national.plan.path):
        raise InputError(path, "is the national plan itself; give a provincial plan to compare")
    province = load_province(path, max_bytes=max_bytes) if cached else load_plan(path, max_bytes=max_bytes)
    return align_plans(national.plan, province, thesaurus, thresholds, national.units, decisions)


def outcome_of(path: str, alignment: Alignment, job: Job, batch: bool) -> Outcome:
    """What the parent needs of one aligned province: its report, summary line and matrix column."""
    from aligner.report.messages import Catalogue
    from aligner.report.text import coverage_percent, script_text, summary_counts
    from aligner.report.view import tasks_line, warning_texts

    province = alignment.province
    msg = Catalogue(job.render.lang)
    percent = coverage_percent(alignment)
    outcome = Outcome(path=path, name=province.name, percent=percent,
                      warnings=[script_text(w, job.render.script) for w in warning_texts(alignment, msg)])
    if job.fmt == "json":
        from aligner.report.json_report import province_json

        outcome.json_body = province_json(alignment)
    elif job.fmt != "terminal" or not batch:
        outcome.rendered = render_report(alignment, job.fmt, job.render)
    if batch:
        from aligner.report.matrix import matrix_columns_from  # rich: a batch prints the matrix anyway

        outcome.column = matrix_columns_from(alignment)
        line = tasks_line(msg, summary_counts(alignment), percent, alignment.unreliable)
        outcome.summary = msg("line.batch", name=province.name, line=line)
    return outcome


def align_file(path: str, job: Job, batch: bool = True) -> Outcome:
    """Everything for one province, in whichever process runs it; errors become part of the outcome."""
    try:
        alignment = align_path(path, job.national, job.thesaurus, job.thresholds, job.max_bytes, job.decisions,
                               cached=not batch)
    except InputError as error:
        from aligner.report.messages import Catalogue

        msg = Catalogue(job.render.lang)
        return _failed(path, msg.input_error(display_path(error.path), error.problem), msg.problem(error.problem))
    except Exception as error:  # noqa: BLE001 - one bad province must not stop a batch
        return _failed(path, f"{display_path(path)}: could not be processed ({error.__class__.__name__}: {error})",
                       f"internal error: {error.__class__.__name__}")
    return outcome_of(path, alignment, job, batch)


def _failed(path: str, message: str, problem: str) -> Outcome:
    from aligner.report.matrix import MatrixColumn

    name = display_path(Path(path).stem)
    return Outcome(path=path, name=name, error=message, column=MatrixColumn.failed(name, problem))


def _batch_provenance(job: Job, paths: list[str]) -> dict[str, object] | None:
    from aligner.report.provenance import inputs_of

    prov = job.render.provenance
    return prov.to_json(inputs_of([job.national.plan.path, *paths])) if prov else None


def worker_count(requested: int) -> int:
    """--jobs capped at the cores this process may use: more processes only add memory."""
    try:
        available = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        available = os.cpu_count() or 1
    return max(1, min(requested, available))


def _die_with_parent() -> None:
    """Pool initializer: a worker whose parent is killed is killed too (Linux), instead of
    staying blocked on its queue; Ctrl-C is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def outcomes(paths: list[str], job: Job, jobs: int, batch: bool = True) -> Iterator[Outcome]:
    """Results in input order; in parallel across processes when there is enough work."""
    work = partial(align_file, job=job, batch=batch)
    jobs = worker_count(jobs)
    if jobs <= 1 or len(paths) < PARALLEL_FROM:
        yield from map(work, paths)
        return
    from aligner.tokens import warm_up

    warm_up()  # load the dictionary once, before the workers fork
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs, initializer=_die_with_parent) as pool:
        yield from pool.map(work, paths, chunksize=max(1, min(16, len(paths) // (jobs * 8))))


def run_single(path: str, job: Job, output: Path | None, fail_under: float | None, writer: Writer, say: Say,
               emit: Callable[[str], None]) -> int:
    """One province: its report to standard output (terminal, json, csv without -o) or a file."""
    from aligner.output import is_dir
    from aligner.report.registry import FORMATS
    from aligner.report.write import default_report_path

    outcome = align_file(path, job, batch=False)
    if outcome.error:
        say(_msg(job, "error.line", text=outcome.error))
        return EXIT_INPUT
    data = outcome.rendered
    if job.fmt == "json":
        from aligner.report.json_report import render_document
        from aligner.report.provenance import inputs_of

        prov = job.render.provenance
        data = render_document(job.national.plan, [outcome.json_body or {}],
                               provenance=prov.to_json(inputs_of([job.national.plan.path, path])) if prov else None)
    assert data is not None
    if output is None and FORMATS[job.fmt].to_stdout:
        emit(data if isinstance(data, str) else data.decode())
    else:
        try:
            target = default_report_path(output or Path("reports"), outcome.name, FORMATS[job.fmt].extension) \
                if output is None or is_dir(output) else output
        except ValueError as error:  # a symlink in the folder pointing outside it
            say(f"error: {error}")
            return EXIT_INPUT
        if not writer.write(target, data):
            return EXIT_INPUT
        say(_msg(job, "wrote", path=display_path(target)))
    for warning in outcome.warnings if job.fmt != "terminal" else ():
        say(_warning_line(job, outcome.name, warning))
    if fail_under is not None and outcome.percent < fail_under:
        say(f"{outcome.name}: coverage {outcome.percent:.1f}% is below --fail-under {fail_under:g}")
        return EXIT_BELOW
    return EXIT_OK


@dataclass
class BatchRun:
    """A batch's tallies, for the exit status and the closing lines."""

    total: int = 0
    failed: int = 0
    below: int = 0
    written: int = 0
    columns: list[MatrixColumn] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)


def run_batch(paths: list[str], job: Job, output: Path | None, jobs: int, fail_under: float | None, writer: Writer,
              say: Say, emit: Callable[[str], None], progress: Callable[[int, int], None] | None = None,
              finished: Callable[[], None] | None = None) -> int:
    """Every province in turn; a bad one is reported and skipped, the rest still get reports.

    With a progress bar (`progress`), warnings and errors are held until the last province is done
    and `finished` has taken the bar away, so no line lands inside it; they still come before the matrix.

    Files are written only while writing works (a full disk would otherwise give one error per
    province) and only when at least one province succeeded: a matrix of failures is no report.
    `say` takes one-line messages (standard error), `emit` the report text (standard output).
    Returns the exit status.
    """
    from aligner.report.json_report import JsonStream

    fmt = job.fmt
    folder = output if output is not None else Path("reports")
    write_files = fmt not in ("terminal", "json")
    used: set[Path] = {folder / name for name in MATRIX_NAMES}  # a province called "matrix" gets matrix-2
    run = BatchRun(total=len(paths))
    json_stream = JsonStream(job.national.plan, _batch_provenance(job, paths)) if fmt == "json" else None
    held: list[str] = []
    tell = held.append if progress is not None else say
    aligned: list[tuple[str, str]] = []
    for done, outcome in enumerate(outcomes(paths, job, jobs), start=1):
        if progress is not None:
            progress(done, len(paths))
        if outcome.column is not None:
            run.columns.append(outcome.column)
        if outcome.error:
            run.failed += 1
            tell(_msg(job, "error.line", text=outcome.error))
            continue
        for warning in outcome.warnings:
            tell(_warning_line(job, outcome.name, warning))
        if fail_under is not None and outcome.percent < fail_under:
            run.below += 1
        run.summaries.append(outcome.summary)
        aligned.append((outcome.name, outcome.path))
        if json_stream is not None and outcome.json_body is not None:
            json_stream.add(outcome.json_body)
        if write_files and outcome.rendered is not None and not writer.failed:
            _write_province(outcome, folder, fmt, used, writer, run, say)
    if finished is not None:
        finished()
    for line in held:
        say(line)
    if job.decisions is not None:
        from aligner.decisions import unplaced

        for line in unplaced(job.decisions, aligned, job.render.lang):
            say(_warning_line(job, "--decisions", line))
    succeeded = run.total - run.failed
    if json_stream is not None:
        _finish_json(json_stream, run, output, succeeded, writer, say, emit)
    else:
        _finish_matrix(job, run, folder, write_files and bool(succeeded), writer, say, emit)
    return _exit_status(run, writer, fail_under, say)


def _write_province(outcome: Outcome, folder: Path, fmt: str, used: set[Path], writer: Writer, run: BatchRun,
                    say: Say) -> None:
    from aligner.report.write import default_report_path

    try:
        target = unique_path(default_report_path(folder, outcome.name, fmt), used)
    except ValueError as error:  # a symlink in the folder pointing outside it
        say(f"error: {display_path(str(error))}")
        writer.failed = True
        return
    assert outcome.rendered is not None
    if writer.write(target, outcome.rendered):
        run.written += 1
        if fmt == "html" and outcome.column is not None:  # the matrix links each cell to this report
            from dataclasses import replace

            run.columns = [replace(c, report=target.name) if c is outcome.column else c for c in run.columns]


def _finish_json(stream: JsonStream, run: BatchRun, output: Path | None, succeeded: int, writer: Writer, say: Say,
                 emit: Callable[[str], None]) -> None:
    from aligner.output import is_dir

    document = stream.pieces([c for c in run.columns if c.error])
    if output is None:
        for piece in document:
            emit(piece)
    elif succeeded:
        target = output if output.suffix and not is_dir(output) else output / "alignment.json"
        if writer.write(target, document):
            say(f"wrote {display_path(target)}")


def _finish_matrix(job: Job, run: BatchRun, folder: Path, write_files: bool, writer: Writer, say: Say,
                   emit: Callable[[str], None]) -> None:
    national = job.national.plan
    columns = run.columns
    emit(render_terminal_lines(run.summaries, job.render))
    emit(str(render_matrix(national, columns, "terminal", job.render)))
    if not write_files or writer.failed:
        return
    for name, kind in matrix_files(job.fmt):
        if not writer.write(folder / name, render_matrix(national, columns, kind, job.render)):
            break
    if not writer.failed:
        say(_msg(job, "batch.wrote", n=run.written, folder=display_path(folder)))


def render_terminal_lines(lines: list[str], options: RenderOptions) -> str:
    """The batch's one line per province, wrapped as the terminal report wraps."""
    if not lines:
        return ""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    # force_terminal=False when colour is off: no_color alone still lets bold and reverse through.
    console = Console(file=buffer, highlight=False, width=options.width, no_color=not options.color,
                      force_terminal=options.color, color_system="auto" if options.color else None, emoji=False)
    for line in lines:
        console.print(line, markup=False)
    return buffer.getvalue()


def _exit_status(run: BatchRun, writer: Writer, fail_under: float | None, say: Say) -> int:
    if run.failed:
        say(f"{run.failed} of {run.total} provinces could not be processed")
        return EXIT_INPUT
    if writer.failed:
        return EXIT_INPUT
    if run.below:
        say(f"{run.below} province(s) below --fail-under {fail_under:g}%")
        return EXIT_BELOW
    return EXIT_OK
