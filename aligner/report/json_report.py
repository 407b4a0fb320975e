"""The JSON contract (shared/tools/README.md): clauses, links, coverage, additions per province."""

from __future__ import annotations

import json
from collections.abc import Iterable

from aligner.model import Alignment, Plan


def plan_json(plan: Plan) -> dict[str, object]:
    return {
        "path": plan.path,
        "name": plan.name,
        "title": plan.title,
        "encoding": plan.encoding,
        "declared": dict(sorted(plan.declared.items())),
        "warnings": list(plan.warnings),
        "clauses": [c.to_json() for c in plan.clauses],
    }


def province_json(alignment: Alignment) -> dict[str, object]:
    body = plan_json(alignment.province)
    body["links"] = [link.to_json() for link in alignment.links]
    body["coverage"] = [
        {"national": c.national, "status": c.status.value, "score": round(c.score, 4), "counterparts": list(c.counterparts)}
        for c in alignment.coverage
    ]
    body["additions"] = list(alignment.additions)
    body["summary"] = {
        "tasks": alignment.counts(),
        "measures": alignment.counts(kind=_measure()),
        "additions": len(alignment.additions),
    }
    body["warnings"] = list(alignment.warnings)
    return body


def _measure():  # local import keeps the module's public surface small
    from aligner.model import Kind

    return Kind.MEASURE


def render_json(national: Plan, alignments: Iterable[Alignment], errors: Iterable[dict[str, str]] = ()) -> str:
    """One document for one or many provinces; deterministic (no timestamps, stable order)."""
    document = {
        "national": plan_json(national),
        "provinces": [province_json(a) for a in alignments],
        "errors": list(errors),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
