"""How we are doing on the meeting room's screen (1280×800, then 1920×1080).

The facilitator opens How we are doing from the meetings' navigation: the team's
charts of demand, flow and care, and its outcomes per month. She downloads the
failure demand figures for the GP practice, then starts an experiment from that
chart: the form comes with the measure, and after saving the page shows the chart
again with the change marked and the experiment listed under it.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LANDSCAPE = {"width": 1280, "height": 800}
SCREEN = {"width": 1920, "height": 1080}
TITLE = "We ring the GP practice back within the hour"


@pytest.fixture
def sizes():
    return {"landscape": LANDSCAPE, "screen": SCREEN}


def test_the_team_reads_its_charts_downloads_one_and_starts_an_experiment(
    page, site, log_in, check_page
):
    log_in(page, "anna")
    page.goto(f"{site.url}/meetings/")
    page.get_by_role("link", name="How we are doing").first.click()
    expect(page.get_by_role("heading", level=1, name="How we are doing")).to_be_visible()
    for title in ("Failure demand", "Days to a first visit", "People in care"):
        expect(page.get_by_role("img", name=title)).to_have_count(1)
    expect(page.get_by_role("heading", name="Outcomes: what changed for people")).to_be_visible()
    check_page(page, "measures-01-page")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download Failure demand as CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as saved:
        lines = saved.read().splitlines()
    assert lines[0] == "week,value,sum,count"
    assert len(lines) == 53
    assert download.value.suggested_filename.startswith("failure-")

    page.get_by_role("link", name="Start an experiment from the chart Failure demand").click()
    expect(page.get_by_role("heading", name="Start an experiment")).to_be_visible()
    expect(page.get_by_text("From the chart “Failure demand”")).to_be_visible()
    expect(page.get_by_label("How we’ll know")).to_contain_text("Failure demand")
    page.get_by_label("What we’ll try").fill(TITLE)
    page.get_by_label("Why", exact=True).fill("Fewer people chasing us about prescriptions")
    check_page(page, "measures-02-experiment-form")
    page.get_by_role("button", name="Start the experiment").click()

    expect(page).to_have_url(re.compile(r"/measures/(#measure-failure)?$"))
    chart = page.locator("#measure-failure")
    expect(chart.locator(".measure-experiments")).to_contain_text(TITLE)
    # The change is on the chart itself: a new segment with the experiment's reason.
    expect(chart.locator("svg.xmr-chart desc")).to_contain_text(TITLE)
    expect(page.locator("#measure-value .measure-experiments")).to_have_count(0)
    check_page(page, "measures-03-change-marked")
