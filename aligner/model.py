"""Plain data passed between the pipeline stages (read → normalise → parse → match → report).

Every stage takes these and returns new ones; nothing here has behaviour beyond small
conveniences, so a report writer can be tested with hand-built values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Kind(str, Enum):
    """What a clause is in the plan's structure."""

    ACTION = "action"  # a major action (行动), the unit the tasks are grouped in
    SECTION = "section"  # 发展方向 / 重点任务 / 政策措施 …
    TASK = "task"  # a key task (重点任务)
    MEASURE = "measure"  # a policy measure, numbered or a plain paragraph
    OTHER = "other"  # 总体要求, 组织实施, background …


class Status(str, Enum):
    """How well a national clause is taken up by a province."""

    COVERED = "covered"
    PARTIAL = "partial"
    GAP = "gap"


class Relation(str, Enum):
    """How a provincial clause relates to the national clause it is linked to."""

    SAME = "same"  # near-verbatim
    ADAPTED = "adapted"  # the same task reworded or localised
    PARTIAL = "partial"  # related, takes up part of it


@dataclass(frozen=True)
class SourceText:
    """A document decoded to text, with how it was read (for messages and reports)."""

    path: str
    text: str
    encoding: str  # e.g. "utf-8", "gb18030", "docx", "pdf", "html"


@dataclass(frozen=True)
class Line:
    """One cleaned line of a document.

    `original` keeps the author's script (pinyin readings, junk and width variants removed);
    `simplified` is the same line in simplified script, which parsing and matching use.
    """

    number: int  # 1-based line number in the source text
    original: str
    simplified: str


@dataclass(frozen=True)
class CleanText:
    """A document after normalisation: the lines that may belong to the plan, and what was dropped."""

    path: str
    lines: tuple[Line, ...]
    notes: tuple[str, ...] = ()  # what normalisation did that a user should know (mojibake skipped …)


@dataclass
class Clause:
    """A numbered (or inline-listed, or paragraph) unit of a plan."""

    id: str  # path of numbers, e.g. "2.2.1"
    kind: Kind
    number: str  # the label as written, e.g. "1.", "(一)", "一是", "" when unnumbered
    title: str  # heading sentence, simplified script
    text: str  # body text, simplified script
    parent: str | None
    line: int
    units: list[str] = field(default_factory=list)  # responsible units (责任单位)
    original_title: str = ""  # heading in the author's script
    original_text: str = ""
    children: list[str] = field(default_factory=list)
    passages: tuple[str, ...] = ()  # an article's paragraphs and items, its units of evidence

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "number": self.number,
            "title": self.title,
            "text": self.text,
            "parent": self.parent,
            "line": self.line,
            "units": list(self.units),
            "original_title": self.original_title or self.title,
        }


@dataclass(frozen=True)
class Notice:
    """One warning for the reader: a stable code (README "Warnings"), one sentence naming the
    evidence, and the line it is about when there is one."""

    code: str
    message: str
    line: int | None = None
    message_zh: str = field(default="", compare=False)  # the same sentence in Chinese (reports in zh)

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "line": self.line}

    def as_text(self) -> str:
        where = f"line {self.line}: " if self.line is not None and f"line {self.line}" not in self.message else ""
        return f"{self.code}: {where}{self.message}"


@dataclass(frozen=True)
class Target:
    """A quantitative target a plan states, e.g. 常住人口城镇化率 接近70% by 2029."""

    indicator: str
    value: str
    year: str
    line: int


@dataclass
class Plan:
    """A parsed plan: its clauses in document order plus what the parser noticed."""

    path: str
    title: str
    name: str  # short name for reports: the province (青海) or the file stem
    clauses: list[Clause]
    warnings: list[str] = field(default_factory=list)
    declared: dict[str, int] = field(default_factory=dict)  # counts the document states
    targets: list[Target] = field(default_factory=list)
    encoding: str = ""
    # The normalised text the tree came from: the checks read its preamble and last lines.
    clean: CleanText | None = field(default=None, repr=False, compare=False)

    def by_id(self) -> dict[str, Clause]:
        return {c.id: c for c in self.clauses}

    def of_kind(self, *kinds: Kind) -> list[Clause]:
        return [c for c in self.clauses if c.kind in kinds]

    def action_of(self, clause: Clause, index: dict[str, Clause] | None = None) -> Clause | None:
        """The nearest action above a clause (or the clause itself when it is one).

        Pass `index` (from `by_id`) when asking for many clauses, to build it once."""
        index = index if index is not None else self.by_id()
        current: Clause | None = clause
        while current is not None:
            if current.kind is Kind.ACTION:
                return current
            current = index.get(current.parent) if current.parent else None
        return None


@dataclass(frozen=True)
class Evidence:
    """Why a link was made, in terms a reader can check against the two texts."""

    shared_terms: tuple[str, ...]  # distinctive terms both clauses use (after thesaurus mapping)
    province_sentence: str
    national_sentence: str
    sentence_score: float  # fuzzy similarity of that best sentence pair, 0..1
    notes: tuple[str, ...] = ()  # e.g. "thesaurus: 农牧业→农业", "same action"

    def as_strings(self) -> list[str]:
        out: list[str] = []
        if self.shared_terms:
            out.append("shared terms: " + "、".join(self.shared_terms))
        if self.province_sentence and self.national_sentence:
            out.append(
                f"best sentence pair ({self.sentence_score:.2f}): "
                f"「{self.province_sentence}」 ↔ 「{self.national_sentence}」"
            )
        out.extend(self.notes)
        return out


@dataclass(frozen=True)
class Link:
    """A provincial clause implementing a national clause."""

    province: str  # provincial clause id
    national: str  # national clause id
    score: float  # 0..1
    relation: Relation
    evidence: Evidence
    decision: str | None = None  # an analyst's: "accept", "add" (kept links) or "reject" (Alignment.rejected)
    note: str = ""  # the analyst's note with the decision
    # The two titles' character ratio as the matcher compared them (as written or after the thesaurus,
    # the higher), 0..1: what tells "same" from "adapted" when both scores reach 1.0 (two actions:
    # their names' likeness). None where no titles were compared (paragraphs of article plans, a
    # province action whose merged name names several national actions, links an analyst added).
    title_similarity: float | None = None

    def to_json(self, decided: bool = False) -> dict[str, object]:
        """The link's JSON; `decided` (a run with a decisions file) adds its decision and note."""
        body: dict[str, object] = {
            "province": self.province,
            "national": self.national,
            "score": round(self.score, 4),
            "relation": self.relation.value,
            "evidence": self.evidence.as_strings(),
            "shared_terms": list(self.evidence.shared_terms),
            "title_similarity": None if self.title_similarity is None else round(self.title_similarity, 4),
        }
        if decided:
            body["decision"] = self.decision
            body["note"] = self.note
        return body


@dataclass(frozen=True)
class Coverage:
    """One national clause's status in one province, with the provincial clauses behind it."""

    national: str
    status: Status
    score: float
    counterparts: tuple[str, ...]  # provincial clause ids, best first


@dataclass
class Alignment:
    """The result for one province against the national plan."""

    national: Plan
    province: Plan
    links: list[Link]
    coverage: list[Coverage]  # one per national task or measure, in national order
    additions: list[str]  # provincial task ids that implement nothing national
    warnings: list[str] = field(default_factory=list)  # about the comparison; the plans carry their own
    notices: list[Notice] = field(default_factory=list)  # coded warnings (aligner.checks), shown first
    unreliable: str = ""  # why the coverage figure must not be read as a gap rate ("" = it can)
    rejected: list[Link] = field(default_factory=list)  # links an analyst rejected (aligner.decisions)
    decided: bool = False  # a decisions file was applied: reports mark and count the decisions

    def coverage_of(self, kind: Kind) -> list[Coverage]:
        index = self.national.by_id()
        return [c for c in self.coverage if index[c.national].kind is kind]

    def counts(self, kind: Kind = Kind.TASK) -> dict[str, int]:
        rows = self.coverage_of(kind)
        return {s.value: sum(1 for c in rows if c.status is s) for s in Status} | {"total": len(rows)}
