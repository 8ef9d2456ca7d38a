"""Playbooks: named lists of steps that tell an agent what to do with a case, and how.

Five playbooks ship with Workbench, one per situation (``blame``, ``wrong``,
``saying-no``, ``our-mistake``, ``unhappy``); they live as TOML files in
``workbench/domain/playbook_data``. Users add their own by dropping ``*.toml`` files
in the same format into their playbook folder; those appear beside the built-ins.

This module holds what a playbook is and how one is chosen for a case;
:mod:`workbench.domain.playbook_rules` checks a playbook's data against the rules
below, and :mod:`workbench.storage.playbook_files` reads the files (the domain reads
none).

File format
-----------
One playbook per file, UTF-8 TOML::

    key = "refund-refused"                     # optional: defaults to the file name
    name = "Refund refused"                    # required, one line
    situation = "They want a refund we can't give."   # optional, one line: when it applies
    faults = ["theirs"]                        # optional: ours, theirs, shared, unclear
    heats = ["upset", "furious"]               # optional: calm, upset, furious

    [[steps]]
    key = "listen"                             # optional: made from the title
    title = "Hear them out"                    # required, one line
    guidance = "Let them finish before you answer."   # required
    contact = true                             # optional: ticking it records first contact

    [[steps]]
    title = "Check back next week"
    guidance = "Call to make sure the answer still sits well with them."
    follow_up = true                           # optional: ticking it offers a follow-up
    say = ["Hello {customer}, it's {agent}: is everything as it should be now?"]

A step's ``say`` is what to say: one to three short lines (a text, or a list of them)
filled from the case when shown. The placeholders are ``{customer}``, ``{title}``,
``{remedy}``, ``{cost}``, ``{followup}`` and ``{agent}``; ``{{`` writes a brace (see
:mod:`workbench.domain.wording`). A playbook's ``alternatives`` are what we can offer
when we can't give what was asked for, one line each; the remedy form offers them::

    alternatives = ["A replacement sent today", "Store credit for the full price"]

Wording for another playbook
----------------------------
A file with ``wording_for`` instead of a name adds or replaces the wording of a playbook
that exists already (a built-in, or another file's), without copying its steps::

    wording_for = "our-mistake"
    alternatives = ["Free delivery on the next order"]   # optional: replaces the list

    [[steps]]
    key = "apologise"                          # required: a step of that playbook
    say = ["{customer}, I'm sorry. We got this wrong, and it's on us."]

Rules:

- ``key`` (playbook and step) is lowercase letters, digits and hyphens
  (``refund-refused``). A missing playbook key is made from the file name, a
  missing step key from the step's title (``"Call them today — don't e-mail"``
  → ``call-them-today-dont-e-mail``). Step keys must differ within a playbook,
  and a playbook key must not clash with a built-in or with another file.
- ``faults`` and ``heats`` say when the playbook applies. Leave one out and it
  applies whatever that value is; a single value may be written without brackets.
- Unknown fields are reported rather than ignored, so a typo such as
  ``guidence`` is caught instead of silently losing the text.
- Text is kept exactly as written (trimmed of surrounding blanks); it is never
  formatted or evaluated. Wording's placeholders are names, filled with the case's text.
- A placeholder other than those above, or a lone brace, is a mistake.

A file that breaks a rule is skipped when the library is loaded, and reported as a
:class:`PlaybookError` naming the file and, where it can, the line.

Which playbook fits a case
--------------------------
:func:`suggest_playbook` ranks playbooks for a case's heat and fault by, in order:
fault listed (counts more than heat), heat listed, then the narrower playbook (fewer
faults and heats listed, so a user playbook written for exactly this situation wins
over a broader built-in), then a fixed order: built-ins as listed above, then user
playbooks by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from workbench.domain.errors import DomainError
from workbench.domain.model import Fault, Heat, Step

BUILTIN_KEYS: tuple[str, ...] = ("blame", "wrong", "saying-no", "our-mistake", "unhappy")
"""The built-in playbooks, in the order they are listed and break ties."""


@dataclass(frozen=True)
class PlaybookStep:
    """One step of a playbook, as written in its file."""

    key: str
    """Stable identifier within the playbook (``listen``, ``call-now``)."""
    title: str
    """Short imperative line shown in the checklist."""
    guidance: str
    """What to do and how, in a sentence or three."""
    contact: bool = False
    """Ticking this step means we have spoken with the customer (sets first contact)."""
    follow_up: bool = False
    """Ticking this step is the moment to schedule a follow-up."""
    say: tuple[str, ...] = ()
    """Suggested wording, one to three lines with placeholders; empty where words don't
    matter (see :mod:`workbench.domain.wording`)."""


@dataclass(frozen=True)
class WordingFor:
    """A file's wording for a playbook that exists elsewhere: step key → lines."""

    playbook: str
    """The key of the playbook it is for."""
    steps: tuple[tuple[str, tuple[str, ...]], ...]
    """Each step's key and its new wording, in file order."""
    alternatives: tuple[str, ...] | None
    """A new list of alternatives; None leaves the playbook's as they are."""
    path: Path
    line_of: LineOf


@dataclass(frozen=True)
class Playbook:
    """A named list of steps, and the situations it applies to."""

    key: str
    """Stable identifier, stored on every case worked with this playbook."""
    name: str
    situation: str
    """One line: when this playbook applies."""
    faults: frozenset[Fault]
    """Assessed faults this playbook is written for."""
    heats: frozenset[Heat]
    """How upset the customer is when this playbook fits."""
    steps: tuple[PlaybookStep, ...]
    builtin: bool = True
    path: Path | None = None
    """The user file it came from; None for built-ins."""
    alternatives: tuple[str, ...] = ()
    """What we can offer instead of what was asked for; the remedy form's choices."""

    def step(self, key: str) -> PlaybookStep | None:
        """The step with ``key``, or None."""
        for step in self.steps:
            if step.key == key:
                return step
        return None

    def new_steps(self) -> list[Step]:
        """Fresh, unticked case steps for a new case worked with this playbook."""
        return [
            Step(
                key=step.key,
                title=step.title,
                guidance=step.guidance,
                contact=step.contact,
                follow_up=step.follow_up,
            )
            for step in self.steps
        ]


class PlaybookError(ValueError):
    """A playbook file that can't be used, and why, in words a user can act on."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        super().__init__(path, line, message)
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path.name}: {self.message}"
        return f"{self.path.name}, line {self.line}: {self.message}"


class UnknownPlaybookError(DomainError, KeyError):
    """Raised by :meth:`PlaybookLibrary.get`; reads as a sentence, not a quoted key."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class LineOf(Protocol):
    """Where a key of a playbook's file is written, for error messages.

    The key is named by its path in the data: ``("name",)``, ``("steps", 0)`` for the
    first ``[[steps]]`` header, ``("steps", 0, "title")``. None when it can't be told
    (data that came from no file, or steps written inline)."""

    def __call__(self, *path: str | int) -> int | None: ...


def no_lines(*path: str | int) -> int | None:
    """For data that came from no file: no key has a line."""
    return None


# --- Choosing one ---------------------------------------------------------------------


def _order(playbook: Playbook) -> tuple[int, int, str, str]:
    if playbook.builtin and playbook.key in BUILTIN_KEYS:
        return (0, BUILTIN_KEYS.index(playbook.key), "", playbook.key)
    return (0 if playbook.builtin else 1, len(BUILTIN_KEYS), playbook.name.casefold(), playbook.key)


def suggest_playbook(heat: Heat, fault: Fault, playbooks: Iterable[Playbook]) -> Playbook:
    """The playbook that fits a case best (see the module docstring for the ranking).

    Always returns one of ``playbooks``, whatever their order; raises ValueError only
    when there are none."""

    def rank(playbook: Playbook) -> tuple[bool, bool, int, tuple[int, int, str, str]]:
        return (
            fault not in playbook.faults,
            heat not in playbook.heats,
            len(playbook.faults) + len(playbook.heats),
            _order(playbook),
        )

    candidates = list(playbooks)
    if not candidates:
        raise ValueError("there are no playbooks to suggest from")
    return min(candidates, key=rank)


@dataclass
class PlaybookLibrary:
    """Every playbook a workbench can use, and the user files that had to be skipped."""

    playbooks: list[Playbook]
    """Built-ins first, in their fixed order, then user playbooks sorted by name."""
    problems: list[PlaybookError] = field(default_factory=list)
    """User files that were skipped, each saying why."""

    @classmethod
    def gather(
        cls,
        builtins: Sequence[Playbook],
        found: Iterable[tuple[Playbook, LineOf] | WordingFor | PlaybookError],
    ) -> PlaybookLibrary:
        """The built-ins and the user's playbooks, ``found`` file by file (a playbook with
        where its keys are, wording for another playbook, or why the file can't be used).

        A playbook whose key a built-in or an earlier file already has is left out and
        reported in ``problems`` beside the files that could not be used, in file order.
        Wording files are applied last, in file order (a later file's wording for the same
        step wins); one naming a playbook or step there isn't is reported and skipped."""
        owners = {playbook.key: f"the built-in playbook {playbook.name!r}" for playbook in builtins}
        users: list[Playbook] = []
        problems: list[PlaybookError] = []
        wordings: list[WordingFor] = []
        for item in found:
            if isinstance(item, PlaybookError):
                problems.append(item)
                continue
            if isinstance(item, WordingFor):
                wordings.append(item)
                continue
            playbook, line_of = item
            path = _file_of(playbook)
            if playbook.key in owners:
                problems.append(
                    PlaybookError(
                        path,
                        line_of("key"),
                        f"the key {playbook.key!r} is already used by "
                        f"{owners[playbook.key]}; give this playbook its own key",
                    )
                )
                continue
            owners[playbook.key] = path.name
            users.append(playbook)
        users.sort(key=_order)
        playbooks = [*builtins, *users]
        for wording in wordings:
            _apply_wording(playbooks, wording, problems)
        return cls(playbooks=playbooks, problems=problems)

    def get(self, key: str) -> Playbook:
        for playbook in self.playbooks:
            if playbook.key == key:
                return playbook
        known = ", ".join(playbook.key for playbook in self.playbooks)
        raise UnknownPlaybookError(f"there is no playbook {key!r}; known playbooks: {known}")

    def suggest(self, heat: Heat, fault: Fault) -> Playbook:
        return suggest_playbook(heat, fault, self.playbooks)

    def __contains__(self, key: object) -> bool:
        return any(playbook.key == key for playbook in self.playbooks)

    def __iter__(self) -> Iterator[Playbook]:
        return iter(self.playbooks)

    def __len__(self) -> int:
        return len(self.playbooks)


def _apply_wording(
    playbooks: list[Playbook], wording: WordingFor, problems: list[PlaybookError]
) -> None:
    """``wording`` put into the playbook it is for, in ``playbooks``; a mistake reported."""
    at = next((i for i, p in enumerate(playbooks) if p.key == wording.playbook), None)
    if at is None:
        known = ", ".join(playbook.key for playbook in playbooks)
        problems.append(
            PlaybookError(
                wording.path,
                wording.line_of("wording_for"),
                f"there is no playbook {wording.playbook!r} to add wording to; "
                f"the playbooks are {known}",
            )
        )
        return
    playbook = playbooks[at]
    says = dict(wording.steps)
    for index, (key, _lines) in enumerate(wording.steps):
        if playbook.step(key) is None:
            keys = ", ".join(step.key for step in playbook.steps)
            problems.append(
                PlaybookError(
                    wording.path,
                    wording.line_of("steps", index, "key"),
                    f"the playbook {playbook.key!r} has no step {key!r}; its steps are {keys}",
                )
            )
            return
    steps = tuple(
        replace(step, say=says[step.key]) if step.key in says else step for step in playbook.steps
    )
    alternatives = playbook.alternatives if wording.alternatives is None else wording.alternatives
    playbooks[at] = replace(playbook, steps=steps, alternatives=alternatives)


def _file_of(playbook: Playbook) -> Path:
    """The file a user playbook came from (a built-in, which has none, by its key)."""
    return playbook.path if playbook.path is not None else Path(f"{playbook.key}.toml")
