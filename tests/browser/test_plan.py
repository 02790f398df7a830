"""The week plan on the tablet: my day, "done", a repeating visit, handing over a day.

Anna opens her day: her visits in visit order, with addresses and phone numbers. She
taps Done on the first one; the contact form is already filled in from the plan, so she
only taps Save, and the visit is on the person's timeline. She plans a repeating visit
(insulin on three weekdays), first forgetting to choose the days. Then, ill, she hands
over all her visits of a day later this week. Bram, on his own tablet, takes one of
them; when Anna, on her stale page, taps "I'll take it" on the same visit she is told
that Bram took it.

Runs on every backend (SQLite, and PostgreSQL when TEST_DATABASE_URL is set) at both
tablet sizes; each run makes its own people and uses its own days.
"""

import datetime as dt
import zoneinfo

import pytest
from playwright.sync_api import expect

from teamcase.db import db
from teamcase.models import Client, PlannedVisit, Team, User, VisitSeries

pytestmark = pytest.mark.browser

ZONE = zoneinfo.ZoneInfo("Europe/Amsterdam")
# Each size plans for its own people, so the runs on one database do not meet.
PEOPLE = {
    768: ("Geertje Hoekstra", "Bep Schouten"),
    1280: ("Lieke de Bruin", "Gijs Kramer"),
}
INSULIN = "Insulin; the pen is in the fridge door"
STOCKINGS = "Compression stockings on"


def _today() -> dt.date:
    return dt.datetime.now(ZONE).date()


def _day_name(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def _setup(width: int) -> dict:
    """Two people whom Anna knows best, two visits in her plan today and two on the day
    she will hand over (three or four days from now, one per size)."""
    first_name, second_name = PEOPLE[width]
    away = _today() + dt.timedelta(days=3 if width == 768 else 4)
    with db.connection_context():
        anna = User.get(User.email == "anna@oost.example.org")
        oost = Team.get(Team.name == "Buurtzorg Oost")
        first = Client.open(
            oost,
            by=anna,
            known_best=[anna],
            name=first_name,
            street="Javastraat 31-II",
            postcode="1094 HB",
            city="Amsterdam",
            phone="020-694 1234",
        )
        second = Client.open(
            oost, by=anna, known_best=[anna], name=second_name, phone="06-41234567"
        )
        visit = dict(member=anna, kind="home_visit")
        PlannedVisit.add(
            first,
            anna,
            day=_today(),
            starts_at=dt.time(8, 30),
            ends_at=dt.time(9),
            minutes=30,
            note=INSULIN,
            **visit,
        )
        PlannedVisit.add(second, anna, day=_today(), starts_at=dt.time(11), minutes=45, **visit)
        PlannedVisit.add(first, anna, day=away, starts_at=dt.time(8, 30), minutes=30, **visit)
        PlannedVisit.add(
            second, anna, day=away, starts_at=dt.time(14), minutes=45, note=STOCKINGS, **visit
        )
    return {"first": first, "second": second, "away": away}


def test_my_day_done_a_repeating_visit_and_a_day_handed_over(
    page, another_page, backend_site, log_in, check_page, viewport
):
    plan = _setup(viewport["width"])
    first, second, away = plan["first"], plan["second"], plan["away"]
    heading = page.get_by_role("heading", level=1)
    # With visits today, her day is where she starts.
    log_in(page, "anna", home="/plan/day")

    # --- My day, from the menu: my visits in visit order, with how to get there.
    page.goto("/caseload")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My day").tap()
    expect(heading).to_contain_text("My day")
    expect(heading).to_contain_text(f"{_day_name(_today())} (today)")
    first_card = page.locator(".visit-card", has_text=first.name)
    expect(first_card).to_contain_text("08:30–09:00")
    expect(first_card).to_contain_text("Javastraat 31-II, 1094 HB Amsterdam")
    expect(first_card.get_by_role("link", name="020-694 1234")).to_have_attribute(
        "href", "tel:0206941234"
    )
    expect(first_card).to_contain_text(INSULIN)
    cards = page.locator(".visit-card .visit-person")
    names = cards.all_inner_texts()
    assert names.index(first.name) < names.index(second.name)
    check_page(page, "plan-01-my-day")

    # --- Done: the contact is filled in from the plan; only Save is left. The
    # plan's note is the instruction, shown beside the form, not what happened.
    first_card.get_by_role("link", name=f"Done: record the visit to {first.name}").tap()
    expect(heading).to_have_text(f"Record the visit to {first.name}")
    expect(page.get_by_role("radio", name="Home visit")).to_be_checked()
    expect(page.get_by_role("radio", name="30 min")).to_be_checked()
    expect(page.get_by_label("Note")).to_have_value("")
    expect(page.locator(".plan-note")).to_have_text(f"Planned: {INSULIN}")
    check_page(page, "plan-02-done-form")
    page.get_by_role("button", name="Save contact").tap()
    expect(heading).to_contain_text("My day")
    expect(page.locator(".flash")).to_have_text(f"Home visit with {first.name} recorded.")
    expect(first_card.locator(".done-tag")).to_have_text("✓ Done")
    expect(first_card.get_by_role("link", name="Done", exact=True)).to_have_count(0)
    check_page(page, "plan-03-one-done")

    # --- The done visit is one line now; it opens to her contact on the timeline.
    first_card.locator("summary").tap()
    first_card.get_by_role("link", name=f"{first.name}'s page").tap()
    expect(heading).to_have_text(first.name)
    newest = page.locator("#timeline .contact").first
    expect(newest).to_contain_text("Home visit")
    expect(newest).to_contain_text("30 min")
    expect(newest).not_to_contain_text(INSULIN)  # the instruction is not the record
    expect(page.locator(".continuity")).to_contain_text(
        "Visited by 1 different member in the last 30 days."
    )
    expect(page.locator(".continuity")).to_contain_text("08:30, Anna")
    check_page(page, "plan-04-timeline")

    # --- A repeating visit, from her page: forgetting the weekdays is caught.
    page.locator(".continuity").get_by_role("link", name="Plan a visit").tap()
    expect(heading).to_have_text("Plan a visit")
    expect(page.get_by_label("Person")).to_have_value(str(first.id))
    starts = _today() + dt.timedelta(days=1)
    until = starts + dt.timedelta(days=27)
    page.get_by_label("Day", exact=True).fill(starts.isoformat())
    page.get_by_label("Start time").fill("07:30")
    page.get_by_label("End time").fill("07:45")
    page.get_by_label("Expected minutes").fill("15")
    page.get_by_label("Note for whoever goes").fill("Insulin before breakfast")
    expect(page.get_by_label("Last day of the series")).to_be_hidden()
    page.get_by_role("radio", name="On chosen weekdays").check()
    expect(page.get_by_role("checkbox", name="Monday")).to_be_visible()
    expect(page.get_by_label("Every how many days")).to_be_hidden()
    page.get_by_label("Last day of the series").fill(until.isoformat())
    check_page(page, "plan-05-repeating-form")
    page.get_by_role("button", name="Plan the visit").tap()
    expect(page.locator("#weekdays-error")).to_have_text("Choose at least one weekday.")
    expect(page.get_by_label("Note for whoever goes")).to_have_value("Insulin before breakfast")
    check_page(page, "plan-06-repeating-no-weekday", allowed_status=400)
    # Three weekdays that miss both sizes' days off, so a day off holds only its own visits.
    days_off = {(_today() + dt.timedelta(days=n)).weekday() for n in (3, 4)}
    weekdays = [d for d in range(7) if d not in days_off][:3]
    names = [VisitSeries.WEEKDAY_NAMES[d] for d in weekdays]
    for name in names:
        page.get_by_role("checkbox", name=name).check()
    page.get_by_role("button", name="Plan the visit").tap()
    count = len(VisitSeries.dates("weekdays", starts, until, weekdays))
    expect(page.locator(".flash")).to_have_text(
        f"{count} visits to {first.name} planned: "
        f"Every {names[0]}, {names[1]} and {names[2]} until {until.day} {until:%b %Y}."
    )
    expect(heading).to_contain_text(_day_name(starts))
    check_page(page, "plan-07-repeating-planned")
    with db.connection_context():
        days = [
            v.day
            for v in PlannedVisit.select()
            .where(PlannedVisit.client == first.id, PlannedVisit.series.is_null(False))
            .order_by(PlannedVisit.day)
        ]
    assert len(days) == count and {d.weekday() for d in days} == set(weekdays)

    # --- Ill: all of her visits of a day go up for her colleagues to take.
    page.goto(f"/plan/day?day={away}")
    page.get_by_role("link", name=f"I can't do my visits on {_day_name(away)}").tap()
    expect(heading).to_have_text("I can't do my visits")
    expect(page.get_by_label("First day you cannot do your visits")).to_have_value(away.isoformat())
    expect(page.locator(".handover-list li")).to_have_count(2)
    check_page(page, "plan-08-hand-over")
    page.get_by_role("button", name="Hand over these visits").tap()
    expect(page.locator(".flash")).to_contain_text(
        f"Your 2 visits on {_day_name(away)} are up for your colleagues to take."
    )
    expect(page.locator(".visit-card")).to_have_count(0)
    open_list = page.locator(".open-list")
    expect(open_list.locator("li", has_text=first.name)).to_have_count(1)
    expect(open_list.locator("li", has_text=second.name)).to_contain_text(STOCKINGS)
    check_page(page, "plan-09-handed-over")

    # --- Bram, on his own tablet, takes one of them: in place, no page load.
    bram = another_page()
    log_in(bram, "bram")
    bram.goto(f"/plan/day?day={away}")
    take = f"I'll take the visit to {first.name} on {_day_name(away)} at 08:30"
    bram.get_by_role("button", name=take).tap()
    expect(bram.locator("#day-visits .flash")).to_have_text(
        f"You took the visit to {first.name} on {_day_name(away)}."
    )
    expect(bram.locator(".visit-card", has_text=first.name)).to_contain_text("08:30")
    expect(bram.locator(".open-list li", has_text=first.name)).to_have_count(0)
    check_page(bram, "plan-10-bram-took-one")

    # --- Anna's page still offers it; her tap is refused with who took it.
    page.get_by_role("button", name=take).tap()
    expect(page.locator("#day-visits .form-problem")).to_contain_text("Bram Bos took this visit at")
    expect(page.locator(".open-list li", has_text=first.name)).to_have_count(0)
    check_page(page, "plan-11-already-taken", allowed_status=409)

    # --- The team's week shows it: Bram has the visit, the other is still open.
    page.locator(".page-head").get_by_role("link", name="Week plan").tap()
    expect(heading).to_contain_text("Week plan")
    section = page.locator(f"#day-{away}")
    expect(section.locator(".plan-member", has_text="Bram Bos")).to_contain_text(first.name)
    expect(section.locator(".open-visits")).to_contain_text(second.name)
    check_page(page, "plan-12-week")

    # --- Moving a visit from the week: tap it, change the time, save.
    page.goto("/plan/")
    today_section = page.locator(f"#day-{_today()}")
    today_section.get_by_role("link", name=second.name).tap()
    expect(heading).to_have_text(f"Visit to {second.name}")
    expect(page.get_by_label("Start time")).to_have_value("11:00")
    check_page(page, "plan-13-edit")
    page.get_by_label("Start time").fill("11:30")
    page.get_by_label("End time").fill("12:15")
    page.get_by_role("button", name="Save").tap()
    expect(page.locator(".flash")).to_have_text(f"Visit to {second.name} saved.")
    moved = page.locator(f"#day-{_today()} .plan-visit", has_text=second.name)
    expect(moved).to_contain_text("11:30–12:15")
    check_page(page, "plan-14-week-after-move")
