"""Where a report came from: tool version, date, input files with their sha256, thresholds, thesaurus.

A report forwarded as a Word or Excel file must say what produced it, so a reader can check it
against the files they hold. The CLI passes a `Provenance` in `RenderOptions`; the library leaves
it out unless asked (`RenderOptions(provenance=...)`), so its output stays byte-for-byte repeatable.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from aligner.report.messages import Catalogue

_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Provenance:
    version: str
    date: str  # ISO date, UTC (SOURCE_DATE_EPOCH when set, for reproducible builds)
    same: float
    adapted: float
    link: float
    thesaurus: str = ""  # the user's extra thesaurus file, "" for the built-in one alone
    thesaurus_sha256: str = ""

    def to_json(self, inputs: list[tuple[str, str]]) -> dict[str, object]:
        return {
            "tool": "aligner", "version": self.version, "date": self.date,
            "inputs": [{"file": name, "sha256": digest or None} for name, digest in inputs],
            "thresholds": {"same": self.same, "adapted": self.adapted, "link": self.link},
            "thesaurus": {"builtin": True, "extra": self.thesaurus or None, "extra_sha256": self.thesaurus_sha256 or None},
        }


def provenance(same: float, adapted: float, link: float, thesaurus: str | os.PathLike[str] | None = None) -> Provenance:
    """The provenance of a run made now with these thresholds and (optional) extra thesaurus file."""
    from aligner import __version__

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    when = (_dt.datetime.fromtimestamp(int(epoch), _dt.UTC) if epoch.isdigit()
            else _dt.datetime.now(_dt.UTC))
    name = str(thesaurus) if thesaurus else ""
    return Provenance(__version__, when.date().isoformat(), same, adapted, link, name, file_sha256(name) if name else "")


def file_sha256(path: str) -> str:
    """The file's sha256 in hex, "" when it cannot be read (a plan given as text, a file since removed)."""
    digest = hashlib.sha256()
    try:
        with Path(path).open("rb") as handle:
            while block := handle.read(_CHUNK):
                digest.update(block)
    except (OSError, ValueError):
        return ""
    return digest.hexdigest()


def inputs_of(paths: list[str]) -> list[tuple[str, str]]:
    return [(path, file_sha256(path)) for path in paths if path]


def provenance_lines(prov: Provenance, inputs: list[tuple[str, str]], msg: Catalogue) -> tuple[str, ...]:
    """The provenance as a reader sees it, one fact a line (an input's sha256 on the line after it)."""
    thesaurus = msg("prov.builtin") + (msg("prov.extra", file=prov.thesaurus, sha=prov.thesaurus_sha256)
                                       if prov.thesaurus else "")
    return (
        msg("prov.tool", version=prov.version),
        msg("prov.date", date=prov.date),
        # one file a line, its sha256 below it: the pair stays readable at 80 columns
        *(line for name, digest in inputs
          for line in (msg("prov.inputs", files=name), *([msg("prov.sha", sha=digest)] if digest else []))),
        msg("prov.thresholds", same=f"{prov.same:g}", adapted=f"{prov.adapted:g}", link=f"{prov.link:g}"),
        msg("prov.thesaurus", thesaurus=thesaurus),
    )
