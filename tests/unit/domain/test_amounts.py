"""Amounts as people type them: read exactly as meant, or refused with an example."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from workbench.domain import actions
from workbench.domain.actions import ValidationError
from workbench.domain.amounts import AMOUNT_MAX, AmountError, checked_amount, parse_amount

READ = [
    ("49,90", "49.90"),  # a decimal comma: two digits after it, at the end
    ("49.90", "49.90"),
    ("49.9", "49.90"),
    ("49", "49.00"),
    ("0", "0.00"),
    ("", "0"),
    ("  12.50  ", "12.50"),
    (".50", "0.50"),
    (",50", "0.50"),
    ("1,250", "1250.00"),  # thousands: groups of exactly three
    ("12,345", "12345.00"),
    ("1,250.50", "1250.50"),
    ("1.250,50", "1250.50"),  # European
    ("1.250.000", "1250000.00"),  # two points can't both be decimal points
    ("1,250,000.00", "1250000.00"),
    ("1 250,50", "1250.50"),
    ("1\u00a0250.50", "1250.50"),  # non-breaking space
    ("1\u2009250", "1250.00"),  # thin space
    ("1\u202f250,50", "1250.50"),  # narrow non-breaking space
    ("€40", "40.00"),
    ("40 €", "40.00"),
    ("$ 12.50", "12.50"),
    ("£1,250.50", "1250.50"),
    ("1.250,50 €", "1250.50"),
    ("¥1,000", "1000.00"),
    ("999,999,999,999.99", "999999999999.99"),
    ("1,000,000,000,000", "1000000000000.00"),
]


@pytest.mark.parametrize(("text", "value"), READ, ids=[r[0] or "empty" for r in READ])
def test_amounts_are_read_as_meant(text: str, value: str) -> None:
    read = parse_amount(text)
    assert read == Decimal(value)
    assert str(read) == value  # to the cent, not merely equal


REFUSED = [
    # could be read two ways
    ("1,5", "could be read as 1.50 or as 15.00"),
    ("1.250", "could be read as 1,250.00 or as 1.25"),
    ("1,2345", "can't be read with certainty"),
    ("12,34,56", "can't be read with certainty"),
    ("1.2.3", "can't be read with certainty"),
    ("1,250,5", "can't be read with certainty"),
    ("1,250,50", "can't be read with certainty"),
    ("1.250.000,5", "can't be read with certainty"),
    ("1234,567", "can't be read with certainty"),
    ("12 34", "can't be read with certainty"),
    ("1  250", "can't be read with certainty"),
    ("01,250", "3 digits after the comma"),
    ("1,250 000", "more than one way"),
    ("1,250.500", "3 digits after the point"),
    ("0.250", "3 digits after the point"),
    ("0,250", "3 digits after the comma"),
    ("25.", "can't be read with certainty"),
    (".", "can't be read with certainty"),
    # not numbers people write as amounts
    ("1e999999999", "not 1E3"),
    ("1E3", "not 1E3"),
    ("NaN", "is not an amount"),
    ("sNaN", "is not an amount"),
    ("Infinity", "is not an amount"),
    ("inf", "is not an amount"),
    ("abc", "is not an amount"),
    ("12..5", "can't be read with certainty"),
    ("+5", "is not an amount"),
    ("0x10", "is not an amount"),
    ("1_000", "is not an amount"),
    ("1\t250", "is not an amount"),
    ("€40€", "is not an amount"),
    # digits of other scripts
    ("١٢", "only the digits 0-9"),  # Arabic-Indic
    ("१२", "only the digits 0-9"),  # Devanagari
    ("１２", "only the digits 0-9"),  # full width
    ("𝟏𝟐", "only the digits 0-9"),  # mathematical bold
    # signs and sizes
    ("-5", "less than zero"),
    ("−5", "less than zero"),  # the minus sign
    ("€-5", "less than zero"),
    ("-€5", "less than zero"),
    ("1,000,000,000,000.01", "too large"),
    ("1,000,000,000,001", "too large"),
    ("9" * 30, "too large"),
    ("1" * 41, "too long"),
]


@pytest.mark.parametrize(("text", "fragment"), REFUSED, ids=[r[0] for r in REFUSED])
def test_anything_uncertain_is_refused_with_an_example(text: str, fragment: str) -> None:
    with pytest.raises(AmountError) as caught:
        parse_amount(text)
    message = str(caught.value)
    assert fragment in message
    assert any(
        example in message for example in ("49.90", "1.50", "1250", "1000", "zero", "the most is")
    ), message


def test_the_cost_field_gets_the_same_rule_and_names_itself() -> None:
    assert actions.parse_cost("49,90") == Decimal("49.90")
    with pytest.raises(ValidationError) as caught:
        actions.parse_cost("1,5")
    assert set(caught.value.errors) == {"cost"}
    assert "1.50" in caught.value.errors["cost"]


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity", "-0.01", "1e13"])
def test_an_amount_given_as_a_number_is_checked_too(value: str) -> None:
    with pytest.raises(AmountError):
        checked_amount(Decimal(value))


def test_an_amount_given_as_a_number_is_kept_to_the_cent() -> None:
    assert str(checked_amount(Decimal(30))) == "30.00"
    assert str(checked_amount(Decimal("49.9"))) == "49.90"


# -- properties ---------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=AMOUNT_MAX, places=2, allow_nan=False)


def _european(text: str) -> str:
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


STYLES: dict[str, Callable[[Decimal], str]] = {
    "plain": lambda d: f"{d:.2f}",
    "thousands commas": lambda d: f"{d:,.2f}",
    "decimal comma": lambda d: f"{d:.2f}".replace(".", ","),
    "European": lambda d: _european(f"{d:,.2f}"),
    "spaced, point": lambda d: f"{d:,.2f}".replace(",", " "),
    "spaced, comma": lambda d: f"{d:,.2f}".replace(",", "\u00a0").replace(".", ","),
    "thin spaces": lambda d: f"{d:,.2f}".replace(",", "\u2009"),
    "sign before": lambda d: f"€{d:,.2f}",
    "sign after": lambda d: _european(f"{d:,.2f}") + " €",
}


@given(amount=amounts, style=st.sampled_from(sorted(STYLES)))
@example(amount=Decimal("1250.50"), style="European")
@example(amount=Decimal("49.90"), style="decimal comma")
@example(amount=Decimal("0.00"), style="thousands commas")
@example(amount=AMOUNT_MAX, style="spaced, comma")
def test_every_accepted_style_reads_back_exactly(amount: Decimal, style: str) -> None:
    text = STYLES[style](amount)
    read = parse_amount(text)
    assert read == amount, text
    assert read.as_tuple().exponent == -2


AMOUNT_LIKE = st.text(
    alphabet=st.sampled_from(list("0123456789.,  \u00a0\u2009€$-eE+١N")), max_size=24
)


@given(text=st.one_of(AMOUNT_LIKE, st.text(max_size=24)))
@example(text="1e999999999")
@example(text="9" * 40)
def test_whatever_is_accepted_is_a_finite_amount_in_bounds(text: str) -> None:
    try:
        value = parse_amount(text)
    except AmountError as error:
        assert str(error).strip()  # refused: a sentence for a person
        return
    assert value.is_finite()
    assert Decimal(0) <= value <= AMOUNT_MAX
    assert value == 0 or value.as_tuple().exponent == -2
    assert checked_amount(value) == value  # what the domain accepts as a number too
