"""The stages joined up: a file path → a Plan, two Plans → an Alignment with its warnings.

Kept apart from the CLI so batch workers, benchmarks and tests run exactly what users run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from aligner import cache, codec
from aligner.errors import InputError
from aligner.match import Thresholds, Unit, align, prepare_national
from aligner.model import Alignment, Kind, Plan, SourceText
from aligner.normalise import normalise
from aligner.parse import parse
from aligner.read import DEFAULT_MAX_BYTES, read_document
from aligner.targets import extract_targets
from aligner.thesaurus import Thesaurus
from aligner.tokens import dictionary_fingerprint


def load_plan(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Plan:
    """Read, normalise and parse one document; refuse one that holds no task clauses."""
    return plan_of_source(read_document(path, max_bytes=max_bytes))


def plan_of_source(source: SourceText) -> Plan:
    """Normalise and parse a decoded document; refuse one that holds no task clauses."""
    clean = normalise(source.path, source.text)
    plan = parse(clean)
    if not plan.of_kind(Kind.TASK, Kind.MEASURE):
        raise InputError(source.path, f"no task clauses found in {Path(source.path).name}: is it a plan?")
    targets = extract_targets([(line.number, line.simplified) for line in clean.lines])
    return replace(plan, targets=targets, encoding=source.encoding)


@dataclass(frozen=True)
class National:
    """The national plan, parsed and prepared for matching once for all provinces of a run."""

    plan: Plan
    units: list[Unit]


def load_national(path: str | os.PathLike[str], thesaurus: Thesaurus, max_bytes: int = DEFAULT_MAX_BYTES) -> National:
    """`load_plan` plus `prepare_national`, kept in the user cache keyed on the document's bytes,
    the thesaurus, the aligner's code and the segmenter's dictionary: the same national plan is
    not re-read on every run. The cache holds checked JSON (aligner.codec), never code."""
    try:
        size = os.stat(path).st_size
        document = Path(path).read_bytes() if 0 < size <= max_bytes else None
    except (OSError, ValueError):
        document = None  # load_plan says what is wrong with it
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
    national: Plan, province: Plan, thesaurus: Thesaurus, thresholds: Thresholds, national_units: list[Unit] | None = None
) -> Alignment:
    """Align a province with the national plan and add the warnings a reader must see first."""
    alignment = align(national, province, thesaurus, thresholds, national_units)
    n_tasks = len(national.of_kind(Kind.TASK))
    p_tasks = len(province.of_kind(Kind.TASK))
    if n_tasks and p_tasks < n_tasks / 3:
        found = "1 task was" if p_tasks == 1 else f"{p_tasks} tasks were"
        alignment.warnings.append(
            f"only {found} found in the provincial plan against {n_tasks} national tasks: "
            "the text may be incomplete, so gaps may be missing text rather than missing tasks"
        )
    return alignment
