"""Closing a case, the letter for the GP, reopening it; and a transfer to another team.

A woman no longer needs the team: Anna closes her case with a reason and a short
story, sees the banner on her page, downloads the letter for the GP, finds her again
under the closed cases, and reopens the case when her daughter calls.

A man moves across town: Anna asks team Zuid to take him over, prints the transfer
letter, and until Zuid answers he stays with Oost. Sanne of Zuid finds him in her
referrals inbox and accepts; from then on Anna's team no longer sees his record.

Runs on every backend (SQLite, and PostgreSQL when TEST_DATABASE_URL is set) at both
tablet sizes; each run makes its own people, so the runs on one database do not meet.
"""

import datetime as dt
import re
import subprocess
import zoneinfo

import pytest
from playwright.sync_api import expect

from teamcase.db import db
from teamcase.models import Client, Contact, Team, User, utcnow

pytestmark = pytest.mark.browser

ZONE = zoneinfo.ZoneInfo("Europe/Amsterdam")
WOMEN = {768: "Alida Bos", 1280: "Jacoba Smit"}
MEN = {768: "Cornelis Vos", 1280: "Marinus Kok"}
STORY = (
    "We dressed the wound on her leg three times a week until it healed. "
    "She now walks to the market with her neighbour on Saturdays."
)
NOTE = "He moves in with his daughter on the Maasstraat on 1 December. Legs twice a week."


def _today() -> dt.date:
    return dt.datetime.now(ZONE).date()


def _person(name: str, backend_site) -> tuple[int, str]:
    """A person of Oost in care for three weeks, whom Anna knows best, with a few
    visits; (id, name), the name unique per run."""
    with db.connection_context():
        anna = User.get(User.email == "anna@oost.example.org")
        oost = Team.get(Team.name == "Buurtzorg Oost")
        person = Client.open(
            oost,
            by=anna,
            known_best=[anna],
            name=f"{name} {backend_site.url.rsplit(':', 1)[1]}",
            phone="020-6940000",
            street="Javastraat 12",
            date_of_birth=dt.date(1940, 4, 3),
        )
        Client.update(care_started_at=utcnow() - dt.timedelta(days=23)).where(
            Client.id == person.id
        ).execute()
        for days in (20, 13, 6):
            Contact.record(
                person,
                by=anna,
                happened_at=utcnow() - dt.timedelta(days=days),
                minutes=45,
                kind="home_visit",
                note="Wound care.",
                created_at=utcnow() - dt.timedelta(days=days),
            )
        return person.id, person.name


def _pdf_text(download, tmp_path) -> str:
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def test_a_case_is_closed_with_a_letter_and_reopened(
    page, backend_site, log_in, check_page, viewport, tmp_path
):
    person_id, name = _person(WOMEN[viewport["width"]], backend_site)
    heading = page.get_by_role("heading", level=1)
    log_in(page, "anna")
    page.goto(f"/people/{person_id}")
    expect(heading).to_have_text(name)
    check_page(page, "closing-01-person")

    # --- Closing: the reason and a short story are needed.
    page.get_by_role("link", name="Close this case").tap()
    expect(heading).to_have_text(f"Close {name}'s case")
    check_page(page, "closing-02-form")
    page.get_by_role("button", name="Close the case").tap()
    expect(page.locator(".form-problem")).to_contain_text("Please check the 2 fields")
    check_page(page, "closing-03-form-errors", allowed_status=400)
    page.get_by_label("Goals reached").check()
    page.get_by_label("The closing story").fill(STORY)
    page.get_by_role("button", name="Close the case").tap()

    # --- Her page says so, with the story, the letter and a way back.
    expect(heading).to_have_text(name)
    expect(page.locator(".flash")).to_have_text(
        f"{name}'s case is closed. The letter for the GP is ready."
    )
    today = _today()
    banner = page.locator(".case-banner")
    expect(banner.get_by_role("heading")).to_have_text(
        f"Case closed on {today.day} {today:%b %Y} by Anna: goals reached (in care 3 weeks)"
    )
    expect(banner).to_contain_text("walks to the market with her neighbour")
    expect(page.get_by_role("link", name="Close this case")).to_have_count(0)
    check_page(page, "closing-04-closed")

    # --- The letter for her GP: a download, one A4 page.
    with page.expect_download() as download_info:
        banner.get_by_role("link", name="Closing letter (PDF)").tap()
    download = download_info.value
    assert re.fullmatch(
        rf"closing-letter-{name.replace(' ', '-')}-{today.isoformat()}\.pdf",
        download.suggested_filename,
    ), download.suggested_filename
    text = _pdf_text(download, tmp_path)
    for wanted in (
        "Buurtzorg Oost",
        f"To the GP of {name}",
        f"Re: {name}, born 3 April 1940, Javastraat 12",
        "Reason for closing Goals reached",
        "3 contacts (visits, calls and messages), about 2 hours of care",
        "walks to the market with her neighbour on Saturdays",
        "Anna de Vries on behalf of Buurtzorg Oost",
    ):
        assert wanted in text, wanted

    # --- Off the caseload, under the closed cases.
    page.goto("/caseload")
    expect(page.get_by_role("link", name=name, exact=True)).to_have_count(0)
    check_page(page, "closing-05-caseload")
    page.get_by_role("link", name="Closed cases").tap()
    expect(heading).to_contain_text("Closed cases")
    row = page.locator(".closed-cases tr", has_text=name)
    expect(row).to_contain_text("Goals reached")
    expect(row).to_contain_text("3 weeks")
    check_page(page, "closing-06-closed-cases")

    # --- Her daughter calls: the case opens again.
    row.get_by_role("link", name=name).tap()
    page.locator(".case-banner").get_by_role("link", name="Reopen").tap()
    expect(heading).to_have_text(f"Reopen {name}'s case")
    check_page(page, "closing-07-reopen")
    page.get_by_label("Why does the case open again?").fill("Her daughter called: she fell.")
    page.get_by_role("button", name="Reopen the case").tap()
    expect(heading).to_have_text(name)
    expect(page.locator(".flash")).to_have_text(
        f"{name}'s case is open again: a new period in care starts today."
    )
    expect(page.locator(".case-banner")).to_have_count(0)
    expect(page.get_by_role("link", name="Close this case")).to_be_visible()
    check_page(page, "closing-08-reopened")
    page.goto("/caseload")
    expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()


def test_a_man_is_transferred_and_the_sending_team_loses_his_record(
    page, another_page, backend_site, log_in, check_page, viewport, tmp_path
):
    person_id, name = _person(MEN[viewport["width"]], backend_site)
    heading = page.get_by_role("heading", level=1)
    log_in(page, "anna")
    page.goto(f"/people/{person_id}")

    # --- Anna asks Zuid to take him over.
    page.get_by_role("link", name="Transfer", exact=True).tap()
    expect(heading).to_have_text(f"Transfer {name} to another team")
    check_page(page, "transfer-01-form")
    page.get_by_role("button", name="Ask them to take over").tap()
    expect(page.locator(".field.has-error .error")).to_have_text(
        ["Choose the team that takes over.", "Write a note for the team that takes over."]
    )
    check_page(page, "transfer-02-form-errors", allowed_status=400)
    page.get_by_label("Which team takes over?").select_option(label="Buurtzorg Zuid (Zuid)")
    page.get_by_label("A note for them").fill(NOTE)
    page.get_by_role("button", name="Ask them to take over").tap()

    # --- Until Zuid answers he stays with Oost; the page says what is going on.
    expect(heading).to_have_text(name)
    today = _today()
    banner = page.locator(".case-banner")
    expect(banner.get_by_role("heading")).to_have_text(
        f"Transfer to Buurtzorg Zuid asked on {today.day} {today:%b %Y} by Anna, waiting for them"
    )
    expect(banner).to_contain_text("Maasstraat")
    expect(page.get_by_role("link", name="Close this case")).to_have_count(0)
    check_page(page, "transfer-03-waiting")
    with page.expect_download() as download_info:
        banner.get_by_role("link", name="Transfer letter (PDF)").tap()
    text = _pdf_text(download_info.value, tmp_path)
    for wanted in ("Buurtzorg Zuid", f"Re: transfer of care, {name}", "Until you accept", NOTE):
        assert wanted in text, wanted

    # --- A second transfer is refused, with who asked the first.
    page.goto(f"/people/{person_id}/transfer")
    expect(page.locator(".form-problem")).to_contain_text(
        "A transfer to Buurtzorg Zuid is already waiting"
    )
    check_page(page, "transfer-04-one-at-a-time")

    check_page.light_pass()  # Oost's pages of him, before Zuid takes him over
    # --- Sanne of Zuid finds him in her inbox and accepts.
    zuid = another_page()
    log_in(zuid, "sanne")
    zuid.goto("/referrals/")
    row = zuid.locator(".referral-row", has_text=name)
    expect(row).to_contain_text("Transfer from Buurtzorg Oost")
    check_page(zuid, "transfer-05-zuid-inbox")
    row.get_by_role("link", name=name).tap()
    zuid.get_by_role("button", name="Accept and plan the first visit").tap()
    expect(zuid).to_have_url(re.compile(rf"/people/{person_id}$"))
    expect(zuid.locator(".flash")).to_contain_text(f"{name} is now in your team's care.")
    expect(zuid.get_by_role("heading", level=1)).to_have_text(name)
    check_page(zuid, "transfer-06-zuid-person")

    # --- Oost no longer sees him.
    page.goto(f"/people/{person_id}")
    expect(heading).to_have_text("Not found")
    check_page(page, "transfer-07-gone", allowed_status=404)
    page.goto("/caseload")
    expect(page.get_by_role("link", name=name, exact=True)).to_have_count(0)
