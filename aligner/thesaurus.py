"""The domain thesaurus: provincial wording → national wording, kept as data users can extend."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from aligner.errors import InputError
from aligner.normalise import to_simplified
from aligner.package_data import read_data


@dataclass(frozen=True)
class Thesaurus:
    """Rewrites (A => B) and expansions (A += B), applied longest term first."""

    rewrites: tuple[tuple[str, str], ...] = ()
    expansions: tuple[tuple[str, str], ...] = ()

    # One compiled alternation of every term, longest first, built on first use: a single left-to-right
    # pass, so an expansion's own text (用地保障 → 用地保障(土地节约集约利用)) is never expanded again.
    _pattern: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def _compiled(self) -> re.Pattern[str] | None:
        if self._pattern is None and (self.rewrites or self.expansions):
            terms = sorted({t for t, _ in self.rewrites} | {t for t, _ in self.expansions}, key=lambda t: (-len(t), t))
            object.__setattr__(self, "_pattern", re.compile("|".join(map(re.escape, terms))))
        return self._pattern

    def apply(self, text: str) -> tuple[str, tuple[str, ...]]:
        """The text as the matcher should see it, and which entries fired (for the evidence).

        Single pass: at each position the longest term wins and the output is never scanned again.
        A term that is both rewritten and expanded is rewritten. Fired entries are listed in entry
        order (rewrites, then expansions, longest first), each once.
        """
        pattern = self._compiled()
        if pattern is None:
            return text, ()
        rewrites, expansions = dict(self.rewrites), dict(self.expansions)
        seen: set[str] = set()

        def replace(match: re.Match[str]) -> str:
            term = match.group(0)
            seen.add(term)
            if term in rewrites:
                return rewrites[term]
            return f"{term}({expansions[term]})"

        text = pattern.sub(replace, text)
        fired = [f"{t}→{c}" for t, c in self.rewrites if t in seen]
        fired += [f"{t}⊃{e}" for t, e in self.expansions if t in seen and t not in rewrites]
        return text, tuple(fired)

    def merged(self, other: Thesaurus) -> Thesaurus:
        return _sorted(self.rewrites + other.rewrites, self.expansions + other.expansions)


def _sorted(rewrites: tuple[tuple[str, str], ...], expansions: tuple[tuple[str, str], ...]) -> Thesaurus:
    # Longest term first so 农牧业转移人口 is rewritten before 农牧业; dict keeps the last definition.
    by_len = lambda pair: (-len(pair[0]), pair[0])  # noqa: E731
    return Thesaurus(
        rewrites=tuple(sorted(dict(rewrites).items(), key=by_len)),
        expansions=tuple(sorted(dict(expansions).items(), key=by_len)),
    )


def parse_thesaurus(text: str, source: str) -> Thesaurus:
    rewrites: list[tuple[str, str]] = []
    expansions: list[tuple[str, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"(.+?)\s*(=>|\+=)\s*(.+)", line)
        if not match or not match.group(1).strip() or not match.group(3).strip():
            raise InputError(source, f"line {number}: expected 'A => B' or 'A += B', got {raw.strip()!r}")
        term, op, value = (to_simplified(match.group(i).strip()) for i in (1, 2, 3))
        (rewrites if op == "=>" else expansions).append((term, value))
    return _sorted(tuple(rewrites), tuple(expansions))


def builtin_thesaurus() -> Thesaurus:
    text = read_data("thesaurus.txt")
    return parse_thesaurus(text, "aligner/data/thesaurus.txt")


def load_thesaurus(extra: Path | None = None) -> Thesaurus:
    """The shipped thesaurus, extended (and overridden term by term) by a user's file."""
    base = builtin_thesaurus()
    if extra is None:
        return base
    try:
        if extra.stat().st_size > 5 * 1024 * 1024:
            raise InputError(str(extra), "thesaurus is over 5 MB; is it the right file?")
        text = extra.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(str(extra), "cannot read thesaurus: it is not UTF-8 text") from None
    except OSError as error:
        reason = (error.strerror or "unreadable").lower()
        raise InputError(str(extra), f"cannot read thesaurus ({reason})") from None
    return base.merged(parse_thesaurus(text, str(extra)))
