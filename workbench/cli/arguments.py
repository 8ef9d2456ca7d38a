"""Argument types shared by the subcommands: enum values by name or label, and numbers
written with the digits 0-9 only."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from workbench.domain.errors import DomainError
from workbench.domain.model import Case, format_case_id, member_named, parse_case_id

E = TypeVar("E", bound=StrEnum)


def enum_arg(enum: type[E]) -> Callable[[str], E]:
    """An argparse type taking a value or its label: ``in_progress`` or ``in progress``."""

    def convert(text: str) -> E:
        member = member_named(enum, text)
        if member is None:
            allowed = ", ".join(member.value for member in enum)
            raise argparse.ArgumentTypeError(f"“{text}” is not one of: {allowed}")
        return member

    convert.__name__ = enum.__name__.lower()
    return convert


def ascii_number(text: str) -> int | None:
    """``"12"`` → 12: digits 0-9 only (``int`` would also take "١٢" or "１２"), else None."""
    cleaned = text.strip()
    digits = cleaned.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()):
        return None
    return int(cleaned)


def followup_number(text: str) -> int:
    """An argparse type: a follow-up's number, ``F2`` or ``2``."""
    number = ascii_number(text.strip().upper().removeprefix("F"))
    if number is None or number < 1:
        raise argparse.ArgumentTypeError(f"“{text}” is not a follow-up number like F2 or 2")
    return number


def whole_number(text: str) -> int:
    """An argparse type: a whole number written with the digits 0-9."""
    number = ascii_number(text)
    if number is None:
        raise argparse.ArgumentTypeError(f"“{text}” is not a whole number like 20")
    return number


def count(text: str) -> int:
    """An argparse type: how many, 1 or more."""
    number = ascii_number(text)
    if number is None or number < 1:
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a number of 1 or more; say how many, like 20"
        )
    return number


def step_index(case: Case, which: str) -> int:
    """The index of the step ``which`` names: its number (1, 2, …) or its key."""
    number = ascii_number(which)
    if number is not None:
        return number - 1
    for index, step in enumerate(case.steps):
        if step.key == which:
            return index
    keys = ", ".join(step.key for step in case.steps)
    raise DomainError(
        f"{case.id} has no step “{which}”; use a number 1-{len(case.steps)} or: {keys}"
    )


def case_id_of(text: str) -> str:
    """A case id as typed (``c-42``, ``42``) in its one written form, ``C-0042``."""
    return format_case_id(parse_case_id(text))
