"""One presentation vocabulary: one money and one duration format, one colour and one label per thing."""

import pytest

from planner import figures
from planner.model import vocabulary
from planner.model.format import ms, usd, usd_tick
from planner.model.vocabulary import COMPONENT_LABELS, LATENCY_LABELS
from planner.report import style as pdf_style


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (0, "$0"),
        (0.004, "< $0.01"),
        (0.42, "$0.42"),
        (48, "$48.00"),
        (99.994, "$99.99"),
        (480, "$480"),
        (999.4, "$999"),
        (999.6, "$1.00K"),  # rounds into thousands rather than "$1000"
        (4_000, "$4.00K"),  # three significant figures from $1,000 on: never "$4,000" beside "$16K"
        (16_000, "$16.0K"),
        (21_734, "$21.7K"),
        (150_000, "$150K"),
        (999_600, "$1.00M"),  # not "$1000K"
        (1_200_000, "$1.20M"),
        (3.4e9, "$3.40B"),
        (-16_000, "-$16.0K"),
        (float("nan"), "—"),
        (None, "—"),
    ],
)
def test_one_money_format(amount, shown):
    assert usd(amount) == shown


@pytest.mark.parametrize(
    ("millis", "shown"),
    [
        (45, "45 ms"),
        (999.4, "999 ms"),
        (999.6, "1.00 s"),
        (1_500, "1.50 s"),  # never "1,500 ms" on one line and "1.50 s" on the next
        (12_345, "12.3 s"),
        (123_456, "123 s"),
        (float("inf"), "—"),
    ],
)
def test_one_duration_format(millis, shown):
    assert ms(millis) == shown


def test_a_component_has_one_colour_in_the_app_and_the_pdf():
    assert figures.COMPONENT_COLORS is vocabulary.COMPONENT_COLORS
    assert pdf_style.COMPONENT_COLORS is vocabulary.COMPONENT_COLORS
    assert set(COMPONENT_LABELS) <= set(vocabulary.COMPONENT_COLORS)
    assert set(LATENCY_LABELS) <= set(vocabulary.LATENCY_COLORS)
    assert figures.ALERT == vocabulary.ALERT and pdf_style.RED.hexval().lower() == "0x" + vocabulary.ALERT[1:].lower()


def test_slug():
    assert vocabulary.slug("Legal Q&A — with citations!") == "legal-q-a-with-citations"
    assert vocabulary.slug("—") == "scenario"
    assert len(vocabulary.slug("x" * 100)) == 60


@pytest.mark.parametrize(
    ("tick", "shown"),
    [(0.05, "$0.05"), (0.5, "$0.5"), (2, "$2"), (100, "$100"), (1_000, "$1K"), (20_000, "$20K"), (100_000, "$100K")]
    + [(2_500_000, "$2.5M"), (1e9, "$1B")],
)
def test_axis_ticks_are_the_money_format_without_trailing_zeros(tick, shown):
    assert usd_tick(tick) == shown
