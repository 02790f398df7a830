"""The team meeting, decisions and learning in Dutch: every page and form of the area,
a form sent back with its errors, the htmx fragments and the meeting pack's text
hold no English left, and say the key sentences in Dutch."""

import datetime as dt
import subprocess

import pytest
from test_translations import DUTCH, ENGLISH_WORDS, _visible_text, english_sentences

from teamcase.db import db
from teamcase.models import AgendaItem, Contact, Goal, Meeting, NetworkMember, Strength

HTMX = {**DUTCH, "HX-Request": "true"}


@pytest.fixture
def dutch(cast, as_user):
    """Anna, who reads teamcase in Dutch, logged in."""
    cast.a1.choose_language("nl")
    return as_user(cast.a1)


def _names(cast) -> list[str]:
    """Names, and what the cast's records say in their own (English) words."""
    people = [cast.a1, cast.a2, cast.person_a, cast.team_a]
    names = [thing.name for thing in people] + [cast.a1.first_name, cast.a2.first_name]
    with db.connection_context():
        person = cast.person_a
        words = [g.words for g in Goal.select().where(Goal.client == person)]
        words += [c.note for c in Contact.select().where(Contact.client == person)]
        words += [s.text for s in Strength.select().where(Strength.client == person)]
        for m in NetworkMember.select().where(NetworkMember.client == person):
            words += [m.name, m.does_now, m.relation_text]
    return [*names, *(w for w in words if w), "teamcase"]


def assert_dutch(text: str, cast, *more_names: str) -> str:
    """No English word or sentence of the catalogue left in `text` (a page's
    visible text, or a PDF's); names of people and teams may stay."""
    for name in sorted([*_names(cast), *more_names], key=len, reverse=True):
        text = text.replace(name, " ")
    english = [text[max(0, m.start() - 40) : m.end() + 40] for m in ENGLISH_WORDS.finditer(text)]
    assert not english, f"English left: {english}"
    assert not english_sentences(text), f"not translated: {english_sentences(text)}"
    return text


def page_text(response, status=200) -> str:
    assert response.status_code == status, response.text[:800]
    return _visible_text(response.text)


def _pdf_text(tmp_path, data: bytes) -> str:
    path = tmp_path / "pack.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def _held_meeting(cast) -> Meeting:
    """A meeting held today: Anna and Bram there, Anna's person discussed with notes
    and a task, a question carried over, and a proposal with Bram's objection."""
    from teamcase.models import Decision

    with db.connection_context():
        meeting = Meeting.plan(
            cast.team_a,
            cast.a1,
            held_on=dt.date.today(),
            starts_at=dt.time(13, 30),
            place="Teamruimte",
            facilitator=cast.a1.id,
            note_taker=cast.a2.id,
        )
        cast.person_a.flag_for_meeting(cast.a2, "Ze is twee keer gevallen")
        meeting.build_agenda(cast.a1)
        AgendaItem.add(meeting, cast.a1, "question", "Wie doet de weekenden?", "Rooster maart")
        assert meeting.record_attendance(cast.a1, [cast.a1, cast.a2], False)
        [person] = [i for i in meeting.agenda() if i.is_person]
        assert person.write_notes(cast.a1, person.version, "Vaker langsgaan in de ochtend.")
        person.add_task(cast.a1, "Huisarts bellen", cast.a2, dt.date.today())
        assert person.mark_discussed(cast.a1)
        decision = Decision.propose(
            cast.team_a,
            cast.a1,
            "Twee keer per week een ochtendbezoek",
            "Minder vallen",
            client=cast.person_a.id,
            meeting=meeting,
            on_item=person,
        )
        decision.add_step(cast.a1, "objection", "Wie heeft daar tijd voor?", member=cast.a2)
        meeting.end(cast.a1)
        return Meeting.get_by_id(meeting.id)


def test_the_meetings_list_and_planning_speak_dutch(cast, dutch):
    page = page_text(dutch.get("/meetings/", headers=DUTCH))
    assert_dutch(page, cast)
    assert "Teamoverleggen" in page and "Geen volgend overleg gepland" in page
    new = page_text(dutch.get("/meetings/new", headers=DUTCH))
    assert_dutch(new, cast)
    assert "Het volgende overleg plannen" in new
    refused = dutch.post(
        "/meetings/new",
        data={"held_on": "2001-01-01", "facilitator": cast.a1.id, "note_taker": cast.a1.id},
        headers=DUTCH,
    )
    text = assert_dutch(page_text(refused, 400), cast)
    assert "Deze datum is voorbij. Kies vandaag of een latere datum." in text
    assert "Kies iemand anders: gespreksleider en notulist tegelijk is te veel." in text
    planned = dutch.post(
        "/meetings/new",
        data={"held_on": (dt.date.today() + dt.timedelta(days=14)).isoformat(), "place": "Zaal"},
        headers=DUTCH,
        follow_redirects=True,
    )
    agenda = assert_dutch(page_text(planned), cast, "Zaal")
    assert "is gepland. De agenda vult zich vanuit de cliëntenlijst." in agenda
    meeting = Meeting.planned_for(cast.team_a)
    index = assert_dutch(page_text(dutch.get("/meetings/", headers=DUTCH)), cast, "Zaal")
    assert "Volgend overleg:" in index
    edit = page_text(dutch.get(f"/meetings/{meeting.id}/edit", headers=DUTCH))
    assert "Aan de beurt:" in assert_dutch(edit, cast, "Zaal")
    refresh = dutch.post(f"/meetings/{meeting.id}/refresh", headers=HTMX)
    assert "De agenda was al bijgewerkt." in assert_dutch(page_text(refresh), cast)
    bad = dutch.post(f"/meetings/{meeting.id}/items", data={"kind": "question"}, headers=HTMX)
    assert "Zeg waar het team over moet praten." in assert_dutch(page_text(bad, 400), cast)
    added = dutch.post(
        f"/meetings/{meeting.id}/items",
        data={"kind": "question", "title": "Nieuwe tillift"},
        headers=HTMX,
    )
    assert "” staat op de agenda, achteraan." in assert_dutch(
        page_text(added), cast, "Nieuwe tillift"
    )


def test_meeting_mode_speaks_dutch(cast, dutch):
    meeting = cast.meeting_a
    with db.connection_context():
        cast.person_a.flag_for_meeting(cast.a2, "Ze is twee keer gevallen")
        meeting.build_agenda(cast.a1)
    start = page_text(dutch.get(f"/meetings/{meeting.id}/run", headers=DUTCH))
    assert "Voordat we beginnen" in assert_dutch(start, cast, "The team room")
    nobody = dutch.post(f"/meetings/{meeting.id}/run", data={}, headers=DUTCH)
    assert "Vink aan wie er is: minstens één teamlid." in assert_dutch(page_text(nobody, 400), cast)
    other_day = dutch.post(
        f"/meetings/{meeting.id}/run", data={"present": [cast.a1.id]}, headers=DUTCH
    )
    assert "niet vandaag." in assert_dutch(page_text(other_day), cast)
    started = dutch.post(
        f"/meetings/{meeting.id}/run",
        data={"present": [cast.a1.id, cast.a2.id], "other_day": "y"},
        headers=DUTCH,
        follow_redirects=True,
    )
    stage = assert_dutch(page_text(started), cast)
    assert "Het overleg is begonnen, met 2 aanwezig." in stage
    assert "Punt 1 van 1" in stage and "Besproken · volgend punt" in stage
    [item] = [i for i in meeting.agenda() if i.is_person]
    notes = dutch.post(
        f"/meetings/items/{item.id}/notes",
        data={"notes-notes": "Vaker langsgaan.", "notes-version": item.version},
        headers=HTMX,
    )
    assert "Aantekeningen opgeslagen." in assert_dutch(page_text(notes), cast)
    task = dutch.post(f"/meetings/items/{item.id}/tasks", data={}, headers=HTMX)
    assert "Zeg wat er moet gebeuren." in assert_dutch(page_text(task, 400), cast)
    propose = dutch.post(f"/meetings/items/{item.id}/propose", data={}, headers=HTMX)
    assert "Schrijf het voorstel op." in assert_dutch(page_text(propose, 400), cast)
    done = dutch.post(f"/meetings/items/{item.id}/discussed", headers=DUTCH, follow_redirects=True)
    end = assert_dutch(page_text(done), cast)
    assert "Einde van de agenda" in end and "1 van 1 punt besproken." in end
    ended = dutch.post(f"/meetings/{meeting.id}/end", headers=DUTCH, follow_redirects=True)
    minutes = assert_dutch(page_text(ended), cast, "The team room", "Vaker langsgaan.")
    assert "Het overleg is afgesloten. Hier zijn de notulen." in minutes


def test_the_minutes_and_the_meeting_pack_speak_dutch(cast, dutch, tmp_path):
    held = _held_meeting(cast)
    content = [
        "Teamruimte",
        "Ze is twee keer gevallen",
        "Vaker langsgaan in de ochtend.",
        "Huisarts bellen",
        "Wie doet de weekenden?",
        "Rooster maart",
        "Twee keer per week een ochtendbezoek",
        "Minder vallen",
        "Wie heeft daar tijd voor?",
    ]
    minutes = page_text(dutch.get(f"/meetings/{held.id}/minutes", headers=DUTCH))
    minutes = assert_dutch(minutes, cast, *content)
    index = assert_dutch(page_text(dutch.get("/meetings/", headers=DUTCH)), cast, *content)
    assert "2 aanwezig · 1 punt besproken" in index and "Volgend overleg:" in index
    following = Meeting.planned_for(cast.team_a)
    agenda = page_text(dutch.get(f"/meetings/{following.id}", headers=DUTCH))
    assert "Doorgeschoven van het overleg van" in assert_dutch(agenda, cast, *content)
    assert "Notulen van het overleg van" in minutes
    assert "Bezwaar van" in minutes and "niet opgelost" in minutes
    for pseudonymised in ("0", "1"):
        pack = dutch.get(
            f"/meetings/{held.id}/pack.pdf?pseudonymised={pseudonymised}", headers=DUTCH
        )
        assert pack.status_code == 200
        text = _pdf_text(tmp_path, pack.data)
        text = assert_dutch(text, cast, cast.person_a.pseudonym, *content)
        assert "Teamoverleg ·" in text and "Waarom op de agenda" in text
        if pseudonymised == "1":
            assert "zonder namen" in text and "Cliënten staan erin met initialen" in text
        else:
            assert "Bevat gegevens van cliënten: laat het op kantoor." in text


def test_the_person_card_speaks_dutch(cast, dutch):
    client_id = cast.person_a.id
    flag = page_text(dutch.get(f"/meetings/people/{client_id}/flag", headers=DUTCH))
    assert "Aanmelden voor het overleg" in assert_dutch(flag, cast)
    bad = dutch.post(f"/meetings/people/{client_id}/flag", data={}, headers=HTMX)
    long = dutch.post(
        f"/meetings/people/{client_id}/flag", data={"flag-reason": "x" * 301}, headers=HTMX
    )
    assert "Houd het bij 300 tekens of minder." in page_text(long, 400)
    typed = dutch.post(
        f"/meetings/people/{client_id}/flag", data={"flag-reason": "Valt\x00"}, headers=HTMX
    )
    assert "Hier staan tekens in die je niet kunt typen" in page_text(typed, 400)
    assert "Zeg in een paar woorden waarom" in assert_dutch(page_text(bad, 400), cast)
    flagged = dutch.post(
        f"/meetings/people/{client_id}/flag", data={"flag-reason": "Valt vaak"}, headers=HTMX
    )
    text = assert_dutch(page_text(flagged), cast, "Valt vaak")
    assert "staat op de agenda van het volgende overleg" in text
    review = page_text(dutch.get(f"/meetings/people/{client_id}/review", headers=HTMX))
    assert "Opnieuw bespreken op" in assert_dutch(review, cast)
    none = dutch.post(f"/meetings/people/{client_id}/review", data={}, headers=HTMX)
    assert "Kies een dag, of kies “Geen evaluatiedatum”." in assert_dutch(
        page_text(none, 400), cast
    )


def test_the_decisions_log_and_a_proposal_speak_dutch(cast, dutch):
    decision = cast.decision_a
    words = [
        decision.proposal,
        decision.purpose,
        "Who charges it at night?",
        cast.training_a.topic,
        cast.experiment_a.title,
    ]
    log = assert_dutch(page_text(dutch.get("/decisions/", headers=DUTCH)), cast, *words)
    assert "1 besluit" in log and "Nog voorgesteld" in log and "1 bezwaar" in log
    found = dutch.get("/decisions/?q=telefoon&status=adopted", headers=HTMX)
    assert "Geen besluit gevonden." in assert_dutch(page_text(found), cast, *words)
    bad_filter = dutch.get("/decisions/?since=2026-12-01&until=2026-11-01", headers=DUTCH)
    bad_filter = assert_dutch(page_text(bad_filter, 400), cast, *words)
    assert "Dit is voor de “Vanaf”-datum." in bad_filter
    new = page_text(dutch.get("/decisions/new?between=1", headers=DUTCH))
    assert "instemming, geen consensus" in assert_dutch(new, cast)
    refused = dutch.post("/decisions/new", data={"between": "y"}, headers=DUTCH)
    text = assert_dutch(page_text(refused, 400), cast)
    assert "Schrijf het voorstel op." in text and "Kies een evaluatiedatum" in text
    show = page_text(dutch.get(f"/decisions/{decision.id}", headers=DUTCH))
    show = assert_dutch(show, cast, *words)
    for sentence in ("Voorstel van", "Hoe erover besloten is", "Het bezwaar van", "Bezwaar"):
        assert sentence in show
    step = dutch.post(
        f"/decisions/{decision.id}/steps", data={"step-kind": "objection"}, headers=HTMX
    )
    assert "Schrijf de reden op: een bezwaar heeft die nodig." in assert_dutch(
        page_text(step, 400), cast, *words
    )
    asked = dutch.post(
        f"/decisions/{decision.id}/steps",
        data={"step-kind": "question", "step-text": "Wie laadt hem op?", "step-member": cast.a1.id},
        headers=HTMX,
    )
    assert "Vraag vastgelegd." in assert_dutch(page_text(asked), cast, *words, "Wie laadt hem op?")
    adopt = dutch.post(f"/decisions/{decision.id}/adopt", data={}, headers=HTMX)
    assert adopt.status_code in (400, 409)
    assert "Het bezwaar van" in assert_dutch(_visible_text(adopt.text), cast, *words)
    settings = page_text(dutch.get("/decisions/settings", headers=DUTCH))
    assert "Besluiten tussen overleggen" in assert_dutch(settings, cast)
    too_many = dutch.post(
        "/decisions/settings",
        data={"async_days": "40", "async_quorum": "9", "version": cast.team_a.version},
        headers=DUTCH,
    )
    text = assert_dutch(page_text(too_many, 400), cast)
    assert "Vul een aantal dagen in, van 1 tot 30." in text
    assert "Het team heeft 2 leden: vraag om hoogstens 2 antwoorden." in text


def test_training_and_experiments_speak_dutch(cast, dutch):
    assert cast.decision_a
    words = [
        cast.decision_a.proposal,
        cast.training_a.topic,
        cast.experiment_a.title,
        cast.experiment_a.why,
        cast.experiment_a.how_we_know,
    ]
    page = assert_dutch(page_text(dutch.get("/learning/", headers=DUTCH)), cast, *words)
    assert "Scholingsplan" in page and "Komt voort" in page and "uit het besluit van" in page
    new = page_text(dutch.get("/learning/training/new", headers=DUTCH))
    assert "Scholing toevoegen" in assert_dutch(new, cast)
    bad = dutch.post("/learning/training/new", data={}, headers=DUTCH)
    assert "Schrijf het onderwerp op." in assert_dutch(page_text(bad, 400), cast)
    edit = dutch.get(f"/learning/training/{cast.training_a.id}/edit", headers=DUTCH)
    assert "Scholing bewerken" in assert_dutch(page_text(edit), cast, *words)
    done = dutch.post(
        f"/learning/training/{cast.training_a.id}/done", headers=DUTCH, follow_redirects=True
    )
    assert "” is gedaan." in assert_dutch(page_text(done), cast, *words)
    experiment = page_text(dutch.get("/learning/experiments/new", headers=DUTCH))
    assert "Wat we gaan proberen" in assert_dutch(experiment, cast)
    refused = dutch.post("/learning/experiments/new", data={}, headers=DUTCH)
    assert "Schrijf op wat je gaat proberen." in assert_dutch(page_text(refused, 400), cast)
    outcome = dutch.get(f"/learning/experiments/{cast.experiment_a.id}/outcome", headers=DUTCH)
    assert "Houden of stoppen?" in assert_dutch(page_text(outcome), cast, *words)


def test_the_coach_and_the_back_office_read_dutch(cast, as_user):
    assert cast.decision_a
    cast.coach_a.choose_language("nl")
    coach = as_user(cast.coach_a)
    home = assert_dutch(page_text(coach.get("/coach/", headers=DUTCH)), cast, cast.coach_a.name)
    assert "Teams die je coacht" in home and "Cliënten in zorg" in home
    pseudonym = cast.person_a.pseudonym
    log = coach.get(f"/decisions/teams/{cast.team_a.id}", headers=DUTCH)
    log = assert_dutch(page_text(log), cast, cast.coach_a.name, pseudonym, cast.decision_a.proposal)
    assert "Je kijkt mee" in log
    learning = coach.get(f"/learning/teams/{cast.team_a.id}", headers=DUTCH)
    words = [cast.training_a.topic, cast.experiment_a.title, cast.experiment_a.why]
    words += [cast.experiment_a.how_we_know, cast.coach_a.name]
    assert "scholingsplan" in assert_dutch(page_text(learning), cast, *words)
    cast.office.choose_language("nl")
    office = as_user(cast.office).get("/office/", headers=DUTCH)
    names = [u.name for u in (cast.b1, cast.coach_a, cast.office)] + [cast.team_b.name]
    text = assert_dutch(page_text(office), cast, *names, "teamcase create-team")
    assert "Teams en hun teamleden" in text and "Coach:" in text


def test_the_csrf_messages_are_dutch(csrf_app, cast, as_user):
    from teamcase.meetings.forms import FlagForm

    with csrf_app.test_request_context("/", method="POST", data={"reason": "x"}, headers=DUTCH):
        form = FlagForm()
        assert not form.validate()
        assert form.csrf_token.errors == [
            "De beveiligingscode van dit formulier ontbreekt. Laad de pagina opnieuw en "
            "verstuur het formulier nog een keer."
        ]
    with csrf_app.test_request_context("/", method="POST", data={"reason": "x"}):
        form = FlagForm()
        assert not form.validate()
        assert form.csrf_token.errors == ["The CSRF token is missing."]
    refused = csrf_app.test_client().post("/login", data={"email": "x"}, headers=DUTCH)
    assert '<html lang="nl">' in refused.text
    assert "Dit formulier was verlopen" in assert_dutch(page_text(refused, 400), cast)


def test_the_cli_speaks_the_install_s_language(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from teamcase.cli import cli

    monkeypatch.setenv("TEAMCASE_DATABASE_URL", f"sqlite:///{tmp_path}/cli.sqlite3")
    monkeypatch.setenv("TEAMCASE_DEFAULT_LANGUAGE", "nl")
    monkeypatch.delenv("TEAMCASE_SECRET_KEY", raising=False)
    runner = CliRunner()

    def run(*args):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    assert "migraties uitgevoerd." in run("db", "upgrade").output
    assert "De database is bijgewerkt." in run("db", "upgrade").output
    assert "Team 'Oost' aangemaakt (id 1)." in run("create-team", "Oost").output
    again = run("create-team", "Oost")
    assert again.exit_code == 1 and "Er is al een team dat 'Oost' heet." in again.output
    missing = run("create-user", "a@b.nl", "--name", "Anna")
    assert "Een teamlid heeft --team NAAM nodig." in missing.output
    created = run(
        "create-user", "a@b.nl", "--name", "Anna", "--team", "Oost", "--password", "x" * 12
    )
    assert "Teamlid Anna <a@b.nl> aangemaakt in Oost." in created.output
    nobody = run("link-coach", "a@b.nl", "Oost")
    assert "Geen coach-account voor a@b.nl." in nobody.output
