"""The team looks after its own members and roles, with nobody in charge.

Anna invites a new colleague, who opens the link on her own tablet, chooses a
password and lands on the caseload; Anna gives another colleague a first password,
which she must replace at her first login; Els leaves and Anna deactivates her, and
the team log says so; Anna names a role, hands it to Bram, and ends his turn in
place. The team is one of its own (West), so that the other journeys' teams keep
their members. At the portrait tablet size, on every backend.
"""

import re

import pytest
from playwright.sync_api import expect

from teamcase.db import db
from teamcase.models import Team, User

from .conftest import PASSWORD, PASSWORD_HASH

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("viewport", ["portrait"], indirect=True),
]

TEAM = "Buurtzorg West"
ANNA = ("Anna Pauw", "anna@west.example.org")
BRAM = ("Bram Visser", "bram@west.example.org")
ELS = ("Els Kok", "els@west.example.org")
KWAME = ("Kwame Mensah", "kwame@west.example.org")
LOTTE = ("Lotte Jansen", "lotte@west.example.org")
FIRST_PASSWORD = "tulips in the Vondelpark"
OWN_PASSWORD = "my own secret sentence"
# Set on the page head once the team page has loaded: a full page load takes it away.
MARKER = "data-team-journey"


@pytest.fixture
def west(live):
    """Team West with Anna, Bram and Els, made once per backend."""
    with db.connection_context():
        team = Team.get_or_none(Team.name == TEAM)
        if team is None:
            team = Team.create(name=TEAM, area="West")
            password_hash = PASSWORD_HASH
            for name, email in (ANNA, BRAM, ELS):
                User.create(name=name, email=email, team=team, password_hash=password_hash)
    return team


def _log_in(page, email, password):
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").tap()


def test_a_team_adds_and_loses_colleagues_and_shares_out_a_role(
    page, backend_site, west, another_page, check_page
):
    # --- Anna opens the team page from the menu.
    _log_in(page, ANNA[1], PASSWORD)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Our team").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TEAM)
    members = page.locator("#members .member-row")
    expect(members).to_have_count(3)
    check_page(page, "team")

    # --- She invites Kwame: the link is shown once, to pass on.
    page.get_by_role("link", name="+ Add a colleague").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a colleague")
    expect(page.get_by_role("radio", name=re.compile("^Send an invitation link"))).to_be_checked()
    # Only the other way needs a password.
    expect(page.get_by_label("First password", exact=True)).to_be_hidden()
    check_page(page, "team-add-colleague")
    page.get_by_label("Name", exact=True).fill(KWAME[0])
    page.get_by_label("Email", exact=True).fill(KWAME[1])
    page.get_by_role("button", name="Add the colleague").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Invitation for {KWAME[0]}")
    link = page.get_by_label("The invitation link").input_value()
    assert re.fullmatch(rf"{re.escape(backend_site.url)}/join/[\w-]{{40,}}", link), link
    expect(page.get_by_role("link", name=f"Email the link to {KWAME[0]}")).to_have_attribute(
        "href", re.compile(rf"^mailto:{re.escape(KWAME[1])}\?subject=")
    )
    check_page(page, "team-invitation-link")

    # --- Kwame opens it on his own tablet and chooses a password.
    kwame = another_page()
    kwame.goto(link)
    expect(kwame.get_by_role("heading", level=1)).to_have_text(f"Welcome, {KWAME[0]}")
    expect(kwame.locator("main")).to_contain_text(f"{ANNA[0]} invited you to join {TEAM}")
    check_page(kwame, "join")
    kwame.get_by_label("New password", exact=True).fill(OWN_PASSWORD)
    kwame.get_by_label("New password again").fill("not the same at all")
    kwame.get_by_role("button", name=f"Join {TEAM}").tap()
    expect(kwame.locator(".field.has-error .error")).to_have_text(
        "The two new passwords are not the same."
    )
    check_page(kwame, "join-passwords-differ", allowed_status=400)
    kwame.get_by_label("New password", exact=True).fill(OWN_PASSWORD)
    kwame.get_by_label("New password again").fill(OWN_PASSWORD)
    kwame.get_by_role("button", name=f"Join {TEAM}").tap()
    expect(kwame).to_have_url(f"{backend_site.url}/caseload")
    expect(kwame.locator(".flash")).to_have_text(f"Welcome to {TEAM}, Kwame!")
    expect(kwame.get_by_role("heading", level=1)).to_contain_text(TEAM)
    check_page(kwame, "join-caseload")

    # --- The link works once.
    used = another_page()
    used.goto(link)
    expect(used.get_by_role("heading", level=1)).to_have_text(
        "This invitation link no longer works"
    )
    check_page(used, "join-used", allowed_status=410)

    # --- Anna gives Lotte a first password instead.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Our team").tap()
    expect(members).to_have_count(4)
    expect(page.locator("#team-log tbody tr").first).to_contain_text(
        f"Joined the team, invited by {ANNA[0]}"
    )
    page.get_by_role("link", name="+ Add a colleague").tap()
    page.get_by_label("Name", exact=True).fill(LOTTE[0])
    page.get_by_label("Email", exact=True).fill(LOTTE[1])
    page.locator("label.choice", has_text="Give a first password").tap()
    expect(page.get_by_label("First password", exact=True)).to_be_visible()
    page.get_by_label("First password", exact=True).fill("short")
    page.get_by_role("button", name="Add the colleague").tap()
    expect(page.locator(".field.has-error .error")).to_have_text("Use at least 10 characters.")
    expect(page.get_by_label("Name", exact=True)).to_have_value(LOTTE[0])
    check_page(page, "team-first-password-too-short", allowed_status=400)
    page.get_by_label("First password", exact=True).fill(FIRST_PASSWORD)
    page.get_by_role("button", name="Add the colleague").tap()
    expect(page.locator(".flash")).to_contain_text(f"{LOTTE[0]} can log in now")
    expect(members).to_have_count(5)

    # --- Lotte's first login goes straight to choosing her own password.
    lotte = another_page()
    _log_in(lotte, LOTTE[1], FIRST_PASSWORD)
    expect(lotte.get_by_role("heading", level=1)).to_have_text("Choose your own password")
    expect(lotte.get_by_role("navigation", name="Main").get_by_role("link")).to_have_count(0)
    check_page(lotte, "first-password-change")
    lotte.goto("/caseload")
    expect(lotte).to_have_url(f"{backend_site.url}/account/password")
    lotte.get_by_label("Current password").fill(FIRST_PASSWORD)
    lotte.get_by_label("New password", exact=True).fill(OWN_PASSWORD)
    lotte.get_by_label("New password again").fill(OWN_PASSWORD)
    lotte.get_by_role("button", name="Change password").tap()
    expect(lotte).to_have_url(f"{backend_site.url}/caseload")
    expect(lotte.locator(".flash")).to_have_text("Your password is changed.")
    check_page(lotte, "first-password-changed")

    # --- Els leaves: Anna deactivates her, with a note for the log.
    page.get_by_role("link", name=f"Deactivate {ELS[0]}").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Deactivate {ELS[0]}")
    check_page(page, "team-deactivate")
    page.get_by_label("A note for the team log").fill("Moved to Utrecht, near her grandchildren.")
    page.get_by_role("button", name=f"Deactivate {ELS[0]}").tap()
    expect(page.locator(".flash")).to_have_text(
        f"{ELS[0]} is deactivated and can no longer log in."
    )
    expect(members).to_have_count(4)
    former = page.locator("#former")
    expect(former).to_contain_text(ELS[0])
    newest = page.locator("#team-log tbody tr").first
    expect(newest).to_contain_text(f"Deactivated {ELS[0]}, who left the team")
    expect(newest).to_contain_text("“Moved to Utrecht, near her grandchildren.”")
    expect(newest).to_contain_text(ANNA[0])
    check_page(page, "team-after-deactivation")
    gone = another_page()
    _log_in(gone, ELS[1], PASSWORD)
    expect(gone.get_by_role("alert")).to_contain_text("do not match an account")
    check_page(gone, "login-after-leaving", allowed_status=400)

    # --- Anna names a role and hands it to Bram.
    page.get_by_role("link", name="+ Name a role").first.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Name a role")
    page.get_by_role("button", name="Add the role").tap()
    expect(page.locator(".field.has-error .error")).to_have_text("Give the role a name.")
    check_page(page, "team-role-without-name", allowed_status=400)
    page.get_by_label("Role", exact=True).fill("Planner")
    page.get_by_label("What it is for").fill("Makes the week plan with everyone on Monday.")
    page.get_by_role("button", name="Add the role").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hand on: Planner")
    expect(page.locator("main")).to_contain_text("Nobody holds it now.")
    check_page(page, "team-hand-role")
    page.locator("label.choice", has_text=BRAM[0]).tap()
    page.get_by_role("button", name="Hand it on from today").tap()
    expect(page.locator(".flash")).to_have_text(f"{BRAM[0]} holds the role Planner from today.")
    role = page.locator("#roles article.role", has_text="Planner")
    expect(role.locator(".holder")).to_contain_text(f"{BRAM[0]} since")
    bram_row = page.locator("#members .member-row", has_text=BRAM[0])
    expect(bram_row).to_contain_text("Planner")
    expect(page.locator("#team-log tbody tr").first).to_contain_text(f"Handed Planner to {BRAM[0]}")
    check_page(page, "team-role-handed")

    # --- His turn ends, in place: the card and the log change, the page stays.
    page.locator(".page-head").evaluate(f"el => el.setAttribute('{MARKER}', '')")
    role.get_by_role("button", name=f"End the turn of {BRAM[0]} as Planner").tap()
    expect(page.locator("#roles .flash")).to_have_text(
        f"{BRAM[0]}'s turn as Planner has ended. Nobody holds it now."
    )
    expect(role.locator(".holder")).to_have_text("Nobody holds it now.")
    expect(role.locator("details.earlier")).to_contain_text(BRAM[0])
    expect(page.locator("#team-log tbody tr").first).to_contain_text(
        f"Ended {BRAM[0]}'s turn as Planner"
    )
    expect(page.locator(f".page-head[{MARKER}]")).to_have_count(1)
    check_page(page, "team-turn-ended")
