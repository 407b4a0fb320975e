"""Every format's whole output for the example pair and a batch equals tests/golden/.

A difference means a report changed: if it was meant, regenerate with
`python scripts/update_golden.py` and review the diff; otherwise it is a regression.
"""

from __future__ import annotations

import difflib

import pytest

from golden_cases import CASES, GOLDEN, Case


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("golden-cache"))


def _diff(name: str, want: bytes, got: bytes) -> str:
    try:
        lines = difflib.unified_diff(want.decode().splitlines(), got.decode().splitlines(), "golden", "now", lineterm="", n=1)
        return f"{name} differs:\n" + "\n".join(list(lines)[:40])
    except UnicodeDecodeError:
        return f"{name} differs (binary, {len(want)} vs {len(got)} bytes)"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_whole_output_matches_golden(case: Case, cache: str) -> None:
    produced = case.produce(cache)
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in sorted((GOLDEN / case.name).rglob("*")) if p.is_file()}
    assert expected, f"no golden files for {case.name}: run python scripts/update_golden.py"
    assert sorted(produced) == sorted(expected), "the run wrote other files than the golden set"
    problems = [_diff(name, expected[name], produced[name]) for name in sorted(expected) if expected[name] != produced[name]]
    assert not problems, "\n\n".join(problems)
