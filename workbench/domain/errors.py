"""What the domain says no with: errors by kind, caught by name.

Every refusal of a domain rule is a :class:`DomainError` whose text is a sentence for a
person. Anything else raised while a change is applied is a bug, and is reported as one,
never as bad input or as a change made elsewhere.
"""

from __future__ import annotations


class DomainError(ValueError):
    """A change the rules don't allow. Its text is a sentence for a person."""


class FollowUpNotFound(DomainError, KeyError):
    """The case has no follow-up of that number."""

    def __str__(self) -> str:  # KeyError would quote its message
        return str(self.args[0]) if self.args else ""
