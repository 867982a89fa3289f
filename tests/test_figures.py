"""Figure rules, one made-up sentence each: value, unit, currency, qualifier, kind, direction, subject."""

from __future__ import annotations

import pytest

from corpus.ingest import Article
from corpus.locale import article_dollar
from corpus.numbers import parse_amount


@pytest.mark.parametrize("text,value,unit,currency,qualifier", [
    ("10,000", 10000.0, None, None, None),
    ("some 30", 30.0, None, None, "some"),
    ("two dozen", 24.0, None, None, None),
    ("half a million", 500_000.0, None, None, None),
    ("a couple", 2.0, None, None, None),
    ("US$15", 15.0, None, "USD", None),
    ("S$508 million", 508_000_000.0, None, "SGD", None),
    ("£2,500", 2500.0, None, "GBP", None),
    ("€120,000", 120_000.0, None, "EUR", None),
    ("120,000 euros", 120_000.0, None, "EUR", None),
    ("$12.5m", 12_500_000.0, None, None, None),
    ("50 cents", 0.5, None, None, None),
    ("60-70%", 60.0, "%", None, None),
    ("more than 50 per cent", 50.0, "%", None, "more than"),
    ("thousands", 1000.0, None, None, "thousands"),
    ("a combined $20 million", 20_000_000.0, None, None, None),
    ("as little as US$2", 2.0, None, "USD", "as little as"),
    ("two-thirds", 0.667, None, None, None),
])
def test_parse_amount(text: str, value: float, unit: str | None, currency: str | None,
                      qualifier: str | None) -> None:
    a = parse_amount(text)
    assert a is not None
    assert (a.value, a.unit, a.currency, a.qualifier) == (value, unit, currency, qualifier)


def test_a_bare_dollar_is_money_whose_currency_is_left_to_the_locale() -> None:
    a = parse_amount("$436 million")
    assert a is not None and a.money and a.dollar and a.currency is None


def test_multipliers_and_folds() -> None:
    assert [parse_amount(w).value for w in ("doubled", "twice", "fivefold")] == [2.0, 2.0, 5.0]  # type: ignore[union-attr]


def _article(dateline: str | None, outlet: str | None = None, body: str = "Prices rose.") -> Article:
    return Article(id="x", path="", sha256="", title="t", dateline=dateline, outlet=outlet, paragraphs=[body])


@pytest.mark.parametrize("dateline,outlet,body,dollar", [
    ("Singapore", None, "Prices rose.", "SGD"),
    ("Sydney", None, "Prices rose.", "AUD"),
    ("Sydney", None, "Homes sold for A$5 million.", None),  # the article writes its own dollar as A$
    # ... and converts for its readers into S$: a bare "$" is the readers' dollar
    ("Sydney", None, "Homes sold for A$5 million (S$4.6 million). A flat went for $2 million.", "SGD"),
    (None, None, "It cost A$5 million (about S$4.6 million).", "SGD"),
    # conversions into two different dollars say nothing
    ("Sydney", None, "It cost A$5 million (S$4.6 million) and A$2 million (US$1.3 million).", None),
    ("Sydney", None, "It cost A$5 million ($3.3 million).", None),  # a bare "$" conversion: still unknown
    ("Rome", None, "Prices rose.", "USD"),  # no dollar of its own: a "$" is the US dollar
    (None, "The Straits Times", "Prices rose.", "SGD"),
    (None, None, "Prices rose.", None),  # unknown stays unknown
    (None, None, "Harbourton (CNN Business) - Prices rose.", "USD"),
])
def test_dollar_follows_dateline_and_outlet(dateline: str | None, outlet: str | None, body: str,
                                            dollar: str | None) -> None:
    assert article_dollar(_article(dateline, outlet, body)) == dollar


def figs(extract, text: str):  # type: ignore[no-untyped-def]
    return extract(text).figures


def test_money_with_dateline_currency(extract) -> None:  # type: ignore[no-untyped-def]
    [f] = figs(extract, "SINGAPORE (Reuters) - The ministry set aside $40 million in relief funding.")
    assert (f.value, f.kind, f.currency, f.subject) == (40_000_000.0, "money", "SGD", "relief funding")


def test_the_article_a_before_a_dollar_is_no_australian_dollar(extract) -> None:  # type: ignore[no-untyped-def]
    [f] = figs(extract, "LONDON (Reuters) - A $3 million grant paid for the new harbour.")
    assert (f.value, f.currency) == (3_000_000.0, "USD")


def test_unknown_locale_leaves_dollar_unknown(extract) -> None:  # type: ignore[no-untyped-def]
    [f] = figs(extract, "The ministry set aside $40 million in relief funding.")
    assert f.kind == "money" and f.currency is None


def test_bracketed_conversion_is_one_fact(extract) -> None:  # type: ignore[no-untyped-def]
    [f] = figs(extract, "LONDON (Reuters) - Velmora paid £280 million (S$508 million) for the port terminal.")
    assert (f.value, f.currency, f.alt_value, f.alt_unit) == (280_000_000.0, "GBP", 508_000_000.0, "SGD")


def test_measurement_conversion(extract) -> None:  # type: ignore[no-untyped-def]
    [f] = figs(extract, "The divers searched a flooded cellar 3m (9.8ft) below the street.")
    assert (f.value, f.kind, f.alt_value) == (3.0, "measurement", 9.8)


def test_percentage_change_has_direction_and_subject(extract) -> None:  # type: ignore[no-untyped-def]
    [f] = figs(extract, "Quarterly profits plunged 73% at the Dornvale brewery.")
    assert (f.value, f.unit, f.kind, f.direction, f.head) == (73.0, "%", "change", "down", "profit")


def test_growth_by_per_cent(extract) -> None:  # type: ignore[no-untyped-def]
    [f] = figs(extract, "The regional economy will grow by 4.3 per cent next year, the bank said.")
    assert (f.value, f.kind, f.direction, f.head) == (4.3, "change", "up", "economy")


def test_doubled_is_a_change(extract) -> None:  # type: ignore[no-untyped-def]
    [f] = figs(extract, "The wildfire doubled in size overnight.")
    assert (f.value, f.kind, f.direction, f.head) == (2.0, "change", "up", "wildfire")


def test_four_in_ten_is_a_percentage(extract) -> None:  # type: ignore[no-untyped-def]
    [f] = figs(extract, "Pollsters found 4 in 10 voters backed the tram plan.")
    assert (f.value, f.unit, f.head) == (40.0, "%", "voter")


def test_range_is_two_figures(extract) -> None:  # type: ignore[no-untyped-def]
    got = figs(extract, "SYDNEY (AAP) - The flats were priced between A$2 million and A$3.5 million.")
    assert [(f.value, f.currency) for f in got] == [(2_000_000.0, "AUD"), (3_500_000.0, "AUD")]


def test_prison_sentence_length_is_a_measurement(extract) -> None:  # type: ignore[no-untyped-def]
    [f] = figs(extract, "The smugglers face a 15-year prison sentence.")
    assert (f.value, f.kind, f.unit, f.head) == (15.0, "measurement", "year", "sentence")


def test_time_placing_durations_are_not_figures(extract) -> None:  # type: ignore[no-untyped-def]
    assert figs(extract, "The bridge opened 10 years ago and closed again in two weeks.") == []


def test_vague_amounts(extract) -> None:  # type: ignore[no-untyped-def]
    [f] = figs(extract, "Thousands of commuters crowded the station.")
    assert (f.value, f.qclass, f.head) == (1000.0, "vague", "commuter")


def test_year_shaped_count_is_a_count(extract) -> None:  # type: ignore[no-untyped-def]
    [f] = figs(extract, "Some 1800 families were moved from the valley.")
    assert (f.value, f.qualifier, f.head) == (1800.0, "some", "family")


def test_identifiers_are_not_figures(extract) -> None:  # type: ignore[no-untyped-def]
    assert figs(extract, "Phase 1 trials began at the clinic.") == []


def test_particle_is_not_a_qualifier(extract) -> None:  # type: ignore[no-untyped-def]
    got = figs(extract, "The cooperative took over 100 percent of the mill.")
    assert all(f.qualifier != "over" for f in got)


def test_clock_times_are_not_figures(extract) -> None:  # type: ignore[no-untyped-def]
    assert figs(extract, "The ferry left at 7:52am.") == []


def test_rate_per_unit(extract) -> None:  # type: ignore[no-untyped-def]
    [f] = figs(extract, "Traders in Velmora are paying US$2 a barrel for the heavy crude.")
    assert (f.value, f.kind, f.currency) == (2.0, "rate", "USD")


def test_count_whose_noun_is_earlier(extract) -> None:  # type: ignore[no-untyped-def]
    got = figs(extract, "The bank will cut 2,000 jobs in retail and a further 1,000 in wealth management.")
    assert {(f.value, f.head) for f in got} == {(2000.0, "job"), (1000.0, "job")}


def test_deep_time_is_a_measurement(extract) -> None:  # type: ignore[no-untyped-def]
    [f] = figs(extract, "Farmers first planted squash in the valley 9,400 years ago.")
    assert (f.value, f.kind, f.unit) == (9400.0, "measurement", "year")


def test_days_of_a_month_are_not_figures(extract) -> None:  # type: ignore[no-untyped-def]
    got = figs(extract, "The poll ran from Sept 3 to 14 and reached 412 farmers.")
    assert [(f.value, f.head) for f in got] == [(412.0, "farmer")]


def test_sentence_opening_one_is_an_example(extract) -> None:  # type: ignore[no-untyped-def]
    assert figs(extract, "One cyclist was hurt in the crash.") == []


def test_twice_counts_times(extract) -> None:  # type: ignore[no-untyped-def]
    [f] = figs(extract, "The inspector visited the depot twice.")
    assert (f.value, f.kind, f.subject) == (2.0, "count", "visited")


def test_change_inside_a_later_clause_keeps_the_subject(extract) -> None:  # type: ignore[no-untyped-def]
    got = figs(extract, "Copper fell 2.5 per cent on Tuesday after losing 9 per cent last week.")
    assert {(f.value, f.direction, f.head) for f in got} == {(2.5, "down", "copper"), (9.0, "down", "copper")}


def test_superlative_after_the_is_a_count(extract) -> None:  # type: ignore[no-untyped-def]
    got = figs(extract, "Rents in the three largest towns doubled.")
    assert {(f.value, f.kind, f.head) for f in got} == {(3.0, "count", "town"), (2.0, "change", "rent")}


def test_decades_are_not_figures(extract) -> None:  # type: ignore[no-untyped-def]
    assert figs(extract, "Rents were lower in the 90's.") == []


def test_money_word_after_a_number_makes_money(extract) -> None:  # type: ignore[no-untyped-def]
    [f] = figs(extract, "The petition raised over 422,000 euros for the shelter.")
    assert (f.value, f.kind, f.currency, f.qualifier) == (422_000.0, "money", "EUR", "over")


def test_scores_of_nil_are_not_figures(extract) -> None:  # type: ignore[no-untyped-def]
    assert all(f.value != 0 for f in figs(extract, "The visitors led 0 to 2 at half-time."))


def test_share_as_clause_subject_is_about_the_clause(extract) -> None:  # type: ignore[no-untyped-def]
    got = figs(extract, "In the poll, 53% named Ortega while just 36% said Brandt.")
    assert [(f.value, f.unit, f.head) for f in got] == [(53.0, "%", "name"), (36.0, "%", "say")]


def test_vote_split_is_two_shares(extract) -> None:  # type: ignore[no-untyped-def]
    got = figs(extract, "Voters backed the plan 82% to 14%.")
    assert [(f.value, f.unit) for f in got] == [(82.0, "%"), (14.0, "%")]


def test_light_years_and_orbit_period(extract) -> None:  # type: ignore[no-untyped-def]
    got = figs(extract, "The planet orbits its star every 11.2 Earth days and lies 4.2 light-years away.")
    assert [(f.value, f.kind, f.head) for f in got] == [(11.2, "rate", "planet"), (4.2, "measurement", "planet")]
    assert got[1].unit == "light-year"


def test_warming_in_degrees(extract) -> None:  # type: ignore[no-untyped-def]
    [f] = figs(extract, "The region has warmed by 1.2C since 1900.")
    assert (f.value, f.kind, f.direction, f.unit) == (1.2, "change", "up", "degree Celsius")


def test_both_numbers_of_an_identifier_pair_are_left_out(extract) -> None:  # type: ignore[no-untyped-def]
    assert figs(extract, "Phase 1 and 2 studies are under way.") == []


def test_region_of_is_a_qualifier_not_a_subject(extract) -> None:  # type: ignore[no-untyped-def]
    [f] = figs(extract, "The state sought a loan in the region of $1.5 billion.")
    assert (f.value, f.qualifier, f.qclass, f.head) == (1_500_000_000.0, "in the region of", "approx", "loan")


def test_millions_conversion_in_brackets(extract) -> None:  # type: ignore[no-untyped-def]
    [f] = figs(extract, "LONDON (Reuters) - Tornet earned $12.5m (£9.7m) last year.")
    assert (f.value, f.currency, f.alt_value, f.alt_unit) == (12_500_000.0, "USD", 9_700_000.0, "GBP")


def test_climbing_the_parse_stops_at_the_root(extract) -> None:  # type: ignore[no-untyped-def]
    """"order" heading its own sentence once made the qualifier-noun climb loop forever."""
    got = figs(extract, "Regional order of 40. A region of 12 villages.")
    assert all(f.value in {40.0, 12.0} for f in got)
