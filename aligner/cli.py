"""The `align` command: a thin layer over the pipeline that turns results and errors into output.

Exit status: 0 done; 1 a province fell below --fail-under; 2 bad usage or an unreadable input
(in a batch, the other provinces still complete and are reported).
"""

from __future__ import annotations

import io
import logging
import math
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from functools import partial
from pathlib import Path

import typer
from rich.console import Console

from aligner.errors import InputError
from aligner.match import Thresholds, Unit
from aligner.model import Alignment, Kind, Plan
from aligner.pipeline import compare, load_national, load_plan, same_file
from aligner.read import DEFAULT_MAX_BYTES
from aligner.thesaurus import Thesaurus, load_thesaurus

EXIT_BELOW = 1
EXIT_INPUT = 2
DOCUMENT_SUFFIXES = {".txt", ".text", ".md", ".docx", ".pdf", ".html", ".htm"}


class Format(str, Enum):
    terminal = "terminal"
    md = "md"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    html = "html"


class Script(str, Enum):
    original = "original"
    simplified = "simplified"
    traditional = "traditional"


_EXTENSION_FORMATS = {".md": Format.md, ".markdown": Format.md, ".json": Format.json, ".csv": Format.csv,
                      ".xlsx": Format.xlsx, ".html": Format.html, ".htm": Format.html}
_STDOUT_FORMATS = {Format.json, Format.csv}  # without -o these go to standard output, for pipes

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    # -h is what people type first; pretty tracebacks are for developers, and main() turns any
    # unexpected exception into one line instead.
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    help="Align provincial implementation plans with the national plan they implement.\n\n"
    "  align NATIONAL PROVINCE [PROVINCE…]   coverage, gaps and provincial additions\n\n"
    "  align outline FILE                    the parsed clause tree of one plan",
)


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs to align one province; picklable for the process pool."""

    national: Plan
    thesaurus: Thesaurus
    thresholds: Thresholds
    fmt: Format
    explain: bool
    script: str
    max_bytes: int
    national_units: list[Unit] | None = None  # the national plan prepared once (pipeline.load_national)


@dataclass
class Outcome:
    """One province's result, reduced to what the parent process writes and keeps."""

    path: str
    name: str = ""
    rendered: str | bytes | None = None  # the report in the requested file format
    terminal: str = ""  # the terminal report (single province) or summary line (batch)
    column: object = None  # MatrixColumn
    percent: float = 0.0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    json_body: dict[str, object] | None = None


def _err(message: str) -> None:
    """One line on stderr, whatever the message holds: a file name with a newline in it, or a
    library's multi-line exception text, must not break the one-line-per-problem rule."""
    one_line = message.replace("\r", "\\r").replace("\n", "\\n")
    # No markup, emoji codes or highlighting: a file named "a:x:b.txt" must be printed as named.
    Console(stderr=True, highlight=False, soft_wrap=True, emoji=False).print(one_line, markup=False)


def _fail(message: str, code: int = EXIT_INPUT) -> typer.Exit:
    _err(f"error: {message}")
    return typer.Exit(code)


def _render(alignment: Alignment, settings: Settings) -> str | bytes | None:
    from aligner.report import html, markdown, tabular  # imported on demand: keeps start-up fast

    fmt, script = settings.fmt, settings.script
    if fmt is Format.md:
        return markdown.render_markdown(alignment, settings.explain, script)
    if fmt is Format.csv:
        return tabular.render_csv(alignment, script)
    if fmt is Format.xlsx:
        return tabular.render_xlsx(alignment, script)
    if fmt is Format.html:
        return html.render_html(alignment, script)
    return None


def _terminal_text(alignment: Alignment, settings: Settings, width: int, color: bool) -> str:
    from aligner.report.terminal import render_terminal

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, color_system="auto" if color else None,
                      highlight=False, no_color=not color)
    render_terminal(alignment, console, settings.explain, settings.script)
    return buffer.getvalue()


def align_one(path: str, settings: Settings, batch: bool, width: int = 80, color: bool = False) -> Outcome:
    """Everything for one province, in whichever process runs it; errors become part of the outcome."""
    from aligner.report.text import coverage_percent, summary_counts, summary_line

    outcome = Outcome(path=path, name=Path(path).stem)
    try:
        if same_file(path, settings.national.path):
            raise InputError(path, "is the national plan itself; give a provincial plan to compare")
        province = load_plan(path, max_bytes=settings.max_bytes)
        alignment = compare(settings.national, province, settings.thesaurus, settings.thresholds, settings.national_units)
    except InputError as error:
        outcome.error = f"{error.path}: {error.problem}"
        outcome.column = _failed_column(outcome.name, error.problem)
        return outcome
    except Exception as error:  # noqa: BLE001 - one bad province must not stop a batch
        outcome.error = f"{path}: could not be processed ({error.__class__.__name__}: {error})"
        outcome.column = _failed_column(outcome.name, f"internal error: {error.__class__.__name__}")
        return outcome
    outcome.name = province.name
    outcome.percent = coverage_percent(alignment)
    outcome.warnings = [*province.warnings, *alignment.warnings]
    if settings.fmt is Format.json:
        from aligner.report.json_report import province_json

        outcome.json_body = province_json(alignment)
    else:
        outcome.rendered = _render(alignment, settings)
    if batch:
        from aligner.report.matrix import matrix_columns_from  # the matrix is for batches only

        outcome.column = matrix_columns_from(alignment)
        outcome.terminal = f"{province.name}: {summary_line(summary_counts(alignment))}"
    elif settings.fmt is Format.terminal:
        outcome.terminal = _terminal_text(alignment, settings, width, color)
    return outcome


def _failed_column(name: str, problem: str) -> object:
    from aligner.report.matrix import MatrixColumn

    return MatrixColumn.failed(name, problem)


def _is_plan_document(path: Path) -> bool:
    """A file in a province folder worth reading: not hidden, not Word's `~$` lock file."""
    return (
        path.suffix.lower() in DOCUMENT_SUFFIXES
        and not path.name.startswith((".", "~$"))
        and _kind_on_disk(path) == "file"
    )


def _expand(paths: list[Path], national: Path) -> list[str]:
    """Files as given; folders contribute their plan documents, sorted, so runs are repeatable.

    The national plan usually sits in the same folder as the provincial ones (plans/national.txt,
    plans/qinghai.txt), so a folder never contributes it; named explicitly, it is still an error.
    """
    out: list[str] = []
    for path in paths:
        if _is_dir(path):
            try:
                entries = sorted(path.iterdir())
            except OSError as error:
                raise _fail(f"{path}: cannot list the folder ({(error.strerror or type(error).__name__).lower()})")
            found = [p for p in entries if _is_plan_document(p) and not same_file(p, national)]
            if not found:
                raise _fail(f"{path}: folder holds no provincial plan documents "
                            f"({', '.join(sorted(DOCUMENT_SUFFIXES))})")
            out.extend(str(p) for p in found)
        else:
            out.append(str(path))
    return out


def _blocked_by_file(target: Path) -> str | None:
    """Why a report cannot go to `target` because of what is already on disk, else None.

    The OS says only "File exists" or "Not a directory" for `-o notes.txt/x.md`; the user
    needs to hear which part of the path is the problem.
    """
    for folder in reversed(target.parents):
        if _kind_on_disk(folder) in ("file", "other"):
            return f"{folder} is a file, not a folder"
    if _kind_on_disk(target) == "folder":
        return "it is a folder"
    return None


def _kind_on_disk(path: Path) -> str | None:
    """"folder", "file" (regular), "other" (device, pipe…) or None (missing or cannot be looked at).

    Path.is_dir() raises PermissionError for a path under an unreadable folder; here that only
    means we cannot tell, and reading or writing the path will report the real problem.
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    return "file" if stat.S_ISREG(mode) else "other"


def _is_dir(path: Path) -> bool:
    return _kind_on_disk(path) == "folder"


class _Writer:
    """Writes reports atomically and turns every failure into one clear line.

    It refuses to replace an input document: `-f md -o qinghai.txt` would otherwise overwrite
    the provincial plan with its own report.
    """

    def __init__(self, inputs: list[str | Path]) -> None:
        self._inputs: set[tuple[int, int]] = set()
        for path in inputs:
            try:
                info = os.stat(path)
            except (OSError, ValueError):
                continue
            self._inputs.add((info.st_dev, info.st_ino))
        self.failed = False

    def write(self, target: Path, data: str | bytes | Iterable[str]) -> bool:
        from aligner.report.write import write_atomic

        try:
            info = os.stat(target)
        except (OSError, ValueError):
            info = None
        if info is not None and (info.st_dev, info.st_ino) in self._inputs:
            return self._refuse(target, "it is one of the input documents")
        try:
            if info is not None and not stat.S_ISREG(info.st_mode):
                # A device or pipe (-o /dev/stdout, a FIFO): write through it. The atomic rename
                # would replace the node itself, and as root `-o /dev/null` would delete /dev/null.
                with open(target, "wb") as handle:
                    for chunk in [data] if isinstance(data, (str, bytes)) else data:
                        handle.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
            else:
                write_atomic(target, data)
        except OSError as error:
            return self._refuse(target, _blocked_by_file(target) or (error.strerror or str(error)).lower())
        return True

    def _refuse(self, target: Path, problem: str) -> bool:
        _err(f"error: cannot write {target}: {problem}")
        self.failed = True
        return False


def _outcomes(paths: list[str], settings: Settings, jobs: int, batch: bool, width: int, color: bool) -> Iterator[Outcome]:
    """Results in input order; in parallel across processes when there is enough work."""
    work = partial(align_one, settings=settings, batch=batch, width=width, color=color)
    if jobs <= 1 or len(paths) < 4:
        yield from map(work, paths)
        return
    from aligner.tokens import warm_up

    warm_up()  # load the dictionary once, before the workers fork
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(work, paths, chunksize=max(1, min(16, len(paths) // (jobs * 8))))


def _unique_path(path: Path, used: set[Path]) -> Path:
    candidate, n = path, 2
    while candidate in used:
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    used.add(candidate)
    return candidate


@app.command("compare")
def compare_command(
    national: Path = typer.Argument(..., help="The national plan (.txt in any Chinese encoding, .docx, .pdf, .html)."),
    provinces: list[Path] = typer.Argument(..., help="One or more provincial plans, or folders of them."),
    fmt: Format = typer.Option(Format.terminal, "--format", "-f", help="Report format. json and csv go to standard "
                               "output unless -o is given; md, xlsx and html go to reports/<province>.<ext>."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Report file (one province; its extension sets "
                                       "the format) or folder (several provinces)."),
    explain: bool = typer.Option(False, "--explain", "-e", help="Show the evidence for each match."),
    script: Script = typer.Option(Script.original, "--script", help="Script of the text shown: as written "
                                  "(original), simplified or traditional."),
    thesaurus_file: Path | None = typer.Option(None, "--thesaurus", help="Extra thesaurus (lines 'A => B' or "
                                               "'A += B') on top of the built-in one."),
    link_threshold: float = typer.Option(Thresholds.link, "--link-threshold", min=0.0, max=1.0,
                                         help="Lowest score that counts as a (partial) link."),
    adapted_threshold: float = typer.Option(Thresholds.adapted, "--adapted-threshold", min=0.0, max=1.0,
                                            help="Score from which a national task counts as covered."),
    fail_under: float | None = typer.Option(None, "--fail-under", min=0.0, max=100.0,
                                            help="Exit 1 if any province's coverage (%) is below this."),
    jobs: int = typer.Option(os.cpu_count() or 1, "--jobs", "-j", min=1, help="Parallel processes for batches."),
    max_size: float = typer.Option(DEFAULT_MAX_BYTES / 1024 / 1024, "--max-size", min=0.001,
                                   help="Largest input file accepted, in MB."),
) -> None:
    """Compare provincial plans with the national plan: coverage, gaps and provincial additions.

    One province prints a full report; several (or a folder) print one line each and a matrix of
    national tasks × provinces, and write per-province reports and the matrix in the chosen format.
    """
    max_bytes = _megabytes(max_size)
    if adapted_threshold < link_threshold:
        raise _fail("--adapted-threshold must not be below --link-threshold")
    try:
        thesaurus = load_thesaurus(thesaurus_file)
        prepared = load_national(national, thesaurus, max_bytes=max_bytes)
        national_plan = prepared.plan
    except InputError as error:
        raise _fail(f"{error.path}: {error.problem}") from None
    if not national_plan.of_kind(Kind.TASK):
        raise _fail(f"{national}: no key tasks found in the national plan")
    paths = _expand(provinces, national)
    batch = len(paths) > 1 or any(_is_dir(p) for p in provinces)
    fmt = _output_format(fmt, output, batch)
    writer = _Writer([national, *paths, *([thesaurus_file] if thesaurus_file else [])])
    thresholds = Thresholds(link=link_threshold, adapted=adapted_threshold)
    settings = Settings(national_plan, thesaurus, thresholds, fmt, explain, script.value, max_bytes, prepared.units)
    stdout = Console(highlight=False)
    color = stdout.is_terminal and not os.environ.get("NO_COLOR")
    width = min(stdout.width, 120) if stdout.is_terminal else 80
    if batch:
        code = _run_batch(paths, settings, output, jobs, width, color, fail_under, writer)
    else:
        code = _run_single(paths[0], settings, output, fail_under, width, color, writer)
    raise typer.Exit(code)


def _megabytes(max_size: float) -> int:
    """--max-size in bytes; `inf` passes typer's range check but has no byte count."""
    if not math.isfinite(max_size):
        raise _fail(f"--max-size must be a finite number of MB, not {max_size}")
    return int(max_size * 1024 * 1024)


def _output_format(fmt: Format, output: Path | None, batch: bool) -> Format:
    """The report format, and a check of -o before any work: a run that takes minutes should not
    end in "cannot write" when the answer was known at the start.

    One province: -o names a file whose extension sets the format, or an existing folder to put
    <province>.<ext> in. Several: -o is a folder (or, for JSON, the one document's file name).
    """
    if output is None:
        return fmt
    if fmt is Format.terminal:
        inferred = _EXTENSION_FORMATS.get(output.suffix.lower())
        if inferred is not None and (not batch or inferred is Format.json) and not _is_dir(output):
            fmt = inferred
        elif _is_dir(output) or batch:
            raise _fail(f"{output}: choose the report format with --format (md, json, csv, xlsx or html)")
        else:
            raise _fail(f"{output}: cannot tell the report format from the extension; use --format")
    writes_file = not _is_dir(output) and (not batch or (fmt is Format.json and output.suffix))
    problem = _blocked_by_file(output if writes_file else output / "report")
    if problem:
        raise _fail(f"cannot write {output}: {problem}")
    return fmt


def _run_single(path: str, settings: Settings, output: Path | None, fail_under: float | None, width: int,
                color: bool, writer: _Writer) -> int:
    from aligner.report.json_report import render_document
    from aligner.report.write import default_report_path

    outcome = align_one(path, settings, batch=False, width=width, color=color)
    if outcome.error:
        _err(f"error: {outcome.error}")
        return EXIT_INPUT
    fmt = settings.fmt
    if fmt is Format.terminal:
        sys.stdout.write(outcome.terminal)
    else:
        data: str | bytes | None = (
            render_document(settings.national, [outcome.json_body or {}]) if fmt is Format.json else outcome.rendered
        )
        assert data is not None
        if output is None and fmt in _STDOUT_FORMATS:
            sys.stdout.write(data if isinstance(data, str) else data.decode())
        else:
            try:
                target = (
                    default_report_path(output if output is not None else Path("reports"), outcome.name, fmt.value)
                    if output is None or _is_dir(output) else output
                )
            except ValueError as error:  # a symlink in the folder pointing outside it
                _err(f"error: {error}")
                return EXIT_INPUT
            if not writer.write(target, data):
                return EXIT_INPUT
            _err(f"wrote {target}")
    for warning in outcome.warnings:
        if fmt is not Format.terminal:
            _err(f"warning: {outcome.name}: {warning}")
    if fail_under is not None and outcome.percent < fail_under:
        _err(f"{outcome.name}: coverage {outcome.percent:.1f}% is below --fail-under {fail_under:g}")
        return EXIT_BELOW
    return 0


def _run_batch(paths: list[str], settings: Settings, output: Path | None, jobs: int, width: int, color: bool,
               fail_under: float | None, writer: _Writer) -> int:
    """Every province in turn; a bad one is reported and skipped, the rest still get reports.

    Files are written only while writing works (a full disk would otherwise give one error per
    province) and only when at least one province succeeded: a matrix of failures is no report.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from aligner.report import matrix
    from aligner.report.json_report import JsonStream
    from aligner.report.write import default_report_path

    fmt = settings.fmt
    folder = output if output is not None else Path("reports")
    write_files = fmt not in (Format.terminal, Format.json)
    columns: list[matrix.MatrixColumn] = []
    matrix_names = ("matrix.md", "matrix.csv", "matrix.html")
    used: set[Path] = {folder / name for name in matrix_names}  # a province called "matrix" gets matrix-2
    failed = below = written = 0
    stderr = Console(stderr=True, highlight=False)
    json_stream = JsonStream(settings.national) if fmt is Format.json else None
    progress = Progress(TextColumn("aligning"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=stderr, transient=True, disable=not stderr.is_terminal)
    lines: list[str] = []
    with progress:
        task = progress.add_task("align", total=len(paths))
        for outcome in _outcomes(paths, settings, jobs, True, width, color):
            progress.advance(task)
            columns.append(outcome.column)
            if outcome.error:
                failed += 1
                _err(f"error: {outcome.error}")
                continue
            for warning in outcome.warnings:
                _err(f"warning: {outcome.name}: {warning}")
            if fail_under is not None and outcome.percent < fail_under:
                below += 1
            lines.append(outcome.terminal)
            if json_stream is not None and outcome.json_body is not None:
                json_stream.add(outcome.json_body)
            if write_files and outcome.rendered is not None and not writer.failed:
                try:
                    target = _unique_path(default_report_path(folder, outcome.name, fmt.value), used)
                except ValueError as error:  # a symlink in the folder pointing outside it
                    _err(f"error: {error}")
                    writer.failed = True
                    continue
                written += writer.write(target, outcome.rendered)
    succeeded = len(paths) - failed
    if json_stream is not None:
        document = json_stream.pieces([c for c in columns if getattr(c, "error", None)])
        if output is None:
            for piece in document:
                sys.stdout.write(piece)
        elif succeeded:
            target = output if output.suffix and not _is_dir(output) else output / "alignment.json"
            if writer.write(target, document):
                _err(f"wrote {target}")
    else:
        # force_terminal=False when colour is off: no_color alone still lets bold and reverse through.
        console = Console(highlight=False, width=width, no_color=not color, force_terminal=color,
                          color_system="auto" if color else None, emoji=False)
        for line in lines:
            console.print(line, markup=False)
        matrix.render_matrix_terminal(settings.national, columns, console)
        matrix_writers = {Format.md: matrix.render_matrix_markdown, Format.csv: matrix.render_matrix_csv,
                          Format.html: matrix.render_matrix_html, Format.xlsx: matrix.render_matrix_csv}
        if write_files and succeeded and not writer.failed:
            render = matrix_writers[fmt]
            suffix = "csv" if fmt is Format.xlsx else fmt.value
            if writer.write(folder / f"matrix.{suffix}", render(settings.national, columns)) and fmt is not Format.html:
                writer.write(folder / "matrix.html", matrix.render_matrix_html(settings.national, columns))
            if not writer.failed:
                _err(f"wrote {written} province reports and the matrix to {folder}/")
    if failed:
        _err(f"{failed} of {len(paths)} provinces could not be processed")
        return EXIT_INPUT
    if writer.failed:
        return EXIT_INPUT
    if below:
        _err(f"{below} province(s) below --fail-under {fail_under:g}%")
        return EXIT_BELOW
    return 0


@app.command("outline")
def outline_command(
    file: Path = typer.Argument(..., help="A plan document."),
    as_json: bool = typer.Option(False, "--json", help="Print the clauses as JSON instead of a tree."),
    max_size: float = typer.Option(DEFAULT_MAX_BYTES / 1024 / 1024, "--max-size", min=0.001,
                                   help="Largest input file accepted, in MB."),
) -> None:
    """Print the parsed clause tree of one plan (to check what the parser found)."""
    from aligner.report.outline import render_outline, render_outline_json

    try:
        plan = load_plan(file, max_bytes=_megabytes(max_size))
    except InputError as error:
        raise _fail(f"{error.path}: {error.problem}") from None
    if as_json:
        sys.stdout.write(render_outline_json(plan))
    else:
        color = Console().is_terminal and not os.environ.get("NO_COLOR")
        # Off means off: rich's own NO_COLOR handling drops colours but keeps bold and dim.
        render_outline(plan, Console(highlight=False, emoji=False, force_terminal=color,
                                     color_system="auto" if color else None))


_COMMANDS = {"compare", "outline"}


def main() -> None:
    """`align A B` means `align compare A B`; `align outline F` and `align --help` work as usual.

    The last line of defence for the rule that a user never sees a traceback: anything the
    commands did not turn into a message becomes one "internal error" line and exit code 2.
    """
    # Libraries log to the root logger (pypdf: "EOF marker not found" for a broken PDF); with no
    # handler configured Python prints those to stderr next to our one-line message. Problems
    # reach the user through exceptions instead.
    root = logging.getLogger()
    if not any(isinstance(handler, logging.NullHandler) for handler in root.handlers):
        root.addHandler(logging.NullHandler())
    args = sys.argv[1:]
    if args and args[0] not in _COMMANDS and args[0] not in ("--help", "-h"):
        args = ["compare", *args]
    try:
        app(args=args, prog_name="align")
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 - see the docstring
        _err(f"error: internal error ({error.__class__.__name__}: {error}); please report it with the input files")
        sys.exit(EXIT_INPUT)
