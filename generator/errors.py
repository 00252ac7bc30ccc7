"""Problems found while reading input, and the exception that carries them to the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.inputs import resolve


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as path:line."""

    path: str
    line: int
    message: str
    is_warning: bool = False

    def __str__(self) -> str:
        prefix = "warning: " if self.is_warning else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}"


class BuildError(Exception):
    """Raised with every problem found, so they can all be reported together."""

    exit_code = 1

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def relative_path(path: Path, root: Path) -> str:
    """Return path relative to root with forward slashes, for messages."""
    try:
        return resolve(path).relative_to(resolve(root)).as_posix()
    except ValueError:
        return path.as_posix()


def raise_if_errors(problems: list[Problem]) -> None:
    """Raise BuildError when any problem is an error (warnings alone pass)."""
    if any(not p.is_warning for p in problems):
        raise BuildError(sorted(problems))
