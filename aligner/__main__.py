"""`python -m aligner …` is the same as `align …`."""

from aligner.cli import main

main()
