"""The library: everything `align` does, as Python calls that return typed results.

    from aligner import align
    result = align("plans/national.txt", "plans/qinghai.txt")
    result.to_dict()            # the JSON contract, equal to `align … --format json`
    result.render("md")         # any report format, as str (bytes for xlsx)
    result.write("reports/qinghai.md")

A document is given as a path (`str` or `os.PathLike`), as `bytes` (a file's content), or as
text: a `str` that contains a line break is taken as the document's text, any other `str` as a
path (a file name never holds a line break; a plan always does).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from aligner.errors import InputError
from aligner.match import Thresholds
from aligner.model import Alignment, Plan, SourceText
from aligner.output import Writer, display_path, is_dir, unique_path
from aligner.pipeline import National, load_national, plan_of_source
from aligner.read import DEFAULT_MAX_BYTES, read_bytes, read_document
from aligner.report.registry import (
    MATRIX_NAMES,
    RenderOptions,
    format_for_suffix,
    get_format,
    matrix_files,
    render_matrix,
    render_report,
)
from aligner.thesaurus import Thesaurus, load_thesaurus

if TYPE_CHECKING:
    from aligner.decisions import Decisions
    from aligner.report.matrix import MatrixColumn
    from aligner.report.provenance import Provenance

Source = str | os.PathLike[str] | bytes
DEFAULT_MAX_SIZE_MB = DEFAULT_MAX_BYTES / 1024 / 1024
_MAGIC_SUFFIXES = ((b"PK\x03\x04", ".docx"), (b"%PDF-", ".pdf"))


def max_bytes_of(max_size_mb: float) -> int:
    """A size in MB as bytes; ValueError for a size that is not a positive finite number."""
    if not (isinstance(max_size_mb, (int, float)) and math.isfinite(max_size_mb) and max_size_mb > 0):
        raise ValueError(f"the size limit must be a positive, finite number of MB, not {max_size_mb}")
    return int(min(max_size_mb, 2.0**40) * 1024 * 1024)  # a million TB: beyond any disk, and no overflow


def _is_text(source: Source) -> bool:
    return isinstance(source, str) and ("\n" in source or "\r" in source)


def read_text(source: Source, *, name: str | None = None, max_size_mb: float = DEFAULT_MAX_SIZE_MB) -> SourceText:
    """A document decoded to text (any common Chinese encoding, .docx, .pdf, .html); InputError
    names the problem for anything unusable."""
    max_bytes = max_bytes_of(max_size_mb)
    if _is_text(source):
        assert isinstance(source, str)
        return SourceText(path=name or "<text>", text=source, encoding="text")
    if isinstance(source, bytes):
        label = name or "<bytes>"
        suffix = Path(label).suffix.lower() or _sniff_suffix(source)
        return read_bytes(source, label, suffix, max_bytes)
    return read_document(source, max_bytes=max_bytes)


def _sniff_suffix(data: bytes) -> str:
    for magic, suffix in _MAGIC_SUFFIXES:
        if data.startswith(magic):
            return suffix
    head = data[:2048].lower()
    return ".html" if b"<html" in head or b"<!doctype html" in head else ".txt"


def parse_plan(source: Source, *, name: str | None = None, max_size_mb: float = DEFAULT_MAX_SIZE_MB) -> Plan:
    """A document's clause tree (actions, tasks, measures with their numbering and lines)."""
    return plan_of_source(read_text(source, name=name, max_size_mb=max_size_mb))


@dataclass(frozen=True)
class ProvinceError:
    """A provincial document that could not be aligned; the rest of a run still completes."""

    path: str
    name: str
    error: str  # the problem, one sentence (e.g. "file not found")

    def message(self) -> str:
        return f"{display_path(self.path)}: {self.error}"


@dataclass
class Result:
    """The national plan and, per provincial document, its alignment or its error."""

    national: Plan
    alignments: list[Alignment] = field(default_factory=list)
    errors: list[ProvinceError] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """The JSON contract (README "JSON output"); equal to what `--format json` prints."""
        import json

        from aligner.report.json_report import province_json, render_document

        errors = [{"name": e.name, "error": e.error} for e in self.errors]
        text = render_document(self.national, (province_json(a) for a in self.alignments), errors)
        document: dict[str, object] = json.loads(text)
        return document

    def render(self, fmt: str = "md", *, explain: bool = False, script: str = "simplified", width: int = 80,
               color: bool = False, lang: str = "zh") -> str | bytes:
        """One province: its report. Several: the matrix (json: the whole document).
        `lang` zh (default) or en; `script` simplified (default), traditional or original."""
        options = RenderOptions(explain=explain, script=script, width=width, color=color, lang=lang)
        if fmt == "json":
            from aligner.report.json_report import province_json, render_document

            errors = [{"name": e.name, "error": e.error} for e in self.errors]
            return render_document(self.national, (province_json(a) for a in self.alignments), errors)
        if len(self.alignments) == 1 and not self.errors:
            return render_report(self.alignments[0], fmt, options)
        return render_matrix(self.national, self.columns(), fmt if get_format(fmt).has_matrix else "csv", options)

    def columns(self) -> list[MatrixColumn]:
        """The matrix columns, in input order, failed provinces included."""
        from aligner.report.matrix import MatrixColumn, matrix_columns_from

        return [*(matrix_columns_from(a) for a in self.alignments),
                *(MatrixColumn.failed(e.name, e.error) for e in self.errors)]

    def write(self, path: str | os.PathLike[str], fmt: str | None = None, *, explain: bool = False,
              script: str = "simplified", say: Callable[[str], None] | None = None, lang: str = "zh") -> list[Path]:
        """Write the report(s): one province to `path` (format from its extension unless given);
        several to the folder `path`, one report each plus the matrix. Atomic; never replaces an
        input document. Returns the files written; OSError if any could not be written."""
        problems: list[str] = []
        writer = Writer([self.national.path, *(a.province.path for a in self.alignments)], say or problems.append)
        target = Path(path)
        fmt = fmt or format_for_suffix(target.suffix) or ("md" if is_dir(target) or len(self.alignments) != 1 else None)
        if fmt is None:
            raise ValueError(f"{target}: cannot tell the report format from the extension; pass fmt")
        if fmt == "review" and target.suffix.lower() == ".csv":
            fmt = "review-csv"
        options = RenderOptions(explain=explain, script=script, lang=lang)
        written = _write_reports(self, target, fmt, options, writer)
        if writer.failed:
            raise OSError("; ".join(problems) or f"cannot write {target}")
        return written


def _write_reports(result: Result, target: Path, fmt: str, options: RenderOptions, writer: Writer) -> list[Path]:
    from aligner.report.write import default_report_path

    written: list[Path] = []
    if len(result.alignments) == 1 and not result.errors and not is_dir(target):
        if writer.write(target, render_report(result.alignments[0], fmt, options)):
            written.append(target)
        return written
    used = {target / name for name in MATRIX_NAMES}
    for alignment in result.alignments:
        path = unique_path(default_report_path(target, alignment.province.name, fmt), used)
        if writer.write(path, render_report(alignment, fmt, options)):
            written.append(path)
    for name, kind in matrix_files(fmt):
        path = target / name
        if writer.write(path, render_matrix(result.national, result.columns(), kind, options)):
            written.append(path)
    return written


def prepare(national: Source, thesaurus: Thesaurus, max_bytes: int) -> National:
    """The national plan parsed and prepared for matching (cached between runs for a file)."""
    if isinstance(national, bytes) or _is_text(national):
        from aligner.match import prepare_national

        plan = plan_of_source(read_text(national, max_size_mb=max_bytes / 1024 / 1024))
        return National(plan, prepare_national(plan, thesaurus))
    return load_national(national, thesaurus, max_bytes=max_bytes)


def load_decisions(source: str | os.PathLike[str] | Decisions, several: bool = False) -> Decisions:
    """An analyst's decisions from a .csv/.xlsx file or a folder of them (InputError naming the row)."""
    from aligner import decisions as decisions_module
    from aligner.decisions import Decisions

    if isinstance(source, Decisions):
        return replace(source, several=several or source.several)
    return decisions_module.load(source, several)


def thesaurus_of(extra: str | os.PathLike[str] | Thesaurus | None) -> Thesaurus:
    """The built-in thesaurus, merged with a user's file or Thesaurus when given."""
    if isinstance(extra, Thesaurus):
        return load_thesaurus(None).merged(extra)
    return load_thesaurus(Path(extra) if extra is not None else None)


def provenance_of(thresholds: Thresholds, thesaurus: str | os.PathLike[str] | None = None) -> Provenance:
    """What every report file of a run made now says about itself (`RenderOptions(provenance=...)`):
    version, today's date, the thresholds and the extra thesaurus file (the inputs are hashed per report)."""
    from aligner.report.provenance import provenance

    return provenance(thresholds.same, thresholds.adapted, thresholds.link, thesaurus)


def thresholds_of(link_threshold: float, adapted_threshold: float) -> Thresholds:
    for label, value in (("link_threshold", link_threshold), ("adapted_threshold", adapted_threshold)):
        if not (isinstance(value, (int, float)) and math.isfinite(value) and 0.0 <= value <= 1.0):
            raise ValueError(f"{label} must be a number from 0 to 1, not {value}")
    if adapted_threshold < link_threshold:
        raise ValueError("adapted_threshold must not be below link_threshold")
    return Thresholds(link=link_threshold, adapted=adapted_threshold)


def align(national: Source, *provinces: Source, thesaurus: str | os.PathLike[str] | Thesaurus | None = None,
          link_threshold: float = Thresholds.link, adapted_threshold: float = Thresholds.adapted,
          max_size_mb: float = DEFAULT_MAX_SIZE_MB,
          decisions: str | os.PathLike[str] | Decisions | None = None) -> Result:
    """Align each provincial document with the national plan.

    `decisions`: an analyst's decisions file (.csv, .xlsx, a folder of them, or `Decisions`),
    applied before coverage, gaps and additions are computed (aligner.decisions); an unusable
    decisions file raises InputError naming the row.

    An unusable national plan raises InputError (ValueError for bad options); an unusable
    provincial document is recorded in `Result.errors` and the others are still aligned.
    For thousands of documents use `aligner.batch`, which streams instead of keeping every
    alignment in memory.
    """
    from aligner.batch import align_path

    max_bytes = max_bytes_of(max_size_mb)
    thresholds = thresholds_of(link_threshold, adapted_threshold)
    lexicon = thesaurus_of(thesaurus)
    prepared = prepare(national, lexicon, max_bytes)
    chosen = load_decisions(decisions, len(provinces) > 1) if decisions is not None else None
    result = Result(prepared.plan)
    for number, source in enumerate(provinces, start=1):
        label = source if not (isinstance(source, bytes) or _is_text(source)) else f"<province {number}>"
        try:
            if isinstance(source, bytes) or _is_text(source):
                from aligner.pipeline import align_plans

                province = plan_of_source(read_text(source, name=str(label), max_size_mb=max_size_mb))
                alignment = align_plans(prepared.plan, province, lexicon, thresholds, prepared.units, chosen)
            else:
                alignment = align_path(os.fspath(source), prepared, lexicon, thresholds, max_bytes, chosen)
        except InputError as error:
            result.errors.append(ProvinceError(error.path, display_path(Path(error.path).stem), error.problem))
            continue
        result.alignments.append(alignment)
    return result
