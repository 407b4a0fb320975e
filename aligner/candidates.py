"""Which national clauses a provincial clause could match at all, without scoring every pair.

Scoring every provincial × national pair costs time and memory in the product of the two plans'
sizes (3,000 × 3,000 tasks: minutes and gigabytes). Most pairs share nothing that counts, and a
pair's score is built from a few signals, each of which can be bounded from above cheaply:

- the titles' character ratio, for all national titles at once (rapidfuzz, in C);
- weighted word and bigram overlaps, through inverted indexes (token → national clauses), walking
  only the postings of the query's weightiest tokens: a clause holding none of them holds at most
  the weight of the rest (prefix filtering), and the rest is then checked exactly;
- the body cosine, the same way with squared weights (Cauchy–Schwarz bounds what the rest adds).

A pair is a candidate when any bound reaches what the score needs to reach the floor, so a pair
left out provably scores below it: with the lossless floor of `MatchParams.pair_floor`, results are
the same as scoring every pair. The bounds mirror `match.score_pair`: a change to how it folds
signals must change them too (tests/test_match_bounds.py compares both searches).
"""

from __future__ import annotations

import math
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from aligner.params import MatchParams

if TYPE_CHECKING:
    from aligner.match import Unit, UnitWeights

# Relative slack on every threshold: bounds are summed in another order than the scores, so they may
# differ in the last bits; erring low only adds candidates.
_SLACK = 1e-9
# Points of rapidfuzz's 0–100 ratio taken off its cut-off, for the same reason.
_RATIO_SLACK = 0.01
# Tokens are walked through their postings until the rest weigh less than this share of what is
# needed (any share below 1 is exact): lower walks longer postings of commoner tokens, higher leaves
# more clauses whose rest must be looked up one by one. Speed only, never results.
_WALK = 0.5

Postings = dict[str, list[int]]


def postings(bags: Iterable[Iterable[str]]) -> Postings:
    """token → the numbers of the bags that hold it (each bag's tokens are distinct)."""
    index: Postings = {}
    for number, bag in enumerate(bags):
        for token in bag:
            index.setdefault(token, []).append(number)
    return index


class PhrasePostings:
    """token → the (clause, phrase) pairs that hold it, from each clause's own phrase postings.

    Built token by token when asked: a query walks only its few weightiest tokens, so indexing
    every token of the national text up front (thousands, most never asked for) cost more than
    the queries it served."""

    def __init__(self, units: Sequence[dict[str, list[int]]]) -> None:
        self.units = units
        self.found: dict[str, list[tuple[int, int]]] = {}

    def get(self, token: str, default: Sequence[tuple[int, int]] = ()) -> Sequence[tuple[int, int]]:
        pairs = self.found.get(token)
        if pairs is None:
            pairs = [(number, phrase) for number, phrases in enumerate(self.units) for phrase in phrases.get(token, ())]
            self.found[token] = pairs
        return pairs or default


def holding(
    weights: dict[str, float], total: float, share: float, index: Postings, bags: Sequence[Mapping[str, object]]
) -> dict[int, float]:
    """The bags that hold at least `share` of the query's weight, with the weight each holds.

    Only the postings of the weightiest tokens are walked: a bag holding none of them holds at most
    the weight of the rest, which is below what is needed; the rest is then looked up per bag.
    """
    if total <= 0:
        return {}
    need = share * total * (1 - _SLACK)
    ordered = sorted(weights.items(), key=lambda item: -item[1])
    rest, cut = total, 0
    while cut < len(ordered) and rest >= _WALK * need:
        rest -= ordered[cut][1]
        cut += 1
    held: dict[int, float] = {}
    for token, weight in ordered[:cut]:
        for number in index.get(token, ()):
            held[number] = held.get(number, 0.0) + weight
    suffix = dict(ordered[cut:])
    found = {}
    for number, weight in held.items():
        if suffix and weight + rest >= need:
            weight += sum(suffix[t] for t in suffix.keys() & bags[number].keys())
        if weight >= need:
            found[number] = weight
    return found


def average_holding(
    parts: Sequence[tuple[dict[str, float], float, Postings, Sequence[Container[str]]]], share: float
) -> dict[int, float]:
    """The bags where the average over `parts` of the share of the part's query weight held reaches
    `share` (each part: query weights, their total, postings, and the bags): `holding` over several
    token spaces at once, e.g. words and bigrams."""
    ordered = _scaled(parts)
    if not ordered:
        return {}
    need = share * (1 - _SLACK)
    rest, cut = _prefix(ordered, _WALK * need)
    held: dict[int, float] = {}
    for weight, part, token in ordered[:cut]:
        for number in parts[part][2].get(token, ()):
            held[number] = held.get(number, 0.0) + weight
    suffix = ordered[cut:]
    found = {}
    for number, weight in held.items():
        if weight + rest < need:
            continue
        weight += sum(w for w, part, t in suffix if t in parts[part][3][number])
        if weight >= need:
            found[number] = weight
    return found


def _scaled(parts: Sequence[tuple[dict[str, float], float, object, object]]) -> list[tuple[float, int, str]]:
    """Every part's query tokens as one query, each weight scaled to its share of the average:
    (scaled weight, part, token), weightiest first."""
    ordered = []
    for number, (weights, total, _, _) in enumerate(parts):
        if total > 0:
            ordered += [(w / total / len(parts), number, t) for t, w in weights.items()]
    ordered.sort(key=lambda item: -item[0])
    return ordered


def _prefix(ordered: list[tuple[float, int, str]], need: float) -> tuple[float, int]:
    """How many of the weightiest tokens must be walked so that the rest weigh less than `need`,
    and what the rest weigh."""
    rest, cut = sum(item[0] for item in ordered), 0
    while cut < len(ordered) and rest >= need:
        rest -= ordered[cut][0]
        cut += 1
    return rest, cut


def phrase_holding(
    parts: Sequence[tuple[dict[str, float], float, PhrasePostings, Sequence[dict[str, list[int]]]]],
    share: float,
) -> dict[int, float]:
    """The clauses with one phrase where the average over `parts` of the share of the part's query
    weight held reaches `share`, with the best such average (each part: query weights, their total,
    token → (clause, phrase) postings, and each clause's token → phrases). `holding`, per phrase,
    over several bags at once."""
    ordered = _scaled(parts)
    if not ordered:
        return {}
    need = share * (1 - _SLACK)
    rest, cut = _prefix(ordered, _WALK * need)
    held: dict[tuple[int, int], float] = {}
    for weight, part, token in ordered[:cut]:
        for key in parts[part][2].get(token, ()):
            held[key] = held.get(key, 0.0) + weight
    suffix = ordered[cut:]
    found: dict[int, float] = {}
    for (number, phrase), weight in held.items():
        if weight + rest < need or weight + rest <= found.get(number, 0.0):
            continue
        weight += sum(w for w, part, t in suffix if phrase in parts[part][3][number].get(t, ()))
        if weight >= need and weight > found.get(number, 0.0):
            found[number] = weight
    return found


class CosineIndex:
    """Body vectors indexed to find every clause whose cosine with a query reaches `need`.

    A query walks the postings of its weightiest tokens until the rest of its norm is below `_WALK`
    × need: a clause sharing none of them has a cosine below that (Cauchy–Schwarz), so below the
    need; for the clauses found, the rest of the dot product is looked up and the cosine checked.
    (Pruning the indexed side as well, AllPairs-style, was tried: it leaves more clauses to check
    and was slower here.)
    """

    def __init__(self, vectors: Sequence[dict[str, float]], norms: Sequence[float], need: float) -> None:
        self.need = need * (1 - _SLACK)
        self.vectors, self.norms = vectors, norms
        lists: dict[str, tuple[list[int], list[float]]] = {}
        for number, vector in enumerate(vectors):
            for token, value in vector.items():
                numbers, values = lists.setdefault(token, ([], []))
                numbers.append(number)
                values.append(value)
        # token → (clause numbers, their values): two flat tuples walk faster than pairs.
        self.postings = {token: (tuple(numbers), tuple(values)) for token, (numbers, values) in lists.items()}

    def reaching(self, vector: dict[str, float], norm: float) -> dict[int, float]:
        """The clauses whose cosine with `vector` reaches the need, with the cosine."""
        if not norm:
            return {}
        prefix, rest, suffix = _norm_prefix(vector, norm, _WALK * self.need)
        dots = [0.0] * len(self.vectors)  # a list indexed by clause: faster than a dict here
        touched: set[int] = set()
        for token, value in prefix:
            posting = self.postings.get(token)
            if posting is None:
                continue
            numbers, values = posting
            touched.update(numbers)
            for number, other in zip(numbers, values):
                dots[number] += value * other
        found = {}
        for number in touched:
            dot = dots[number]
            scale = norm * self.norms[number]
            if not scale or dot / scale + rest < self.need:
                continue
            if suffix:
                theirs = self.vectors[number]
                dot += sum(suffix[t] * theirs[t] for t in suffix.keys() & theirs.keys())
            if dot / scale >= self.need:
                found[number] = dot / scale
        return found


def _norm_prefix(
    vector: dict[str, float], norm: float, limit: float
) -> tuple[list[tuple[str, float]], float, dict[str, float]]:
    """The weightiest entries of a vector, up to where the rest has a norm below `limit` × the
    vector's; that rest's norm as a share of the whole (rounded up); the rest."""
    ordered = sorted(vector.items(), key=lambda item: -abs(item[1]))
    rest_squares, cut = norm * norm, 0
    while cut < len(ordered) and math.sqrt(max(rest_squares, 0.0)) >= limit * norm:
        rest_squares -= ordered[cut][1] ** 2
        cut += 1
    rest = math.sqrt(max(rest_squares, 0.0)) / norm * (1 + _SLACK) + _SLACK
    return ordered[:cut], rest, dict(ordered[cut:])


@dataclass(frozen=True)
class Needs:
    """What each signal of `match.score_pair` must reach for a pair's score to reach a floor."""

    title: float  # title signal (character ratio to a power, or word / bigram Dice overlap)
    body: float  # any body-side signal before `body_discount`
    everything: bool  # the floor is ≤ 0: every pair qualifies

    @classmethod
    def of(cls, floor: float, params: MatchParams) -> Needs:
        # score = max(title, body) + bonus × min(title, body) ≤ (1 + bonus) × max(title, body)
        title = floor / (1 + max(params.agreement_bonus, 0.0))
        body = title / params.body_discount if params.body_discount > 0 else math.inf
        return cls(title=title, body=body, everything=title <= 0)


class NationalIndex:
    """Inverted indexes over the national units of one alignment (weights depend on both plans' IDF)."""

    def __init__(self, units: list[Unit], weights: list[UnitWeights], params: MatchParams) -> None:
        self.count = len(units)
        self.params = params
        self.titles = [u.title for u in units]
        # Titles the thesaurus rewrote, as written (match._title_signal compares those too).
        self.rewritten = {number: u.written_title for number, u in enumerate(units)
                          if u.written_title and u.written_title != u.title}
        self.written_titles = [u.written_title for u in units]
        self.title_word_totals = [w.title_words.total for w in weights]
        self.title_gram_totals = [w.title_grams.total for w in weights]
        self.title_word_bags = [w.title_words.weights for w in weights]
        self.title_gram_bags = [w.title_grams.weights for w in weights]
        self.title_words = postings(self.title_word_bags)
        self.title_grams = postings(self.title_gram_bags)
        self.phrase_word_bags = [u.phrase_words for u in units]
        self.phrase_gram_bags = [u.phrase_grams for u in units]
        self.phrase_words = PhrasePostings(self.phrase_word_bags)
        self.phrase_grams = PhrasePostings(self.phrase_gram_bags)
        self.full_word_bags = [u.full_words for u in units]
        self.full_words = postings(self.full_word_bags)
        self.vectors, self.norms = [w.vector for w in weights], [w.norm for w in weights]
        self.bodies: dict[float, CosineIndex] = {}  # by need: built when first asked

    def reachable(
        self, unit: Unit, weights: UnitWeights, floor: float, named: dict[int, float] | None = None
    ) -> dict[int, float]:
        """National units whose pair with `unit` may score ≥ floor, each with an upper bound of the
        pair's body signal (after `body_discount`); `named`: national unit → the value of "national
        title in provincial text", found the other way round (`named_reachable`).

        The caller computes the title signal of each (cheap) and keeps the pairs where the two can
        still reach the floor together."""
        needs = Needs.of(floor, self.params)
        if needs.everything or self.params.exhaustive:
            return dict.fromkeys(range(self.count), math.inf)
        values = self._body_values(unit, weights, needs.body) if needs.body < math.inf else {}
        for number, value in (named or {}).items():
            values[number] = max(values.get(number, 0.0), value)
        # A body signal not found is below its need, which after the discount is the title's need.
        unfound = needs.title * (1 + _SLACK)
        discount = max(self.params.body_discount, 0.0)
        bounds = {number: max(unfound, value * discount) for number, value in values.items()}
        for number in self._title_reachable(unit, weights, needs.title):
            bounds.setdefault(number, unfound)
        return bounds

    def _title_reachable(self, unit: Unit, weights: UnitWeights, need: float) -> set[int]:
        found: set[int] = set()
        power = max(self.params.title_ratio_power, 1)
        if need <= 1:
            cutoff = 100 * need ** (1 / power) - _RATIO_SLACK
            # match._title_signal takes the better ratio of the titles expanded and as written; the
            # second differs only where the thesaurus rewrote this title or a national one.
            cutoff = max(cutoff, 0.0)
            found.update(number for _, _, number in process.extract(
                unit.title, self.titles, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None))
            if unit.written_title:
                written = self.written_titles if unit.written_title != unit.title else self.rewritten
                found.update(key for _, _, key in process.extract(
                    unit.written_title, written, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None))
        # Dice 2S / (Tp + Tn) ≥ need requires S ≥ need·Tp / (2 − need), since Tn ≥ S.
        if need < 2:
            share = need / (2 - need)
            for query, index, bags, totals in (
                (weights.title_words, self.title_words, self.title_word_bags, self.title_word_totals),
                (weights.title_grams, self.title_grams, self.title_gram_bags, self.title_gram_totals),
            ):
                for number, shared in holding(query.weights, query.total, share, index, bags).items():
                    total = query.total + totals[number]
                    if total and 2 * shared / total >= need * (1 - _SLACK):
                        found.add(number)
        return found

    def _body_values(self, unit: Unit, weights: UnitWeights, need: float) -> dict[int, float]:
        """national unit → the largest of the unit's body-side signals that reach `need`."""
        params = self.params
        # The best phrase: the average of the word and bigram shares it holds.
        values = phrase_holding(
            [(weights.title_words.weights, weights.title_words.total, self.phrase_words, self.phrase_word_bags),
             (weights.title_grams.weights, weights.title_grams.total, self.phrase_grams, self.phrase_gram_bags)],
            need,
        )

        def merge(found: dict[int, float]) -> None:
            for number, value in found.items():
                values[number] = max(values.get(number, 0.0), value)

        spread_weight = params.spread_with_body if unit.has_body else params.spread_without_body
        rare = weights.title_words_rare
        if spread_weight > 0 and rare.total > 0:
            held = holding(rare.weights, rare.total, need / spread_weight, self.full_words, self.full_word_bags)
            merge({number: weight / rare.total * spread_weight for number, weight in held.items()})
        if unit.has_body:
            if need not in self.bodies:
                self.bodies[need] = CosineIndex(self.vectors, self.norms, need)
            merge(self.bodies[need].reaching(weights.vector, weights.norm))
        return values


def named_reachable(
    p_units: list[Unit], p_weights: list[UnitWeights], n_weights: list[UnitWeights], floor: float, params: MatchParams
) -> dict[int, dict[int, float]]:
    """provincial unit → national units whose title its body names strongly enough to reach the
    floor ("national title in provincial text", only for provincial units with a body), with the
    value of that signal."""
    needs = Needs.of(floor, params)
    if needs.everything or params.exhaustive or needs.body == math.inf:
        return {}
    # The naming signal is scaled by a factor between named_floor and 1, set by the body cosine.
    need = needs.body / max(params.named_floor, 1.0)
    with_body = [i for i, u in enumerate(p_units) if u.has_body]
    word_bags = [p_units[i].full_words for i in with_body]
    gram_bags = [p_units[i].full_grams for i in with_body]
    word_index, gram_index = postings(word_bags), postings(gram_bags)
    found: dict[int, dict[int, float]] = {}
    for n_number, weights in enumerate(n_weights):
        parts = [(weights.title_words.weights, weights.title_words.total, word_index, word_bags),
                 (weights.title_grams.weights, weights.title_grams.total, gram_index, gram_bags)]
        for local, named in average_holding(parts, need).items():
            p_number = with_body[local]
            body = _cosine(p_weights[p_number], weights)
            agreement = min(1.0, body / params.named_body_agreement)
            value = named * (params.named_floor + (1 - params.named_floor) * agreement)
            if value >= needs.body * (1 - _SLACK):
                found.setdefault(p_number, {})[n_number] = value
    return found


def _cosine(a: UnitWeights, b: UnitWeights) -> float:
    if not a.norm or not b.norm:
        return 0.0
    small, large = (a.vector, b.vector) if len(a.vector) <= len(b.vector) else (b.vector, a.vector)
    return sum(small[t] * large[t] for t in small.keys() & large.keys()) / (a.norm * b.norm)
