"""Rewrite tests/golden/ from the current code. Run only when a report change is meant, then
review `git diff tests/golden` line by line before committing it."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from golden_cases import GOLDEN, produce_all  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as cache:
        files = produce_all(cache, lambda name: print(f"running {name}", file=sys.stderr))
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for name, data in sorted(files.items()):
        path = GOLDEN / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"wrote {len(files)} files under {GOLDEN}", file=sys.stderr)


if __name__ == "__main__":
    main()
