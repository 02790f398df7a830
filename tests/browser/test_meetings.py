"""A team meeting, from preparing it to its minutes, in the browser.

Before the meeting a member flags a person from her page, plans the next meeting,
finds its agenda filled from the caseload (the person she flagged, a person whose
review date has come, a proposal waiting), adds her own item and moves it up. At the
meeting, on the shared screen or a tablet, the team ticks who is here and accepts
the previous notes; on a person's item it records notes, a task for the board
taken on by someone present and a new review date, marks it discussed and moves
on; on the proposal it records an objection, resolves it and adopts it by consent,
in place. The meeting ends and the minutes are there. Every page and state is
scanned with axe, at tablet size and on a 1920×1080 screen, on each backend.
"""

import dataclasses
import datetime as dt
import re
import subprocess
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from teamcase.db import db
from teamcase.models import (
    AgendaItem,
    Attendance,
    AuditEvent,
    Client,
    Contact,
    Decision,
    Goal,
    Meeting,
    NetworkMember,
    Strength,
    Task,
    Team,
    User,
    utcnow,
)

from .conftest import PASSWORD, PASSWORD_HASH

pytestmark = pytest.mark.browser

SIZES = {"tablet": {"width": 768, "height": 1024}, "screen": {"width": 1920, "height": 1080}}
HERE = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def sizes():
    # A meeting runs on the shared screen: walked there, and the light pass scans
    # the pages on the tablet.
    return {"screen": SIZES["screen"], "tablet": SIZES["tablet"]}


@dataclasses.dataclass
class Noord:
    """A team of its own for each run, so that runs on one database do not meet."""

    number: int
    email: str
    truus: int
    kees: int


def _team(width: int) -> Noord:
    """Three members, three people (one with a full record, one due for review),
    a meeting held two weeks ago, and a proposal waiting for a meeting."""
    today = dt.datetime.now(HERE).date()
    with db.connection_context():
        number = Team.select().count() + 1
        team = Team.create(name=f"Buurtzorg Noord {number}", area="Noord")
        password_hash = PASSWORD_HASH

        def member(name):
            return User.create(
                email=f"{name.split()[0].lower()}.{number}@noord.example.org",
                name=name,
                role=User.MEMBER,
                team=team,
                password_hash=password_hash,
            )

        noor, pim, sara = member("Noor de Wit"), member("Pim Peters"), member("Sara Stam")
        truus = Client.open(
            team,
            by=noor,
            name="Geertruida Mulder",
            preferred_name="Truus",
            phone="020-6341122",
            street="Meeuwenlaan 40",
            date_of_birth=dt.date(1938, 2, 11),
        )
        Strength.add(truus, noor, category="skills", text="Makes soup for the whole street")
        NetworkMember.add(truus, noor, name="Ellen Mulder", relation="family", tie="strong")
        Goal.add(truus, noor, words="I want to sleep through the night again")
        for days, note in (
            (9, "Restless at night, up three times."),
            (2, "Fell on the way to the toilet."),
        ):
            Contact.record(
                truus,
                by=pim,
                happened_at=utcnow() - dt.timedelta(days=days),
                minutes=30,
                kind="home_visit",
                note=note,
            )
        kees = Client.open(
            team, by=noor, name="Kees van Dijk", phone="06-22334455", review_on=today
        )
        Client.open(team, by=noor, name="Ans Visser", phone="06-33445566")
        held = Meeting.create(
            team=team,
            held_on=today - dt.timedelta(days=14),
            status=Meeting.DONE,
            facilitator=noor,
            note_taker=pim,
            created_by=noor,
        )
        Attendance.create(meeting=held, member=noor)
        AgendaItem.create(
            meeting=held,
            kind="other",
            title="Holiday planning",
            status=AgendaItem.DISCUSSED,
            notes="Everyone puts their weeks on the board.",
        )
        Decision.propose(
            team,
            sara,
            "From next month we take no new people in Noord until two of us are back from leave",
            "So that the people we care for now get the time they need.",
        )
    return Noord(number, noor.email, truus.id, kees.id)


def _log_in(page, email):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_a_meeting_from_its_agenda_to_its_minutes(page, backend_site, check_page, viewport):
    team = _team(viewport["width"])
    today = dt.datetime.now(HERE).date()
    step = iter(range(1, 100))

    def check(name, **kwargs):
        check_page(page, f"meeting-{next(step):02d}-{name}", **kwargs)

    # --- Before the meeting: Noor flags Truus from her page.
    _log_in(page, team.email)
    page.goto(f"/people/{team.truus}")
    card = page.locator("#meeting-card")
    expect(card).to_contain_text("No review date.")
    card.get_by_role("link", name="Flag for the meeting").tap()
    reason = card.get_by_label("Why the team should talk about them")
    expect(reason).to_be_visible()
    check("flag-form")
    card.get_by_role("button", name="Flag for the meeting").tap()
    expect(
        card.get_by_text("Say why, in a few words: the team reads it on the agenda.")
    ).to_be_visible()
    check("flag-without-reason", allowed_status=400)
    card.get_by_label("Why the team should talk about them").fill(
        "She fell twice at night. Do we need an evening visit?"
    )
    card.get_by_role("button", name="Flag for the meeting").tap()
    expect(card).to_contain_text("Flagged by Noor de Wit")
    expect(card.get_by_role("status")).to_contain_text("flagged for the next meeting")
    check("flagged")

    # --- She plans the next meeting; its agenda fills itself.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team meetings")
    expect(page.get_by_role("link", name=re.compile("Minutes of"))).to_have_count(1)
    check("list")
    page.get_by_role("link", name="Plan the next meeting").tap()
    expect(
        page.get_by_text(re.compile(r"Whose turn: .* \(has not facilitated yet\)"))
    ).to_be_visible()
    check("plan")
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_label("Starts at").fill("13:30")
    page.get_by_label("Place").fill("Buurthuis Het Anker")
    page.get_by_role("button", name="Plan the meeting").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meeting of")
    agenda = page.locator("ol.agenda")
    expect(agenda.locator(".agenda-item")).to_have_count(3)
    expect(agenda).to_contain_text("Noor de Wit flagged: “She fell twice at night.")
    expect(agenda.locator(".agenda-item").nth(0)).to_contain_text("Geertruida Mulder")
    expect(agenda.locator(".agenda-item").nth(1)).to_contain_text("Kees van Dijk")
    expect(agenda.locator(".agenda-item").nth(2)).to_contain_text("From next month we take no new")
    check("agenda")

    # Her own item, added in place, then moved up one.
    page.locator("#add-item label.choice", has_text="Question").tap()
    page.get_by_label("What to talk about").fill("Who covers the weekends in March?")
    page.get_by_role("button", name="Add to the agenda").tap()
    expect(agenda.locator(".agenda-item")).to_have_count(4)
    expect(page.locator("#agenda").get_by_role("status")).to_contain_text("is on the agenda")
    expect(page.get_by_label("What to talk about")).to_have_value("")
    check("item-added")
    page.get_by_role("button", name="Move up: Who covers the weekends in March?").tap()
    expect(agenda.locator(".agenda-item").nth(2)).to_contain_text("Who covers the weekends")
    check("item-moved")

    # --- At the meeting: who is here, the previous notes.
    page.get_by_role("link", name="Start meeting mode").tap()
    expect(page.get_by_role("heading", name="Before we start")).to_be_visible()
    page.get_by_role("button", name="Start the meeting").tap()
    expect(page.get_by_text("Tick who is here: at least one member.")).to_be_visible()
    check("start-without-anyone", allowed_status=400)
    page.locator("label.choice", has_text="Noor de Wit").tap()
    page.locator("label.choice", has_text="Pim Peters").tap()
    page.get_by_label("We accept the notes of the previous meeting").check()
    check("start")
    page.get_by_role("button", name="Start the meeting").tap()
    expect(page.locator(".item-count")).to_contain_text("Item 1 of 4")
    title = page.locator(".item-title")
    expect(title).to_contain_text("Geertruida Mulder")
    stage = page.locator("#stage")
    expect(stage).to_contain_text("Makes soup for the whole street")
    expect(stage).to_contain_text("Ellen Mulder")
    expect(stage).to_contain_text("I want to sleep through the night again")
    expect(stage).to_contain_text("Fell on the way to the toilet.")
    check("person")

    # Notes, a task for the board and a new review date, each saved in place.
    stage.get_by_label("What was said and agreed").fill(
        "Falls at night. Ellen asks about a night light; trial of an evening visit."
    )
    stage.get_by_role("button", name="Save notes").tap()
    expect(stage.get_by_role("status")).to_have_text("Notes saved.")
    stage.get_by_label("What needs doing").fill("Ask Ellen about a night light")
    stage.get_by_role("button", name="Add to the board").tap()
    expect(stage.get_by_text("Choose who takes it on: someone who is here.")).to_be_visible()
    expect(stage.get_by_label("What needs doing")).to_have_value("Ask Ellen about a night light")
    check("task-without-who", allowed_status=400)
    stage.get_by_label("Who takes it on").select_option(label="Pim Peters")
    stage.get_by_role("button", name="Add to the board").tap()
    expect(stage.get_by_role("status")).to_have_text(
        "On the board: “Ask Ellen about a night light”, Pim has it."
    )
    review = today + dt.timedelta(days=28)
    stage.get_by_label("Talk about them again on").fill(review.isoformat())
    stage.get_by_role("button", name="Save the date").tap()
    expect(stage.get_by_role("status")).to_contain_text("Truus comes back on the agenda from")
    expect(page).to_have_url(re.compile(r"/meetings/\d+/run/\d+$"))
    check("person-recorded")
    stage.get_by_role("button", name="Discussed · next item").tap()
    expect(page.locator(".item-count")).to_contain_text("Item 2 of 4")
    expect(title).to_have_text("Kees van Dijk")
    expect(page).to_have_url(re.compile(r"/meetings/\d+/run/\d+$"))
    kees_url = page.url
    check("next-item")

    # Back a step with the arrow key, and on again with the button.
    page.locator("h1").click()
    page.keyboard.press("ArrowLeft")
    expect(title).to_contain_text("Geertruida Mulder")
    expect(page.locator(".item-count .done-tag")).to_have_text("Discussed")
    expect(page).not_to_have_url(kees_url)
    page.get_by_role("link", name="Next →").tap()
    expect(title).to_have_text("Kees van Dijk")
    # htmx puts the address in the history once the item has settled.
    expect(page).to_have_url(kees_url)
    # The browser's Back and Forward go through the items as they were shown.
    page.go_back()
    expect(title).to_contain_text("Geertruida Mulder")
    page.go_forward()
    expect(title).to_have_text("Kees van Dijk")
    page.locator(".rail").get_by_role("link", name=re.compile("From next month")).tap()

    # The proposal: an objection, resolved, and adopted by consent, in place.
    expect(page.locator(".item-count")).to_contain_text("Item 4 of 4")
    process = page.locator("#stage .meeting-decision .decision")
    expect(process).to_contain_text("From next month we take no new people in Noord")
    process.locator("label.choice", has_text="Objection").tap()
    process.get_by_label("Who said it").select_option(label="Pim Peters")
    process.get_by_label("What they said").fill(
        "The GP practice there has no other nursing team: people would have nobody."
    )
    process.get_by_role("button", name="Record", exact=True).tap()
    expect(process.locator(".open-objection")).to_contain_text("no other nursing team")
    check("objection")
    process.locator("summary", has_text="Resolve Pim’s objection").tap()
    process.get_by_label("How was it resolved?").fill(
        "Amended: urgent referrals are still accepted."
    )
    process.get_by_role("button", name="Mark as resolved").tap()
    expect(process.locator(".resolution")).to_contain_text("urgent referrals are still accepted")
    process.get_by_role("button", name="Adopt: nobody objects").tap()
    expect(process.locator(".decision-line .tag").first).to_have_text("Adopted")
    expect(title).to_contain_text("From next month")
    check("adopted")
    page.locator("#stage").get_by_role("button", name="Discussed · next item").tap()
    # The next item still open: back to the one skipped.
    expect(title).to_have_text("Kees van Dijk")
    page.locator(".rail").get_by_role("link", name="End of the meeting").tap()
    expect(page.get_by_role("heading", name="End of the agenda")).to_be_visible()

    # --- The end: what is still open goes to the next meeting; the minutes are there.
    expect(page.locator(".end-summary")).to_contain_text("2 of 4 items discussed. 2 still open")
    check("end")
    check_page.light_pass()  # meeting mode's pages, before the end takes them away
    page.get_by_role("button", name="End the meeting").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Minutes of the meeting of")
    expect(page.locator(".flash")).to_contain_text("2 open items go to the meeting of")
    minutes = page.locator("main")
    expect(minutes).to_contain_text("Present (2)")
    expect(minutes).to_contain_text("Noor de Wit, Pim Peters")
    expect(minutes).to_contain_text("Notes of the previous meeting")
    expect(minutes.locator(".meeting-facts")).to_contain_text("accepted")
    expect(minutes).to_contain_text("Falls at night. Ellen asks about a night light")
    expect(minutes).to_contain_text("Ask Ellen about a night light · Pim Peters")
    expect(minutes.locator(".minutes-decisions")).to_contain_text("no other nursing team")
    check("minutes")
    with db.connection_context():
        task = Task.get(Task.title == "Ask Ellen about a night light", Task.client == team.truus)
        assert task.claimed_by.name == "Pim Peters" and task.meeting_item_id
        assert Client.get_by_id(team.truus).review_on == review
        following = Meeting.get(
            Meeting.team == Client.get_by_id(team.truus).team, Meeting.status == Meeting.PLANNED
        )
        carried = [i.title for i in following.agenda()]
    assert carried == ["Kees van Dijk", "Who covers the weekends in March?"]


@pytest.mark.parametrize("viewport", ["tablet"], indirect=True)
def test_a_meeting_runs_without_javascript(nojs_page, backend_site, check_page):
    """Every step as plain links and forms: no htmx, no arrow keys."""
    page = nojs_page
    team = _team(768)
    today = dt.datetime.now(HERE).date()
    _log_in(page, team.email)
    page.goto("/meetings/new")
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_role("button", name="Plan the meeting").tap()
    agenda = page.locator("ol.agenda")
    expect(agenda.locator(".agenda-item")).to_have_count(2)
    page.get_by_label("What to talk about").fill("Who covers the weekends in March?")
    page.get_by_role("button", name="Add to the agenda").tap()
    expect(page.locator(".flash")).to_contain_text("is on the agenda, at the end")
    page.get_by_role("button", name="Move up: Who covers the weekends in March?").tap()
    expect(agenda.locator(".agenda-item").nth(1)).to_contain_text("Who covers the weekends")
    check_page(page, "meeting-nojs-01-agenda")
    page.get_by_role("link", name="Start meeting mode").tap()
    page.locator("label.choice", has_text="Noor de Wit").tap()
    page.get_by_role("button", name="Start the meeting").tap()
    # Nobody flagged Truus this time: Kees, whose review date has come, is first.
    expect(page.locator(".item-title")).to_have_text("Kees van Dijk")
    page.get_by_label("What was said and agreed").fill("An evening visit for two weeks.")
    page.get_by_role("button", name="Save notes").tap()
    expect(page.locator(".flash")).to_have_text("Notes saved.")
    expect(page.get_by_label("What was said and agreed")).to_have_value(
        "An evening visit for two weeks."
    )
    check_page(page, "meeting-nojs-02-notes")
    page.get_by_role("button", name="Discussed · next item").tap()
    expect(page.locator(".item-title")).to_contain_text("Who covers the weekends")
    page.get_by_role("link", name="Next →").tap()
    expect(page.locator("#stage .decision")).to_contain_text("From next month we take no new")
    check_page(page, "meeting-nojs-03-proposal")
    # A question recorded without JavaScript comes back to meeting mode, at this item.
    process = page.locator("#stage .decision")
    process.get_by_label("What they said").fill("Until when exactly?")
    process.get_by_role("button", name="Record", exact=True).tap()
    expect(page).to_have_url(re.compile(r"/meetings/\d+/run/\d+#decision-\d+$"))
    expect(page.locator(".flash")).to_have_text("Question recorded.")
    expect(page.locator("#stage .decision .steps")).to_contain_text("Until when exactly?")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    page.get_by_role("link", name="To the end →").tap()
    page.get_by_role("button", name="End the meeting").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Minutes of the meeting of")
    expect(page.locator("main")).to_contain_text("An evening visit for two weeks.")
    check_page(page, "meeting-nojs-04-minutes")


def test_the_pack_without_names_names_no_member_next_to_their_work(page, check_page, tmp_path):
    """The pack that may leave the office: who facilitates, who flagged Truus, who
    visited her and who holds her task are not in it, as on the coach's pages."""
    team = _team(SIZES["screen"]["width"])
    today = dt.datetime.now(HERE).date()
    with db.connection_context():
        truus = Client.get_by_id(team.truus)
        noor = User.get(User.email == team.email)
        pim = User.get(User.team == truus.team_id, User.name == "Pim Peters")
        truus.flag_for_meeting(pim, "Falls at night: does she need a sensor mat?")
        meeting = Meeting.plan(truus.team_id, noor, held_on=today, facilitator=noor, note_taker=pim)
        meeting.build_agenda(noor)
        item = AgendaItem.get(AgendaItem.meeting == meeting, AgendaItem.client == truus)
        item.add_task(noor, "Ask the GP about a sensor mat", pim)
    _log_in(page, team.email)
    page.goto(f"/meetings/{meeting.id}")
    check_page(page, "meeting-pack-without-names")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Pack without names").tap()
    pdf = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(pdf)
    text = " ".join(
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "Flagged: Falls at night" in text
    assert "Ask the GP about a sensor mat · a colleague has it" in text
    members = ("Noor", "Wit", "Pim", "Peters", "Sara", "Stam")
    assert [w for w in members if re.search(rf"(?<!\w){w}(?!\w)", text)] == []
    with db.connection_context():
        printed = AuditEvent.get(
            AuditEvent.entity == "meeting",
            AuditEvent.entity_id == meeting.id,
            AuditEvent.action == "export",
        )
        assert '"pseudonymised": true' in printed.changes
