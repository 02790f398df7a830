"""Numbers, pages and dates from URLs are read in one place, within what the
database can hold."""

import pytest

from teamcase import web


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", 12),
        ("0", 0),
        (str(web.INT_MAX), web.INT_MAX),
        (str(web.INT_MAX + 1), None),
        ("9" * 20, None),
        ("²", None),
        ("١٢", None),
        (" ", None),
        ("", None),
        ("-3", None),
        ("1e3", None),
        (None, None),
    ],
)
def test_it_reads_only_plain_whole_numbers_the_database_can_hold(text, value):
    assert web.parse_int(text) == value


@pytest.mark.parametrize(
    ("query", "page"),
    [("", 1), ("?page=3", 3), ("?page=0", 1), ("?page=x", 1), ("?page=99999999", 10_000)],
)
def test_a_page_number_is_between_one_and_the_last_page_anyone_reaches(app, query, page):
    with app.test_request_context(f"/caseload{query}"):
        assert web.page_arg() == page


@pytest.mark.parametrize(
    "query", ["?day=9999-12-31", "?day=0001-01-01", "?day=2026-13-01", "?day=x"]
)
def test_a_date_out_of_range_or_unreadable_is_no_date(app, query):
    with app.test_request_context(f"/plan/day{query}"):
        assert web.date_arg("day") is None


def test_an_id_that_cannot_exist_is_not_found(app, cast, as_user):
    client = as_user(cast.a1)
    assert client.get(f"/people/{cast.person_a.id}").status_code == 200
    assert client.get(f"/people/{2**63}").status_code == 404
    assert client.get(f"/people/{web.INT_MAX + 1}").status_code == 404
    assert client.get("/decisions/new?revisits=" + "9" * 20).status_code == 404


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("nl", "1938-02-03", "3 feb 1938"),
        ("en", "1938-02-03", "3 Feb 1938"),
        ("nl", "2026-13-45", "2026-13-45"),  # not a day: as it was written
        ("nl", "Dapperstraat", "Dapperstraat"),
    ],
)
def test_the_history_writes_a_day_in_the_reader_s_language(app, language, value, shown):
    with app.test_request_context("/", headers={"Accept-Language": language}):
        assert web.audit_value(value) == shown
