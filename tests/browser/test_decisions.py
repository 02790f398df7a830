"""Decisions by consent, between meetings, and the team's learning, in the browser.

A member proposes; the note-taker records a clarifying question, a reaction and an
objection with its reasoning, amends the proposal, records how the objection was
resolved and adopts it, all in place; the log shows it and its page offers no
edit. Between meetings two colleagues answer a small proposal on their own
tablets and it is adopted at the deadline. The team adds training and starts an
experiment from a decision. The coach reads the log and sees no names. Every
state is scanned with axe, at tablet size and on a 1920×1080 screen.
"""

import dataclasses
import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from teamcase.db import db
from teamcase.models import Client, Decision, Team, User, utcnow

pytestmark = pytest.mark.browser

SIZES = {"tablet": {"width": 768, "height": 1024}, "screen": {"width": 1920, "height": 1080}}
# Set on the page heading once the decision page has loaded: a full page load
# would take it away, an htmx swap of the process leaves it.
MARKER = "data-decision-page"


@pytest.fixture
def sizes():
    # Walked on the tablet; the light pass scans the pages on the screen.
    return SIZES


@dataclasses.dataclass(frozen=True)
class Proposal:
    text: str
    purpose: str
    question: str
    reaction: str
    objection: str
    amended: str
    resolution: str


# Each size decides its own proposal, so that the runs on one database do not meet.
PROPOSALS = {
    768: Proposal(
        text="From next month we take no new people in Oost until two of us are back from leave",
        purpose="So that the people we care for now get the time they need while we are short.",
        question="Does this include people handed over from Zuid?",
        reaction="Hard, but I would rather do our current people well.",
        objection="The GP practice there has no other nursing team: people would have nobody.",
        amended="From next month we take no new people in Oost until two of us are back from "
        "leave; urgent referrals are still accepted",
        resolution="Amended: urgent referrals are still accepted.",
    ),
    1920: Proposal(
        text="From December we do the Saturday insulin round in pairs",
        purpose="Nobody has to do eleven insulin visits alone before noon.",
        question="Which pairs, and who decides?",
        reaction="Good for the new colleagues especially.",
        objection="Then there is nobody left for an urgent call on Saturday morning.",
        amended="From December we do the Saturday insulin round in pairs; the third colleague "
        "on duty keeps the phone for urgent calls",
        resolution="Amended: the third colleague keeps the phone free.",
    ),
}


def _decision_id(page) -> int:
    return int(re.search(r"/decisions/(\d+)", page.url)[1])


def _mark(page):
    page.get_by_role("heading", level=1).evaluate(f"el => el.setAttribute('{MARKER}', '')")


def _in_place(page):
    expect(page.locator(f"h1[{MARKER}]")).to_have_count(1)


def _record(page, kind, who, text):
    form = page.locator("form", has=page.get_by_role("button", name="Record", exact=True))
    form.locator("label.choice", has_text=kind).tap()
    form.get_by_label("Who said it").select_option(label=who)
    form.get_by_label("What they said").fill(text)
    form.get_by_role("button", name="Record", exact=True).tap()


def test_a_member_proposes_and_the_team_decides_by_consent(
    page, backend_site, log_in, check_page, viewport
):
    proposal = PROPOSALS[viewport["width"]]
    log_in(page, "anna")
    page.goto("/caseload")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").tap()
    page.get_by_role("navigation", name="Meetings").get_by_role("link", name="Decisions").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Decisions")
    check_page(page, "decisions-01-log")

    page.get_by_role("link", name="+ Propose").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose")
    page.get_by_label("What do you propose?").fill(proposal.text)
    page.get_by_role("button", name="Post the proposal").tap()
    expect(page.get_by_role("alert")).to_contain_text("Please check the field marked below")
    expect(page.get_by_text("Say what it is for: what problem does it solve?")).to_be_visible()
    expect(page.get_by_label("What do you propose?")).to_have_value(proposal.text)
    check_page(page, "decisions-02-propose-without-purpose", allowed_status=400)
    page.get_by_label("What is it for?").fill(proposal.purpose)
    page.get_by_role("button", name="Post the proposal").tap()
    expect(page.locator(".proposal-text")).to_have_text(proposal.text)
    expect(page.get_by_text("Your proposal is posted.")).to_be_visible()
    check_page(page, "decisions-03-proposed")
    _mark(page)

    # The facilitator takes a question, a round of reactions, then objections.
    _record(page, "Clarifying question", "Bram Bos", proposal.question)
    expect(page.locator("#decision-process").get_by_role("status")).to_have_text(
        "Question recorded."
    )
    _record(page, "Reaction", "Anna de Vries", proposal.reaction)
    expect(page.locator(".step-reaction .step-text")).to_have_text(proposal.reaction)
    _record(page, "Objection", "Bram Bos", "")
    expect(page.get_by_text("Write down the reasoning: an objection needs it.")).to_be_visible()
    check_page(page, "decisions-04-objection-without-reasoning", allowed_status=400)
    page.get_by_label("What they said").fill(proposal.objection)
    page.get_by_role("button", name="Record", exact=True).tap()
    expect(page.locator(".open-objection .step-text")).to_have_text(proposal.objection)
    expect(page.locator(".blocked")).to_have_text(re.compile(r"Bram’s objection is not resolved"))
    expect(page.get_by_role("button", name="Adopt: nobody objects")).to_have_count(0)
    check_page(page, "decisions-05-objection")

    page.locator("summary", has_text="Amend the proposal").tap()
    page.get_by_label("The proposal as amended").fill(proposal.amended)
    page.get_by_label("Who suggested the change").select_option(label="Bram Bos")
    page.get_by_role("button", name="Save the amended proposal").tap()
    expect(page.locator(".proposal-text")).to_have_text(proposal.amended)
    expect(page.locator(".step-amendment del")).to_have_text(proposal.text)
    check_page(page, "decisions-06-amended")

    page.locator("summary", has_text="Resolve Bram’s objection").tap()
    page.get_by_label("How was it resolved?").fill(proposal.resolution)
    with db.connection_context():
        bram = User.get(User.email == "bram@oost.example.org")
    expect(page.get_by_label("Resolved with")).to_have_value(str(bram.id))
    page.get_by_role("button", name="Mark as resolved").tap()
    expect(page.locator(".resolution")).to_contain_text(proposal.resolution)
    check_page(page, "decisions-07-resolved")

    review = page.get_by_label("Review on")
    expect(review).to_have_value(re.compile(r"\d{4}-\d\d-\d\d"))
    page.get_by_role("button", name="Adopt: nobody objects").tap()
    expect(page.locator("#decision-process").get_by_role("status")).to_have_text(
        "Adopted by consent. It is in the decisions log."
    )
    expect(page.locator(".decision-line .tag").first).to_have_text("Adopted")
    for control in ("Record", "Save the amended proposal", "Adopt: nobody objects"):
        expect(page.get_by_role("button", name=control)).to_have_count(0)
    expect(page.get_by_role("link", name="Revisit this decision")).to_be_visible()
    _in_place(page)
    check_page(page, "decisions-08-adopted")

    page.get_by_role("navigation", name="Meetings").get_by_role("link", name="Decisions").tap()
    entry = page.locator("article.decision-row", has_text=proposal.amended)
    expect(entry.locator(".tag").first).to_have_text("Adopted")
    expect(entry.locator(".objections")).to_contain_text(proposal.objection)
    expect(entry.locator(".objections")).to_contain_text(
        f"Resolved with Bram Bos: {proposal.resolution}"
    )
    page.get_by_label("Words").fill(proposal.question.split()[-1].rstrip("?"))
    page.get_by_role("button", name="Find").tap()
    expect(page.locator("article.decision-row")).to_have_count(1)
    check_page(page, "decisions-09-log-found")
    page.locator("article.decision-row").get_by_role("link").first.tap()
    expect(page.get_by_role("link", name="Revisit this decision")).to_be_visible()
    expect(page.get_by_role("button", name="Record")).to_have_count(0)


@pytest.mark.parametrize("viewport", ["tablet"], indirect=True)
def test_two_colleagues_answer_a_proposal_between_meetings(
    page, another_page, backend_site, log_in, check_page
):
    text = "We put a second pulse oximeter in the evening bag"
    log_in(page, "anna")
    page.goto("/decisions/")
    page.get_by_role("link", name="change how the team decides between meetings").tap()
    page.get_by_label("Answers needed").fill("9")
    page.get_by_role("button", name="Save").tap()
    expect(page.get_by_text(re.compile(r"The team has \d+ members: ask for"))).to_be_visible()
    check_page(page, "between-01-rules-too-many", allowed_status=400)
    page.get_by_label("Days to answer").fill("2")
    page.get_by_label("Answers needed").fill("2")
    page.get_by_role("button", name="Save").tap()
    expect(page.get_by_text("Saved: colleagues have 2 days to answer")).to_be_visible()

    page.get_by_role("link", name="Propose between meetings").tap()
    page.get_by_label("What do you propose?").fill(text)
    page.get_by_label("What is it for?").fill("The one we have is in the morning bag.")
    expect(page.get_by_label("Decide between meetings")).to_be_checked()
    page.get_by_label("Review on").fill((dt.date.today() + dt.timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Post the proposal").tap()
    expect(page.get_by_text("Colleagues can answer until")).to_be_visible()
    url = page.url
    page.get_by_text("I consent: it is safe enough to try").tap()
    page.get_by_role("button", name="Save my answer").tap()
    expect(page.locator("#decision-process").get_by_role("status")).to_contain_text(
        "Your answer is saved."
    )
    check_page(page, "between-02-anna-answered")

    bram = another_page()
    log_in(bram, "bram")
    bram.goto(url)
    bram.get_by_text("I object", exact=True).tap()
    bram.get_by_role("button", name="Save my answer").tap()
    expect(bram.get_by_text("Write down why you object")).to_be_visible()
    check_page(bram, "between-03-objection-without-reasoning", allowed_status=400)
    bram.get_by_label("Your reasoning").fill("Who charges it? The bag has no charger.")
    bram.get_by_role("button", name="Save my answer").tap()
    expect(bram.locator(".answers")).to_contain_text(
        "2 of the 2 answers needed: 1 consent, 1 object"
    )
    # He finds the charger in the bag after all, and changes his answer.
    bram.get_by_text("I consent: it is safe enough to try").tap()
    bram.get_by_label("Your reasoning").fill("Found the charger in the side pocket.")
    bram.get_by_role("button", name="Save my answer").tap()
    expect(bram.locator(".answers")).to_contain_text("2 of the 2 answers needed: 2 consent")
    check_page(bram, "between-04-bram-changed-his-answer")

    # Two days later: whoever opens it first finds it adopted.
    with db.connection_context():
        Decision.update(deadline=utcnow() - dt.timedelta(minutes=1)).where(
            Decision.id == _decision_id(page)
        ).execute()
    page.reload()
    expect(page.locator(".decision-line .tag").first).to_have_text("Adopted")
    expect(page.get_by_role("button", name="Save my answer")).to_have_count(0)
    check_page(page, "between-05-adopted-at-the-deadline")


def _adopted(proposal, purpose, client=None):
    with db.connection_context():
        team = Team.get(Team.name == "Buurtzorg Oost")
        anna = User.get(User.email == "anna@oost.example.org")
        decision = Decision.propose(team, anna, proposal, purpose, client=client)
        decision.adopt(anna, decision.version, dt.date.today() + dt.timedelta(days=90))
        return decision


def test_training_and_an_experiment_come_from_a_decision(
    page, backend_site, log_in, check_page, viewport
):
    size = viewport["width"]
    decision = _adopted(
        f"We all learn to use the new ceiling hoist ({size})", "Safer transfers at home"
    )
    topic = f"Using the new ceiling hoist safely ({size})"
    log_in(page, "anna")
    page.goto(f"/decisions/{decision.id}")
    page.get_by_role("link", name="Add to training plan").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add training")
    expect(page.get_by_label("Topic")).to_have_value(decision.proposal)
    page.get_by_label("Topic").fill("")
    page.get_by_label("Who").fill("Everyone")
    page.get_by_role("button", name="Add to the training plan").tap()
    expect(page.get_by_text("Write the topic.")).to_be_visible()
    expect(page.get_by_label("Who")).to_have_value("Everyone")
    check_page(page, "learning-01-training-without-topic", allowed_status=400)
    page.get_by_label("Topic").fill(topic)
    page.get_by_label("Planned for").fill((dt.date.today() + dt.timedelta(days=21)).isoformat())
    page.get_by_role("button", name="Add to the training plan").tap()
    item = page.locator("article.learning-item", has_text=topic)
    expect(item).to_contain_text("from the decision of")
    expect(item.get_by_role("link", name=re.compile("from the decision of"))).to_have_attribute(
        "href", f"/decisions/{decision.id}"
    )
    check_page(page, "learning-02-training-added")

    page.goto(f"/decisions/{decision.id}")
    page.get_by_role("link", name="Start an experiment").tap()
    title = f"Hoist checklist on the bedroom door ({size})"
    page.get_by_label("What we’ll try").fill(title)
    page.get_by_label("Why", exact=True).fill("Fewer forgotten steps with the sling.")
    page.get_by_label("How we’ll know").fill("We ask each other after four weeks.")
    page.get_by_role("button", name="Start the experiment").tap()
    experiment = page.locator("article.learning-item", has_text=title)
    expect(experiment.locator(".tag")).to_have_text("Running")
    check_page(page, "learning-03-experiment-started")

    page.locator("article.learning-item", has_text=topic).get_by_role(
        "button", name=f"Mark {topic} as done"
    ).tap()
    expect(page.get_by_text(f"“{topic}” is done.")).to_be_visible()
    experiment.get_by_role("link", name=f"Record what happened with {title}").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"What happened: {title}")
    page.get_by_label("What happened").fill("Nobody forgot the sling check since.")
    page.get_by_text("Keep it: this is how we work now").tap()
    page.get_by_role("button", name="Save").tap()
    expect(experiment.locator(".tag")).to_have_text("Keep")
    expect(page.locator("article.learning-item", has_text=topic).locator(".tag")).to_contain_text(
        "Done"
    )
    check_page(page, "learning-04-done-and-kept")


def test_the_coach_reads_the_teams_decisions_and_learning_without_names(
    page, backend_site, log_in, check_page, viewport
):
    with db.connection_context():
        mies = Client.get(Client.name == "Mies Bakker")
    _adopted(
        "Two of us visit Mies Bakker in the evening until her daughter is back",
        "She falls when she is tired.",
        client=mies,
    )
    _adopted("We keep a call list for the evening phone on the board", "No call gets lost")
    log_in(page, "coach", form=True)
    page.get_by_role("link", name="Decisions").first.tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Buurtzorg Oost: decisions")
    expect(page.get_by_text("We keep a call list for the evening phone").first).to_be_visible()
    expect(page.get_by_text(f"A decision about M.B. #{mies.id}").first).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Mies")
    expect(page.locator("main")).not_to_contain_text("Bakker")
    expect(page.get_by_role("link", name="+ Propose")).to_have_count(0)
    expect(page.locator("main form[method=post]")).to_have_count(0)
    check_page(page, "coach-01-decisions")

    page.goto("/coach/")
    page.get_by_role("link", name="Training and experiments").first.tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("training and experiments")
    expect(page.locator("main form[method=post]")).to_have_count(0)
    check_page(page, "coach-02-learning")


@pytest.mark.parametrize("viewport", ["tablet"], indirect=True)
def test_deciding_works_without_javascript(nojs_page, backend_site, log_in, check_page):
    page = nojs_page
    log_in(page, "bram")
    page.goto("/decisions/new")
    page.get_by_label("What do you propose?").fill("We try walking routes between close visits")
    page.get_by_label("What is it for?").fill("Less parking, more fresh air.")
    page.get_by_role("button", name="Post the proposal").tap()
    _record(page, "Objection", "Anna de Vries", "Not with the heavy bag in the rain.")
    expect(page.get_by_text("Objection recorded.")).to_be_visible()
    page.locator("summary", has_text="Resolve Anna’s objection").tap()
    page.get_by_label("How was it resolved?").fill("Only for visits without the bag.")
    page.get_by_role("button", name="Mark as resolved").tap()
    page.get_by_role("button", name="Adopt: nobody objects").tap()
    expect(page.get_by_text("Adopted by consent.")).to_be_visible()
    expect(page.locator(".decision-line .tag").first).to_have_text("Adopted")
    check_page(page, "nojs-adopted")
