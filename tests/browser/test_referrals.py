"""Referrals on the tablet: a GP phones about a man just home from hospital.

Anna writes the referral down while on the phone, sees it in the team's inbox with
the team's room, accepts it with a first visit for herself tomorrow, and lands on
the new person's page with the visit in the plan, who referred him, when and why, and
a link back to the referral. She makes the visit early, taps Done in her day's plan,
reads the referrer's reason above the form and writes what happened; the inbox then
shows the time from referral to first visit.

A second referral is for someone the team already knows: the page warns, Anna puts
it on the team meeting's list and then declines it, both in place with htmx.
"""

import datetime as dt
import re
import zoneinfo

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ZONE = zoneinfo.ZoneInfo("Europe/Amsterdam")

# Each size and backend records its own man, so the runs on one database do not meet.
MEN = {
    768: ("Hendrik Brouwer", "020-6943768"),
    1280: ("Jacobus Verhagen", "020-6941280"),
}
STORY = (
    "Came home from the OLVG yesterday after ten days with pneumonia. Lives alone on the "
    "second floor; weak on his legs, new medication. Could someone come tomorrow?"
)


def _local_now() -> dt.datetime:
    return dt.datetime.now(ZONE).replace(tzinfo=None, second=0, microsecond=0)


def test_a_referral_is_recorded_accepted_and_the_first_visit_made(
    page, backend_site, log_in, check_page, viewport
):
    name, phone = MEN[viewport["width"]]
    tomorrow = _local_now().date() + dt.timedelta(days=1)
    heading = page.get_by_role("heading", level=1)
    log_in(page, "anna")
    page.goto("/caseload")

    # --- The inbox, from the main navigation.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Referrals").tap()
    expect(heading).to_have_text("Referrals")
    expect(page.locator(".capacity-number")).to_have_text(re.compile(r"^\d+ of 60$"))
    expect(page.locator(".room-members")).to_contain_text("Anna de Vries")
    check_page(page, "referrals-01-inbox")

    # --- Writing it down while on the phone; the name is all that is needed.
    page.get_by_role("link", name="+ Record a referral").tap()
    expect(heading).to_have_text("Record a referral")
    check_page(page, "referrals-02-new")
    page.get_by_role("button", name="Save the referral").tap()
    expect(page.locator(".field.has-error .error")).to_have_text(
        "Enter the name of the person referred."
    )
    check_page(page, "referrals-03-new-error", allowed_status=400)
    page.get_by_label("Who referred").fill("Dr. Bouali")
    page.get_by_label("From where").fill("Huisartsenpraktijk Dapperbuurt")
    page.get_by_label("Their phone number").fill("020-6651840")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Date of birth").fill("1941-03-12")
    page.get_by_label("Phone", exact=True).fill(phone)
    page.get_by_label("Street and number").fill("Wagenaarstraat 37-2")
    page.get_by_label("What is going on, in the referrer's words").fill(STORY)
    page.locator("label.choice", has_text="Urgent (within a day)").tap()
    page.get_by_role("button", name="Save the referral").tap()
    expect(heading).to_have_text(name)
    expect(page.locator(".flash")).to_contain_text(f"Referral for {name} recorded.")
    expect(page.locator(".referral-story")).to_have_text(STORY)
    expect(page.locator(".notice")).to_have_count(0)  # nobody like him is known
    check_page(page, "referrals-04-referral")

    # --- The team sees it at the top of the inbox, marked urgent.
    page.get_by_role("link", name="← Referrals").tap()
    row = page.locator("#open-heading + ul .referral-row", has_text=name)
    expect(row).to_contain_text("Urgent (within a day)")
    expect(row).to_contain_text("From Dr. Bouali, Huisartsenpraktijk Dapperbuurt")
    check_page(page, "referrals-05-inbox-open")

    # --- Accepting on behalf of the team: the first visit, tomorrow, by her.
    row.get_by_role("link", name=name).tap()
    expect(heading).to_have_text(name)
    expect(page.get_by_label("Day of the first visit")).to_have_value(tomorrow.isoformat())
    expect(page.get_by_label("I will", exact=True)).to_be_checked()
    expect(page.get_by_label("I will be the one who knows them best")).to_be_checked()
    page.get_by_label("From", exact=True).fill("10:00")
    page.get_by_label("Until", exact=True).fill("11:00")
    page.get_by_role("button", name="Accept and plan the first visit").tap()
    expect(heading).to_have_text(name)
    expect(page.locator(".flash")).to_have_text(
        f"{name} is now in the caseload. First visit planned on "
        f"{tomorrow:%A} {tomorrow.day} {tomorrow:%B}, by you."
    )
    person_url = page.url
    assert re.search(r"/people/\d+$", person_url), person_url
    expect(page.locator(".person-facts")).to_contain_text("Anna de Vries")
    expect(page.locator(".continuity-next")).to_contain_text(
        f"{tomorrow:%a} {tomorrow.day} {tomorrow:%b} 10:00, Anna"
    )
    # Who referred him, when and why, and the way back to the referral.
    came_by = page.locator(".came-by")
    expect(came_by).to_contain_text("Referred by Dr. Bouali, Huisartsenpraktijk Dapperbuurt")
    expect(came_by).to_contain_text("received today")
    expect(came_by.locator("blockquote")).to_have_text(STORY)
    check_page(page, "referrals-06-person")
    came_by.get_by_role("link", name="See the referral").tap()
    expect(heading).to_have_text(name)
    expect(page.locator(".referral-story")).to_have_text(STORY)
    page.get_by_role("link", name=f"Open {name}'s page").tap()
    expect(page.locator(".came-by")).to_contain_text("Dr. Bouali")

    # --- She could go today already: Done in tomorrow's plan, the contact prefilled.
    page.goto(f"/plan/day?day={tomorrow.isoformat()}")
    page.get_by_role("link", name=f"Done: record the visit to {name}").tap()
    expect(heading).to_have_text(f"Record the visit to {name}")
    # The plan carries the reason, as context; the note is what happened.
    expect(page.locator(".plan-note")).to_have_text(
        f"Planned: First visit, referred by Dr. Bouali, Huisartsenpraktijk Dapperbuurt: {STORY}"
    )
    expect(page.get_by_label("Note", exact=True)).to_have_value("")
    page.get_by_label("Note", exact=True).fill("First visit: medication sorted with him")
    # Tomorrow's visit made today: she says so.
    page.locator("#other-day label.choice", has_text="Today").tap()
    check_page(page, "referrals-07-done")
    page.get_by_role("button", name="Save contact").tap()
    expect(page.locator(".flash")).to_have_text(f"Home visit with {name} recorded.")
    page.goto(person_url)
    expect(page.locator("ol.timeline > li").first).to_contain_text(
        "First visit: medication sorted with him"
    )

    # --- The inbox: decided, and how long the first visit took.
    page.goto("/referrals/")
    decided = page.locator("#decided-heading + ul .referral-row", has_text=name)
    expect(decided).to_contain_text("Accepted by Anna de Vries")
    expect(decided).to_contain_text("Referral to first visit: the same day")
    expect(page.locator("#open-heading + ul .referral-row", has_text=name)).to_have_count(0)
    check_page(page, "referrals-08-inbox-decided")


def test_a_known_person_is_flagged_discussed_and_declined_in_place(
    page, log_in, check_page, viewport
):
    heading = page.get_by_role("heading", level=1)
    log_in(page, "bram")
    page.goto("/referrals/new")
    page.get_by_label("Who referred").fill(f"Ellen Bakker, her daughter ({viewport['width']})")
    page.get_by_label("Name", exact=True).fill("mies  bakker")
    page.get_by_label("Date of birth").fill("1941-05-17")
    page.get_by_label("What is going on, in the referrer's words").fill(
        "Mum is more confused in the evenings. Can someone come more often?"
    )
    page.get_by_role("button", name="Save the referral").tap()
    # The name alone is likely known: asked before saving, and she goes on.
    expect(page.locator("#likely-known")).to_contain_text("Mies Bakker")
    page.get_by_role("button", name=re.compile(r"^It is someone else")).tap()
    expect(heading).to_have_text("mies  bakker")

    # The team already knows her: a warning with a link, not a block.
    notice = page.locator(".notice")
    expect(notice).to_contain_text("Possibly already known: Mies Bakker")
    expect(notice.get_by_role("link", name="Mies Bakker")).to_have_attribute(
        "href", re.compile(r"^/people/\d+$")
    )
    check_page(page, "referrals-11-possible-duplicate")
    # Set on the page once loaded: a full page load would take it away.
    page.locator("main").evaluate("el => el.setAttribute('data-loaded', '')")

    # --- For the team meeting, in place.
    page.locator("summary", has_text="Mark for the team meeting").tap()
    page.get_by_label("What the team should talk about").fill(
        "She is already ours: more visits in the evening?"
    )
    page.get_by_role("button", name="Put it on the meeting's list").tap()
    expect(page.locator(".decide")).to_contain_text(
        "On the list for the team meeting: “She is already ours: more visits in the evening?”"
    )
    expect(page.locator("summary", has_text="Mark for the team meeting")).to_have_count(0)
    expect(page.locator("main[data-loaded]")).to_have_count(1)
    check_page(page, "referrals-12-for-the-meeting")

    # --- Declined after the meeting: the reason is required, then it is done in place.
    page.locator("summary", has_text="Decline").tap()
    page.get_by_label("Where we pointed the referrer instead").fill("Mies's own page")
    page.get_by_role("button", name="Decline on behalf of the team").tap()
    expect(page.locator("#decline-reason-error")).to_have_text(
        "Give the reason, for the referrer and the team."
    )
    expect(page.get_by_label("Where we pointed the referrer instead")).to_have_value(
        "Mies's own page"
    )
    check_page(page, "referrals-13-decline-error", allowed_status=400)
    page.get_by_label("Why we cannot take this on").fill(
        "She is in our care already; her visits are planned from her own page."
    )
    page.get_by_role("button", name="Decline on behalf of the team").tap()
    outcome = page.locator(".referral-outcome")
    expect(outcome.get_by_role("heading", name="Declined")).to_be_visible()
    expect(outcome).to_contain_text("Bram Bos declined it on behalf of the team")
    expect(page.locator(".decide")).to_have_count(0)
    expect(page.locator("main[data-loaded]")).to_have_count(1)
    check_page(page, "referrals-14-declined")
