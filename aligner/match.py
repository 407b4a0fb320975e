"""Two plan trees → alignment: which national task(s) each provincial task implements, and why.

A pair of clauses is compared several ways, because provinces reuse national wording in different
places: title against title (near-verbatim or reworded), a provincial title against the national
body (a province often names a task by a phrase of the national text), the national title against
the provincial body, and body against body. Words are weighted by how rare they are across both
plans (BM25-style IDF), so 户籍 counts and 推进 does not. Actions are aligned first; a task inside
an aligned action gets a lift, a task in a province-only action a damping, nothing is forbidden.

Every number that steers this is a field of `MatchParams` (aligner/params.py). Only pairs that can
reach a score that matters are scored in detail (aligner/candidates.py), so large plans stay bounded.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Container
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from aligner import articles, inline, passages
from aligner.candidates import NationalIndex, named_reachable
from aligner.model import Alignment, Clause, Coverage, Evidence, Kind, Link, Plan, Relation, Status
from aligner.params import MatchParams, Thresholds
from aligner.parse import is_organisation_heading
from aligner.thesaurus import Thesaurus, builtin_thesaurus
from aligner.tokens import bigrams, search_words

_PUNCT = re.compile(r"[\s“”\"'‘’《》〈〉「」()（）\[\]【】、，,。.；;：:！!？?·—\-…]")
_SENTENCE = re.compile(r"[^。;；!！？]+")
_PHRASE = re.compile(r"[^。;；!！？,，:：]+")
# "A和B" titles: a provincial task that merges two national ones names both.
_CONJUNCTION = re.compile(r"[和与及、]|以及")

# The framing of an action's name (实施……行动, ……专项行动计划), not its distinctive part.
_ACTION_FRAME = re.compile(r"^(深入)?实施|(专项)?行动(计划)?$")
# Provincial action id → the national action ids it corresponds to (empty: a province-only action).
ActionMap = dict[str, tuple[str, ...]]

__all__ = ["MatchParams", "Thresholds", "Unit", "align", "prepare_national", "score_pair"]


@dataclass
class Unit:
    """A clause prepared for comparison (thesaurus applied, punctuation dropped)."""

    clause: Clause
    action: str | None
    title: str
    full: str
    has_body: bool
    sentences: list[str]
    sentence_words: list[tuple[str, ...]] | None  # words of the first sentences (national side: cached)
    title_words: Counter[str]
    full_words: Counter[str]
    title_grams: Counter[str]
    full_grams: Counter[str]
    # Each comma-delimited phrase of the text, as postings: token → indices of the phrases holding it.
    phrase_words: dict[str, list[int]]
    phrase_grams: dict[str, list[int]]
    fired: tuple[str, ...] = ()
    weights: UnitWeights | None = None  # filled in once the IDF of both plans is known
    prepared_with: tuple[int, ...] = ()  # MatchParams.preparation() of the parameters used
    # The title as written (punctuation dropped, no thesaurus expansion): an expansion adds words to
    # meet other phrasings, and must not dilute the character ratio of two titles written alike.
    written_title: str = ""


def bm25_idf(documents: int, frequency: float, smoothing: float) -> float:
    """BM25's IDF: positive for every word, highest for the rarest."""
    return math.log(1 + (documents - frequency + smoothing) / (frequency + smoothing))


@dataclass
class Idf:
    """Inverse document frequency over all clauses of both plans."""

    weights: dict[str, float]
    default: float

    @classmethod
    def over(cls, documents: list[Counter[str]], smoothing: float) -> Idf:
        n = len(documents)
        df: Counter[str] = Counter()
        for doc in documents:
            df.update(doc.keys())
        weights = {t: bm25_idf(n, d, smoothing) for t, d in df.items()}
        return cls(weights=weights, default=bm25_idf(n, 0, smoothing))

    def __call__(self, token: str) -> float:
        return self.weights.get(token, self.default)


@dataclass
class Pair:
    """The comparison of one provincial and one national unit."""

    score: float
    title_similarity: float  # character ratio of the two titles (for "same")
    heading_match: float  # how well the national heading itself is matched (title or named in the body)
    signals: dict[str, float] = field(default_factory=dict)


def _descendant_text(index: dict[str, Clause], clause: Clause) -> str:
    parts = []
    stack = list(clause.children)
    while stack:
        child = index[stack.pop(0)]
        parts.append(child.title + "。" + child.text)
        stack = list(child.children) + stack
    return "。".join(parts)


def _prepare(
    plan: Plan, clause: Clause, thesaurus: Thesaurus, params: MatchParams, index: dict[str, Clause] | None = None,
    national_side: bool = False,
) -> Unit:
    index = index if index is not None else plan.by_id()
    action = plan.action_of(clause, index)
    title, fired_t = thesaurus.apply(clause.title)
    body_raw = "。".join(x for x in (clause.text, _descendant_text(index, clause)) if x)
    body, fired_b = thesaurus.apply(body_raw)
    title_plain = _PUNCT.sub("", title)
    full = title + "。" + body
    phrase_words: dict[str, list[int]] = {}
    phrase_grams: dict[str, list[int]] = {}
    phrases = [p for p in _PHRASE.findall(title + "。" + body) if len(_PUNCT.sub("", p)) >= params.min_phrase_chars]
    for number, phrase in enumerate(phrases):
        for token in dict.fromkeys(search_words(phrase)):
            phrase_words.setdefault(token, []).append(number)
        for token in dict.fromkeys(bigrams(_PUNCT.sub("", phrase))):
            phrase_grams.setdefault(token, []).append(number)
    sentences = [
        s.strip() for s in _SENTENCE.findall(clause.title + "。" + body_raw) if len(s.strip()) >= params.min_sentence_chars
    ]
    evidence_sentences = sentences[: params.evidence_national_sentences]
    return Unit(
        clause=clause,
        action=action.id if action else None,
        title=title_plain,
        full=_PUNCT.sub("", full),
        has_body=bool(body_raw.strip()),
        sentences=sentences,
        sentence_words=[tuple(search_words(s)) for s in evidence_sentences] if national_side else None,
        title_words=Counter(search_words(title)),
        full_words=Counter(search_words(full)),
        title_grams=Counter(bigrams(title_plain)),
        full_grams=Counter(bigrams(_PUNCT.sub("", full))),
        phrase_words=phrase_words,
        phrase_grams=phrase_grams,
        fired=tuple(dict.fromkeys(fired_t + fired_b)),
        prepared_with=params.preparation(),
        written_title=_PUNCT.sub("", clause.title),
    )


@dataclass(frozen=True)
class Weighted:
    """A bag of tokens with their weights, computed once per alignment: the hot loop only sums.

    Dicts keep insertion (text) order, so every sum runs in the same order and scores are
    bit-for-bit repeatable whatever the hash seed.
    """

    weights: dict[str, float]
    total: float

    @classmethod
    def of(cls, weights: dict[str, float]) -> Weighted:
        return cls(weights, sum(weights.values()))

    def share_in(self, other: Container[str]) -> float:
        """How much of this bag (by weight) appears in `other`."""
        if not self.total:
            return 0.0
        return sum(w for t, w in self.weights.items() if t in other) / self.total

    def dice(self, other: Weighted) -> float:
        """Weighted Dice overlap: shared weight over the two bags' weight."""
        total = self.total + other.total
        if not total:
            return 0.0
        return 2 * sum(w for t, w in self.weights.items() if t in other.weights) / total


@dataclass(frozen=True)
class UnitWeights:
    title_words: Weighted  # IDF
    title_grams: Weighted  # IDF
    title_words_rare: Weighted  # IDF², stressing rare words
    vector: dict[str, float]  # count × IDF of every word, for the cosine
    norm: float

    @classmethod
    def of(cls, unit: Unit, word_idf: Idf, gram_idf: Idf, rare_power: int) -> UnitWeights:
        vector = {t: c * word_idf(t) for t, c in unit.full_words.items()}
        return cls(
            title_words=Weighted.of({t: word_idf(t) for t in unit.title_words}),
            title_grams=Weighted.of({t: gram_idf(t) for t in unit.title_grams}),
            title_words_rare=Weighted.of({t: word_idf(t) ** rare_power for t in unit.title_words}),
            vector=vector,
            norm=math.sqrt(sum(v * v for v in vector.values())),
        )


def _weights(unit: Unit, word_idf: Idf, gram_idf: Idf, params: MatchParams) -> UnitWeights:
    if unit.weights is None:
        unit.weights = UnitWeights.of(unit, word_idf, gram_idf, params.rare_word_power)
    return unit.weights


def _power(x: float, exponent: int) -> float:
    """x to a small whole power by multiplication (x * x, as the calibrated formula was written)."""
    result = 1.0 if exponent <= 0 else x
    for _ in range(exponent - 1):
        result *= x
    return result


def _cosine(a: UnitWeights, b: UnitWeights) -> float:
    if not a.norm or not b.norm:
        return 0.0
    small, large = (a.vector, b.vector) if len(a.vector) <= len(b.vector) else (b.vector, a.vector)
    return sum(v * large[t] for t, v in small.items() if t in large) / (a.norm * b.norm)


def _best_phrase(pw: UnitWeights, n: Unit) -> float:
    """The largest share of the provincial title (words and bigrams, IDF-weighted) found in one
    phrase of the national text. The matcher's hot loop, so it walks the postings of the title's
    few tokens instead of every phrase."""
    words, grams = pw.title_words, pw.title_grams
    if not words.total and not grams.total:
        return 0.0
    covered_words: dict[int, float] = {}
    for token, weight in words.weights.items():
        for number in n.phrase_words.get(token, ()):
            covered_words[number] = covered_words.get(number, 0.0) + weight
    covered_grams: dict[int, float] = {}
    for token, weight in grams.weights.items():
        for number in n.phrase_grams.get(token, ()):
            covered_grams[number] = covered_grams.get(number, 0.0) + weight
    best = 0.0
    for number in covered_words.keys() | covered_grams.keys():
        share_words = covered_words.get(number, 0.0) / words.total if words.total else 0.0
        share_grams = covered_grams.get(number, 0.0) / grams.total if grams.total else 0.0
        best = max(best, (share_words + share_grams) / 2)
    return best


def _title_signal(p: Unit, n: Unit, pw: UnitWeights, nw: UnitWeights, params: MatchParams) -> tuple[float, float]:
    """The titles' character ratio, and the title signal: the ratio to a power or the IDF-weighted
    word and bigram overlap, whichever is higher."""
    ratio = fuzz.ratio(p.title, n.title)
    # The titles as written differ from the expanded ones only where the thesaurus fired on one.
    if p.written_title and n.written_title and (p.written_title != p.title or n.written_title != n.title):
        ratio = max(ratio, fuzz.ratio(p.written_title, n.written_title))
    ratio /= 100
    overlap = (pw.title_words.dice(nw.title_words) + pw.title_grams.dice(nw.title_grams)) / 2
    # Character ratio only speaks for near-verbatim titles; a power mutes shared generic characters.
    return ratio, max(_power(ratio, params.title_ratio_power), overlap)


def score_pair(p: Unit, n: Unit, word_idf: Idf, gram_idf: Idf, params: MatchParams) -> Pair:
    """All the ways a provincial and a national clause can correspond, folded into one score in [0, 1].

    Title evidence outranks body evidence of the same strength: a person reading the two plans
    matches headings first and reads bodies to confirm. (aligner/candidates.py bounds each signal
    from above: keep the two in step.)
    """
    pw, nw = _weights(p, word_idf, gram_idf, params), _weights(n, word_idf, gram_idf, params)
    ratio, title_signal = _title_signal(p, n, pw, nw, params)

    # A provincial title that restates one phrase of the national text: its words must come together
    # in one comma-delimited phrase …
    phrase = _best_phrase(pw, n)
    # … or at least appear somewhere in the national task (weaker: long texts contain many words, so
    # the rarest words must be among them: weights are squared).
    spread = pw.title_words_rare.share_in(n.full_words)
    # Where the province wrote a body, the bodies speak for themselves and scattered words count less.
    signals = {
        "title": title_signal,
        "title in national phrase": phrase,
        "title words in national text": spread * (params.spread_with_body if p.has_body else params.spread_without_body),
    }
    if p.has_body:
        body = _cosine(pw, nw)
        named = (nw.title_words.share_in(p.full_words) + nw.title_grams.share_in(p.full_grams)) / 2
        # A provincial body may name another national task in passing; naming counts fully only
        # when the bodies agree too.
        agreement = min(1.0, body / params.named_body_agreement)
        signals["national title in provincial text"] = named * (params.named_floor + (1 - params.named_floor) * agreement)
        signals["body similarity"] = body
    body_signal = max(v for k, v in signals.items() if k != "title") * params.body_discount
    score = max(title_signal, body_signal) + params.agreement_bonus * min(title_signal, body_signal)
    heading = max(title_signal, signals.get("national title in provincial text", 0.0))
    return Pair(score=min(score, 1.0), title_similarity=ratio, heading_match=heading, signals=signals)


def _action_core(title: str, thesaurus: Thesaurus) -> str:
    """An action's distinctive name: 实施…行动 framing and punctuation dropped."""
    text = _PUNCT.sub("", thesaurus.apply(title)[0])
    return _ACTION_FRAME.sub("", text)


class PairScorer:
    """Scores the pairs of one alignment, but only those that can matter.

    A provincial unit's candidates come from `NationalIndex` (and `named_reachable`); a candidate
    scoring below `MatchParams.pair_floor` is dropped, so memory grows with the pairs that matter,
    not with the product of the plans. `MatchParams.exhaustive` scores and keeps every pair.
    """

    def __init__(self, p_units: list[Unit], n_units: list[Unit], word_idf: Idf, gram_idf: Idf, params: MatchParams):
        self.n_units, self.word_idf, self.gram_idf, self.params = n_units, word_idf, gram_idf, params
        n_weights = [_weights(n, word_idf, gram_idf, params) for n in n_units]
        p_weights = [_weights(p, word_idf, gram_idf, params) for p in p_units]
        self.index = None if params.exhaustive else NationalIndex(n_units, n_weights, params)
        self.named = named_reachable(p_units, p_weights, n_weights, params.pair_floor(), params)
        self.p_numbers = {id(p): number for number, p in enumerate(p_units)}
        self.n_numbers = {id(n): number for number, n in enumerate(n_units)}
        self.kept: dict[tuple[int, int], Pair] = {}

    def score(self, p: Unit, n: Unit) -> Pair:
        return score_pair(p, n, self.word_idf, self.gram_idf, self.params)

    def _may_reach(self, p: Unit, n: Unit, body_bound: float, floor: float) -> bool:
        """Whether the pair's title signal (computed, cheap) and its body signal's bound can reach
        the floor together, as score_pair folds them."""
        if body_bound >= floor:  # the body alone may reach it (or the bound is unknown: inf)
            return True
        pw, nw = _weights(p, self.word_idf, self.gram_idf, self.params), _weights(n, self.word_idf, self.gram_idf, self.params)
        title = _title_signal(p, n, pw, nw, self.params)[1]
        bound = max(title, body_bound) + max(self.params.agreement_bonus, 0.0) * min(title, body_bound)
        return bound >= floor * (1 - 1e-9)

    def _candidates(self, unit: Unit, floor: float, named: dict[int, float] | None) -> list[Unit]:
        """National units the pair with `unit` may reach the floor with, in national order."""
        assert self.index is not None
        weights = _weights(unit, self.word_idf, self.gram_idf, self.params)
        bounds = self.index.reachable(unit, weights, floor, named)
        found = (self.n_units[number] for number in sorted(bounds))
        return [n for n in found if self._may_reach(unit, n, bounds[self.n_numbers[id(n)]], floor)]

    def relevant(self, p: Unit) -> list[tuple[Unit, Pair]]:
        """The national units that may matter for `p`, in national order, with their pairs."""
        if self.index is None:
            return [(n, self.score(p, n)) for n in self.n_units]
        number = self.p_numbers[id(p)]
        floor = self.params.pair_floor()
        rows = []
        for n in self._candidates(p, floor, self.named.get(number)):
            pair = self.score(p, n)
            if pair.score >= floor:
                rows.append((n, pair))
                self.kept[number, self.n_numbers[id(n)]] = pair
        return rows

    def pair(self, p: Unit, n: Unit) -> Pair:
        """One pair's comparison, whether or not it was a candidate."""
        kept = self.kept.get((self.p_numbers[id(p)], self.n_numbers[id(n)]))
        return kept if kept is not None else self.score(p, n)

    def ranked_for_part(self, probe: Unit, floor: float) -> list[tuple[Unit, Pair]]:
        """The national units a piece of provincial text may reach `floor` with, best first (a unit
        missing from the list scores below `floor`)."""
        found = self.n_units if self.index is None else self._candidates(probe, floor, None)
        rows = [(n, self.score(probe, n)) for n in found]
        rows.sort(key=lambda row: (-row[1].score, row[0].clause.line, row[0].clause.id))
        return rows

    def best_for_part(self, probe: Unit) -> tuple[Unit, Pair] | None:
        """The national unit a piece of a provincial title matches best (None: none reaches
        `MatchParams.part_floor`, so the piece names no national task on its own)."""
        if self.index is None:
            rows = [(self.score(probe, n), n) for n in self.n_units]
            best = max(rows, key=lambda row: row[0].score)
            return best[1], best[0]
        floor = self.params.part_floor()
        rows = [(self.score(probe, n), n) for n in self._candidates(probe, floor, None)]
        found = max(rows, key=lambda row: row[0].score, default=None)
        if found is None or found[0].score < floor:
            return None
        return found[1], found[0]


def _align_actions(
    p_units: list[Unit], relevant: dict[str, list[tuple[Unit, Pair]]], province: Plan, national: Plan,
    params: MatchParams, thesaurus: Thesaurus, found: dict[str, tuple[float, float, int, int]] | None = None,
    named_parts: dict[tuple[str, str], float] | None = None,
) -> ActionMap:
    """Each provincial action → the national actions it corresponds to: usually one, several when
    its name merges theirs, none for a province-only action.

    Part of the evidence is the action names, part the share of the action's tasks whose best
    national counterpart (a link, at least) lies in the national action.
    """
    n_actions = [(c, _action_core(c.title, thesaurus)) for c in national.clauses if c.kind is Kind.ACTION]
    members: dict[str | None, list[Unit]] = {}
    homes: dict[str | None, Counter[str | None]] = {}
    for u in p_units:
        scored = [(pair.score, n) for n, pair in relevant[u.clause.id]]
        score, n = max(scored, key=lambda row: row[0], default=(0.0, None))
        home = n.action if n is not None and score >= params.link else None
        members.setdefault(u.action, []).append(u)
        homes.setdefault(u.action, Counter())[home] += 1
    result: ActionMap = {}
    for pa in (c for c in province.clauses if c.kind is Kind.ACTION):
        count = len(members.get(pa.id, ()))
        mine = homes.get(pa.id, Counter())  # an action whose items are all context has no tasks
        core = _action_core(pa.title, thesaurus)
        best_id, best_sim = None, 0.0
        for na, na_core in n_actions:
            name = _action_name_match(pa.title, core, na.title, na_core, thesaurus)
            share = mine[na.id] / count if count else 0.0
            similarity = params.action_name_weight * name + params.action_share_weight * share
            if similarity > best_sim:
                best_id, best_sim = na.id, similarity
                if found is not None:
                    found[pa.id] = (similarity, name, mine[na.id], count)
        primary = (best_id,) if best_id is not None and best_sim >= params.action_match else ()
        merged = _merged_action_names(pa.title, n_actions, thesaurus, params)
        if named_parts is not None:
            named_parts.update(((pa.id, na_id), similarity) for na_id, similarity in merged)
        result[pa.id] = tuple(dict.fromkeys(primary + tuple(na_id for na_id, _ in merged)))
    return result


def _action_name_match(p_title: str, p_core: str, n_title: str, n_core: str, thesaurus: Thesaurus) -> float:
    """How alike two action names are: their cores' characters, or what their first phrases act
    on (交通结构调整 ↔ 优化交通结构，大力发展绿色运输体系: 交通结构), whichever is higher."""
    by_core = fuzz.ratio(p_core, n_core) / 100
    p_object, n_object = (inline.policy_object(_action_core(_first_phrase(t), thesaurus)) for t in (p_title, n_title))
    return max(by_core, fuzz.ratio(p_object, n_object) / 100 if p_object and n_object else 0.0)


def _first_phrase(text: str) -> str:
    phrases = _PHRASE.findall(text)
    return phrases[0] if phrases else text


def _merged_action_names(
    title: str, n_actions: list[tuple[Clause, str]], thesaurus: Thesaurus, params: MatchParams,
) -> tuple[tuple[str, float], ...]:
    """The national actions a merged provincial action names part by part (循环经济、科技创新和碳汇行动
    → 循环经济助力降碳行动, 绿色低碳科技创新行动, 碳汇能力巩固提升行动), in the order named, each
    with how alike the part and the action's name are (1.0: the name contains the part).

    A part names the one national action whose name contains it, or the one its name resembles by
    `named_action` and beats the runner-up by `second`. Fewer than two parts naming distinct
    actions: the name is not a merger (推进产业和人口集聚 is one action).
    """
    # Split as written, then expand each part: an expansion's own 、 (飞地经济、产业跨区域布局) is no part.
    framed = _ACTION_FRAME.sub("", title.strip(" 。"))
    parts = [_PUNCT.sub("", thesaurus.apply(part)[0]) for part in _CONJUNCTION.split(framed)]
    parts = [part for part in parts if len(part) >= params.min_action_part_chars]
    if len(parts) < 2:
        return ()
    named: dict[str, float] = {}
    for part in parts:
        holders = [na.id for na, core in n_actions if part in core]
        if len(holders) == 1:
            named.setdefault(holders[0], 1.0)
            continue
        ranked = sorted(((_action_name_similarity(part, core), na.line, na.id) for na, core in n_actions),
                        key=lambda row: (-row[0], row[1]))
        if ranked and ranked[0][0] >= params.named_action and (len(ranked) < 2 or ranked[0][0] - ranked[1][0] >= params.second):
            named.setdefault(ranked[0][2], ranked[0][0])
    return tuple(named.items()) if len(named) >= 2 else ()


def _action_links(province: Plan, national: Plan, action_map: ActionMap,
                  found: dict[str, tuple[float, float, int, int]], params: MatchParams,
                  named_parts: dict[tuple[str, str], float]) -> list[Link]:
    """Provincial action → the national action(s) it corresponds to: one level of the hierarchy
    informs the others (the tasks' lift), and the correspondence itself is an answer users need."""
    n_index = national.by_id()
    width = params.excerpt_width
    links = []
    for pa in (c for c in province.clauses if c.kind is Kind.ACTION):
        mapped = action_map.get(pa.id, ())
        similarity, name, homed, count = found.get(pa.id, (0.0, 0.0, 0, 0))
        for position, na_id in enumerate(mapped):
            na = n_index[na_id]
            if position > 0 or similarity < params.action_match or (len(mapped) > 1 and similarity < params.link):
                # One of the actions a merged name names: the name says so, for part of the action. The
                # score shown is the named part's likeness to this action's name, kept in the partial band.
                note = "the action's name merges this national action with others"
                named = named_parts.get((pa.id, na_id), similarity)
                evidence = Evidence((), _excerpt(pa.title, (), width), _excerpt(na.title, (), width), round(named, 3), (note,))
                shown = min(max(named, params.link), params.adapted - 0.01)
                links.append(Link(pa.id, na_id, round(shown, 4), Relation.PARTIAL, evidence, title_similarity=round(named, 4)))
                continue
            if similarity < params.link:
                continue  # aligned enough to lift its tasks, not enough to be reported as a link
            relation = _relation(similarity, name, params) or Relation.PARTIAL
            note = f"{homed} of its {count} tasks find their best counterpart in this national action"
            evidence = Evidence((), _excerpt(pa.title, (), width), _excerpt(na.title, (), width), round(name, 3), (note,))
            links.append(Link(pa.id, na_id, round(min(similarity, 1.0), 4), relation, evidence,
                              title_similarity=round(name, 4)))
    return links


def _promoted_task_links(
    province: Plan, p_units: list[Unit], scorer: PairScorer, links: list[Link], found: dict[str, tuple[float, float, int, int]],
    thesaurus: Thesaurus, params: MatchParams, evidence: Callable[[Unit, Unit, list[str]], Evidence],
) -> list[Link]:
    """A province often promotes one national task to a whole action of its own (实施……专项行动) and
    splits it into sub-tasks whose titles share few words with it. When the action's name on its
    own names a national task better than it names its national action, the action and each of
    its sub-tasks implement that task (the sub-tasks as partial, explained)."""
    p_index = province.by_id()
    have = {(link.province, link.national) for link in links}
    out: list[Link] = []
    for pa in (c for c in province.clauses if c.kind is Kind.ACTION):
        core = _action_core(pa.title, thesaurus)
        if len(core) < params.min_part_chars:
            continue
        unit = _prepare(province, pa, thesaurus, params, p_index)
        best = scorer.best_for_part(_probe(core, unit, thesaurus))
        if best is None:
            continue
        n, pair = best
        similarity, name = found.get(pa.id, (0.0, 0.0, 0, 0))[:2]
        # An action named after a national action is that action, whatever task its name also fits.
        # The name must name the task's title: a phrase of its body is not enough for a whole action.
        title_signal = pair.signals.get("title", 0.0)
        if n.clause.kind is not Kind.TASK or title_signal < max(params.promoted_task, params.adapted) \
                or name >= params.adapted \
                or title_signal <= similarity:
            continue
        note = f"the action's name 「{core}」 names this national task"
        out.append(Link(pa.id, n.clause.id, round(title_signal, 4), Relation.ADAPTED, evidence(unit, n, [note]),
                        title_similarity=round(pair.title_similarity, 4)))
        for u in (u for u in p_units if u.action == pa.id and (u.clause.id, n.clause.id) not in have):
            u_pair = scorer.pair(u, n)
            score = max(u_pair.score, params.link)
            part_note = f"part of the provincial action 「{pa.title}」, which carries this national task"
            relation = _relation(score, 0.0, params) or Relation.PARTIAL
            out.append(Link(u.clause.id, n.clause.id, round(score, 4), relation, evidence(u, n, [part_note]),
                            title_similarity=round(u_pair.title_similarity, 4)))
    return out


def _action_name_similarity(core: str, other: str) -> float:
    """How alike two action names are: characters, or their words when the order differs."""
    ratio = fuzz.ratio(core, other) / 100
    mine, theirs = set(search_words(core)), set(search_words(other))
    dice = 2 * len(mine & theirs) / (len(mine) + len(theirs)) if mine and theirs else 0.0
    return max(ratio, dice)


def _named_action_links(
    p_units: list[Unit], national: Plan, links: list[Link], thesaurus: Thesaurus, params: MatchParams,
) -> list[Link]:
    """A provincial item that names a whole national action (news lists the actions as items:
    实施设备更新、消费品以旧换新……等4大行动) implements that action, not whichever of its tasks
    shares its words: its task links are replaced by a link to the action."""
    n_actions = [(c, _action_core(c.title, thesaurus)) for c in national.clauses if c.kind is Kind.ACTION]
    if not n_actions:
        return links
    replaced: dict[str, Link] = {}
    for u in p_units:
        if u.clause.kind is not Kind.TASK or u.clause.children or not _PUNCT.sub("", u.clause.title).endswith("行动"):
            continue
        core = _action_core(u.clause.title, thesaurus)
        if len(core) < params.min_part_chars:
            continue
        ranked = sorted(((_action_name_similarity(core, na_core), na.line, na) for na, na_core in n_actions),
                        key=lambda row: (-row[0], row[1]))
        best, _, na = ranked[0]
        runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
        if best < params.named_action or best - runner_up < params.second:
            continue
        relation = _relation(best, best, params) or Relation.PARTIAL
        note = f"the item's name 「{core}」 names this national action"
        width = params.excerpt_width
        evidence = Evidence((), _excerpt(u.clause.title, (), width), _excerpt(na.title, (), width), round(best, 3), (note,))
        replaced[u.clause.id] = Link(u.clause.id, na.id, round(best, 4), relation, evidence, title_similarity=round(best, 4))
    if not replaced:
        return links
    kept = [link for link in links if link.province not in replaced]
    return kept + list(replaced.values())


def _adjust(score: float, p: Unit, n: Unit, action_map: ActionMap, t: MatchParams) -> tuple[float, str]:
    if p.action is None or p.action not in action_map:
        return score, ""
    mapped = action_map[p.action]
    if n.action is not None and n.action in mapped:
        return min(1.0, score * (1 + t.action_lift)), "in the corresponding national action"
    if not mapped:
        return score * (1 - t.action_damp), "in an action with no national counterpart"
    return score * (1 - t.action_elsewhere_damp), ""


def _excerpt(sentence: str, terms: tuple[str, ...], width: int) -> str:
    """A long sentence cut around the first shared term, so the reader sees why it was chosen."""
    if len(sentence) <= width:
        return sentence
    hits = [sentence.find(t) for t in terms if t in sentence]
    start = max(0, min(hits) - width // 3) if hits else 0
    end = min(len(sentence), start + width)
    return ("…" if start else "") + sentence[start:end] + ("…" if end < len(sentence) else "")


def _evidence(
    p: Unit, n: Unit, word_idf: Idf, generic: float, notes: list[str], thesaurus: Thesaurus, params: MatchParams
) -> Evidence:
    """Distinctive shared words, and the pair of sentences that share the most weight."""
    shared = sorted(p.full_words.keys() & n.full_words.keys(), key=lambda w: (-word_idf(w), w))
    distinctive = tuple(w for w in shared if len(w) >= params.min_term_chars and word_idf(w) > generic)
    distinctive = distinctive[: params.evidence_terms]
    best = (0.0, "", "")

    def bag(sentence: str) -> Weighted:
        return Weighted.of({t: word_idf(t) for t in search_words(sentence)})

    n_words = n.sentence_words or [tuple(search_words(s)) for s in n.sentences[: params.evidence_national_sentences]]
    n_sentences = [(s, Weighted.of({t: word_idf(t) for t in ws})) for s, ws in zip(n.sentences, n_words)]
    for ps in p.sentences[: params.evidence_province_sentences]:
        p_bag = bag(thesaurus.apply(ps)[0])
        for ns, n_bag in n_sentences:
            # Mostly: how much of the provincial sentence the national one contains. Rounded, so
            # that ties go to the earliest pair, never to floating-point noise.
            similarity = round(
                params.sentence_containment_weight * p_bag.share_in(n_bag.weights)
                + params.sentence_overlap_weight * p_bag.dice(n_bag),
                9,
            )
            if similarity > best[0]:
                best = (similarity, ps, ns)
    fired = tuple(f"thesaurus: {f}" for f in p.fired)
    return Evidence(
        shared_terms=distinctive,
        province_sentence=_excerpt(best[1], distinctive, params.excerpt_width),
        national_sentence=_excerpt(best[2], distinctive, params.excerpt_width),
        sentence_score=round(best[0], 3),
        notes=tuple(notes) + fired,
    )


def _relation(score: float, title_similarity: float, t: MatchParams) -> Relation | None:
    if title_similarity >= t.same and score >= t.adapted:
        return Relation.SAME
    if score >= t.adapted:
        return Relation.ADAPTED
    if score >= t.link:
        return Relation.PARTIAL
    return None


def prepare_national(national: Plan, thesaurus: Thesaurus, params: MatchParams | None = None) -> list[Unit]:
    """The national plan's link targets ready for comparison: done once, reused for every province."""
    params = params or MatchParams()
    if articles.is_article_plan(national):
        return []  # articles are aligned paragraph by paragraph (_align_articles)
    index = national.by_id()
    return [_prepare(national, c, thesaurus, params, index, national_side=True) for c in _link_targets(national)]


def align(
    national: Plan,
    province: Plan,
    thesaurus: Thesaurus | None = None,
    params: MatchParams | None = None,
    national_units: list[Unit] | None = None,
) -> Alignment:
    """Align one province's plan with the national plan (`national_units` from `prepare_national`
    with the same thesaurus, to skip preparing the national plan again)."""
    thesaurus = thesaurus or builtin_thesaurus()
    params = params or MatchParams()
    if articles.is_article_plan(national) and articles.is_article_plan(province):
        return _align_articles(national, province, thesaurus, params)
    p_index = province.by_id()
    if not national_units or national_units[0].prepared_with != params.preparation():
        national_units = prepare_national(national, thesaurus, params)
    # Weights depend on both plans' IDF, so reused national units start without them.
    n_units = [replace(u, weights=None) for u in national_units]
    p_units = [
        _prepare(province, c, thesaurus, params, p_index)
        for c in province.clauses
        if c.kind in (Kind.TASK, Kind.MEASURE)
    ]
    everything = n_units + p_units
    word_idf = Idf.over([u.full_words for u in everything], params.idf_smoothing)
    gram_idf = Idf.over([u.full_grams for u in everything], params.idf_smoothing)

    scorer = PairScorer(p_units, n_units, word_idf, gram_idf, params)
    relevant = {p.clause.id: scorer.relevant(p) for p in p_units}
    # Words in more than `generic_share` of all clauses (推进, 加强, 发展 …) are not shown as evidence.
    generic = bm25_idf(len(everything), params.generic_share * len(everything), params.idf_smoothing)
    action_found: dict[str, tuple[float, float, int, int]] = {}
    named_parts: dict[tuple[str, str], float] = {}
    action_map = _align_actions(p_units, relevant, province, national, params, thesaurus, action_found, named_parts)

    def evidence(p: Unit, n: Unit, notes: list[str]) -> Evidence:
        return _evidence(p, n, word_idf, generic, notes, thesaurus, params)

    links: list[Link] = []
    for p in p_units:
        links.extend(_links_of(p, relevant[p.clause.id], scorer, action_map, thesaurus, params, evidence))
    links = _named_action_links(p_units, national, links, thesaurus, params)
    links.extend(_promoted_task_links(province, p_units, scorer, links, action_found, thesaurus, params, evidence))
    links.extend(_action_links(province, national, action_map, action_found, params, named_parts))

    coverage = _coverage_of([n for n in n_units if n.clause.kind in (Kind.TASK, Kind.MEASURE)], links)
    linked = {link.province for link in links}
    additions = [p.clause.id for p in p_units if p.clause.id not in linked]
    return Alignment(national=national, province=province, links=links, coverage=coverage, additions=additions)


def _links_of(
    p: Unit, relevant: list[tuple[Unit, Pair]], scorer: PairScorer, action_map: ActionMap,
    thesaurus: Thesaurus, params: MatchParams, evidence: Callable[[Unit, Unit, list[str]], Evidence],
) -> list[Link]:
    """One provincial unit's links: its best national counterpart(s), then those its merged title names."""
    scored = []
    for n, pair in relevant:
        score, note = _adjust(pair.score, p, n, action_map, params)
        scored.append((score, pair, n, note))
    scored.sort(key=lambda row: (-row[0], row[2].clause.line, row[2].clause.id))
    # No title counterpart at all (a general title: 迭代深化……) still lets the body's phrases speak below.
    top = scored[0][0] if scored else 0.0
    links: list[Link] = []
    linked_here: set[str] = set()
    for score, pair, n, note in scored:
        relation = _relation(score, pair.title_similarity, params)
        # A second national counterpart needs a strong score close to the best and its own
        # heading matched: body words shared with a long national text are not enough.
        if relation is None or (
            linked_here
            and (score < top - params.second or score < params.adapted or pair.heading_match < params.adapted)
        ):
            break
        notes = [note] if note else []
        links.append(Link(p.clause.id, n.clause.id, round(score, 4), relation, evidence(p, n, notes),
                          title_similarity=round(pair.title_similarity, 4)))
        linked_here.add(n.clause.id)
    for n, part_pair, part in _merged_parts(p, scorer, thesaurus, params) if linked_here else []:
        whole_pair = scorer.pair(p, n)
        whole, note = _adjust(whole_pair.score, p, n, action_map, params)
        # The part must name this national task on its own, and the whole task must support it.
        if n.clause.id in linked_here or part_pair.score < params.adapted or whole < params.link:
            continue
        relation = _relation(whole, 0.0, params) or Relation.PARTIAL
        notes = [f"the title's part 「{part}」 names this task"] + ([note] if note else [])
        links.append(Link(p.clause.id, n.clause.id, round(whole, 4), relation, evidence(p, n, notes),
                          title_similarity=round(whole_pair.title_similarity, 4)))
        linked_here.add(n.clause.id)
    if not linked_here and not p.has_body:
        links.extend(_lone_title_link(p, scorer, action_map, params, evidence))
        return links
    for n, score, phrase in _body_phrase_targets(p, scorer, action_map, thesaurus, params):
        if n.clause.id in linked_here or (not linked_here and score < params.body_phrase_alone):
            continue
        notes = [f"the body's phrase 「{phrase}」 restates this task"]
        # The task carries the national one in part: the score shown is the pair's own (often below
        # `link`: the phrase, quoted in the note, is the evidence), never in the covered band.
        whole_pair = scorer.pair(p, n)
        shown = min(_adjust(whole_pair.score, p, n, action_map, params)[0], params.adapted - 0.01)
        links.append(Link(p.clause.id, n.clause.id, round(shown, 4), Relation.PARTIAL, evidence(p, n, notes),
                          title_similarity=round(whole_pair.title_similarity, 4)))
        linked_here.add(n.clause.id)
    return links


def _lone_title_link(
    p: Unit, scorer: PairScorer, action_map: ActionMap, params: MatchParams,
    evidence: Callable[[Unit, Unit, list[str]], Evidence],
) -> list[Link]:
    """A bodiless item's one national clause that stands out from all others (`lone_title`,
    `lone_title_ratio`, `lone_title_heading`), as a partial link showing the pair's own score."""
    # Every clause that could be the best or the runner-up after lift is scored: one missing from
    # the ranking is below `floor`, so even lifted below `least` / lone_title_ratio.
    least = params.lone_title * params.link
    floor = least / max(params.lone_title_ratio, 1.0) / (1 + max(params.action_lift, 0.0))
    rows = [(_adjust(pair.score, p, n, action_map, params), pair, n) for n, pair in scorer.ranked_for_part(p, floor)]
    rows.sort(key=lambda row: (-row[0][0], row[2].clause.line, row[2].clause.id))
    if not rows:
        return []
    (best, note), pair, n = rows[0]
    runner_up = rows[1][0][0] if len(rows) > 1 else 0.0
    if best < least or best < params.lone_title_ratio * max(runner_up, floor) \
            or pair.heading_match < params.lone_title_heading:
        return []
    notes = [f"the only national task its title resembles: {best:.2f} against at most {runner_up:.2f} for any other"]
    return [Link(p.clause.id, n.clause.id, round(best, 4), Relation.PARTIAL, evidence(p, n, notes + ([note] if note else [])),
                 title_similarity=round(pair.title_similarity, 4))]


def _body_phrases(text: str, params: MatchParams) -> list[str]:
    """The comma-delimited phrases of a clause's own body that are long enough to name a task and
    do not only mention one in passing (与……统筹考虑, 配合做好……)."""
    phrases = [phrase.strip() for phrase in _PHRASE.findall(text)]
    long_enough = [phrase for phrase in phrases if len(_PUNCT.sub("", phrase)) >= params.min_body_phrase_chars]
    return [phrase for phrase in long_enough if not inline.mentions_in_passing(phrase)][: params.body_phrases_read]


def _body_phrase_targets(
    p: Unit, scorer: PairScorer, action_map: ActionMap, thesaurus: Thesaurus, params: MatchParams,
) -> list[tuple[Unit, float, str]]:
    """National clauses that one phrase of `p`'s body restates on its own, each with its score and
    phrase: a task that merges several national ones often names one in its title and the others
    only in its body."""
    # Scoring every candidate down to this floor makes the margin exact: an unscored clause is below it.
    floor = max(params.body_phrase - params.body_phrase_margin, 0.0) / (1 + max(params.action_lift, 0.0))
    found: dict[str, tuple[Unit, float, str]] = {}
    for phrase in _body_phrases(p.clause.text, params):
        rows = [(n, _adjust(pair.score, p, n, action_map, params)[0])
                for n, pair in scorer.ranked_for_part(_probe(phrase, p, thesaurus), floor)]
        rows.sort(key=lambda row: (-row[1], row[0].clause.line, row[0].clause.id))
        if not rows or rows[0][1] < params.body_phrase:
            continue
        best, score = rows[0]
        runner_up = rows[1][1] if len(rows) > 1 else 0.0
        if score - max(runner_up, floor) >= params.body_phrase_margin and best.clause.id not in found:
            found[best.clause.id] = (best, score, phrase)
    return list(found.values())


def _align_articles(national: Plan, province: Plan, thesaurus: Thesaurus, params: MatchParams) -> Alignment:
    """Regulations article by article: every national article whose rule one of a provincial
    article's paragraphs carries is linked (aligner/passages.py)."""
    n_articles, p_articles = articles.article_clauses(national), articles.article_clauses(province)
    pairs = passages.score_pairs(p_articles, n_articles, thesaurus)
    links = passages.links_for(pairs, p_articles, n_articles, _chapters(province), _chapters(national), params.same)
    n_units = [_ArticleTarget(c) for c in n_articles]
    coverage = _coverage_of(n_units, links)  # type: ignore[arg-type]
    linked = {link.province for link in links}
    additions = [c.id for c in p_articles if c.id not in linked]
    return Alignment(national=national, province=province, links=links, coverage=coverage, additions=additions)


def _chapters(plan: Plan) -> dict[str, str | None]:
    index = plan.by_id()
    return {c.id: (action.id if (action := plan.action_of(c, index)) else None) for c in plan.clauses}


@dataclass(frozen=True)
class _ArticleTarget:
    """What _coverage_of reads of a unit: its clause."""

    clause: Clause


def _link_targets(national: Plan) -> list[Clause]:
    """National tasks and measures, and the items of 组织实施 (so a province's 加强组织领导 is
    recognised as carrying out the national one instead of being reported as its own addition)."""
    index = national.by_id()
    targets = []
    for clause in national.clauses:
        if clause.kind in (Kind.TASK, Kind.MEASURE):
            targets.append(clause)
        elif clause.kind is Kind.OTHER and not clause.children and clause.parent:
            parent = index[clause.parent]
            if parent.parent is None and is_organisation_heading(parent.title):
                targets.append(clause)
        elif clause.kind is Kind.OTHER and not clause.children and clause.parent is None \
                and is_organisation_heading(clause.title):
            targets.append(clause)  # 七、组织实施 written as one paragraph: the part itself is the target
    return targets


def _merged_parts(p: Unit, scorer: PairScorer, thesaurus: Thesaurus, params: MatchParams) -> list[tuple[Unit, Pair, str]]:
    """For a title naming two things (推进老旧小区和城中村改造), the best national unit of each part."""
    parts = [part for part in _CONJUNCTION.split(p.clause.title) if len(_PUNCT.sub("", part)) >= params.min_part_chars]
    if len(parts) < 2:
        return []
    # 健全住房和社会保障体系 = 住房保障体系 + 社会保障体系: an earlier part shares the last part's head
    # noun, so it is also tried with the last part's final characters appended.
    last = _PUNCT.sub("", parts[-1])
    candidates = [
        (part, [part] + [part + last[-k:] for k in params.head_noun_lengths if len(last) > k + 1]) for part in parts[:-1]
    ]
    candidates.append((parts[-1], [parts[-1]]))
    found = []
    for part, readings in candidates:
        rows = [row for row in (scorer.best_for_part(_probe(reading, p, thesaurus)) for reading in readings) if row]
        if rows:
            best_row = max(rows, key=lambda row: row[1].score)
            found.append((best_row[0], best_row[1], part))
    return found


def _probe(part: str, p: Unit, thesaurus: Thesaurus) -> Unit:
    """A piece of a provincial title, as a unit of its own (a title, no body)."""
    text, _ = thesaurus.apply(part)
    plain = _PUNCT.sub("", text)
    return Unit(
        clause=p.clause, action=p.action, title=plain, full=plain, has_body=False, sentences=[part], sentence_words=None,
        title_words=Counter(search_words(text)), full_words=Counter(search_words(text)), title_grams=Counter(bigrams(plain)),
        full_grams=Counter(bigrams(plain)), phrase_words={}, phrase_grams={}, written_title=_PUNCT.sub("", part),
    )


def coverage_for(targets: list[Clause], links: list[Link]) -> list[Coverage]:
    """Coverage of the national `targets` (in that order) by `links`: what `align` computes, for
    links changed afterwards (an analyst's decisions, aligner.decisions)."""
    return _coverage_of([_ArticleTarget(c) for c in targets], links)  # type: ignore[misc]


def _coverage_of(n_units: list[Unit], links: list[Link]) -> list[Coverage]:
    by_national: dict[str, list[Link]] = {}
    for link in links:
        by_national.setdefault(link.national, []).append(link)
    rows = []
    for n in n_units:
        mine = sorted(by_national.get(n.clause.id, ()), key=lambda l: (-l.score, l.province))
        if any(l.relation in (Relation.SAME, Relation.ADAPTED) for l in mine):
            status = Status.COVERED
        elif mine:
            status = Status.PARTIAL
        else:
            status = Status.GAP
        rows.append(
            Coverage(
                national=n.clause.id,
                status=status,
                score=mine[0].score if mine else 0.0,
                counterparts=tuple(l.province for l in mine),
            )
        )
    return rows
