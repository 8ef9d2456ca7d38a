"""The refusals of the case rules that carry more than a sentence: which fields are
wrong, which steps are still open, a case that is closed."""

from __future__ import annotations

from collections.abc import Sequence

from workbench.domain.errors import DomainError
from workbench.domain.model import Case, Step


class ValidationError(DomainError):
    """One or more fields hold something we can't accept; ``errors`` maps field → reason."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in errors.items()))


def _in_words(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


class OpenStepsError(DomainError):
    """Closing was asked for while steps are still open; the caller must confirm.

    Its text suits the screen (where a box confirms it); the command line says the same
    with its own way out (``--force``), from :meth:`open_steps`.
    """

    def __init__(self, case: Case, steps: Sequence[Step]) -> None:
        self.case_id = case.id
        self.steps = list(steps)
        wanted = {id(step) for step in self.steps}
        self.numbers = [
            number for number, step in enumerate(case.steps, start=1) if id(step) in wanted
        ]
        """Each open step's number in the case (what ``workbench step`` takes)."""
        super().__init__(
            f"{case.id} still has {self.open_steps()}: tick {self.them} first, "
            "or confirm that it closes with steps open."
        )

    @property
    def them(self) -> str:
        """``it`` for one open step, ``them`` for more."""
        return "it" if len(self.steps) == 1 else "them"

    def open_steps(self) -> str:
        """``2 open steps, 5 “Own our part” and 6 “Check back”``."""
        count = len(self.steps)
        named = [f"{n} “{step.title}”" for n, step in zip(self.numbers, self.steps, strict=True)]
        return f"{count} open step{'' if count == 1 else 's'}, {_in_words(named)}"


class CaseClosedError(DomainError):
    def __init__(self, case: Case) -> None:
        super().__init__(f"{case.id} is closed; set its status back to in progress to change it.")
