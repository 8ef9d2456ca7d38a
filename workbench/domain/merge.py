"""Keeping both: a text changed elsewhere while a form was editing it is never overwritten.

A form remembers the text it started from (the *base*). When it is saved, the change is
applied to the freshest copy of the case, whose text (*theirs*) may have been changed
meanwhile by another workbench or the command line. Three-way, as version control does:

- theirs is still the base: only we changed it, so ours stands;
- ours is still the base (we did not touch it): theirs stands, an untouched field never
  undoes someone else's change;
- both changed it, to the same text: that text;
- both changed it differently: the result holds both texts in full, and the caller says
  so on the timeline and to the person saving.

How both are kept:

- A text of several lines (a step's note, a completion note): theirs first, then a
  separator line, then ours. Theirs was saved first, so the note reads in the order
  it was written, like a conversation. (Should the two together pass the longest text
  a case may hold, the field keeps ours and the timeline theirs.)
- A one-line field (title, customer, contact, a remedy, a follow-up's "what"):
  ``ours (elsewhere: theirs)``. The line stays one line, the text just typed comes
  first (a list shows the start of a title), and the other is right beside it to be
  tidied by hand. Refusing instead would throw away what was typed, as the form is
  already closed when the save finds the clash. If the joined line would be longer
  than the field allows, the field keeps ours and the timeline keeps both in full
  (a field over its limit could no longer be edited without first shortening it).
- Tags, a set: each side's additions and removals both apply.

When one side cleared the text and the other wrote one, the written text is kept (it
holds everything there is to keep) and the clash is still reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.domain import limits

SEPARATOR = "\n\n--- written at the same time ---\n\n"
"""Between their text and ours in a text of several lines kept both ways."""

ELSEWHERE = "{ours} (elsewhere: {theirs})"
"""A one-line field kept both ways."""


@dataclass(frozen=True)
class Merged:
    """The text to keep, and whether both sides had changed it."""

    text: str
    theirs: str
    ours: str
    clash: bool = False
    """Both sides changed the text, differently: ``text`` keeps both (or, for a one-line
    field too long to join, ours; the timeline then holds theirs)."""

    def notice(self, what: str) -> str:
        """A sentence for the person saving: ``what`` names the field ("Step 2's note")."""
        if not self.theirs:
            return f"{what} was cleared elsewhere while you wrote; your text is kept."
        if not self.ours:
            return f"{what} was changed elsewhere while you cleared it; that text is kept."
        return f"{what} was changed elsewhere while you wrote; both texts are kept."

    def record(self, what: str, *, quote: bool = False) -> str:
        """The same for the timeline, read later by anyone; ``quote`` puts both texts in.

        Their text is put in whenever the field could not hold it beside ours.
        """
        if not self.theirs or not self.ours:
            text = f"{what} was cleared in one place and rewritten in another; the text is kept"
        else:
            text = f"{what} was changed in two places at once; both texts are kept"
        if quote:
            text += f": “{self.ours}” and “{self.theirs}”"
        elif self.theirs not in self.text:
            text += f"; the other one here: “{self.theirs}”"
        return text


def _settled(base: str, theirs: str, ours: str) -> str | None:
    """The text when there is no clash; None when both changed it differently."""
    if theirs in (base, ours):
        return ours
    if ours == base:
        return theirs
    return None


def merge_text(base: str, theirs: str, ours: str, limit: int = limits.MAX_TEXT) -> Merged:
    """A text of several lines, kept both ways when both changed it (see the module).

    Joined, the two could be longer than any text a case may hold (``limit``, which the
    reader enforces); then the field keeps ours and the timeline theirs.
    """
    settled = _settled(base, theirs, ours)
    if settled is not None:
        return Merged(settled, theirs, ours)
    if not theirs or not ours:
        return Merged(theirs or ours, theirs, ours, clash=True)
    joined = theirs + SEPARATOR + ours
    if len(joined) > limit:
        return Merged(ours, theirs, ours, clash=True)
    return Merged(joined, theirs, ours, clash=True)


def merge_line(base: str, theirs: str, ours: str, limit: int | None = None) -> Merged:
    """A one-line field, kept as ``ours (elsewhere: theirs)`` when both changed it.

    When that would be longer than ``limit``, the field keeps ours (see the module).
    """
    settled = _settled(base, theirs, ours)
    if settled is not None:
        return Merged(settled, theirs, ours)
    if not theirs or not ours:
        return Merged(theirs or ours, theirs, ours, clash=True)
    joined = ELSEWHERE.format(ours=ours, theirs=theirs)
    if limit is not None and len(joined) > limit:
        return Merged(ours, theirs, ours, clash=True)
    return Merged(joined, theirs, ours, clash=True)


def merge_tags(
    base: Sequence[str], theirs: Sequence[str], ours: Sequence[str]
) -> tuple[list[str], bool]:
    """Tags after both sides' changes: their list, less what we removed, plus what we added.

    The flag says whether both sides had changed the tags, differently.
    """
    if list(theirs) in (list(base), list(ours)):
        return list(ours), False
    if list(ours) == list(base):
        return list(theirs), False
    before, mine = set(base), set(ours)
    removed = before - mine
    merged = [tag for tag in theirs if tag not in removed]
    merged += [tag for tag in ours if tag not in before and tag not in merged]
    clash = set(theirs) != before and mine != before and set(theirs) != mine
    return merged, clash


@dataclass(frozen=True)
class Edit:
    """What a change typed into a form did, applied to the freshest copy of the case."""

    changed: tuple[str, ...] = ()
    """The fields it changed ("title", "note", "playbook")."""
    notices: tuple[str, ...] = ()
    """Sentences for the person saving: a text changed elsewhere while they wrote, whose
    two versions are both kept, and the like."""

    def __bool__(self) -> bool:
        """True when something changed."""
        return bool(self.changed)
