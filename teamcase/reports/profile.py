"""Printed documents that leave the app: the one-page profile of a person.

The profile is for the person and their family, to keep or put on the fridge:
who they are in their own words, strengths, the people around them (only those
who agreed to be on it), their goals and what they can give, and how to reach the
team: its phone number and who in it knows them best. Nothing clinical, no
contact notes, none of their own phone numbers or date of birth.

The ecomap is printed across the page, 150 mm wide, so that its smallest label
(20 of its 900 units) is 9.4 pt on paper; the names are in the picture, not
listed again under it.
"""

from dataclasses import dataclass

from flask import Blueprint, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from teamcase import access, pdf
from teamcase.dates import local_now
from teamcase.models import AboutMe, AuditEvent, Goal, NetworkMember, Offer, Step, Strength
from teamcase.network.ecomap import GROUPS, WIDTH, ecomap_context

bp = Blueprint("reports", __name__, template_folder="templates")

# Someone close to the person who did not agree to be named on the profile.
UNNAMED_HELPER = _l("someone close to them")
ECOMAP_MM = 150
# The ring on paper is flatter than on screen: the sheet has little height to spare.
ECOMAP_MIN_HEIGHT = 420
LINE_MM = 5.3  # one line of 12 pt text, as the estimates count


@dataclass(frozen=True)
class Fit:
    """How much of each part goes on the page; the rest becomes "and N more"."""

    about: int  # characters per about-me section
    strengths: int
    offers: int
    people: int  # in the ecomap
    goals: int
    steps: int  # per goal
    item: int  # characters per strength, offer, goal or step
    why: bool  # a goal's "why" as well as its words


# From the most to the least shown. A typical record fits the first, a rich one
# a later one, and the last fits a record with every list long and every text
# at its maximum length (tests/test_reports.py makes one).
FITS = (
    Fit(about=220, strengths=8, offers=4, people=10, goals=4, steps=3, item=120, why=True),
    Fit(about=170, strengths=7, offers=4, people=8, goals=4, steps=2, item=100, why=False),
    Fit(about=130, strengths=6, offers=3, people=6, goals=3, steps=2, item=80, why=False),
    Fit(about=90, strengths=5, offers=3, people=5, goals=2, steps=2, item=70, why=False),
    Fit(about=60, strengths=4, offers=2, people=4, goals=2, steps=1, item=50, why=False),
)
# What the estimate in ProfileRecord.context may come to for a page that still
# fits; above it WeasyPrint always needed a second page. Checked on random
# records: it saves laying out fits that cannot work.
PAGE_LINES = 47.5


def shorten(text: str, limit: int) -> str:
    """`text` on one line, cut at a word to at most about `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    # At a space when there is one not too far back; a very long word is cut.
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-") + " …"


def cut(items: list, limit: int) -> tuple[list, int]:
    """The first `limit` items, and how many more there are."""
    return items[:limit], max(0, len(items) - limit)


def _lines(text: str, per_line: int) -> int:
    return -(-len(text) // per_line) if text else 0


def balance(heights: list[float], left_extra: float = 0, right_extra: float = 0):
    """Where to cut a run of blocks into a left and a right column, with
    `left_extra` and `right_extra` lines under each, so that both end about
    level: (cut, lines in the taller column).

    Heights are rough line counts at 12 pt in an 86 mm column. Fixed-width
    floats with a cut chosen here cost WeasyPrint a fraction of what CSS
    columns or flex cost to lay out.
    """

    def taller(cut):
        return max(sum(heights[:cut]) + left_extra, sum(heights[cut:]) + right_extra)

    cut = min(range(len(heights) + 1), key=taller)
    return cut, taller(cut)


def about_lines(title: str, text: str, said_by: str) -> float:
    return 1.2 * _lines(title, 30) + _lines(text, 37) + (0.8 if said_by != "person" else 0) + 0.6


def goal_lines(goal: dict) -> float:
    steps = sum(_lines(f"{step['text']} — {step['who']}", 32) for step in goal["steps"])
    more = 1 if goal["more_steps"] else 0
    return _lines(goal["words"], 30) + _lines(goal["why"], 36) + steps + more + 0.6


def network_lines(picture_mm: float, more: int) -> float:
    # Heading, the ecomap across the page, "and N more".
    return 1.2 + picture_mm / LINE_MM + (1 if more else 0) + 0.5


def box_lines(items, more: int) -> float:
    return 2.2 + sum(_lines(text, 33) for text in items) + (1 if more else 0)


def known_best(client, name: str) -> str:
    """Who in the team knows the person best, by first name: "Anna and Bram know Mies best"."""
    names = [member.first_name for member in client.known_best_by()]
    if not names:
        return ""
    if len(names) == 1:
        return _("%(who)s knows %(name)s best", who=names[0], name=name)
    return ngettext(
        "%(who)s and %(last)s know %(name)s best",
        "%(who)s and %(last)s know %(name)s best",
        len(names),
        who=", ".join(names[:-1]),
        last=names[-1],
        name=name,
    )


def first_name(client) -> str:
    return shorten(client.first_name, 30)


def helper_label(step, name: str) -> str:
    """Who helps with a step, as the family may read it."""
    if step.helper_kind == "network":
        if step.network_member_id and step.network_member.on_profile:
            return shorten(step.network_member.name, 40)
        return str(UNNAMED_HELPER)
    if step.helper_kind == "member":
        if step.member_id:
            return _("%(name)s from the team", name=step.member.first_name)
        return _("the team")
    return name


class ProfileRecord:
    """Everything the profile may show, read once; `context` cuts it to a Fit."""

    def __init__(self, client):
        self.client = client
        self.name = first_name(client)
        about = AboutMe.current_for(client)
        self.about = [
            (title, about[key])
            for key, title in AboutMe.SECTIONS.items()
            if key in about and about[key].text.strip()
        ]
        self.strengths = list(Strength.for_client(client))
        self.offers = list(Offer.for_client(client))
        # Only the people who agreed to be on the profile. The others are left out
        # without a trace, not even a count; so are neighbours met through the
        # team, whose names belong to other people's records.
        self.network = sorted(
            (m for m in NetworkMember.current(client) if m.on_profile),
            key=lambda m: (GROUPS.index(m.group), m.name),
        )
        self.goals = list(Goal.for_client(client).where(Goal.status == "active"))
        self.steps = Step.for_goals(self.goals)
        self.known_best = known_best(client, self.name)
        self.pictures: dict[int, dict] = {}

    def picture(self, people: int) -> dict:
        """The ecomap of the first `people`, laid out once per number of people."""
        if people not in self.pictures:
            shown = self.network[:people]
            context = ecomap_context(self.client, shown, min_height=ECOMAP_MIN_HEIGHT)
            context["picture_mm"] = ECOMAP_MM * context["height"] / WIDTH
            context["svg_style"] = f"width: {ECOMAP_MM}mm; height: {context['picture_mm']:.1f}mm"
            self.pictures[people] = context
        return self.pictures[people]

    def context(self, fit: Fit, printed_on) -> dict:
        about = [(title, shorten(e.text, fit.about), e.said_by) for title, e in self.about]
        strengths, more_strengths = cut(self.strengths, fit.strengths)
        strengths = [shorten(s.text, fit.item) for s in strengths]
        offers, more_offers = cut(self.offers, fit.offers)
        offers = [(shorten(o.text, fit.item), shorten(o.when, 60)) for o in offers]
        people, more_people = cut(self.network, fit.people)
        goals, more_goals = cut(self.goals, fit.goals)
        # About me fills the top two columns; strengths go under the one that ends first.
        heights = [about_lines(*section) for section in about]
        strengths_height = box_lines(strengths, more_strengths)
        left = balance(heights, left_extra=strengths_height)
        right = balance(heights, right_extra=strengths_height)
        strengths_left = left[1] <= right[1]
        split = left[0] if strengths_left else right[0]
        # Then the people around them across the page; below, goals on the left
        # and what they can give on the right.
        goals = [self._goal(goal, fit) for goal in goals]
        picture = self.picture(len(people)) if people else {}
        goals_height = (2.4 + sum(goal_lines(g) for g in goals) + bool(more_goals)) if goals else 0
        network_height = network_lines(picture["picture_mm"], more_people) if people else 0
        offers_height = box_lines([f"{text} ({when})" for text, when in offers], more_offers)
        lower = max(goals_height, offers_height)
        return {
            "estimated_lines": 2 + min(left[1], right[1]) + network_height + lower,
            # The ecomap's own template draws it, from the same context as on screen.
            **picture,
            "client": self.client,
            "name": self.name,
            "full_name": shorten(self.client.name, 60),
            "team_name": shorten(self.client.team.name, 60),
            "team_phone": shorten(self.client.team.phone, 40),
            "known_best": self.known_best,
            "printed_on": printed_on,
            "about_left": about[:split],
            "about_right": about[split:],
            "strengths_left": strengths_left,
            "strengths": strengths,
            "more_strengths": more_strengths,
            "offers": offers,
            "more_offers": more_offers,
            "people": len(people),
            "more_people": more_people,
            "goals": goals,
            "more_goals": more_goals,
        }

    def _goal(self, goal, fit: Fit) -> dict:
        steps, more_steps = cut(self.steps[goal.id], fit.steps)
        return {
            "words": shorten(goal.words, fit.item),
            "why": shorten(goal.why, fit.item) if fit.why else "",
            "steps": [
                {
                    "text": shorten(step.text, fit.item),
                    "who": helper_label(step, self.name),
                    "done": step.done_on is not None,
                }
                for step in steps
            ],
            "more_steps": more_steps,
        }


def render_profile(client, printed_on) -> bytes:
    """The profile as a one-page A4 PDF: the first fit that WeasyPrint lays out
    on one page, starting from the first that the estimate allows."""
    record = ProfileRecord(client)
    contexts = [record.context(fit, printed_on) for fit in FITS]
    start = next(
        (i for i, c in enumerate(contexts) if c["estimated_lines"] <= PAGE_LINES),
        len(contexts) - 1,
    )
    document = pdf.first_that_fits("reports/profile.html", contexts[start:])
    if len(document.pages) == 1:
        return document.write_pdf()
    # The last fit is made to fit; should it ever not, a cut page is better
    # than a second sheet.
    current_app.logger.warning("The profile of person %s did not fit on one page", client.id)
    return document.copy(document.pages[:1]).write_pdf()


@bp.route("/people/<int:client_id>/profile.pdf")
@login_required
def profile(client_id):
    client = access.client(client_id)
    printed_on = local_now().date()
    body = render_profile(client, printed_on)
    AuditEvent.record(current_user._get_current_object(), client, "export", "profile", client.id)
    return pdf.download(body, *pdf.download_names("profile", client.name, printed_on))
