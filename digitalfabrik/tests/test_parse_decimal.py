from decimal import Decimal

import pytest
from django.utils import translation

from digitalfabrik.forms import AmountField, parse_decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234.567,89", Decimal("1234567.89")),
        ("1,234,567.89", Decimal("1234567.89")),
        ("1234,5", Decimal("1234.5")),
        ("1234.5", Decimal("1234.5")),
        ("1234567", Decimal("1234567")),
        ("1.234.567", Decimal("1234567")),
        ("1,234,567", Decimal("1234567")),
        ("10.000 €", Decimal("10000")),
        ("EUR 10.000,00", Decimal("10000.00")),
        ("1\u00a0234,56", Decimal("1234.56")),
        ("-12,5", Decimal("-12.5")),
        ("0", Decimal("0")),
    ],
)
def test_parse_decimal(text, expected):
    assert parse_decimal(text, language="de") == expected


def test_a_single_separator_before_three_digits_follows_the_language():
    assert parse_decimal("1.234", language="de") == Decimal("1234")
    assert parse_decimal("1,234", language="de") == Decimal("1.234")
    assert parse_decimal("1.234", language="en") == Decimal("1.234")
    assert parse_decimal("1,234", language="en") == Decimal("1234")


def test_the_active_language_is_the_default():
    with translation.override("de"):
        assert parse_decimal("2.500") == Decimal("2500")
    with translation.override("en"):
        assert parse_decimal("2,500") == Decimal("2500")


@pytest.mark.parametrize(
    "text", ["", "abc", "1,2,3.4.5x", "1.2.3,4,5", "--1", "€", ".", "1e5", "1.23.4", "12,34,56", "1.5.2026"]
)
def test_parse_decimal_rejects_garbage(text):
    with pytest.raises(ValueError):
        parse_decimal(text, language="de")


def test_amount_field_gives_a_translated_error():
    field = AmountField(max_digits=15, decimal_places=2)
    with translation.override("de"):
        assert field.clean("1.234.567,89") == Decimal("1234567.89")
        with pytest.raises(Exception) as error:
            field.clean("zwölf")
    assert error.value.code == "invalid"
