"""The weekly table is kept up to date by the verbs that change what it counts:
after any sequence of them it holds exactly what a rebuild from the raw rows holds."""

import datetime as dt
import random

import pytest

from teamcase.db import db
from teamcase.models import Client, Contact, Referral, Team, WeekFigure
from teamcase.models.base import utcnow
from teamcase.models.measures import monday, week_of


def _table(team_id):
    return sorted(
        (r.week, r.measure, round(r.total, 3), r.count)
        for r in WeekFigure.select().where(WeekFigure.team == team_id)
    )


def _rebuilt(team_id):
    kept = _table(team_id)
    WeekFigure.rebuild(team_id)
    return kept, _table(team_id)


def test_a_week_is_the_monday_of_its_iso_week_in_the_install_zone(app):
    # Sunday 22:30 UTC in winter is Sunday 23:30 in Amsterdam: still that week;
    # 23:30 UTC is Monday 00:30 there: the next one.
    assert week_of(dt.datetime(2026, 1, 4, 22, 30)) == dt.date(2025, 12, 29)
    assert week_of(dt.datetime(2026, 1, 4, 23, 30)) == dt.date(2026, 1, 5)
    assert monday(dt.date(2026, 1, 7)) == dt.date(2026, 1, 5)


def test_the_figures_of_a_week_counted_by_hand(app, cast):
    team = cast.team_a
    person = cast.person_a
    base = dt.datetime(2026, 3, 3, 9)  # a Tuesday, UTC
    for minutes, demand, why, resolved in (
        (20, "failure", "GP phone line", False),
        (10, "failure", "GP phone line", True),
        (15, "value", "", True),
    ):
        Contact.record(
            person,
            by=cast.a1,
            happened_at=base,
            minutes=minutes,
            kind="phone",
            incoming=True,
            demand=demand,
            demand_why=why,
            resolved_first_time=resolved,
        )
    Contact.record(person, by=cast.a2, happened_at=base, minutes=45, kind="home_visit")
    figures = {
        r.measure: (r.total, r.count)
        for r in WeekFigure.select().where(
            WeekFigure.team == team, WeekFigure.week == dt.date(2026, 3, 2)
        )
    }
    assert figures["failure"] == (2, 2)
    assert figures["value"] == (1, 1)
    assert figures["cause:GP phone line"] == (2, 2)
    assert figures["resolved"] == (2, 3)
    assert figures["care_minutes"] == (90, 4)
    # One person, seen by Anna and Bram in the 30 days up to the week's end.
    assert figures["continuity"] == (2, 1)
    assert _rebuilt(team.id)[0] == _rebuilt(team.id)[1]


def test_random_sequences_equal_a_full_recomputation(app, cast):
    rng = random.Random(13)
    teams = [cast.team_a, cast.team_b]
    members = {cast.team_a.id: [cast.a1, cast.a2], cast.team_b.id: [cast.b1]}
    now = utcnow()
    start = now - dt.timedelta(days=400)

    def when():
        return start + dt.timedelta(minutes=rng.randrange(0, 400 * 24 * 60))

    for step in range(160):
        action = rng.choice(
            ["contact"] * 6 + ["correct", "remove", "referral", "close", "reopen", "transfer"]
        )
        team = rng.choice(teams)
        by = rng.choice(members[team.id])
        people = list(Client.select().where(Client.team == team))
        if action == "contact" and people:
            person = rng.choice(people)
            incoming = rng.random() < 0.5
            Contact.record(
                person,
                by=by,
                colleagues=[m for m in members[team.id] if m != by and rng.random() < 0.3],
                happened_at=when(),
                minutes=rng.randrange(5, 90),
                kind=rng.choice(["home_visit", "phone"]),
                incoming=incoming,
                demand=rng.choice(["value", "failure"]) if incoming else "",
                demand_why=rng.choice(["GP phone", "late visit", ""]) if incoming else "",
                resolved_first_time=rng.choice([True, False, None]) if incoming else None,
            )
        elif action in ("correct", "remove"):
            contacts = list(Contact.select().join(Client).where(Client.team == team))
            if not contacts:
                continue
            contact = rng.choice(contacts)
            if action == "remove":
                contact.remove(by)
            else:
                contact.correct(
                    by,
                    contact.version,
                    happened_at=when(),
                    minutes=rng.randrange(5, 90),
                    demand=rng.choice(["value", "failure", ""]),
                    incoming=rng.random() < 0.5,
                )
        elif action == "referral":
            received = when()
            referral = Referral.receive(
                team, by, person_name=f"Person {step}", phone="06", received_at=received
            )
            referral.accept(by, {"day": dt.date.today(), "member": by})
            client = Client.get_by_id(Referral.get_by_id(referral.id).client_id)
            Contact.record(
                client,
                by=by,
                happened_at=received + dt.timedelta(days=rng.randrange(0, 20)),
                minutes=30,
                kind="home_visit",
            )
        elif action == "close":
            active = [p for p in people if p.status == Client.ACTIVE]
            if active:
                person = rng.choice(active)
                person.close(by, person.version, "goals_reached", "", dt.date.today(), now=when())
        elif action == "reopen":
            closed = [p for p in people if p.status == Client.CLOSED]
            if closed:
                person = rng.choice(closed)
                person.reopen(by, person.version)
        elif action == "transfer":
            active = [p for p in people if p.status == Client.ACTIVE]
            if active:
                other = Team.get_by_id(next(t.id for t in teams if t.id != team.id))
                referral = rng.choice(active).transfer_to(other, by, "Moving")
                if referral is not None:
                    receiver = members[other.id][0]
                    referral.accept(receiver, {"day": dt.date.today(), "member": receiver})
        if step % 20 == 19:
            for t in teams:
                kept, rebuilt = _rebuilt(t.id)
                assert kept == rebuilt, f"after step {step}"
    for t in teams:
        kept, rebuilt = _rebuilt(t.id)
        assert kept == rebuilt
        assert kept  # something was counted
    with db.atomic():
        measures = {m for _, m, _, _ in _table(cast.team_a.id)}
    assert {"care_minutes", "continuity", "in_care"} <= measures


@pytest.mark.parametrize("weeks", [0])
def test_a_team_without_rows_has_an_empty_table(app, weeks):
    team = Team.create(name="Empty", area="Nowhere")
    WeekFigure.rebuild(team)
    assert _table(team.id) == []


def test_renaming_and_merging_causes_never_chains(app, cast):
    from teamcase.models import CauseGroup

    team = cast.team_a
    CauseGroup.rename(team, cast.a1, "GP phone", "GP practice")
    CauseGroup.rename(team, cast.a1, "huisarts telefoon", "GP phone")  # into a renamed one
    assert CauseGroup.names(team) == {"GP phone": "GP practice", "huisarts telefoon": "GP practice"}
    CauseGroup.rename(team, cast.a1, "GP practice", "GP practice phone system")
    assert set(CauseGroup.names(team).values()) == {"GP practice phone system"}
    assert "GP practice" in CauseGroup.names(team)
    # Its own words back: counted as written again.
    CauseGroup.rename(team, cast.a1, "huisarts telefoon", "huisarts telefoon")
    assert "huisarts telefoon" not in CauseGroup.names(team)
    assert CauseGroup.names(cast.team_b) == {}
