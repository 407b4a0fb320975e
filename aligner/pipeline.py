"""The stages joined up: a file path → a Plan, two Plans → an Alignment with its warnings.

Kept apart from the CLI so batch workers, benchmarks and tests run exactly what users run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from aligner import cache, checks, codec
from aligner.errors import InputError
from aligner.match import Thresholds, Unit, align, prepare_national
from aligner.model import Alignment, Kind, Plan, Relation, SourceText, Status
from aligner.normalise import normalise
from aligner.parse import parse
from aligner.read import DEFAULT_MAX_BYTES, read_document
from aligner.targets import extract_targets
from aligner.thesaurus import Thesaurus
from aligner.tokens import dictionary_fingerprint

if TYPE_CHECKING:
    from aligner.decisions import Decisions

# More numbered clauses than any real plan or regulation holds (the largest seen have a few hundred):
# beyond this a file is not a plan but a list, a log or a hostile input, and matching it would take
# time and memory that grow with the product of the two documents.
MAX_CLAUSES = 5_000


def load_plan(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Plan:
    """Read, normalise and parse one document; refuse one that holds no task clauses."""
    return plan_of_source(read_document(path, max_bytes=max_bytes))


def plan_of_source(source: SourceText) -> Plan:
    """Normalise and parse a decoded document; refuse one that holds no task clauses."""
    clean = normalise(source.path, source.text)
    plan = parse(clean)
    if len(plan.clauses) > MAX_CLAUSES:
        raise InputError(
            source.path, f"{Path(source.path).name} holds {len(plan.clauses)} numbered clauses, more than any plan "
            f"({MAX_CLAUSES}): is it a plan?"
        )
    if not plan.of_kind(Kind.TASK, Kind.MEASURE):
        # The normaliser cut most lines as mojibake, or most letters of the raw text are replacement
        # characters and other mojibake signatures: the cause is the encoding, not the genre.
        cut = sum(1 for note in clean.notes if "mojibake" in note)
        share = checks.garbled_share(source.text[:65536])
        all_cut = bool(cut) and cut >= len(clean.lines)
        if all_cut or share >= checks.GARBLED_CHAR_SHARE:
            why = f"{cut} lines are mojibake" if all_cut else f"{share:.0%} of its characters are mojibake"
            raise InputError(source.path, f"no task clauses found in {Path(source.path).name}: the text is garbled ({why}), "
                             "so it was probably saved or read in the wrong encoding")
        lost = checks.run_together(clean)
        if lost is not None:
            raise InputError(source.path, f"no task clauses found in {Path(source.path).name}: its paragraph breaks "
                             f"appear lost ({lost[2]} numbered parts run together in line {lost[0]}); "
                             "use a copy that keeps them")
        raise InputError(source.path, f"no task clauses found in {Path(source.path).name}: is it a plan?")
    targets = extract_targets([(line.number, line.simplified) for line in clean.lines])
    return replace(plan, targets=targets, encoding=source.encoding, clean=clean)


@dataclass(frozen=True)
class National:
    """The national plan, parsed and prepared for matching once for all provinces of a run."""

    plan: Plan
    units: list[Unit]


def load_national(path: str | os.PathLike[str], thesaurus: Thesaurus, max_bytes: int = DEFAULT_MAX_BYTES) -> National:
    """`load_plan` plus `prepare_national`, kept in the user cache keyed on the document's bytes,
    the thesaurus, the aligner's code and the segmenter's dictionary: the same national plan is
    not re-read on every run. The cache holds checked JSON (aligner.codec), never code."""
    document = _document_bytes(path, max_bytes)
    key = None
    if document is not None and cache.cache_dir() is not None:
        key = cache.national_key(document, str(path), repr(thesaurus), dictionary_fingerprint())
    cached = _cached_national(key, str(path)) if key else None
    if cached is not None:
        return cached
    plan = load_plan(path, max_bytes=max_bytes)
    national = National(plan, prepare_national(plan, thesaurus))
    if key:
        _store_national(key, national)
    return national


def _document_bytes(path: str | os.PathLike[str], max_bytes: int) -> bytes | None:
    try:
        size = os.stat(path).st_size
        return Path(path).read_bytes() if 0 < size <= max_bytes else None
    except (OSError, ValueError):
        return None  # load_plan says what is wrong with it


# Provincial plans are cached only when our own code decoded them (UTF-8 text): a .docx, PDF or web
# page, or a guessed legacy codec, goes through a third-party library whose version is not in the key.
_EXTRACTED_SUFFIXES = frozenset({".docx", ".pdf", ".html", ".htm"})
_SELF_DECODED = frozenset({"utf-8", "utf-8-sig"})


def load_province(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Plan:
    """`load_plan`, kept in the user cache (the last few, keyed on the document's bytes and path,
    the size limit, the aligner's code and the Python and OpenCC versions): re-running one pair,
    e.g. for another report format, does not read, clean and parse the province again. For single
    runs; a batch uses `load_plan` (thousands of entries would only churn the cache)."""
    document = _document_bytes(path, max_bytes)
    key = None
    if document is not None and Path(path).suffix.lower() not in _EXTRACTED_SUFFIXES and cache.cache_dir() is not None:
        key = cache.national_key(document, str(path), f"province, max {max_bytes} bytes")
        cached = _cached_province(key, str(path))
        if cached is not None:
            return cached
    plan = load_plan(path, max_bytes=max_bytes)
    if key and plan.encoding in _SELF_DECODED:
        try:
            value = codec.plan_to_json(plan)
        except (TypeError, ValueError, KeyError):  # a field the codec cannot store: no cache, not an error
            return plan
        cache.store(key, codec.SCHEMA, value, kind="province")
    return plan


def _cached_province(key: str, path: str) -> Plan | None:
    stored = cache.load(key, codec.SCHEMA, kind="province")
    if stored is None:
        return None
    try:
        plan = codec.plan_from_json(stored)
    except (ValueError, TypeError, KeyError, IndexError, RecursionError):
        return None
    return plan if plan.path == path and plan.encoding in _SELF_DECODED else None


def _store_national(key: str, national: National) -> None:
    try:
        value = codec.prepared_to_json(national.plan, national.units)
    except (TypeError, ValueError, KeyError):  # a field the codec cannot store: no cache, not an error
        return
    cache.store(key, codec.SCHEMA, value)


def _cached_national(key: str, path: str) -> National | None:
    stored = cache.load(key, codec.SCHEMA)
    if stored is None:
        return None
    try:
        plan, units = codec.prepared_from_json(stored)
    except (ValueError, TypeError, KeyError, IndexError, RecursionError):
        return None
    return National(plan, units) if plan.path == path else None


def align_plans(
    national: Plan, province: Plan, thesaurus: Thesaurus, thresholds: Thresholds, national_units: list[Unit] | None = None,
    decisions: Decisions | None = None,
) -> Alignment:
    """Align a province with the national plan and add the warnings a reader must see first.

    When the checks find the second document is not an implementation of the first, no link is
    shown as stronger than partial; when it is not one or is cut short, the coverage figure is
    marked unreliable (reports then say so instead of presenting a gap rate). An analyst's
    `decisions` (aligner.decisions) are applied to the links before the checks run."""
    alignment = align(national, province, thesaurus, thresholds, national_units)
    if decisions is not None:
        from aligner.decisions import apply as apply_decisions  # only with --decisions: not at start-up

        alignment = apply_decisions(alignment, decisions.for_province(province))
    notices = [
        *checks.check_plan(province, province.clean),
        *checks.check_pair(national, province, alignment, national.clean, province.clean),
    ]
    codes = {n.code for n in notices}
    if checks.NOT_AN_IMPLEMENTATION in codes:
        alignment = _only_partial(alignment)
    alignment.notices = [*alignment.notices, *notices]
    unreliable = [c for c in checks.UNRELIABLE_COVERAGE_ORDER if c in codes]
    alignment.unreliable = ", ".join(unreliable)
    return alignment


def _only_partial(alignment: Alignment) -> Alignment:
    """Every link demoted to partial, so no national task reads as covered by a document that
    does not implement the plan; the links stay for the reader to see."""
    links = [replace(link, relation=Relation.PARTIAL) for link in alignment.links]
    coverage = [replace(c, status=Status.PARTIAL) if c.status is Status.COVERED else c for c in alignment.coverage]
    return replace(alignment, links=links, coverage=coverage)
