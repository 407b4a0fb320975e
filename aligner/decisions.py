"""An analyst's decisions on the proposed links: read them (CSV or XLSX) and apply them.

The matcher proposes, a person decides: each row of a decisions file names a provincial and a
national clause and says `accept`, `reject` or `add` (采纳/确认, 否决, 新增). A clause is named
by its numbering as reports show it (`二、（一）1.`, with or without `（第14行）`), by its JSON
`id`, or by its exact title. Applied after matching, before coverage, gaps, additions and the
checks are computed (aligner.pipeline.align_plans):

- accept marks a proposed link; reject moves it to `Alignment.rejected` with the note;
- add creates a link (relation from the row, else adapted; score 1.0, the analyst's word;
  evidence the note), or marks an existing one as accepted.

A row that no longer fits the plans (a clause gone, a link no longer proposed, another
province) becomes a `stale-decision` warning naming the row: never dropped silently, never
applied to another clause. A file that cannot be read as decisions is an InputError naming
the row. The file is data only: cell values are read, never formulas or macros.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from aligner import articles
from aligner.errors import InputError
from aligner.lazy_re import lazy
from aligner.model import Alignment, Clause, Evidence, Kind, Link, Notice, Plan, Relation

STALE = "stale-decision"
REJECTED = "rejected-by-analyst"
MAX_ROWS = 100_000  # a review sheet has one row per link: far fewer; more is not a decisions file
MAX_BYTES = 50 * 1024 * 1024
ADDED_SCORE = 1.0  # an added link's score: the analyst's word, not a similarity

DECISION_WORDS = {
    "accept": "accept", "采纳": "accept", "确认": "accept", "接受": "accept",
    "reject": "reject", "否决": "reject", "拒绝": "reject",
    "add": "add", "新增": "add", "添加": "add",
}
RELATION_WORDS = {"same": Relation.SAME, "相同": Relation.SAME, "adapted": Relation.ADAPTED, "调整": Relation.ADAPTED,
                  "partial": Relation.PARTIAL, "部分": Relation.PARTIAL}
# Header words, both languages (the review sheet writes aligner.report.messages' review.* words).
HEADERS = {
    "province": "province", "省份": "province", "provincial": "provincial", "省级条款": "provincial",
    "national": "national", "国家条款": "national", "decision": "decision", "决定": "decision",
    "note": "note", "备注": "note", "relation": "relation", "关系": "relation",
    "provincial_title": "provincial_title", "省级标题": "provincial_title",
    "national_title": "national_title", "国家标题": "national_title",
}
REQUIRED = ("provincial", "national", "decision")
_LINE = lazy(r"^(.*?)[（(]?(?:第(\d+)行|line (\d+))[)）]?$")


@dataclass(frozen=True)
class Decision:
    """One row of a decisions file (`row` as a spreadsheet numbers it: the header is row 1)."""

    row: int
    provincial: str
    national: str
    decision: str  # accept | reject | add
    province: str = ""
    note: str = ""
    relation: str = ""
    source: str = ""  # the file it came from
    provincial_title: str = ""  # the review sheet's title columns: tell apart clauses numbered alike
    national_title: str = ""

    @property
    def where(self) -> str:
        return f"{Path(self.source).name} row {self.row}" if self.source else f"row {self.row}"


@dataclass(frozen=True)
class Decisions:
    """Every row of a decisions file (or a folder of them, one per province)."""

    rows: tuple[Decision, ...]
    several: bool = False  # for a batch: each province takes only the rows naming it

    def for_province(self, plan: Plan) -> list[Decision]:
        """The rows for this province; for one pair every row (one naming another province is stale)."""
        return [d for d in self.rows if not self.several or names_province(d, plan)]


def unplaced(decisions: Decisions, provinces: list[tuple[str, str]], lang: str = "zh") -> list[str]:
    """For a batch: one line per row naming none of the (name, path) provinces aligned."""
    out = []
    for d in decisions.rows:
        if not any(d.province in (name, Path(path).name, Path(path).stem) for name, path in provinces):
            out.append(f"{STALE}: decisions {d.where}: province {d.province!r} is not in this batch; not applied"
                       if lang == "en" else f"人工复核表{_zh_where(d)}：“{d.province}”不在本批省份中，未采用")
    return out


def names_province(d: Decision, plan: Plan) -> bool:
    """A row without a province is for the one pair aligned; otherwise its name or file name."""
    return not d.province or d.province in {plan.name, Path(plan.path).name, Path(plan.path).stem}


def load(path: str | os.PathLike[str], several: bool = False) -> Decisions:
    """The decisions in a .csv or .xlsx file, or in every such file of a folder (a file's rows
    without a province are that file's stem's). `several`: a batch, where every row must name
    its province. InputError naming the file and row for anything unusable."""
    target = Path(path)
    if target.is_dir():
        # The folder `-f review -o FOLDER` wrote: 青海.review.xlsx per province, and the batch's matrix (not decisions).
        files = sorted(p for p in target.iterdir() if p.suffix.lower() in (".csv", ".xlsx")
                       and not p.name.startswith("~$") and p.stem.lower() != "matrix")
        rows = [replace(d, province=d.province or f.stem.removesuffix(".review")) for f in files for d in read_file(f)]
    else:
        rows = read_file(target)
        if several:
            for d in rows:
                if not d.province:
                    raise InputError(str(target), f"{d.where}: name the province (a batch needs a province column)")
    return Decisions(tuple(rows), several or target.is_dir())


def read_file(path: Path) -> list[Decision]:
    """One decisions file: CSV (UTF-8 with or without BOM, or GB18030 as Excel saves it) or XLSX."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(str(path), f"decisions file is larger than {MAX_BYTES // 1024 // 1024} MB")
        data = path.read_bytes()
    except OSError as error:
        raise InputError(str(path), f"cannot read the decisions file: {(error.strerror or str(error)).lower()}") from None
    if path.suffix.lower() == ".xlsx" or data.startswith(b"PK\x03\x04"):
        table = _xlsx_rows(data, str(path))
    else:
        table = _csv_rows(data, str(path))
    return parse_rows(table, str(path))


def _csv_rows(data: bytes, path: str) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(path, "decisions file is neither UTF-8 nor GB18030 text")
    rows = []
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if number > MAX_ROWS + 1:
                raise InputError(path, f"more than {MAX_ROWS} decision rows")
            rows.append(row)
    except csv.Error as error:
        raise InputError(path, f"not a readable CSV file ({error})") from None
    return rows


def _xlsx_rows(data: bytes, path: str) -> list[list[str]]:
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - a runtime dependency
        raise InputError(path, "reading .xlsx needs openpyxl (pip install openpyxl)") from None
    import zipfile

    try:
        # data_only: a formula cell gives its saved value, never the formula; macros are never run.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise InputError(path, f"not a readable .xlsx workbook ({error.__class__.__name__})") from None
    sheet = book.worksheets[0] if book.worksheets else None
    rows: list[list[str]] = []
    if sheet is not None:
        filled = 0
        for values in sheet.iter_rows(values_only=True):
            cells = ["" if v is None else str(v) for v in values]
            filled += any(cells)  # a sheet formatted far down has empty rows: they are not decisions
            if filled > MAX_ROWS + 1 or len(rows) > 10 * MAX_ROWS:
                raise InputError(path, f"more than {MAX_ROWS} decision rows")
            rows.append(cells)
    book.close()
    return rows


def parse_rows(table: list[list[str]], path: str = "") -> list[Decision]:
    """Rows under a header naming at least provincial, national and decision (zh or en words)."""
    if not table:
        raise InputError(path, "decisions file is empty: expected a header with provincial, national, decision")
    columns: dict[str, int] = {}
    for index, title in enumerate(table[0]):
        key = HEADERS.get(title.strip().lstrip("\ufeff").lower())
        if key and key not in columns:
            columns[key] = index
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InputError(path, f"row 1: the header lacks the column(s) {', '.join(missing)} "
                               f"(expected province, provincial, national, decision, note)")
    out = []
    name = Path(path).name if path else ""
    for number, row in enumerate(table[1:], start=2):
        def cell(key: str, row: list[str] = row) -> str:
            at = columns.get(key)
            return row[at].strip() if at is not None and at < len(row) else ""

        word = cell("decision")
        if not word:
            continue  # not decided yet: the review sheet's rows start empty
        decision = DECISION_WORDS.get(word.lower())
        where = f"{name} row {number}" if name else f"row {number}"
        if decision is None:
            raise InputError(path, f"{where}: unknown decision {word!r} (expected accept, reject, add or 采纳, 否决, 新增)")
        if not cell("provincial") or not cell("national"):
            raise InputError(path, f"{where}: a decision needs both the provincial and the national clause")
        relation = cell("relation")
        if decision == "add" and relation and _relation_of(relation) is None:
            raise InputError(path, f"{where}: unknown relation {relation!r} (expected same, adapted, partial)")
        out.append(Decision(number, _unescaped(cell("provincial")), _unescaped(cell("national")), decision,
                            cell("province"), cell("note"), relation, path, cell("provincial_title"),
                            cell("national_title")))
    return out


def _unescaped(text: str) -> str:
    """A reference as written before CSV escaping (`'=…` → `=…`, aligner.report.escape.csv_safe)."""
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@") else text


def _relation_of(text: str) -> Relation | None:
    word = re.split(r"[（(]", text.strip().lower(), maxsplit=1)[0].strip()
    return RELATION_WORDS.get(word)


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def numbering(clause: Clause, index: dict[str, Clause]) -> str:
    """The document's own numbering of a clause as reports show it (`二、（一）1.`)."""
    from aligner.report.view import numbering as shown_numbering

    return shown_numbering(clause, index)


def resolve(reference: str, plan: Plan, candidates: list[Clause], title: str = "",
            labels: dict[str, tuple[str, ...]] | None = None) -> tuple[Clause | None, str]:
    """The one clause `reference` names among `candidates`, or None and why (unknown, ambiguous).

    `reference` is an id, an exact title, or the numbering reports show (`二、（一）1.`, maybe
    with its line `（第14行）`); `title` (the review sheet's title column) tells apart clauses
    numbered alike (items listed inline in one paragraph share a line and a numbering);
    `labels` each candidate's normalised numberings (`numberings`), computed once for many rows."""
    exact = [c for c in candidates if c.id == reference]
    if len(exact) == 1:
        return exact[0], ""
    titled = [c for c in candidates if reference in (c.title, c.original_title)]
    if len(titled) == 1:
        return titled[0], ""
    labels = labels if labels is not None else numberings(plan, candidates)
    wanted, line = reference, None
    match = _LINE.match(reference.strip())
    if match:
        wanted, line = match.group(1), int(match.group(2) or match.group(3))
    key = _norm(wanted)
    numbered = [c for c in candidates if (not key or key in labels.get(c.id, ()))
                and (line is None or c.line == line)] if key or line is not None else []
    if len(numbered) > 1 and title:
        numbered = [c for c in numbered if _norm(title) in (_norm(c.title), _norm(c.original_title))]
    if len(numbered) == 1:
        return numbered[0], ""
    if len(numbered) > 1 or len(titled) > 1:
        return None, "ambiguous"
    return None, "unknown"


def numberings(plan: Plan, clauses: list[Clause]) -> dict[str, tuple[str, ...]]:
    """Each clause's numbering as reports show it, normalised: alone, and with the place of an
    item listed inline (`四、二是第3项`, `四、二是 item 3`), which is how the reports name such items."""
    from aligner.report.messages import LANGS, Catalogue
    from aligner.report.view import item_position

    index, catalogues = plan.by_id(), [Catalogue(lang) for lang in LANGS]
    out: dict[str, tuple[str, ...]] = {}
    for c in clauses:
        number = numbering(c, index)
        forms = [number] + [number + item_position(c, index, msg) for msg in catalogues]
        out[c.id] = tuple(dict.fromkeys(_norm(f) for f in forms))
    return out


def _targets(alignment: Alignment) -> tuple[list[Clause], list[Clause]]:
    """The clauses a decision may name: provincial tasks, measures (articles) and linked clauses;
    national link targets."""
    province, national = alignment.province, alignment.national
    p_index, n_index = province.by_id(), national.by_id()
    article_ids = _article_ids(province)
    p_ids = {c.id for c in province.clauses if c.kind in (Kind.TASK, Kind.MEASURE) or c.id in article_ids}
    p_ids |= set(alignment.additions) | {link.province for link in alignment.links}
    n_ids = {c.national for c in alignment.coverage} | {link.national for link in alignment.links}
    return ([c for c in province.clauses if c.id in p_ids and c.id in p_index],
            [c for c in national.clauses if c.id in n_ids and c.id in n_index])


def _article_ids(plan: Plan) -> set[str]:
    return {c.id for c in articles.article_clauses(plan)} if articles.is_article_plan(plan) else set()


def _stale(d: Decision, en: str, zh: str, line: int | None = None) -> Notice:
    return Notice(STALE, f"decisions {d.where}: {en}; not applied", line,
                  message_zh=f"人工复核表{_zh_where(d)}：{zh}，未采用")


def _zh_where(d: Decision) -> str:
    return f"{Path(d.source).name}第{d.row}行" if d.source else f"第{d.row}行"


def apply(alignment: Alignment, decisions: list[Decision]) -> Alignment:
    """The alignment after the analyst's decisions: links marked, removed or added, coverage and
    additions recomputed; stale rows become `stale-decision` notices (in `notices`)."""
    from aligner.match import coverage_for

    province, national = alignment.province, alignment.national
    p_candidates, n_candidates = _targets(alignment)
    p_labels, n_labels = numberings(province, p_candidates), numberings(national, n_candidates)
    p_index, n_index = province.by_id(), national.by_id()
    links = list(alignment.links)
    rejected: list[Link] = []
    notices: list[Notice] = []
    resolved: list[tuple[Decision, Clause, Clause]] = []
    for d in decisions:
        if not names_province(d, province):
            notices.append(_stale(d, f"it is for province {d.province!r}, not {province.name!r}",
                                  f"属于“{d.province}”，不是“{province.name}”"))
            continue
        p_clause, p_why = resolve(d.provincial, province, p_candidates, d.provincial_title, p_labels)
        n_clause, n_why = resolve(d.national, national, n_candidates, d.national_title, n_labels)
        if p_clause is None or n_clause is None:
            side, ref, why = ("provincial", d.provincial, p_why) if p_clause is None else ("national", d.national, n_why)
            zh_side = "省级条款" if side == "provincial" else "国家条款"
            zh_why = "有多条条款与之相符" if why == "ambiguous" else "在方案中找不到"
            notices.append(_stale(d, f"the {side} clause {ref!r} is {why}", f"{zh_side}“{ref}”{zh_why}"))
            continue
        resolved.append((d, p_clause, n_clause))
    # Rows that decide one pair differently (accept here, reject there) leave it undecided, said so;
    # a row repeating an earlier one's decision adds nothing.
    by_pair: dict[tuple[str, str], list[Decision]] = {}
    for d, p_clause, n_clause in resolved:
        by_pair.setdefault((p_clause.id, n_clause.id), []).append(d)
    applied: set[tuple[str, str]] = set()
    for d, p_clause, n_clause in resolved:
        rows = by_pair[p_clause.id, n_clause.id]
        if len({r.decision for r in rows}) > 1:
            others = "、".join(r.where for r in rows if r is not d)
            others_zh = "、".join(_zh_where(r) for r in rows if r is not d)
            notices.append(_stale(d, f"it contradicts {others} on the same pair", f"与{others_zh}对同一对应的决定相矛盾",
                                  p_clause.line))
            continue
        if (p_clause.id, n_clause.id) in applied:
            continue
        applied.add((p_clause.id, n_clause.id))
        at = next((i for i, l in enumerate(links) if l.province == p_clause.id and l.national == n_clause.id), None)
        pair_en = f"{d.provincial} ↔ {d.national}"
        if at is None and d.decision != "add":
            notices.append(_stale(d, f"the link {pair_en} is no longer proposed", f"“{pair_en}”已不是建议的对应",
                                  p_clause.line))
            continue
        if at is not None and d.decision == "reject":
            rejected.append(replace(links.pop(at), decision="reject", note=d.note))
            p_label = f"{numbering(p_clause, p_index) or p_clause.id}「{p_clause.title}」"
            n_label = f"{numbering(n_clause, n_index) or n_clause.id}「{n_clause.title}」"
            why = f" ({d.note})" if d.note else ""
            notices.append(Notice(REJECTED, f"the link {p_label} ↔ national {n_label} was rejected by an analyst{why}",
                                  p_clause.line, message_zh=f"人工否决：省级{p_label}与国家{n_label}的对应"
                                  + (f"（{d.note}）" if d.note else "")))
        elif at is not None:
            links[at] = replace(links[at], decision="accept", note=d.note)
        else:
            relation = _relation_of(d.relation) or Relation.ADAPTED
            evidence = Evidence((), "", "", 0.0, notes=(f"added by an analyst: {d.note}" if d.note else "added by an analyst",))
            links.append(Link(p_clause.id, n_clause.id, ADDED_SCORE, relation, evidence, decision="add", note=d.note))
    coverage = coverage_for([n_index[c.national] for c in alignment.coverage], links)
    # A provincial task whose only link was rejected is its own addition again (an action is not one).
    units = {c.id for c in p_candidates if c.kind in (Kind.TASK, Kind.MEASURE) or c.id in _article_ids(province)}
    eligible = set(alignment.additions) | ({link.province for link in alignment.links} & units)
    linked = {link.province for link in links}
    additions = [c.id for c in province.clauses if c.id in eligible and c.id not in linked]
    return replace(alignment, links=links, coverage=coverage, additions=additions, rejected=rejected, decided=True,
                   notices=[*alignment.notices, *notices])
