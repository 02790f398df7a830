"""A first visit, recorded on the tablet as it happens, and the colleague who reads it.

A nurse sits with a woman in her eighties and her daughter. She opens the case and,
tapping through the person's page, writes what matters to her and what a good day
looks like in her own words, three strengths, the people around her, a goal in her
words with steps and who helps with each, and what she can give; she records the
consent and prints the one-page profile for the fridge. Later a colleague who has
never met her reads the page and the history before a visit.

Every add and edit happens in place with htmx: after each save the test checks that
the section shows the new content and that the page was not loaded again. Runs on
every backend (SQLite, and PostgreSQL when TEST_DATABASE_URL is set) at both sizes.
"""

import dataclasses
import datetime as dt
import re
import subprocess

import pytest
from playwright.sync_api import expect

from teamcase.models.network import in_sentence

from .conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

# Set on an element outside every section once the page has loaded: a full page
# load, or a boosted navigation that swaps the body, would take it away.
MARKER = "data-first-visit"


@dataclasses.dataclass(frozen=True)
class Woman:
    name: str
    called: str  # her preferred name, which the page uses
    phone: str
    daughter: str
    neighbour: str
    gp: str
    choir: str


# Each size opens its own case, so the runs on one database do not meet.
WOMEN = {
    768: Woman(
        name="Cornelia Visser",
        called="Corrie",
        phone="020-6941768",
        daughter="Ellen Visser",
        neighbour="Joop Kok",
        gp="Huisartsenpraktijk Dapperbuurt",
        choir="Kerkkoor De Zonnebloem",
    ),
    1280: Woman(
        name="Hendrika Mulder",
        called="Riek",
        phone="020-6941280",
        daughter="Marja Mulder",
        neighbour="Kees Bouwman",
        gp="Gezondheidscentrum Linnaeus",
        choir="Kerkkoor Sint Gerardus",
    ),
}

MATTERS = (
    "My own front door, coffee with {daughter} and that people still ask me for advice. "
    "I do not want to be a burden."
)
GOOD_DAY = (
    "I wake up without pain in my feet, I make soup for whoever comes by, "
    "and someone rings the bell for a chat."
)
STRENGTHS = [
    ("She still cooks her own meals, soup every Monday", "Skills and interests"),
    ("Knows everyone on the street", "Community"),
    ("Stubborn in a good way: once she decides, she does it", "Personal qualities"),
]
GOAL = "I want to walk to the market on Saturdays again"
WHY = "To see people and choose my own fish"
WALK_STEP = "Walk to the market together on Saturday mornings"
FEET_STEP = "Check her feet and shoes before the walks"
OFFER = "Can teach knitting to anyone who wants to learn"
OFFER_WHEN = "Wednesday afternoons"


@pytest.fixture
def visit(page, check_page, viewport):
    """Steps of the visit: numbered checks, and checks that a save stayed in place."""

    class Visit:
        checked = 0

        def check(self, name, **kwargs):
            self.checked += 1
            check_page(page, f"first-visit-{self.checked:02d}-{name}", **kwargs)

        def mark(self):
            page.locator(".person-facts").evaluate(f"el => el.setAttribute('{MARKER}', '')")

        def in_place(self):
            """The page was not loaded again since `mark`."""
            expect(page.locator(f".person-facts[{MARKER}]")).to_have_count(1)

    return Visit()


def test_a_first_visit_on_the_tablet_and_a_colleague_who_reads_it(
    page, backend_site, log_in, visit, viewport, tmp_path
):
    woman = WOMEN[viewport["width"]]
    today = dt.date.today()

    # --- Anna opens the case at the kitchen table.
    log_in(page, "anna", form=True)
    page.goto("/caseload")  # her day, when an earlier journey gave her visits today
    page.get_by_role("navigation", name="Caseload").get_by_role("link", name="New person").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a case")
    visit.check("new-person")
    page.get_by_label("Name", exact=True).fill(woman.name)
    page.get_by_label("Preferred name").fill(woman.called)
    page.get_by_label("Phone").fill(woman.phone)
    page.get_by_label("Street and number").fill("Tweede Boerhaavestraat 31")
    page.get_by_label("Date of birth").fill("1941-04-12")
    page.get_by_role("button", name="Open the case").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(woman.name)
    expect(page.locator(".flash")).to_have_text(f"{woman.name} is now in the caseload.")
    person_url = page.url
    assert re.search(r"/people/\d+$", person_url), person_url
    expect(page.locator("#about-heading")).to_have_text(f"About {woman.called}")
    expect(page.locator("#about .about-item")).to_have_count(5)
    expect(page.locator("#about-matters")).to_contain_text("Not written yet.")
    visit.check("person-opened")
    visit.mark()

    # --- About her, in her own words: "Write" loads the form into the card.
    about = page.locator("#about")
    daughter_first = woman.daughter.split()[0]
    for key, title, text in [
        ("matters", "What matters to me", MATTERS.format(daughter=daughter_first)),
        ("good_day", "What a good day looks like", GOOD_DAY),
    ]:
        card = page.locator(f"#about-{key}")
        card.get_by_role("link", name=f"Write: {title}").tap()
        words = card.get_by_label("In their words")
        expect(words).to_be_visible()
        # Under the question it answers: the card keeps its heading.
        expect(card.get_by_role("heading", name=title, level=3)).to_be_visible()
        expect(card.get_by_role("radio", name="In their own words")).to_be_checked()
        visit.in_place()
        visit.check(f"about-{key}-form")
        words.fill(text)
        card.get_by_role("button", name="Save").tap()
        expect(card.locator(".about-text")).to_have_text(text)
        expect(card.locator(".meta")).to_contain_text(
            f"In {woman.called}'s own words, recorded by Anna de Vries today"
        )
        expect(card.get_by_role("link", name=f"Change: {title}")).to_be_visible()
        expect(about.locator("form")).to_have_count(0)
        visit.in_place()
        visit.check(f"about-{key}-saved")
    assert page.url == person_url

    # --- Strengths. The first time she forgets to choose the kind.
    strengths = page.locator("#strengths")
    expect(strengths).to_contain_text("No strengths written down yet.")
    for i, (text, kind) in enumerate(STRENGTHS):
        strengths.get_by_role("link", name="Add a strength").tap()
        field = strengths.get_by_label("Strength", exact=True)
        expect(field).to_be_focused()  # htmx focuses the first field of a form it loads
        visit.in_place()
        if i == 0:
            visit.check("strength-form")
            field.fill(text)
            strengths.get_by_role("button", name="Add strength").tap()
            error = strengths.locator(".field.has-error .error")
            expect(error).to_have_text("Choose what kind of strength it is.")
            # Announced with the group of choices it belongs to.
            kinds = strengths.get_by_role("group", name="Kind of strength")
            error_id = error.get_attribute("id")
            expect(kinds).to_have_attribute("aria-describedby", re.compile(rf"\b{error_id}\b"))
            expect(strengths.get_by_role("alert")).to_contain_text("Please check the field")
            expect(strengths.get_by_label("Strength", exact=True)).to_have_value(text)
            expect(strengths.locator("li")).to_have_count(0)  # nothing saved
            visit.in_place()
            visit.check("strength-without-kind", allowed_status=400)
        else:
            field.fill(text)
        strengths.locator("label.choice", has_text=kind).tap()
        strengths.get_by_role("button", name="Add strength").tap()
        expect(strengths.locator("ul.parts > li")).to_have_count(i + 1)
        newest = strengths.locator("ul.parts > li").last
        expect(newest).to_contain_text(text)
        expect(newest.locator(".tag")).to_have_text(kind)
        expect(strengths.locator(".add-form")).to_have_count(0)
        expect(strengths.get_by_role("link", name="Add a strength")).to_be_visible()
        visit.in_place()
        visit.check(f"strength-{i + 1}-saved")

    # --- The people around her; the ecomap is drawn again with each one.
    network = page.locator("#network")
    people = [
        # name, relation, tie, does now, how often, could do, agreed to the profile now
        (woman.daughter, "Family", "Strong", "Paperwork and the laundry", "Twice a week", "", True),
        (woman.neighbour, "Neighbour", "Moderate", "Does her shopping", "Fridays", "", True),
        (woman.gp, "GP practice", "Moderate", "", "", "", False),
        (
            woman.choir,
            "Community group",
            "Weak",
            "",
            "Not since her fall",
            "Pick her up for rehearsals",
            False,
        ),
    ]
    for i, (name, relation, tie, does_now, often, could_do, on_profile) in enumerate(people):
        network.get_by_role("link", name="Add someone to the network").tap()
        expect(network.get_by_label("Name", exact=True)).to_be_focused()
        visit.in_place()
        if i == 0:
            visit.check("network-form")
        network.get_by_label("Name", exact=True).fill(name)
        network.get_by_label("Relation").select_option(label=relation)
        network.locator("label.choice", has_text=re.compile(f"^{tie}$")).tap()
        if does_now:
            network.get_by_label("What they do now").fill(does_now)
        if could_do:
            network.get_by_label("What they could do").fill(could_do)
        if often:
            network.get_by_label("How often in touch").fill(often)
        if on_profile:
            network.locator("label.choice", has_text="agreed this may appear").tap()
            expect(network.get_by_role("checkbox", name=re.compile("agreed"))).to_be_checked()
        network.get_by_role("button", name="Add to the network").tap()
        entry = network.locator(".network-list > li", has_text=name)
        expect(entry).to_contain_text(relation)
        expect(entry.locator(".tie")).to_have_text(f"{tie} tie")
        if on_profile:
            expect(entry).to_contain_text("on the profile")
        else:
            expect(entry).not_to_contain_text("on the profile")
        expect(network.locator(".network-list > li")).to_have_count(i + 1)
        ecomap = network.locator("svg.ecomap")
        expect(ecomap.locator("desc")).to_contain_text(f"{i + 1} around")
        expect(ecomap.locator("desc")).to_contain_text(name)
        expect(ecomap.locator("g.ecomap-person")).to_have_count(i + 1)
        visit.in_place()
        visit.check(f"network-{i + 1}-saved")

    # The GP practice agreed afterwards: edited in place.
    gp_id = network.locator(".network-list > li", has_text=woman.gp).get_attribute("id")
    gp_entry = network.locator(f"#{gp_id}")
    gp_entry.get_by_role("link", name=f"Edit {woman.gp}").tap()
    expect(gp_entry.get_by_label("Name", exact=True)).to_have_value(woman.gp)
    expect(gp_entry.get_by_label("Relation")).to_have_value("gp")
    visit.in_place()
    visit.check("network-edit-form")
    gp_entry.locator("label.choice", has_text="agreed this may appear").tap()
    gp_entry.get_by_role("button", name="Save").tap()
    expect(network.locator(".network-list > li", has_text=woman.gp)).to_contain_text(
        "on the profile"
    )
    expect(network.locator("form[action$='/edit']")).to_have_count(0)
    on_profile = network.locator(".network-list > li", has_text="on the profile")
    expect(on_profile).to_have_count(3)
    expect(network.locator(".network-list > li", has_text=woman.choir)).not_to_contain_text(
        "on the profile"
    )
    visit.in_place()
    visit.check("network-consent-saved")

    # --- A goal in her words, and the steps with who helps.
    goals = page.locator("#goals")
    goals.get_by_role("link", name="Add a goal").tap()
    expect(goals.get_by_label("What they want, in their own words")).to_be_focused()
    visit.in_place()
    visit.check("goal-form")
    goals.get_by_label("What they want, in their own words").fill(GOAL)
    goals.get_by_label("Why it matters to them").fill(WHY)
    review_on = today + dt.timedelta(weeks=6)
    goals.get_by_label("Look at it together again on").fill(review_on.isoformat())
    goals.get_by_role("button", name="Add goal").tap()
    goal = goals.locator("li.goal", has_text=GOAL)
    expect(goal.locator("q")).to_have_text(GOAL)
    expect(goal).to_contain_text(WHY)
    expect(goal).to_contain_text(f"Look at it together again on {review_on:%-d %b %Y}")
    expect(goal).to_contain_text("No steps yet.")
    visit.in_place()
    visit.check("goal-saved")

    for i, (step, helper, shown) in enumerate(
        [
            (WALK_STEP, f"{woman.neighbour} (neighbour)", f"with {woman.neighbour}"),
            (FEET_STEP, "Anna de Vries", "with Anna de Vries from the team"),
        ]
    ):
        goal.get_by_role("link", name=f"Add a step towards: {GOAL}").tap()
        who = goal.get_by_label("Who helps")
        expect(goal.get_by_label("Step", exact=True)).to_be_focused()
        if i == 0:
            # The person, everyone in her network, and the team; nobody else.
            groups = who.locator("optgroup").evaluate_all("groups => groups.map(g => g.label)")
            assert groups == ["They do it themselves", "Someone around them", "One of us"]
            expect(who.locator("option")).to_have_text(
                [
                    f"{woman.called} themselves",
                    f"{woman.choir} (community group)",
                    f"{woman.daughter} (family)",
                    f"{woman.gp} (GP practice)",
                    f"{woman.neighbour} (neighbour)",
                    "Anna de Vries",
                    "Bram Bos",
                ]
            )
            visit.in_place()
            visit.check("step-form")
        goal.get_by_label("Step", exact=True).fill(step)
        who.select_option(label=helper)
        goal.get_by_role("button", name="Add step").tap()
        steps = goals.locator(f"ol.steps[aria-label='Steps towards: {GOAL}'] > li")
        expect(steps).to_have_count(i + 1)
        expect(steps.filter(has_text=step)).to_contain_text(shown)
        visit.in_place()
        visit.check(f"step-{i + 1}-saved")

    # --- What she can give.
    offers = page.locator("#offers")
    offers.get_by_role("link", name="Add what they can give").tap()
    expect(offers.get_by_label("What they can give")).to_be_focused()
    visit.in_place()
    visit.check("offer-form")
    offers.get_by_label("What they can give").fill(OFFER)
    offers.get_by_label("When they can").fill(OFFER_WHEN)
    offers.get_by_role("button", name="Add", exact=True).tap()
    expect(offers.locator("ul.parts > li")).to_have_count(1)
    expect(offers.locator("ul.parts > li")).to_contain_text(f"{OFFER} · {OFFER_WHEN}")
    visit.in_place()
    visit.check("offer-saved")

    # --- Her consent to the profile.
    consent = page.locator("#consent")
    consent.get_by_role("link", name="Record consent").tap()
    expect(consent.get_by_label("What they agreed to share")).to_be_focused()
    visit.in_place()
    visit.check("consent-form")
    consent.get_by_label("What they agreed to share").fill(
        "A one-page profile for the fridge, with the people who agreed named on it"
    )
    consent.get_by_label("With whom").fill(f"{daughter_first} and everyone who visits her")
    consent.get_by_label("Agreed on").fill(today.isoformat())
    consent.get_by_role("button", name="Record", exact=True).tap()
    expect(consent.locator("ul.parts > li")).to_have_count(1)
    expect(consent.locator("ul.parts > li")).to_contain_text(
        f"with {daughter_first} and everyone who visits her · agreed {today:%-d %b %Y}"
    )
    visit.in_place()
    assert page.url == person_url
    visit.check("record-complete")

    # --- The profile for the fridge: a download, one A4 page.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Print profile").tap()
    download = download_info.value
    # Named after her and the day it was printed (in the team's time zone).
    assert re.fullmatch(
        rf"profile-{woman.name.replace(' ', '-')}-\d{{4}}-\d\d-\d\d\.pdf",
        download.suggested_filename,
    ), download.suggested_filename
    pdf = tmp_path / download.suggested_filename
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True, check=True
    ).stdout
    words = " ".join(text.split())  # lines broken anywhere in the columns
    for wanted in [
        f"About {woman.called}",
        "walk to the market",
        "still cooks",
        "teach knitting",
        "Anna from the team",
        "coffee with",
        "rings the bell",
    ]:
        assert wanted in words, f"{wanted!r} is not on the profile:\n{text}"
    # The people who agreed are in the ecomap, each word of a name in its box (a
    # word too long for the box broken with a hyphen), the relation under it.
    for name in (woman.daughter, woman.neighbour, woman.gp):
        for part in name.split():
            assert part[:12] in words, f"{name!r} is not on the profile:\n{text}"
    for relation in ("Family", "Neighbour", "GP practice"):
        assert relation in words, f"{relation!r} is not on the profile:\n{text}"
    for unwanted in [woman.choir, "Kerkkoor", woman.phone, "1941"]:
        assert unwanted not in words, f"{unwanted!r} is on the profile:\n{text}"
    picture = SCREENSHOTS / f"{viewport['width']}x{viewport['height']}-first-visit-profile-pdf"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-singlefile", pdf, picture], check=True
    )
    assert picture.with_suffix(".png").stat().st_size > 10_000
    visit.in_place()  # the download left the page as it was
    visit.check("after-print")

    # --- Two weeks later: Bram, who has never met her, reads up before a visit.
    page.get_by_role("button", name="Log out").tap()
    expect(page.locator(".flash")).to_have_text("You are logged out.")
    visit.check("logged-out")
    log_in(page, "bram", form=True)
    page.goto("/caseload")  # his day, when an earlier journey gave him visits today
    page.get_by_label("Find a person").tap()
    page.get_by_label("Find a person").press_sequentially(woman.name.split()[0].lower(), delay=20)
    rows = page.locator(".person-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Anna de Vries")  # known best by
    rows.first.get_by_role("link", name=f"{woman.name} ({woman.called})", exact=True).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(woman.name)
    assert page.url == person_url
    expect(page.locator(".preferred")).to_have_text(f"Likes to be called {woman.called}")

    matters = page.locator("#about-matters")
    expect(matters.locator(".about-text")).to_have_text(MATTERS.format(daughter=daughter_first))
    expect(matters).to_contain_text(f"In {woman.called}'s own words, recorded by Anna de Vries")
    expect(page.locator("#about-good_day .about-text")).to_have_text(GOOD_DAY)

    expect(strengths.locator("ul.parts > li")).to_have_count(3)
    for text, kind in STRENGTHS:
        expect(strengths.locator("li", has_text=text).locator(".tag")).to_have_text(kind)

    desc = network.locator("svg.ecomap desc")
    expect(desc).to_contain_text("4 around")
    labels = network.locator("svg.ecomap g text")
    for name, relation, tie, *_ in people:
        expect(desc).to_contain_text(f"{name} ({in_sentence(relation)}, {tie.lower()} tie)")
        # In the picture each name labels its box, on up to three lines, a long
        # word broken with a hyphen (the full names are in its description and the list).
        expect(labels.filter(has_text=name.split()[0][:8]).first).to_be_visible()
        expect(labels.filter(has_text=re.compile(f"^{relation}$")).first).to_be_visible()
        expect(network.locator(".network-list > li", has_text=name)).to_contain_text(relation)
    _labels_fit_and_read_at_arm_s_length(page.locator("#network svg.ecomap"))
    daughter_entry = network.locator(".network-list > li", has_text=woman.daughter)
    expect(daughter_entry).to_contain_text("Strong tie")
    expect(daughter_entry).to_contain_text("Twice a week")
    expect(network.locator(".network-list > li", has_text=woman.neighbour)).to_contain_text(
        "Does her shopping"
    )
    expect(network.locator(".network-list > li", has_text=woman.choir)).to_contain_text(
        "Pick her up for rehearsals"
    )

    expect(goal.locator("q")).to_have_text(GOAL)
    steps = goal.locator("ol.steps > li")
    expect(steps).to_have_count(2)
    expect(steps.filter(has_text=WALK_STEP)).to_contain_text(f"with {woman.neighbour}")
    expect(steps.filter(has_text=FEET_STEP)).to_contain_text("with Anna de Vries from the team")
    expect(offers.locator("ul.parts > li")).to_contain_text(OFFER)
    expect(consent.locator("ul.parts > li")).to_contain_text("A one-page profile for the fridge")
    visit.check("colleague-reads")

    page.locator(".head-actions").get_by_role("link", name="History").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who looked and what changed")
    rows = page.locator("table.history tbody tr")
    expect(rows.first).to_contain_text("Viewed the page")
    expect(rows.first).to_contain_text("Bram Bos")
    for label, times, detail in [
        ("Opened the case", 1, woman.name),
        ("Wrote about them", 2, GOOD_DAY),
        ("Added a strength", 3, "still cooks"),
        ("Added someone in the network", 4, woman.choir),
        ("Changed someone in the network", 1, "on profile"),
        ("Added a goal", 1, GOAL),
        ("Added a step towards a goal", 2, FEET_STEP),
        ("Added what they can give", 1, OFFER),
        ("Added consent", 1, "A one-page profile"),
        ("Printed the profile", 1, ""),
    ]:
        done = rows.filter(has=page.get_by_role("cell", name=label, exact=True))
        expect(done).to_have_count(times)
        for n in range(times):
            expect(done.nth(n).get_by_role("cell").nth(1)).to_have_text("Anna de Vries")
        if detail:
            expect(done.filter(has_text=detail)).to_have_count(1)
    visit.check("colleague-history")


@pytest.mark.parametrize("viewport", ["portrait"], indirect=True)
def test_two_nurses_writing_the_same_about_me_at_once_lose_nothing(
    page, another_page, backend_site, log_in, check_page
):
    """The second save meets the first: it is refused, says by whom, keeps the text."""
    person = backend_site.person_path("Zoë Dijkstra")
    bram = another_page()
    log_in(page, "anna")
    log_in(bram, "bram")
    anna_text = "Her grandchildren's visits on Sunday."
    bram_text = "That she can stay in her own flat, with her plants."

    cards = {}
    for who, tablet in [("anna", page), ("bram", bram)]:
        tablet.goto(person)
        card = cards[who] = tablet.locator("#about-matters")
        card.get_by_role("link", name="Write: What matters to me").tap()
        expect(card.get_by_label("In their words")).to_be_visible()
    cards["anna"].get_by_label("In their words").fill(anna_text)
    cards["bram"].get_by_label("In their words").fill(bram_text)

    cards["anna"].get_by_role("button", name="Save").tap()
    expect(cards["anna"].locator(".about-text")).to_have_text(anna_text)
    check_page(page, "conflict-first-saved")

    cards["bram"].get_by_role("button", name="Save").tap()
    problem = cards["bram"].get_by_role("alert")
    expect(problem).to_contain_text(
        re.compile(r"Anna de Vries saved a new version today \d\d:\d\d, while you were editing")
    )
    expect(problem).to_contain_text(
        "Your changes are not saved yet; what you typed is still below."
    )
    expect(problem).to_contain_text(f"In their words: {anna_text}")
    expect(cards["bram"].get_by_label("In their words")).to_have_value(bram_text)
    check_page(bram, "conflict-refused", allowed_status=409)

    # Saving again makes Bram's the newest version; Anna's stays in the earlier ones.
    cards["bram"].get_by_role("button", name="Save").tap()
    expect(cards["bram"].locator(".about-text")).to_have_text(bram_text)
    expect(cards["bram"].locator(".meta")).to_have_text(
        re.compile(r"recorded by Bram Bos today \d\d:\d\d · version 2$")
    )
    check_page(bram, "conflict-saved-again")
    cards["bram"].get_by_role("link", name="Earlier versions of What matters to me").tap()
    expect(bram.get_by_role("heading", level=1)).to_have_text("What matters to me")
    versions = bram.locator("article.version")
    expect(versions.locator(".about-text")).to_have_text([bram_text, anna_text])
    expect(versions.last).to_contain_text("recorded by Anna de Vries")
    check_page(bram, "conflict-versions")


def _labels_fit_and_read_at_arm_s_length(ecomap):
    """As the browser drew them, with the fonts it has: every label inside its box
    (or, a group's name, inside the picture), at 14 px or more on screen."""
    report = ecomap.evaluate(
        """svg => {
            const scale = svg.getScreenCTM().a;
            const out = [];
            for (const text of svg.querySelectorAll("text")) {
                const box = text.getBBox();
                const size = parseFloat(text.getAttribute("font-size")
                    || text.closest("[font-size]").getAttribute("font-size"));
                let inside;
                if (text.parentNode === svg) {
                    // The person's name: every corner inside the circle.
                    const c = svg.querySelector(":scope > circle");
                    const [cx, cy, r] = ["cx", "cy", "r"].map(a => c[a].baseVal.value);
                    inside = [box.x, box.x + box.width].every(x =>
                        [box.y, box.y + box.height].every(y => Math.hypot(x - cx, y - cy) <= r));
                } else {
                    const rect = text.parentNode.querySelector(":scope > rect");
                    const shape = rect ? rect.getBBox() : svg.viewBox.baseVal;
                    inside = box.x >= shape.x && box.x + box.width <= shape.x + shape.width
                        && box.y >= shape.y - 1
                        && box.y + box.height <= shape.y + shape.height + 1;
                }
                out.push({text: text.textContent, px: size * scale, inside});
            }
            return out;
        }"""
    )
    assert report
    for label in report:
        assert label["px"] >= 14, label
        assert label["inside"], label
