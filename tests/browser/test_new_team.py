"""A team that splits in two, on the tablet.

Buurtzorg Oost grew past twelve and decided together that Lotte and Wim start the
new team. Anna asks the back office for it, ticking only Lotte at first and told
that it takes two; she ticks Wim too. Lotte, logged in on her own tablet, still
sees Oost. Fred of the back office opens the request, makes the team from the form
filled in from it, and the thread says who moved. Lotte's next page is the new
team's, with her session as it was; Anna's team log says Lotte and Wim moved.

Lotte and Wim are members of their own for this journey, so that no other
journey meets the colleagues who moved.
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


def test_a_team_asks_for_a_new_team_the_back_office_makes_it_and_two_move(
    page, another_page, backend_site, log_in, check_page, own_members
):
    port = backend_site.url.rsplit(":", 1)[-1]
    new_team = f"Buurtzorg Oost-Noord {port}"
    lotte_email, wim_email = f"lotte.{port}@oost.example.org", f"wim.{port}@oost.example.org"
    own_members.extend([lotte_email, wim_email])
    with db.connection_context():
        oost = Team.get(Team.name == "Buurtzorg Oost")
        for email, name in ((lotte_email, "Lotte Kuipers"), (wim_email, "Wim Kuipers")):
            User.create(
                email=email, name=name, role=User.MEMBER, team=oost, password_hash=PASSWORD_HASH
            )
    heading = page.get_by_role("heading", level=1)
    main_nav = page.get_by_role("navigation", name="Main")

    def as_(who):
        page.context.clear_cookies()
        log_in(page, who)

    # --- Lotte is logged in on her own tablet, in Oost.
    lotte = another_page()
    lotte.goto("/login")
    lotte.get_by_label("Email").fill(lotte_email)
    lotte.get_by_label("Password").fill(PASSWORD)
    lotte.get_by_role("button", name="Log in").tap()
    expect(lotte.get_by_role("button", name="Log out")).to_be_visible()
    lotte.goto("/team/")
    lotte_heading = lotte.get_by_role("heading", level=1)
    expect(lotte_heading).to_contain_text("Buurtzorg Oost")

    # --- Anna asks for the new team, with who goes to it.
    as_("anna")
    page.goto("/support/")
    page.get_by_role("link", name="+ Ask the back office").first.tap()
    page.get_by_role("link", name="A new team").tap()
    page.get_by_label("The new team's name").fill(new_team)
    page.get_by_label("Its neighbourhood").fill("Noord")
    page.get_by_label("Lotte Kuipers").check()
    page.get_by_role("button", name="Send to the back office").tap()
    expect(page.locator(".field.has-error .error")).to_contain_text(
        "Choose at least two colleagues"
    )
    expect(page.get_by_label("The new team's name")).to_have_value(new_team)
    expect(page.get_by_label("Lotte Kuipers")).to_be_checked()
    check_page(page, "new-team-01-asked-badly", allowed_status=400)
    page.get_by_label("Wim Kuipers").check()
    page.get_by_role("button", name="Send to the back office").tap()
    expect(heading).to_have_text(f"A new team: {new_team}")
    expect(page.locator(".support-thread")).to_contain_text(
        "Going to the new team: Lotte Kuipers, Wim Kuipers"
    )
    expect(page.locator("#movers").get_by_label("Wim Kuipers")).to_be_checked()
    check_page(page, "new-team-02-sent")

    # --- Fred makes the team from the request.
    as_("office")
    page.goto("/office/")
    main_nav.get_by_role("link", name="Support requests").tap()
    page.get_by_role("link", name=f"A new team: {new_team}").tap()
    expect(page.locator(".support-asked")).to_contain_text("Lotte Kuipers, Wim Kuipers")
    act = page.locator("#act")
    expect(act.get_by_label("The team's name")).to_have_value(new_team)
    check_page(page, "new-team-03-office-form")
    act.get_by_role("button", name="Make the team").tap()
    expect(page.locator(".tags")).to_contain_text("Done: waiting for the team to confirm")
    expect(page.locator(".support-thread")).to_contain_text(
        "Lotte Kuipers, Wim Kuipers moved to it"
    )
    check_page(page, "new-team-04-made")

    # --- Lotte's next page is the new team's; her session held.
    lotte.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile("^Our team")
    ).tap()
    expect(lotte_heading).to_contain_text(new_team)
    expect(lotte.locator("#members")).to_contain_text("Wim Kuipers")
    expect(lotte.locator("#team-log")).to_contain_text(
        "Lotte Kuipers came to the team from Buurtzorg Oost"
    )
    check_page(lotte, "new-team-05-her-new-team")

    # --- Anna's team log says who went; they are no longer among her colleagues.
    as_("anna")
    page.goto("/team/")
    expect(page.locator("#team-log")).to_contain_text(f"Lotte Kuipers moved to {new_team}")
    expect(page.locator("#members")).not_to_contain_text("Lotte Kuipers")
    check_page(page, "new-team-06-oost-log")

    # --- And Oost confirms it done: nothing of it waits for the team any more.
    page.goto("/support/")
    page.get_by_role("link", name=f"A new team: {new_team}").first.tap()
    page.get_by_role("button", name="Yes, it is done").tap()
    expect(page.locator(".tags")).to_contain_text("Closed")
