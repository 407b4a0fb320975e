"""The thesaurus: single-pass expansion, the shipped data's format, the example user file."""

from __future__ import annotations

from pathlib import Path

import pytest
from aligner.errors import InputError
from aligner.thesaurus import Thesaurus, builtin_thesaurus, load_thesaurus, parse_thesaurus
from hypothesis import given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "plans" / "example_thesaurus.txt"

# A thesaurus whose expansions contain other terms, and whose terms nest (用地 inside 用地保障).
NESTED = parse_thesaurus(
    "用地保障 += 土地节约集约利用\n用地 += 土地\n土地 += 国土空间\n农牧民 => 农民\n农民 += 农村居民\n",
    "test",
)


def test_an_expansion_is_not_expanded_again() -> None:
    assert NESTED.apply("强化用地保障") == ("强化用地保障(土地节约集约利用)", ("用地保障⊃土地节约集约利用",))


def test_a_rewrite_output_is_not_rewritten_or_expanded_again() -> None:
    assert NESTED.apply("农牧民增收") == ("农民增收", ("农牧民→农民",))


def test_longest_term_wins_and_each_occurrence_is_handled() -> None:
    text, fired = NESTED.apply("用地和用地保障与土地")
    assert text == "用地(土地)和用地保障(土地节约集约利用)与土地(国土空间)"
    assert fired == ("用地保障⊃土地节约集约利用", "土地⊃国土空间", "用地⊃土地")  # longest, then code point


def test_a_term_both_rewritten_and_expanded_is_rewritten() -> None:
    both = Thesaurus(rewrites=(("甲", "乙"),), expansions=(("甲", "丙"),))
    assert both.apply("甲方") == ("乙方", ("甲→乙",))


def test_empty_thesaurus_changes_nothing() -> None:
    assert Thesaurus().apply("用地保障") == ("用地保障", ())


_ALPHABET = "用地保障土农牧民村和与，。（）()⊃→"
_TERMS = sorted({t for t, _ in NESTED.rewrites} | {t for t, _ in NESTED.expansions})


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_applying_is_one_pass(text: str) -> None:
    """What apply writes for a match is exactly its entry's output: removing every inserted
    expansion and undoing every rewrite gives the input back, so nothing was re-expanded."""
    out, fired = NESTED.apply(text)
    rewrites, expansions = dict(NESTED.rewrites), dict(NESTED.expansions)
    # Rebuild the output from the input by one left-to-right scan, longest term first.
    expected, i = [], 0
    by_len = sorted(_TERMS, key=len, reverse=True)
    while i < len(text):
        term = next((t for t in by_len if text.startswith(t, i)), None)
        if term is None:
            expected.append(text[i])
            i += 1
            continue
        expected.append(rewrites[term] if term in rewrites else f"{term}({expansions[term]})")
        i += len(term)
    assert out == "".join(expected)
    assert all(any(f.startswith(t) for t in _TERMS) for f in fired)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="和与农村居民保障，。()甲乙", max_size=40))
def test_idempotent_on_text_without_left_sides(text: str) -> None:
    thesaurus = parse_thesaurus("用地 += 土地\n农牧民 => 农民\n", "test")
    assert "用地" not in text and "农牧民" not in text
    assert thesaurus.apply(text) == (text, ())


def test_shipped_thesaurus_has_a_comment_above_every_group() -> None:
    lines = (REPO / "aligner" / "data" / "thesaurus.txt").read_text(encoding="utf-8").splitlines()
    for before, line in zip(lines, lines[1:]):
        if line.strip() and not line.startswith("#") and not before.strip():
            pytest.fail(f"entry without a justification comment above it: {line}")
    assert builtin_thesaurus().apply("农牧民")[0] == "农民"


def test_fixture_vocabulary_lives_in_the_example_user_thesaurus() -> None:
    shipped = {t for t, _ in builtin_thesaurus().expansions + builtin_thesaurus().rewrites}
    example = parse_thesaurus(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
    own = {t for t, _ in example.expansions + example.rewrites}
    assert "用地保障" in own and not own & shipped
    merged = load_thesaurus(EXAMPLE)
    assert merged.apply("强化用地保障，用地")[0] == "强化用地保障(土地节约集约利用)，用地(土地)"


def test_a_malformed_line_names_its_number() -> None:
    with pytest.raises(InputError, match="line 2"):
        parse_thesaurus("甲 => 乙\n没有箭头\n", "mine.txt")
