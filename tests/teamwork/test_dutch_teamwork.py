"""The week plan, My day, the team board, referrals and our team in Dutch: every
page and form of the team's shared work renders with no English left, forms sent
back with mistakes say what to fix in Dutch, and the htmx answers speak it too."""

import datetime as dt
import re

import pytest
from test_translations import DUTCH, ENGLISH_WORDS, _visible_text, english_sentences

from teamcase.dates import local_now
from teamcase.models import Invitation, PlannedVisit, Referral, Task, TeamRole

HTMX = {**DUTCH, "HX-Request": "true"}
# Words the pages show on purpose: the export's format, and e-mail addresses.
ALLOWED = re.compile(r"JSON lines|\S+@\S+")


def _today():
    return local_now().date()


def _english_left(text: str, names) -> set[str]:
    text = ALLOWED.sub(" ", text)
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    return {match.group(0) for match in ENGLISH_WORDS.finditer(text)}


@pytest.fixture
def dutch(cast, as_user):
    """Anna, who reads Dutch, with a week of Dutch work around her: a visit of hers,
    one up for a colleague to take, a task, a referral, a role and an invitation."""
    cast.a1.choose_language("nl")
    cast.a2.choose_language("nl")
    today = _today()
    mine = PlannedVisit.add(
        cast.person_a,
        cast.a1,
        member=cast.a1,
        day=today,
        starts_at=dt.time(9),
        ends_at=dt.time(9, 30),
        minutes=30,
        kind="home_visit",
        note="Insuline, voeten nakijken",
    )
    tomorrow = PlannedVisit.add(
        cast.person_a,
        cast.a1,
        member=cast.a1,
        day=today + dt.timedelta(days=1),
        minutes=45,
        kind="home_visit",
    )
    open_visit = PlannedVisit.add(
        cast.person_a, cast.a2, member=None, day=today, minutes=20, kind="phone"
    )
    task = Task.add(cast.team_a, cast.a2, title="Steunkousen bestellen", client=cast.person_a)
    referral = Referral.receive(
        cast.team_a,
        by=cast.a1,
        person_name="Jan de Groot",
        referrer_name="Dokter Pietersen",
        referrer_org="Huisartsenpraktijk Oost",
        story="Net thuis na een val; woont alleen.",
        urgency="soon",
    )
    role = TeamRole.add(cast.team_a, cast.a1, "Planner", "Maakt de weekplanning")
    invitation, token = Invitation.send(cast.team_a, cast.a1, "Lotte Jansen", "lotte@a.nl", 7)
    names = {
        cast.a1.name,
        cast.a2.name,
        cast.team_a.name,
        cast.person_a.name,
        "teamcase",
        "Jan de Groot",
        "Lotte Jansen",
    }
    return {
        "client": as_user(cast.a1),
        "mine": mine,
        "tomorrow": tomorrow,
        "open": open_visit,
        "task": task,
        "referral": referral,
        "role": role,
        "invitation": invitation,
        "token": token,
        "names": names,
    }


def _pages(cast, d):
    return [
        "/plan/",
        "/plan/day",
        "/plan/new",
        f"/plan/visits/{d['mine'].id}/edit",
        f"/plan/visits/{d['mine'].id}/edit?back=week",
        "/plan/hand-over",
        f"/plan/hand-over?day={_today()}&until={_today() + dt.timedelta(days=2)}",
        "/board/",
        "/board/?show=mine",
        "/board/?show=overdue",
        f"/board/?person={cast.person_a.id}",
        f"/board/tasks/{d['task'].id}/edit",
        f"/board/tasks/{d['task'].id}/ask",
        "/referrals/",
        "/referrals/new",
        f"/referrals/{d['referral'].id}",
        "/team/",
        "/team/details",
        "/team/members/new",
        "/team/roles/new",
        f"/team/roles/{d['role'].id}/hand",
        f"/team/members/{cast.a2.id}/deactivate",
        f"/team/members/{cast.a1.id}/deactivate",
        f"/team/invitations/{d['invitation'].id}",
    ]


def _check(page, names, path, status=200):
    assert page.status_code == status, (path, page.status_code)
    text = _visible_text(page.text)
    english = _english_left(text, names)
    assert not english, f"English left on {path}: {sorted(english)}"
    assert not english_sentences(text), f"not translated on {path}: {english_sentences(text)}"
    return text


def test_every_page_of_the_shared_work_speaks_dutch(cast, dutch):
    client = dutch["client"]
    for path in _pages(cast, dutch):
        page = client.get(path, headers=DUTCH)
        _check(page, dutch["names"], path)
        assert '<html lang="nl">' in page.text, path


def test_the_pages_say_the_key_sentences_in_dutch(cast, dutch):
    client = dutch["client"]
    said = {
        "/plan/": ["Weekplanning", "Over te nemen door een collega", "Vorige week"],
        "/plan/new": ["Bezoek plannen", "Soort bezoek", "Eenmalig", "maandag"],
        "/plan/hand-over": ["Ik kan mijn bezoeken niet doen", "Deze bezoeken overdragen"],
        "/board/": ["Teambord", "Taak toevoegen", "Ik doe het", "Nog niemand doet dit"],
        "/referrals/": ["Aanmeldingen", "Ruimte in het team", "Aanmelding vastleggen"],
        f"/referrals/{dutch['referral'].id}": [
            "Namens het team aannemen",
            "Aannemen en het eerste bezoek plannen",
            "Aangemeld door",
        ],
        "/team/": ["Teamlogboek", "Leden", "Rollen", "Nieuwe rol benoemd: Planner"],
    }
    for path, sentences in said.items():
        text = client.get(path, headers=DUTCH).text
        for sentence in sentences:
            assert sentence in text, f"{sentence!r} not on {path}"


def test_a_dutch_visit_plan_with_mistakes_says_what_to_fix_in_dutch(cast, dutch):
    client = dutch["client"]
    page = client.post(
        "/plan/new",
        data={
            "person": str(cast.person_a.id),
            "day": (_today() - dt.timedelta(days=3)).isoformat(),
            "starts_at": "10:00",
            "ends_at": "09:00",
            "minutes": "2",
            "kind": "home_visit",
            "who": "me",
            "repeats": "weekdays",
        },
        headers=DUTCH,
    )
    text = _check(page, dutch["names"], "/plan/new (sent back)", status=400)
    assert "Deze dag ligt in het verleden." in text
    assert "Dit is niet na de begintijd (10:00). Kies een latere eindtijd." in text
    assert "Tussen 5 en 480 minuten." in text
    # A series with a day that passed: the day is said first, the rule waits for it.
    page = client.post(
        "/plan/new",
        data={
            "person": str(cast.person_a.id),
            "day": _today().isoformat(),
            "minutes": "30",
            "kind": "home_visit",
            "who": "me",
            "repeats": "weekdays",
        },
        headers=DUTCH,
    )
    text = _check(page, dutch["names"], "/plan/new (series)", status=400)
    assert "Kies minstens één dag van de week." in text


def test_a_dutch_series_is_described_in_dutch(cast, dutch):
    client = dutch["client"]
    monday = _today() + dt.timedelta(days=7 - _today().weekday())
    response = client.post(
        "/plan/new",
        data={
            "person": str(cast.person_a.id),
            "day": monday.isoformat(),
            "minutes": "30",
            "kind": "home_visit",
            "who": "me",
            "repeats": "weekdays",
            "weekdays": ["0", "3"],
            "until": (monday + dt.timedelta(days=13)).isoformat(),
        },
        headers=DUTCH,
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "4 bezoeken aan Mies Bakker gepland: Elke maandag en donderdag t/m" in response.text


def test_the_htmx_answers_of_the_plan_and_the_board_speak_dutch(cast, dutch):
    client = dutch["client"]
    visit = dutch["open"]
    taken = client.post(f"/plan/visits/{visit.id}/take", headers=HTMX)
    text = _check(taken, dutch["names"], "take (htmx)")
    assert "Je hebt het bezoek aan Mies Bakker op" in text
    handed = client.post(f"/plan/visits/{dutch['tomorrow'].id}/hand-over?back=week", headers=HTMX)
    text = _check(handed, dutch["names"], "hand over (htmx)")
    assert "Het bezoek aan Mies Bakker is vrij voor een collega. Dank je wel." in text
    claimed = client.post(f"/board/tasks/{dutch['task'].id}/claim", headers=HTMX)
    text = _check(claimed, dutch["names"], "claim (htmx)")
    assert "Jij doet dit sinds" in text
    # Bram took the visit meanwhile: the refusal names him, in Dutch.
    again = dutch["client"].post(f"/plan/visits/{visit.id}/take", headers=HTMX)
    assert again.status_code == 409
    assert "Anna Aalders heeft dit bezoek overgenomen" in again.text


def test_the_dutch_board_referral_and_team_forms_say_what_to_fix(cast, dutch):
    client = dutch["client"]
    checks = [
        (
            "/board/tasks",
            {"title": "", "client": "0"},
            "Zeg in een paar woorden wat er moet gebeuren.",
        ),
        (
            "/referrals/new",
            {"person_name": "", "urgency": "soon"},
            "Vul de naam in van de aangemelde persoon.",
        ),
        (
            f"/referrals/{dutch['referral'].id}/accept",
            {"accept-minutes": "30", "accept-who": "me"},
            "Kies de dag van het eerste bezoek.",
        ),
        (
            f"/referrals/{dutch['referral'].id}/decline",
            {"decline-reason": ""},
            "Geef de reden, voor de aanmelder en het team.",
        ),
        (
            "/team/details",
            {"name": "", "capacity": "0", "version": "1"},
            "Vul de naam van het team in.",
        ),
        (
            "/team/members/new",
            {"name": "Lotte", "email": "lotte@b.nl", "how": "password", "first_password": ""},
            "Kies een eerste wachtwoord, of stuur in plaats daarvan een uitnodigingslink.",
        ),
        ("/team/roles/new", {"name": "planner"}, "Het team heeft al een rol “planner”."),
        (f"/team/roles/{dutch['role'].id}/hand", {"holding": ""}, "Kies wie de rol op zich neemt"),
    ]
    for path, data, dutch_message in checks:
        page = client.post(path, data=data, headers=DUTCH)
        text = _check(page, dutch["names"], f"{path} (sent back)", status=400)
        assert dutch_message in text, (path, dutch_message)
    # The meeting's list, sent with htmx: the block comes back in Dutch.
    page = client.post(
        f"/referrals/{dutch['referral'].id}/meeting", data={"meeting-reason": ""}, headers=HTMX
    )
    text = _check(page, dutch["names"], "meeting (htmx)", status=400)
    assert "Zeg in een paar woorden waarom het naar het overleg gaat." in text


def test_the_invitation_link_and_the_team_log_speak_dutch(cast, dutch, app):
    visitor = app.test_client()
    page = visitor.get(f"/join/{dutch['token']}", headers=DUTCH)
    text = _check(page, dutch["names"], "/join/<token>")
    assert "Welkom, Lotte Jansen" in text
    assert "Lid worden van Team A" in text
    client = dutch["client"]
    client.post(f"/team/invitations/{dutch['invitation'].id}/withdraw", headers=DUTCH)
    gone = visitor.get(f"/join/{dutch['token']}", headers=DUTCH)
    text = _check(gone, dutch["names"], "/join/<token> (withdrawn)", status=410)
    assert "Deze uitnodigingslink werkt niet meer" in text
    log = client.get("/team/", headers=DUTCH).text
    assert "Lotte Jansen uitgenodigd" in log
    assert "De uitnodiging voor Lotte Jansen ingetrokken" in log


def test_a_coach_reads_the_plan_and_the_board_in_dutch(cast, as_user, dutch):
    cast.coach_a.choose_language("nl")
    coach = as_user(cast.coach_a)
    for path in (f"/plan/teams/{cast.team_a.id}", f"/board/teams/{cast.team_a.id}"):
        page = coach.get(path, headers=DUTCH)
        text = _check(page, dutch["names"], path)
        assert "Je kijkt mee" in text


def test_recording_a_planned_visit_in_dutch_leaves_none_of_the_plans_english(cast, dutch):
    # The contact's own fields belong to the person's record (and its own test);
    # here the words the plan puts around them.
    page = dutch["client"].get(f"/plan/visits/{dutch['mine'].id}/done", headers=DUTCH)
    assert page.status_code == 200
    text = " ".join(_visible_text(page.text).split())
    for english in ("Record the visit", "filled in as planned", "Save contact", "Planned:"):
        assert english not in text
    assert "Het bezoek aan Mies Bakker vastleggen" in text
    assert "Gepland: Insuline, voeten nakijken" in text
    assert "Contact opslaan" in text


def test_who_decided_first_is_told_in_dutch(cast, as_user, dutch):
    referral = dutch["referral"]
    bram = as_user(cast.a2)
    declined = bram.post(
        f"/referrals/{referral.id}/decline",
        data={"decline-reason": "We zitten vol", "decline-referred_on_to": "Buurtzorg Zuid"},
        headers=DUTCH,
    )
    assert declined.status_code == 303
    assert Referral.get_by_id(referral.id).status == Referral.DECLINED
    late = dutch["client"].post(
        f"/referrals/{referral.id}/accept",
        data={"accept-day": _today().isoformat(), "accept-minutes": "30", "accept-who": "me"},
        headers=DUTCH,
    )
    text = _check(late, dutch["names"], "accept after decline", status=409)
    assert "Bram Bos heeft deze aanmelding al afgewezen, om " in text
    assert "Afgewezen door Bram Bos" not in text  # the page, not the inbox row
    page = dutch["client"].get("/referrals/", headers=DUTCH).text
    assert "Afgewezen door Bram Bos" in page and "Verwezen naar Buurtzorg Zuid." in page
