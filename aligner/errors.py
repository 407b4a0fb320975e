"""The one error type the CLI turns into a clean message and exit code 2."""

from __future__ import annotations


class InputError(Exception):
    """A file that cannot be used as a plan; the message names the file and the problem."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
