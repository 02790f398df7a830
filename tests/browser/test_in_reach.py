"""The nurse's day on a tablet: what she needs stays within reach of a finger and in view.

Links inside a line of text (a network member's local resource, the names on
Offers and needs, the decision list) are 44 px tall tap areas.
"""

import pytest
from playwright.sync_api import expect

from teamcase.models import (
    Client,
    Connection,
    Decision,
    Goal,
    LocalResource,
    NetworkMember,
    Offer,
    Team,
    User,
)

pytestmark = pytest.mark.browser

TAP = 44


def _height(locator) -> float:
    box = locator.bounding_box()
    assert box is not None, "not on the page"
    return box["height"]


def _links_in_lines_of_text():
    """A resource in Ahmet's network, his offer meeting Geertruida's need, and a
    decision about him: each shown as a link inside a line of text."""
    team = Team.get(Team.name == "Buurtzorg Oost")
    bram = User.get(User.email == "bram@oost.example.org")
    ahmet = Client.get(Client.name == "Ahmet Yılmaz")
    geertruida = Client.get(Client.name == "Geertruida Meijer")
    practice = LocalResource.add(team, bram, name="Huisartsenpraktijk Wibaut", kind="gp")
    NetworkMember.add(ahmet, bram, name="Dr. Ruiter", relation="gp", resource=practice)
    offer = Offer.add(ahmet, bram, text="Fixes bicycles", when="Saturday mornings")
    need = Goal.add(
        geertruida, bram, words="Cycle to the market again", help_wanted="Someone to fix my bike"
    )
    Connection.connect(offer, need, bram)
    Decision.propose(
        team, bram, "Ahmet's GP gets a copy of the wound plan", "So the GP knows", client=ahmet
    )
    return ahmet


def test_links_inside_lines_of_text_are_tall_enough_to_tap(page, site, log_in, check_page):
    ahmet = _links_in_lines_of_text()
    log_in(page, "anna")

    page.goto(site.person_path(ahmet.name))
    resource = page.locator(".network-list").get_by_role("link", name="Huisartsenpraktijk Wibaut")
    assert _height(resource) >= TAP
    check_page(page, "person-network-resource-link")

    page.goto("/offers-and-needs")
    for name in ("Ahmet Yılmaz", "Geertruida Meijer"):
        for link in page.locator(".parts").get_by_role("link", name=name).all():
            assert _height(link) >= TAP, name
    check_page(page, "offers-and-needs-links")

    page.goto("/decisions/")
    title = page.get_by_role("link", name="Ahmet's GP gets a copy of the wound plan")
    expect(title).to_be_visible()
    assert _height(title) >= TAP
    assert _height(page.locator(".decision-row").get_by_role("link", name=ahmet.name)) >= TAP
    check_page(page, "decisions-links")
