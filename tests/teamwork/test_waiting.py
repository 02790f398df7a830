"""What waits for someone in the team: open urgent referrals and visits nobody has,
counted on the navigation of every member's page and shown on My day."""

import datetime as dt
import re
import zoneinfo

from conftest import count_queries

from teamcase.db import db
from teamcase.models import PlannedVisit, Referral, Waiting, utcnow

ZONE = zoneinfo.ZoneInfo("Europe/Amsterdam")


def _today() -> dt.date:
    return dt.datetime.now(ZONE).date()


def _referral(cast, team=None, **fields):
    data = {
        "team": team or cast.team_a,
        "recorded_by": cast.a1,
        "person_name": "Jan de Groot",
        "story": "Home from hospital after a fall; lives alone.",
        "urgency": "urgent",
    }
    data.update(fields)
    return Referral.create(**data)


def _open_visit(cast, days=0, person=None, **fields):
    """A visit nobody has: handed over by an ill colleague, or never taken."""
    return PlannedVisit.add(
        person or cast.person_a,
        cast.a1,
        member=None,
        day=_today() + dt.timedelta(days=days),
        **fields,
    )


def _badges(html: str) -> dict[str, str]:
    """The counts on the main navigation, by the place they are on."""
    nav = re.search(r'<nav class="mainnav".*?</nav>', html, re.S)[0]
    return {
        label.strip(): re.sub(r"<[^>]+>", "", badge)
        for label, badge in re.findall(
            r'>([^<>]+) <span class="badge">(.*?</span>)</span></a>', nav, re.S
        )
    }


def test_it_counts_open_urgent_referrals_and_visits_nobody_has(app, cast):
    with db.connection_context():
        _referral(cast, received_at=utcnow() - dt.timedelta(hours=12))
        _referral(cast, received_at=utcnow() - dt.timedelta(hours=2))
        # Not waiting for someone: not urgent, held for the meeting, decided, another team's.
        _referral(cast, urgency="soon")
        _referral(cast, status=Referral.MEETING)
        _referral(cast, status=Referral.DECLINED)
        _referral(cast, team=cast.team_b, recorded_by=cast.b1)
        _open_visit(cast, days=2)
        _open_visit(cast, days=5)
        # Not waiting: yesterday's, taken, cancelled, another team's.
        _open_visit(cast, days=-1)
        PlannedVisit.add(cast.person_a, cast.a1, member=cast.a2, day=_today())
        _open_visit(cast, days=1).cancel(cast.a1)
        PlannedVisit.add(cast.person_b, cast.b1, member=None, day=_today())

        with count_queries() as queries:
            waiting = Waiting.in_team(cast.team_a, _today())
        assert len(queries) == 1, queries
        assert waiting.urgent_referrals == 2
        assert utcnow() - waiting.urgent_since > dt.timedelta(hours=11)
        assert waiting.open_visits == 2
        assert waiting.first_open_day == _today() + dt.timedelta(days=2)
        other = Waiting.in_team(cast.team_b.id, _today())
        assert (other.urgent_referrals, other.open_visits, other.first_open_day) == (1, 1, _today())


def test_nothing_waiting_is_nothing_to_show(app, cast, as_user):
    with db.connection_context():
        assert not Waiting.in_team(cast.team_a, _today())
    client = as_user(cast.a1)
    html = client.get("/caseload").data.decode()
    assert 'class="badge"' not in html
    assert "Waiting for someone in the team" not in client.get("/plan/day").data.decode()


def test_every_members_page_counts_them_on_the_navigation(app, cast, as_user):
    with db.connection_context():
        _referral(cast)
        for days in (0, 3, 4):
            _open_visit(cast, days=days)
    html = as_user(cast.a2).get("/caseload").data.decode()
    assert _badges(html) == {
        "My day": "3 visits up for a colleague to take",
        "Referrals": "1 urgent referral",
    }
    # Seen, not read out twice: the words are for screen readers only.
    assert '3<span class="visually-hidden"> visits up for a colleague to take</span>' in html
    # The other team has nothing waiting.
    assert 'class="badge"' not in as_user(cast.b1).get("/caseload").data.decode()


def test_my_day_says_what_waits_and_where_to_find_it(app, cast, as_user):
    with db.connection_context():
        _referral(cast, received_at=utcnow() - dt.timedelta(days=1))
        _referral(cast, received_at=utcnow() - dt.timedelta(hours=1))
        first = _today() + dt.timedelta(days=2)
        _open_visit(cast, days=2)
    html = as_user(cast.a1).get("/plan/day").data.decode()
    card = re.search(r'<section class="card waiting".*?</section>', html, re.S)[0]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", card))
    assert "2 urgent referrals, waiting since yesterday" in text
    assert "1 visit up for a colleague to take, the first on" in text
    assert 'href="/referrals/"' in card
    assert f'href="/plan/?week={first.isoformat()}#day-{first.isoformat()}"' in card


def test_a_visit_up_for_grabs_today_is_said_to_be_today(app, cast, as_user):
    with db.connection_context():
        _open_visit(cast)
    html = as_user(cast.a1).get("/plan/day").data.decode()
    assert "1 visit</strong> up for a colleague to take, the first today." in html


def test_a_fragment_asks_nothing_of_it(app, cast, as_user):
    client = as_user(cast.a1)
    with db.connection_context():
        _open_visit(cast)
    with count_queries() as page:
        client.get("/plan/day")
    with count_queries() as fragment:
        client.get("/plan/day", headers={"HX-Request": "true"})
    assert not any("referral" in q and "planned_visit" in q for q in fragment)
    assert sum("referral" in q and "planned_visit" in q for q in page) == 1


def test_the_coach_and_the_back_office_get_no_counts(app, cast, as_user):
    with db.connection_context():
        _referral(cast)
        _open_visit(cast)
    assert 'class="badge"' not in as_user(cast.coach_a).get("/coach/").data.decode()
    assert 'class="badge"' not in as_user(cast.office).get("/office/").data.decode()
