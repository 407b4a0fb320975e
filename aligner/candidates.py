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
from collections.abc import Container, Iterable, Sequence
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

Postings = dict[str, list[int]]


def postings(bags: Iterable[Iterable[str]]) -> Postings:
    """token → the numbers of the bags that hold it (each bag's tokens are distinct)."""
    index: Postings = {}
    for number, bag in enumerate(bags):
        for token in bag:
            index.setdefault(token, []).append(number)
    return index


def phrase_postings(units: Iterable[dict[str, list[int]]]) -> dict[str, list[tuple[int, int]]]:
    """token → the (clause, phrase) pairs that hold it, from each clause's own phrase postings."""
    index: dict[str, list[tuple[int, int]]] = {}
    for number, phrases in enumerate(units):
        for token, numbers in phrases.items():
            index.setdefault(token, []).extend((number, phrase) for phrase in numbers)
    return index


def holding(
    weights: dict[str, float], total: float, share: float, index: Postings, bags: Sequence[Container[str]]
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
    while cut < len(ordered) and rest >= need:
        rest -= ordered[cut][1]
        cut += 1
    held: dict[int, float] = {}
    for token, weight in ordered[:cut]:
        for number in index.get(token, ()):
            held[number] = held.get(number, 0.0) + weight
    suffix = ordered[cut:]
    found = {}
    for number, weight in held.items():
        if suffix and weight + rest >= need:
            bag = bags[number]
            weight += sum(w for t, w in suffix if t in bag)
        if weight >= need:
            found[number] = weight
    return found


def phrase_holding(
    parts: Sequence[tuple[dict[str, float], float, dict[str, list[tuple[int, int]]], Sequence[dict[str, list[int]]]]],
    share: float,
) -> set[int]:
    """The clauses with one phrase where the average over `parts` of the share of the part's query
    weight held reaches `share` (each part: query weights, their total, token → (clause, phrase)
    postings, and each clause's token → phrases). `holding`, per phrase, over several bags at once."""
    ordered = []  # (scaled weight, part, token): every part's shares as one query of total ≤ 1
    for number, (weights, total, _, _) in enumerate(parts):
        if total > 0:
            ordered += [(w / total / len(parts), number, t) for t, w in weights.items()]
    if not ordered:
        return set()
    ordered.sort(key=lambda item: -item[0])
    need = share * (1 - _SLACK)
    rest, cut = sum(item[0] for item in ordered), 0
    while cut < len(ordered) and rest >= need:
        rest -= ordered[cut][0]
        cut += 1
    held: dict[tuple[int, int], float] = {}
    for weight, part, token in ordered[:cut]:
        for key in parts[part][2].get(token, ()):
            held[key] = held.get(key, 0.0) + weight
    suffix = ordered[cut:]
    found = set()
    for (number, phrase), weight in held.items():
        if number in found or weight + rest < need:
            continue
        weight += sum(w for w, part, t in suffix if phrase in parts[part][3][number].get(t, ()))
        if weight >= need:
            found.add(number)
    return found


def cosine_reaching(
    vector: dict[str, float], norm: float, share: float, index: dict[str, list[tuple[int, float]]],
    vectors: Sequence[dict[str, float]], norms: Sequence[float],
) -> set[int]:
    """The clauses whose cosine with `vector` reaches `share`.

    Only the postings of the weightiest tokens are walked: a clause sharing none of them has a
    cosine of at most the norm of the rest over the whole norm (Cauchy–Schwarz), which is below
    `share`; for the clauses found, the rest of the dot product is then looked up."""
    if not norm:
        return set()
    need = share * (1 - _SLACK)
    ordered = sorted(vector.items(), key=lambda item: -abs(item[1]))
    rest_squares, cut = norm * norm, 0
    while cut < len(ordered) and math.sqrt(max(rest_squares, 0.0)) >= need * norm:
        rest_squares -= ordered[cut][1] ** 2
        cut += 1
    rest = math.sqrt(max(rest_squares, 0.0)) / norm * (1 + _SLACK)  # what the rest adds, at most
    dots: dict[int, float] = {}
    for token, value in ordered[:cut]:
        for number, other in index.get(token, ()):
            dots[number] = dots.get(number, 0.0) + value * other
    suffix = ordered[cut:]
    found = set()
    for number, dot in dots.items():
        scale = norm * norms[number]
        if not scale or dot / scale + rest < need:
            continue
        if suffix:
            theirs = vectors[number]
            dot += sum(value * theirs[t] for t, value in suffix if t in theirs)
        if dot / scale >= need:
            found.add(number)
    return found


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
        self.title_word_totals = [w.title_words.total for w in weights]
        self.title_gram_totals = [w.title_grams.total for w in weights]
        self.title_word_bags = [w.title_words.weights for w in weights]
        self.title_gram_bags = [w.title_grams.weights for w in weights]
        self.title_words = postings(self.title_word_bags)
        self.title_grams = postings(self.title_gram_bags)
        self.phrase_word_bags = [u.phrase_words for u in units]
        self.phrase_gram_bags = [u.phrase_grams for u in units]
        self.phrase_words = phrase_postings(self.phrase_word_bags)
        self.phrase_grams = phrase_postings(self.phrase_gram_bags)
        self.full_word_bags = [u.full_words for u in units]
        self.full_words = postings(self.full_word_bags)
        self.vectors: dict[str, list[tuple[int, float]]] = {}
        for number, w in enumerate(weights):
            for token, value in w.vector.items():
                self.vectors.setdefault(token, []).append((number, value))
        self.vector_bags = [w.vector for w in weights]
        self.norms = [w.norm for w in weights]

    def reachable(self, unit: Unit, weights: UnitWeights, floor: float) -> set[int]:
        """National units whose pair with `unit` may score ≥ floor on the unit's own signals (the
        national title named in the provincial text is found the other way round: `named_reachable`)."""
        needs = Needs.of(floor, self.params)
        if needs.everything or self.params.exhaustive:
            return set(range(self.count))
        found = self._title_reachable(unit, weights, needs.title)
        if needs.body < math.inf:
            found |= self._body_reachable(unit, weights, needs.body)
        return found

    def _title_reachable(self, unit: Unit, weights: UnitWeights, need: float) -> set[int]:
        found: set[int] = set()
        power = max(self.params.title_ratio_power, 1)
        if need <= 1:
            cutoff = 100 * need ** (1 / power) - _RATIO_SLACK
            matches = process.extract(unit.title, self.titles, scorer=fuzz.ratio, score_cutoff=max(cutoff, 0.0), limit=None)
            found.update(number for _, _, number in matches)
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

    def _body_reachable(self, unit: Unit, weights: UnitWeights, need: float) -> set[int]:
        params = self.params
        found: set[int] = set()
        # The best phrase: the average of the word and bigram shares it holds.
        found |= phrase_holding(
            [(weights.title_words.weights, weights.title_words.total, self.phrase_words, self.phrase_word_bags),
             (weights.title_grams.weights, weights.title_grams.total, self.phrase_grams, self.phrase_gram_bags)],
            need,
        )
        spread_weight = params.spread_with_body if unit.has_body else params.spread_without_body
        if spread_weight > 0:
            rare = weights.title_words_rare
            found.update(holding(rare.weights, rare.total, need / spread_weight, self.full_words, self.full_word_bags))
        if unit.has_body:
            found |= cosine_reaching(weights.vector, weights.norm, need, self.vectors, self.vector_bags, self.norms)
        return found


def named_reachable(
    p_units: list[Unit], n_weights: list[UnitWeights], floor: float, params: MatchParams
) -> dict[int, set[int]]:
    """provincial unit → national units whose title its body may name strongly enough to reach the
    floor ("national title in provincial text", only for provincial units with a body)."""
    needs = Needs.of(floor, params)
    if needs.everything or params.exhaustive or needs.body == math.inf:
        return {}
    # The naming signal is scaled by a factor between named_floor and 1.
    need = needs.body / max(params.named_floor, 1.0)
    with_body = [i for i, u in enumerate(p_units) if u.has_body]
    word_bags = [p_units[i].full_words for i in with_body]
    gram_bags = [p_units[i].full_grams for i in with_body]
    word_index, gram_index = postings(word_bags), postings(gram_bags)
    found: dict[int, set[int]] = {}
    for n_number, weights in enumerate(n_weights):
        for query, index, bags in ((weights.title_words, word_index, word_bags),
                                   (weights.title_grams, gram_index, gram_bags)):
            for local in holding(query.weights, query.total, need, index, bags):
                found.setdefault(with_body[local], set()).add(n_number)
    return found
