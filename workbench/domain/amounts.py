"""Reading an amount of money as people type it: one rule for the screen and the command line.

Accepted, each to exactly the amount meant:

* plain: ``49``, ``49.9``, ``49.90``;
* a decimal comma, followed by exactly two digits: ``49,90``;
* thousands in groups of exactly three, marked by commas, points or spaces (plain,
  non-breaking or thin): ``1,250``, ``1,250.50``, ``1.250,50``, ``1 250,50``,
  ``1.250.000``;
* a currency sign before or after, with or without a space: ``€40``, ``40 €``, ``$ 12.50``.

Anything that could be read two ways is refused rather than guessed: ``1,5`` (1.50 or
15?), ``1.250`` (1250 or 1.25?), ``1,2345``, ``12,34,56``, ``1.2.3``, ``1,250,5``. So are
exponents (``1E3``), ``NaN`` and ``Infinity``, signs, and digits other than 0-9. What is
accepted is a finite amount from 0 to :data:`AMOUNT_MAX` with two decimal places.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from workbench.domain import limits

AMOUNT_MAX = limits.MAX_COST
"""The largest amount accepted, a trillion in any currency: anything above is a slip of the
keyboard, not a remedy. The bound the database reader holds costs to, so whatever is
typed can be read back."""

LONGEST = 40
"""Characters, after trimming: room for the largest amount written in full, with a sign."""

CENT = Decimal("0.01")

GROUP_SPACES = " \u00a0\u2009\u202f"
"""Spaces that may mark thousands: plain, non-breaking, thin and narrow non-breaking."""

_BODY = re.compile(rf"[0-9.,{GROUP_SPACES}]+")
_PIECES = re.compile(rf"([.,]|[{GROUP_SPACES}])")
_MINUS = "-\u2212\u2012\u2013"
_HOW = (
    "Write it with the digits 0-9, like 25, 49.90 or 49,90, "
    "with thousands in groups of three: 1,250.50, 1.250,50 or 1 250.50."
)


class AmountError(Exception):
    """The text is not an amount we can read with certainty. Its text says why and how."""


def parse_amount(text: str) -> Decimal:
    """The amount ``text`` says, with two decimal places; empty text is 0.

    Raises :class:`AmountError` with a sentence for a person when the text is not an
    amount, could be read more than one way, is negative or is too large.
    """
    shown = text.strip()
    if not shown:
        return Decimal(0)
    if len(shown) > LONGEST:
        raise AmountError(f"That is too long to be an amount. {_HOW}")
    body = _without_currency(shown)
    if body[:1] in _MINUS:
        raise AmountError(f"“{shown}” is less than zero; an amount must be zero or more.")
    if not _BODY.fullmatch(body):
        raise AmountError(_not_an_amount(shown, body))
    whole, cents = _split(shown, body)
    value = Decimal(f"{whole or '0'}.{cents or '0'}")
    if value > AMOUNT_MAX:
        raise AmountError(f"“{shown}” is too large to be right; the most is {AMOUNT_MAX:,}.")
    return value.quantize(CENT)


def checked_amount(value: Decimal) -> Decimal:
    """``value`` to the cent, if it is an amount :func:`parse_amount` could have given.

    For amounts that arrive as numbers (a script, the demo): NaN, infinities, negative
    and too large amounts raise :class:`AmountError`.
    """
    if not value.is_finite():
        raise AmountError(f"{value} is not an amount.")
    if value < 0:
        raise AmountError(f"{value} is less than zero; an amount must be zero or more.")
    if value > AMOUNT_MAX:
        raise AmountError(f"{value} is too large to be right; the most is {AMOUNT_MAX:,}.")
    return value.quantize(CENT)


def _without_currency(text: str) -> str:
    """``text`` without one currency sign before or after it (and the space beside it)."""
    if text and unicodedata.category(text[0]) == "Sc":
        return text[1:].strip()
    if text and unicodedata.category(text[-1]) == "Sc":
        return text[:-1].strip()
    if text[:1] in _MINUS and unicodedata.category(text[1:2] or " ") == "Sc":
        return text[0] + text[2:].strip()  # -€5: still a minus, still refused as one
    return text


def _not_an_amount(shown: str, body: str) -> str:
    if any(ch in "eE" for ch in body) and any(ch.isdigit() for ch in body):
        return f"“{shown}” is not an amount: write the number out in full, like 1000, not 1E3."
    if any(ch.isdigit() and not ch.isascii() for ch in body):
        return f"“{shown}” is not an amount: only the digits 0-9 are read. {_HOW}"
    return f"“{shown}” is not an amount. {_HOW}"


def _split(shown: str, body: str) -> tuple[str, str]:
    """The whole part's digits and the cents' digits of a body of digits and separators."""
    pieces = _PIECES.split(body)
    parts, marks = pieces[0::2], [" " if m in GROUP_SPACES else m for m in pieces[1::2]]
    if not marks:
        return parts[0], ""
    last, tail = marks[-1], parts[-1]
    decimal: str | None = None
    if last in ".," and last not in marks[:-1]:
        earlier = set(marks[:-1])
        zero = not parts[0] or parts[0].startswith("0")
        if len(tail) == 3 and not earlier and not zero:
            if last == ".":  # 1.250: a thousand and a quarter, or one and a quarter?
                raise _two_ways(shown, f"{parts[0]}{tail}", f"{parts[0]}.{tail}")
        elif (last == "," and len(tail) == 2) or (last == "." and len(tail) in (1, 2)):
            decimal = last
        elif last == "," and len(tail) == 1 and not earlier:  # 1,5: one and a half, or 15?
            raise _two_ways(shown, f"{parts[0]}.{tail}", f"{parts[0]}{tail}")
        elif len(tail) > 2 and (earlier or zero):  # 1,250.500 or 0.250
            raise AmountError(
                f"“{shown}” has {len(tail)} digits after the {_name(last)}; "
                f"an amount has at most two. {_HOW}"
            )
        else:
            raise AmountError(f"“{shown}” can't be read with certainty. {_HOW}")
    groups = parts[:-1] if decimal else parts
    cents = tail if decimal else ""
    group_marks = set(marks[:-1] if decimal else marks)
    if len(group_marks) > 1:
        raise AmountError(f"“{shown}” marks thousands in more than one way. {_HOW}")
    if decimal and not group_marks:
        return groups[0], cents  # 49,90 / 49.90 / .50
    first, rest = groups[0], groups[1:]
    if not 1 <= len(first) <= 3 or first.startswith("0") or any(len(g) != 3 for g in rest):
        raise AmountError(f"“{shown}” can't be read with certainty. {_HOW}")
    return "".join(groups), cents


def _two_ways(shown: str, one: str, other: str) -> AmountError:
    return AmountError(
        f"“{shown}” could be read as {Decimal(one):,.2f} or as {Decimal(other):,.2f}. "
        f"Write {Decimal(one):.2f} or {Decimal(other):.2f}, whichever you mean."
    )


def _name(mark: str) -> str:
    return "point" if mark == "." else "comma"
