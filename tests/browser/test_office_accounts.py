"""An account for a new colleague, through a request, on the tablet.

Anna asks the back office for an account for Lieke, who starts next week. Fred of
the back office opens the request, finds the form filled in from it, makes the
account and reads her first password off the screen, once. Anna confirms it is
done and adds Lieke to the team from Our team → Add a colleague; Lieke logs in
with the first password and chooses her own.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("viewport", ["portrait"], indirect=True),
]


def test_a_nurse_asks_for_an_account_the_back_office_makes_it_and_the_team_adds_her(
    page, backend_site, log_in, check_page
):
    name = "Lieke Mulder"
    email = f"lieke.{backend_site.url.rsplit(':', 1)[-1]}@oost.example.org"
    heading = page.get_by_role("heading", level=1)
    main_nav = page.get_by_role("navigation", name="Main")

    def as_(who):
        page.context.clear_cookies()
        log_in(page, who)

    # --- Anna asks, choosing what she needs.
    as_("anna")
    page.goto("/support/")
    page.get_by_role("link", name="+ Ask the back office").first.tap()
    page.get_by_role("link", name="An account for a new colleague").tap()
    expect(page.get_by_role("heading", name="An account for a new colleague")).to_be_visible()
    page.get_by_label("Her name").fill(name)
    page.get_by_label("Her email address").fill("lieke at home")
    starts = dt.date.today() + dt.timedelta(days=7)
    page.get_by_label("The day she starts").fill(starts.strftime("%d-%m-%Y"))
    page.get_by_role("button", name="Send to the back office").tap()
    expect(page.locator(".field.has-error .error")).to_contain_text(
        "This does not look like an email address"
    )
    expect(page.get_by_label("Her name")).to_have_value(name)
    check_page(page, "accounts-01-asked-badly", allowed_status=400)
    page.get_by_label("Her email address").fill(email)
    page.get_by_role("button", name="Send to the back office").tap()
    expect(heading).to_have_text(f"An account for {name}")
    expect(page.locator(".support-asked")).to_contain_text(email)
    check_page(page, "accounts-02-sent")

    # --- Fred makes the account from the request.
    as_("office")
    page.goto("/office/")
    main_nav.get_by_role("link", name="Support requests").tap()
    page.get_by_role("link", name=f"An account for {name}").tap()
    expect(heading).to_have_text(f"An account for {name}")
    act = page.locator("#act")
    expect(act.get_by_label("Her name")).to_have_value(name)
    expect(act.get_by_label("Her email address")).to_have_value(email)
    check_page(page, "accounts-03-office-form")
    act.get_by_role("button", name="Make the account").tap()
    expect(page.locator(".tags")).to_contain_text("Done: waiting for the team to confirm")
    expect(page.locator(".support-thread")).to_contain_text(f"Account made for {name} ({email})")
    password = page.locator(".first-password-given code").inner_text()
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", password)
    check_page(page, "accounts-04-made")
    page.reload()
    expect(page.locator(".first-password-given")).to_have_count(0)

    # --- Anna confirms, and adds Lieke from Our team → Add a colleague.
    as_("anna")
    page.goto("/support/")
    page.get_by_role("link", name=f"An account for {name}").tap()
    expect(page.locator(".support-thread")).to_contain_text(f"Account made for {name}")
    expect(page.get_by_text(password)).to_have_count(0)
    page.get_by_role("button", name="Yes, it is done").tap()
    expect(page.locator(".tags")).to_contain_text("Closed")
    check_page(page, "accounts-05-confirmed")
    main_nav.get_by_role("link", name=re.compile("^Our team")).tap()
    page.get_by_role("link", name="Add a colleague").first.tap()
    made = page.locator(".made-accounts")
    expect(made).to_contain_text(email)
    check_page(page, "accounts-06-add-a-colleague")
    made.get_by_role("button", name=f"Add {name} to the team").tap()
    expect(page.locator(".flash")).to_contain_text(f"{name} is in the team now")
    expect(page.locator("#members")).to_contain_text(name)
    check_page(page, "accounts-07-in-the-team")

    # --- Lieke logs in with the first password and chooses her own.
    page.context.clear_cookies()
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").tap()
    expect(page.get_by_label("New password", exact=True)).to_be_visible()
    check_page(page, "accounts-08-her-own-password")
