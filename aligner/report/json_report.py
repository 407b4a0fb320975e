"""The JSON contract (shared/tools/README.md): clauses, links, coverage, additions per province."""

from __future__ import annotations

import json
from collections.abc import Iterable

from aligner.model import Alignment, Kind, Plan


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
        "tasks": alignment.counts(Kind.TASK),
        "measures": alignment.counts(Kind.MEASURE),
        "additions": len(alignment.additions),
    }
    body["warnings"] = [*alignment.province.warnings, *alignment.warnings]
    return body


def render_document(national: Plan, provinces: Iterable[dict[str, object]], errors: Iterable[dict[str, str]] = ()) -> str:
    """One document for one or many provinces; deterministic (no timestamps, stable order)."""
    document = {"national": plan_json(national), "provinces": list(provinces), "errors": list(errors)}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_json(national: Plan, alignments: Iterable[Alignment]) -> str:
    return render_document(national, (province_json(a) for a in alignments))


class JsonStream:
    """Builds the batch document from per-province pieces serialised as they arrive.

    Each province is turned into text straight away, so a run over thousands of plans holds
    strings rather than object trees; the result is identical to `render_document`.
    """

    def __init__(self, national: Plan) -> None:
        self.national = national

    @staticmethod
    def province(body: dict[str, object]) -> str:
        text = json.dumps(body, ensure_ascii=False, indent=2)
        return "\n".join("    " + line for line in text.splitlines())

    def document(self, provinces: list[str], failed: Iterable[object]) -> str:
        head = json.dumps({"national": plan_json(self.national)}, ensure_ascii=False, indent=2)[:-2]
        errors = [{"name": getattr(c, "name", ""), "error": getattr(c, "error", "")} for c in failed]
        errors_text = json.dumps({"errors": errors}, ensure_ascii=False, indent=2)[2:-2]
        body = ",\n".join(provinces)
        provinces_text = '  "provinces": [\n' + body + "\n  ]" if provinces else '  "provinces": []'
        return head + ",\n" + provinces_text + ",\n" + errors_text + "\n}\n"
