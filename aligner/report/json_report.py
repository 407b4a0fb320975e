"""The JSON contract (shared/tools/README.md): clauses, links, coverage, additions per province.

JSON is data, not display: strings are kept as the plans hold them (json.dumps escapes control
characters itself). Only lone surrogates — file-name bytes that are not UTF-8 — are replaced by
a visible escape (`escape.json_safe`), so every document encodes to valid UTF-8.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from aligner.docmeta import plan_meta
from aligner.model import Alignment, Kind, Notice, Plan
from aligner.report.escape import json_safe

if TYPE_CHECKING:
    from aligner.report.registry import RenderOptions
    from aligner.report.view import ReportView


NOTE = "note"  # the code of the reader and parser's own remarks (a line of mojibake cut, lines rejoined …)
_LINE = re.compile(r"^line (\d+):")


def notes_as_notices(notes: Iterable[str]) -> list[Notice]:
    """The plan's free-text remarks as coded warnings, with the line they start with, if any."""
    out = []
    for note in notes:
        match = _LINE.match(note)
        out.append(Notice(NOTE, note, int(match.group(1)) if match else None))
    return out


def alignment_notices(alignment: Alignment) -> list[Notice]:
    """Every warning of one province, the coded checks first: what a reader must see before the figures."""
    return [*alignment.notices, *notes_as_notices(alignment.province.warnings),
            *(Notice(NOTE, w) for w in alignment.warnings)]


def plan_json(plan: Plan) -> dict[str, object]:
    """The plan as data; each clause also carries `numbering`, the document's own (`二、（一）1.`)."""
    from aligner.report.view import numbering

    index = plan.by_id()
    return {
        "path": plan.path,
        "name": plan.name,
        "title": plan.title,
        "encoding": plan.encoding,
        "declared": dict(sorted(plan.declared.items())),
        "metadata": plan_meta(plan).to_json(),
        "warnings": [n.to_json() for n in notes_as_notices(plan.warnings)],
        "clauses": [c.to_json() | {"numbering": numbering(c, index)} for c in plan.clauses],
    }


def province_json(alignment: Alignment) -> dict[str, object]:
    body = plan_json(alignment.province)
    body["links"] = [link.to_json(alignment.decided) for link in alignment.links]
    if alignment.decided:
        body["rejected"] = [link.to_json(True) for link in alignment.rejected]
    body["coverage"] = [
        {"national": c.national, "status": c.status.value, "score": round(c.score, 4), "counterparts": list(c.counterparts)}
        for c in alignment.coverage
    ]
    body["additions"] = list(alignment.additions)
    body["summary"] = {
        "tasks": alignment.counts(Kind.TASK),
        "measures": alignment.counts(Kind.MEASURE),
        "additions": len(alignment.additions),
        # Why the coverage figures must not be read as a gap rate (not-an-implementation, truncated), or null.
        "unreliable": alignment.unreliable or None,
    }
    body["warnings"] = [n.to_json() for n in alignment_notices(alignment)]
    return body


def render_document(national: Plan, provinces: Iterable[dict[str, object]], errors: Iterable[dict[str, str]] = (),
                    provenance: dict[str, object] | None = None) -> str:
    """One document for one or many provinces; deterministic (no timestamps, stable order) unless a
    provenance (which carries the run's date) is given."""
    document: dict[str, object] = {"provenance": provenance} if provenance else {}
    document |= {"national": plan_json(national), "provinces": list(provinces), "errors": list(errors)}
    return json_safe(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"


def render_report(view: ReportView, options: RenderOptions) -> str:
    """The one-province document; serialises the alignment behind the view, not its display text.
    With a provenance asked for (the CLI), a `provenance` object leads the document."""
    del options
    return render_document(view.alignment.national, [province_json(view.alignment)], provenance=view.provenance_json)


def render_json(national: Plan, alignments: Iterable[Alignment]) -> str:
    return render_document(national, (province_json(a) for a in alignments))


class JsonStream:
    """The batch document, built as provinces arrive without holding them in memory.

    Each province is serialised at once and appended to a spool file (in memory while small, on
    disk beyond a few MB); `pieces` then yields the document in blocks. The result is identical
    to `render_document`, so a run over thousands of plans stays flat in memory.
    """

    def __init__(self, national: Plan, provenance: dict[str, object] | None = None) -> None:
        self.national = national
        self.provenance = provenance
        self.count = 0
        # Lives as long as the stream: closed by pieces() once the document has been read out.
        import tempfile  # only batches spool (start-up)

        self._spool = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024, mode="w+", encoding="utf-8")  # noqa: SIM115

    def add(self, body: dict[str, object]) -> None:
        text = json_safe(json.dumps(body, ensure_ascii=False, indent=2))
        # Split on "\n" only: splitlines() would also split inside strings, at the U+2028, U+0085 …
        # that json.dumps(ensure_ascii=False) leaves raw, and break the document.
        self._spool.write((",\n" if self.count else "") + "\n".join("    " + line for line in text.split("\n")))
        self.count += 1

    def pieces(self, failed: Iterable[object]) -> Iterator[str]:
        start: dict[str, object] = {"provenance": self.provenance} if self.provenance else {}
        head = json_safe(json.dumps(start | {"national": plan_json(self.national)}, ensure_ascii=False, indent=2))[:-2]
        errors = [{"name": getattr(c, "name", ""), "error": getattr(c, "error", "")} for c in failed]
        errors_text = json_safe(json.dumps({"errors": errors}, ensure_ascii=False, indent=2))[2:-2]
        yield head + ",\n"
        if not self.count:
            yield '  "provinces": []'
        else:
            yield '  "provinces": [\n'
            self._spool.seek(0)
            while block := self._spool.read(1024 * 1024):
                yield block
            yield "\n  ]"
        yield ",\n" + errors_text + "\n}\n"
        self._spool.close()
