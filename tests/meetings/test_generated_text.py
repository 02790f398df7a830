"""Sentences the app writes into the records are read in the reader's language, not
in the language of whoever happened to trigger them (teamcase/generated.py): a Dutch
member builds the agenda, an English colleague reads it in English, and the other
way round; on the pages and in the meeting pack and the minutes."""

import datetime as dt
import subprocess

import pytest
from flask_babel import force_locale

from teamcase.db import db
from teamcase.generated import MARK, Generated
from teamcase.models import (
    AgendaItem,
    Client,
    Decision,
    DecisionStep,
    Meeting,
    PlannedVisit,
    Referral,
    Task,
)

# What each reader sees of what the app wrote, in their own language.
SAYS = {
    "en": {
        "referral": "Referral: Jan de Groot",
        "review": "Review date",
        "flag": "flagged: Valt vaak",
        "task": "Nobody has taken it on.",
        "decision_review": "to review from",
        "not_adopted": "Not adopted between meetings. Minder telefoontjes",
        "amendment": "The amendment answers it",
        "too_few": "Between meetings 0 answered; 2 were needed.",
    },
    "nl": {
        "referral": "Verwijzing: Jan de Groot",
        "review": "Evaluatiedatum",
        "flag": "zette op de agenda: Valt vaak",
        "task": "Niemand heeft het opgepakt.",
        "decision_review": "; evalueren vanaf",
        "not_adopted": "Niet aangenomen tussen overleggen. Minder telefoontjes",
        "amendment": "De aanpassing lost het op",
        "too_few": "Tussen overleggen antwoordden er 0; 2 waren nodig.",
    },
}
# A person's open item says why live (templates/meetings/_macros.html); the rest
# is what the app wrote.
ON_THE_AGENDA = ("referral", "task", "decision_review", "not_adopted", "too_few")
OTHER = {"en": "nl", "nl": "en"}


def _pdf_text(tmp_path, data: bytes) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def _triggered_in(app, cast, language: str):
    """Everything that makes the app write a sentence, done by Anna reading
    `language`: the agenda built from a referral, a review date, a flag, an overdue
    task, a decision to review and a proposal that went from between meetings to
    the meeting; an amendment that answers Bram's objection."""
    cast.a1.choose_language(language)
    today = dt.date.today()
    with app.test_request_context(), force_locale(language), db.connection_context():
        # Settled while no meeting is planned: it waits for the agenda to be built.
        waiting = Decision.propose(
            cast.team_a, cast.a1, "Een teamtelefoon", "Minder telefoontjes", asynchronous=True
        )
        assert waiting.settle(now=waiting.deadline + dt.timedelta(hours=1))
        meeting = cast.meeting_a
        Client.update(review_on=today - dt.timedelta(days=1)).where(
            Client.id == cast.person_a.id
        ).execute()
        person = Client.get_by_id(cast.person_a.id)
        person.flag_for_meeting(cast.a2, "Valt vaak")
        assert cast.referral_a.hold_for_meeting(cast.a1, "")
        Task.add(
            cast.team_a,
            cast.a1,
            client=cast.person_a,
            title="Huisarts bellen",
            due_on=today - dt.timedelta(days=2),
        )
        reviewed = Decision.propose(cast.team_a, cast.a1, "Sleutelkastje bij de deur", "")
        reviewed.adopt(cast.a1, reviewed.version, review_on=today)
        # Settled with a meeting planned: straight onto its agenda, saying why.
        between = Decision.propose(
            cast.team_a, cast.a1, "Een sleutelkluis", "Sneller binnen", asynchronous=True
        )
        Decision.update(quorum=2).where(Decision.id == between.id).execute()
        between = Decision.get_by_id(between.id)
        assert between.settle(now=between.deadline + dt.timedelta(hours=1))
        meeting.build_agenda(cast.a1)
        decision = cast.decision_a
        decision.amend(
            cast.a1,
            decision.version,
            "We proberen een teamtelefoon, Bram laadt hem op",
            resolves=[cast.objection_a],
        )
    return Meeting.get_by_id(meeting.id), decision


@pytest.mark.parametrize("language", ["nl", "en"])
def test_each_reader_reads_what_the_app_wrote_in_their_own_language(
    app, cast, as_user, tmp_path, language
):
    meeting, decision = _triggered_in(app, cast, language)
    reader_language = OTHER[language]
    cast.a2.choose_language(reader_language)
    readers = {language: as_user(cast.a1), reader_language: as_user(cast.a2)}
    with db.connection_context():
        stored = [i.why for i in AgendaItem.select().where(AgendaItem.meeting == meeting)]
        assert stored and all(isinstance(why, Generated) for why in stored if why)
    for reads, client in readers.items():
        says, not_says = SAYS[reads], SAYS[OTHER[reads]]
        agenda = client.get(f"/meetings/{meeting.id}").text
        assert MARK not in agenda
        for what in ON_THE_AGENDA:
            assert says[what] in agenda, (reads, what)
            assert not_says[what] not in agenda, (reads, what)
        shown = client.get(f"/decisions/{decision.id}").text
        assert says["amendment"] in shown and not_says["amendment"] not in shown, reads
        pack = client.get(f"/meetings/{meeting.id}/pack.pdf")
        assert pack.status_code == 200
        pack_text = _pdf_text(tmp_path, pack.data)
        for what in ON_THE_AGENDA:
            assert says[what] in pack_text, (reads, what, pack_text[:3000])
            assert not_says[what] not in pack_text, (reads, what)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_minutes_say_why_each_item_was_on_the_agenda_in_the_readers_language(
    app, cast, as_user, language
):
    meeting, _decision = _triggered_in(app, cast, language)
    with app.test_request_context(), force_locale(language), db.connection_context():
        assert meeting.record_attendance(cast.a1, [cast.a1, cast.a2], False)
        [person] = [i for i in meeting.agenda() if i.is_person]
        assert person.mark_discussed(cast.a1)
        meeting.end(cast.a1)
    reader = OTHER[language]
    cast.a2.choose_language(reader)
    for reads, client in ((language, as_user(cast.a1)), (reader, as_user(cast.a2))):
        minutes = client.get(f"/meetings/{meeting.id}/minutes").text
        for what in ("review", "flag", "referral", "task"):
            assert SAYS[reads][what] in minutes, (reads, what)
            assert SAYS[OTHER[reads]][what] not in minutes, (reads, what)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_first_visit_s_note_after_a_referral_reads_in_the_reader_s_language(
    app, cast, as_user, language
):
    cast.a1.choose_language(language)
    reader = OTHER[language]
    cast.a2.choose_language(reader)
    referral = cast.referral_a
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = as_user(cast.a1).post(
        f"/referrals/{referral.id}/accept",
        data={
            "accept-day": tomorrow,
            "accept-starts_at": "10:00",
            "accept-ends_at": "11:00",
            "accept-minutes": "45",
            "accept-who": "me",
            "accept-known_best": "y",
        },
    )
    assert response.status_code == 303
    with db.connection_context():
        client_id = Referral.get_by_id(referral.id).client_id
        visit = PlannedVisit.get(PlannedVisit.client == client_id)
    said = {
        "en": "First visit, referred by Dr. Pietersen, Huisartsenpraktijk Oost: Home from",
        "nl": "Eerste bezoek, aangemeld door Dr. Pietersen, Huisartsenpraktijk Oost: Home from",
    }
    for reads, client in ((language, as_user(cast.a1)), (reader, as_user(cast.a2))):
        page = client.get(f"/plan/visits/{visit.id}/edit").text
        assert said[reads] in page, reads
        assert said[OTHER[reads]] not in page, reads


def test_text_from_before_stays_as_it_was_written(app, cast, as_user):
    """A row from before codes were kept (migration 0009) is shown as it was
    written, in whichever language; so is what a member typed."""
    with db.connection_context():
        item = cast.item_a
        AgendaItem.update(why="Referral: written in English long ago").where(
            AgendaItem.id == item.id
        ).execute()
        assert AgendaItem.get_by_id(item.id).why == "Referral: written in English long ago"
        cast.decision_a  # noqa: B018 (made on first use, with Bram's objection)
        step = DecisionStep.get_by_id(cast.objection_a.id)
        assert isinstance(step.text, str) and not isinstance(step.text, Generated)
    cast.a1.choose_language("nl")
    page = as_user(cast.a1).get(f"/meetings/{cast.meeting_a.id}").text
    assert "Referral: written in English long ago" in page


def test_a_generated_sentence_keeps_its_values_and_words_them_when_read(app):
    with app.test_request_context():
        said = Generated.of("agenda.task_due_open", day="2026-12-01")
        stored = said.encode()
        assert stored.startswith(MARK) and "2026-12-01" in stored
        again = Generated.decode(stored)
        with force_locale("en"):
            assert str(again) == "Was due 1 Dec. Nobody has taken it on."
        with force_locale("nl"):
            assert str(again).startswith("Moest klaar zijn op 1 dec")
        assert Generated.decode("Typed by a person") is None
        with pytest.raises(KeyError):
            Generated.of("no.such.code")
