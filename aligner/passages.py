"""Paragraph-level linking: a provincial clause links to every national clause whose rule one of
its paragraphs carries.

A regulation article restates or adapts several national articles, one paragraph (款) or item
each, so comparing whole articles finds the dominant one and misses the rest. Here every passage
(paragraph, item) of both documents is a bag of terms weighted by TF × IDF (IDF over the passages
of both documents: 营商环境 is everywhere in this genre and weighs nothing, 证明事项 weighs a lot).
All passage pairs are scored at once through an inverted index of terms (only pairs that share a
term are touched), and a pair of clauses scores its best pair of passages or, when the provincial
text spreads one rule over several paragraphs, the two whole texts.

Drafting roles (aligner.articles.Role) gate the pairs: a purpose paragraph links only to a
purpose paragraph, a definition to a definition, and so on; boilerplate of one role never links
to a substantive rule, and a scope paragraph is never a "definition" match.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz

from aligner.articles import Role, role_of
from aligner.lazy_re import lazy
from aligner.model import Clause, Evidence, Link, Relation
from aligner.thesaurus import Thesaurus
from aligner.tokens import bigrams, words

_PLAIN = lazy(r"[\s“”\"'‘’《》〈〉「」()（）\[\]【】、，,。.；;：:！!？?·—\-…]")
_ITEM = lazy(r"^\(\s*[零〇一二三四五六七八九十百两\d]+\s*\)")
_GRAM_WEIGHT = 0.5  # bigrams back up segmentation differences (审批 / 审批事项) at half a word's weight


@dataclass(frozen=True)
class Passage:
    """One paragraph or item of a clause, as a normalised term vector."""

    clause: str  # clause id
    text: str
    role: Role
    vector: dict[str, float]
    norm: float


@dataclass(frozen=True)
class PairScore:
    """How well a provincial clause carries a national one, and through which passages."""

    score: float
    province_passage: str
    national_passage: str
    shared: tuple[str, ...]
    passage_best: float = 0.0  # highest score at which some provincial passage has this clause as its best


def clause_passages(clause: Clause) -> list[str]:
    """The units of evidence of a clause: its paragraphs and items (articles), else its text."""
    if clause.passages:
        return list(clause.passages)
    return [x for x in (clause.title + "。" + clause.text).split(" ") if x.strip()]


def _roles(texts: list[str]) -> list[Role]:
    """Each passage's role; items inherit their lead-in's; a liability article is liability throughout."""
    roles: list[Role] = []
    for text in texts:
        own = role_of(text)
        if _ITEM.match(text) and roles and own is Role.NONE:
            own = roles[-1]
        roles.append(own)
    if roles and roles[0] is Role.LIABILITY:
        roles = [Role.LIABILITY] * len(roles)
    return roles


def _terms(text: str, thesaurus: Thesaurus) -> Counter[str]:
    mapped, _ = thesaurus.apply(_ITEM.sub("", text))
    terms: Counter[str] = Counter(w for w in words(mapped) if len(w) >= 2)
    terms.update("§" + g for g in bigrams(_PLAIN.sub("", mapped)))
    return terms


@dataclass
class Side:
    """All passages of one document's clauses, before weighting."""

    passages: list[tuple[str, str, Role, Counter[str]]]  # clause id, text, role, term counts

    @classmethod
    def of(cls, clauses: list[Clause], thesaurus: Thesaurus) -> Side:
        rows = []
        for clause in clauses:
            texts = clause_passages(clause)
            for text, role in zip(texts, _roles(texts)):
                rows.append((clause.id, text, role, _terms(text, thesaurus)))
        return cls(rows)


def _idf(sides: list[Side]) -> dict[str, float]:
    df: Counter[str] = Counter()
    n = 0
    for side in sides:
        for *_, terms in side.passages:
            df.update(terms.keys())
            n += 1
    return {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}


def _vector(terms: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    return {
        t: (1 + math.log(c)) * idf.get(t, 0.0) * (_GRAM_WEIGHT if t.startswith("§") else 1.0)
        for t, c in terms.items()
    }


def _weighted(side: Side, idf: dict[str, float]) -> list[Passage]:
    out = []
    for clause, text, role, terms in side.passages:
        vector = _vector(terms, idf)
        out.append(Passage(clause, text, role, vector, math.sqrt(sum(v * v for v in vector.values()))))
    return out


def _whole(passages: list[Passage]) -> dict[str, tuple[dict[str, float], float, Role]]:
    """Each clause's passages summed into one vector (its role: the first passage's)."""
    out: dict[str, tuple[dict[str, float], float, Role]] = {}
    for p in passages:
        vector, _, role = out.get(p.clause, ({}, 0.0, p.role))
        for t, v in p.vector.items():
            vector[t] = vector.get(t, 0.0) + v
        out[p.clause] = (vector, 0.0, role)
    return {c: (v, math.sqrt(sum(x * x for x in v.values())), r) for c, (v, _, r) in out.items()}


def _cosines(
    left: list[tuple[dict[str, float], float]], right: list[tuple[dict[str, float], float]]
) -> list[dict[int, float]]:
    """All cosines between two lists of vectors via an inverted index of the right side's terms:
    only pairs that share a term are computed."""
    postings: dict[str, list[tuple[int, float]]] = {}
    for j, (vector, _) in enumerate(right):
        for t, v in vector.items():
            postings.setdefault(t, []).append((j, v))
    rows = []
    for vector, norm in left:
        dots: dict[int, float] = {}
        for t, v in vector.items():
            for j, w in postings.get(t, ()):
                dots[j] = dots.get(j, 0.0) + v * w
        rows.append({j: d / (norm * right[j][1]) for j, d in dots.items() if norm and right[j][1]})
    return rows


def _compatible(a: Role, b: Role) -> bool:
    return a is b


# A regulation has one purpose, one scope and one effective-date article: the role alone names the
# counterpart, whatever the words (a province's purpose clause lists its own aims).
_SINGULAR_ROLES = frozenset({Role.PURPOSE, Role.SCOPE, Role.EFFECTIVE})
ROLE_FLOOR = 0.6


def _role_floor(role: Role) -> float:
    return ROLE_FLOOR if role in _SINGULAR_ROLES else 0.0


_PARTY_END = lazy(r"有下列|[,，:：;；。]")


def _party(text: str) -> str:
    """Who a liability clause holds liable: its opening words, up to 有下列… or the first comma."""
    end = _PARTY_END.search(text)
    return text[: end.start()] if end else text


_SAME_PARTY = 0.3  # bigram overlap of two liable parties from which they are the same kind of party


def _party_agreement(p_passages: list[Passage], n_passages: list[Passage]) -> dict[tuple[str, str], float]:
    """Liability chapters are organised by who is liable (government staff, utilities,
    intermediaries …): two liability articles correspond when their liable parties do, which
    their shared penalty formulas and lists of wrongdoing alone cannot tell. Bigram overlap of the
    parties named at the head of each pair of liability articles."""

    def heads(side: list[Passage]) -> dict[str, Counter[str]]:
        out: dict[str, Counter[str]] = {}
        for p in side:
            if p.role is Role.LIABILITY and not _ITEM.match(p.text) and p.clause not in out:
                out[p.clause] = Counter(bigrams(_PLAIN.sub("", _party(p.text))))
        return out

    p_heads, n_heads = heads(p_passages), heads(n_passages)
    agreement = {}
    for pid, p_bag in p_heads.items():
        for nid, n_bag in n_heads.items():
            # overlap coefficient: a party named at length (各级人民政府及有关部门不履行…职责) still
            # contains the shorter name (政府和有关部门及其工作人员) of the same party
            smaller = min(sum(p_bag.values()), sum(n_bag.values()))
            agreement[pid, nid] = sum((p_bag & n_bag).values()) / smaller if smaller else 0.0
    return agreement


def score_pairs(province: list[Clause], national: list[Clause], thesaurus: Thesaurus) -> dict[tuple[str, str], PairScore]:
    """Every (provincial clause, national clause) pair that shares a term in role-compatible
    passages, scored by its best passage pair or its whole texts, whichever is higher."""
    p_side, n_side = Side.of(province, thesaurus), Side.of(national, thesaurus)
    idf = _idf([p_side, n_side])
    p_passages, n_passages = _weighted(p_side, idf), _weighted(n_side, idf)
    best: dict[tuple[str, str], tuple[float, int, int]] = {}
    passage_best: dict[tuple[str, str], float] = {}
    rows = _cosines([(p.vector, p.norm) for p in p_passages], [(n.vector, n.norm) for n in n_passages])
    parties = _party_agreement(p_passages, n_passages)
    for i, row in enumerate(rows):
        p = p_passages[i]
        own_best: tuple[float, str] = (0.0, "")
        for j, cosine in row.items():
            n = n_passages[j]
            if not _compatible(p.role, n.role):
                continue
            if p.role is Role.LIABILITY and parties.get((p.clause, n.clause), 0.0) < _SAME_PARTY:
                continue  # the same wrongdoing, but another liable party's article
            cosine = max(cosine, _role_floor(p.role))
            key = (p.clause, n.clause)
            if cosine > best.get(key, (0.0, 0, 0))[0]:
                best[key] = (cosine, i, j)
            if cosine > own_best[0]:
                own_best = (cosine, n.clause)
        if own_best[1]:
            key = (p.clause, own_best[1])
            passage_best[key] = max(passage_best.get(key, 0.0), own_best[0])
    for key, agreement in parties.items():
        if key in best and agreement > best[key][0]:
            best[key] = (agreement, *best[key][1:])
    p_whole, n_whole = _whole(p_passages), _whole(n_passages)
    p_ids, n_ids = list(p_whole), list(n_whole)
    whole_rows = _cosines([p_whole[c][:2] for c in p_ids], [n_whole[c][:2] for c in n_ids])
    for i, row in enumerate(whole_rows):
        for j, cosine in row.items():
            key = (p_ids[i], n_ids[j])
            if key in best and cosine > best[key][0]:
                best[key] = (cosine, best[key][1], best[key][2])
    out = {}
    for key, (score, i, j) in best.items():
        p, n = p_passages[i], n_passages[j]
        shared = sorted((t for t in p.vector.keys() & n.vector.keys() if not t.startswith("§")), key=lambda t: (-idf[t], t))
        out[key] = PairScore(score, p.text, n.text, tuple(shared[:6]), passage_best.get(key, 0.0))
    return out


def text_similarity(province: Clause, national: Clause) -> float:
    """The two articles' whole texts compared character by character (what "same" is decided on)."""
    return fuzz.ratio(province.title + province.text, national.title + national.text) / 100


def relation_of(score: float, similarity: float, adapted: float, same: float) -> Relation:
    """same: near-verbatim texts (`similarity`, from text_similarity); adapted: the rule is carried;
    partial: part of it."""
    if similarity >= same:
        return Relation.SAME
    return Relation.ADAPTED if score >= adapted else Relation.PARTIAL


def evidence_of(pair: PairScore, note: str = "") -> Evidence:
    return Evidence(
        shared_terms=pair.shared,
        province_sentence=_cut(pair.province_passage),
        national_sentence=_cut(pair.national_passage),
        sentence_score=round(pair.score, 3),
        notes=("best paragraph pair",) + ((note,) if note else ()),
    )


def _cut(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[:width] + "…"


# Calibrated on the development pair (优化营商环境条例 → 山东省条例), on plateaus: each value ±0.02
# moves F1 by < 0.015.
ARTICLE_LINK = 0.20  # a clause's best counterpart is linked from this passage cosine
ARTICLE_IN_CHAPTER = 0.14  # … or from this one when it lies in the corresponding national chapter
ARTICLE_SECOND = 0.30  # every further counterpart one of its passages carries, from this
ARTICLE_NEAR_BEST = 0.90  # … or from this share of the best score (a paragraph restating three rules)
ARTICLE_ADAPTED = 0.40  # from here the national clause counts as covered ("adapted")
_CHAPTER_SHARE = 0.25  # a national chapter corresponds when it holds this share of a chapter's firm links


def chapter_map(
    pairs: dict[tuple[str, str], PairScore], p_chapter: dict[str, str | None], n_chapter: dict[str, str | None]
) -> dict[str | None, set[str | None]]:
    """Each provincial chapter → the national chapters that hold a good share of its firm links
    (at least two): a province arranges its chapters its own way, but a chapter's rules mostly come
    from one or two national chapters."""
    votes: dict[str | None, Counter[str | None]] = {}
    for (pid, nid), pair in pairs.items():
        if pair.score >= ARTICLE_ADAPTED:
            votes.setdefault(p_chapter.get(pid), Counter())[n_chapter.get(nid)] += 1
    return {
        pc: {nc for nc, k in counts.items() if k >= max(2, _CHAPTER_SHARE * sum(counts.values()))}
        for pc, counts in votes.items()
    }


def links_for(
    pairs: dict[tuple[str, str], PairScore], province: list[Clause], national: list[Clause],
    p_chapter: dict[str, str | None], n_chapter: dict[str, str | None], same: float,
) -> list[Link]:
    """Each provincial clause → its best national clause and every other national clause one of
    its passages carries (a stricter bar, or close to the best)."""
    n_index = {c.id: c for c in national}
    order = {c.id: i for i, c in enumerate(national)}
    chapters = chapter_map(pairs, p_chapter, n_chapter)
    by_province: dict[str, list[tuple[str, PairScore]]] = {}
    for (pid, nid), pair in pairs.items():
        by_province.setdefault(pid, []).append((nid, pair))
    links = []
    for clause in province:
        scored = sorted(by_province.get(clause.id, []), key=lambda row: (-row[1].score, order[row[0]]))
        if not scored:
            continue
        top = scored[0][1].score
        for rank, (nid, pair) in enumerate(scored):
            at_home = n_chapter.get(nid) in chapters.get(p_chapter.get(clause.id), set())
            if rank == 0:
                bar = ARTICLE_IN_CHAPTER if at_home else ARTICLE_LINK
            else:
                bar = min(ARTICLE_SECOND, max(ARTICLE_LINK, ARTICLE_NEAR_BEST * top))
            if pair.score < bar:
                break
            similarity = text_similarity(clause, n_index[nid])
            relation = relation_of(pair.score, similarity, ARTICLE_ADAPTED, same)
            note = "in the corresponding national chapter" if at_home else ""
            links.append(Link(clause.id, nid, round(pair.score, 4), relation, evidence_of(pair, note),
                              title_similarity=round(similarity, 4)))
    return links
