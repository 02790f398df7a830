"""Dates, times and durations as people read them: one module says them all."""

import datetime as dt

import pytest

from teamcase import dates


@pytest.mark.parametrize(
    ("minutes", "text"), [(5, "5 min"), (45, "45 min"), (60, "1 h"), (190, "3 h 10 min")]
)
def test_it_says_a_duration_in_hours_and_minutes(minutes, text):
    assert dates.duration_text(minutes) == text


@pytest.mark.parametrize(
    ("days", "text"), [(-1, "the same day"), (0, "the same day"), (1, "1 day"), (4, "4 days")]
)
def test_it_says_a_wait_in_days(days, text):
    assert dates.days_text(days) == text


@pytest.mark.parametrize(
    ("monday", "text"),
    [
        (dt.date(2026, 11, 23), "23–29 November 2026"),
        (dt.date(2026, 11, 30), "30 November – 6 December 2026"),
        (dt.date(2026, 12, 28), "28 December 2026 – 3 January 2027"),
    ],
)
def test_it_names_a_week(monday, text):
    assert dates.week_text(monday) == text


def test_it_finishes_a_sentence_with_when_something_was_done(app):
    with app.app_context():
        now = dates.to_utc(dates.local_now())
        assert dates.at_text(now) == f"at {dates.to_local(now):%H:%M}"
        assert dates.at_text(now - dt.timedelta(days=1)).startswith("yesterday at ")
        long_ago = dates.to_utc(dt.datetime(2026, 3, 3, 10, 42))
        assert dates.at_text(long_ago) == "on 3 Mar at 10:42"


def test_a_day_of_another_year_says_the_year(app):
    with app.app_context():
        this_year = dates.local_now().year
        assert dates.day_text(dt.date(this_year, 4, 14)).endswith("14 April")
        assert dates.day_text(dt.date(this_year + 1, 4, 14)).endswith(f"14 April {this_year + 1}")
        assert dates.day_text(None) == ""
