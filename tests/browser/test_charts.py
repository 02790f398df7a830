"""Two process behaviour charts on one page, as the browser draws them: axe-clean,
no sideways scrolling on a portrait tablet or a meeting room's screen, the table
alternative opens with a tap. The page is made here from the macro (the charts'
own page is built on it) and served from the live site's address, so it has the
app's stylesheet and security headers' origin."""

import pytest
from flask import render_template_string
from playwright.sync_api import expect

from teamcase import create_app
from teamcase.db import db
from teamcase.measures.xmr import Change, xmr_chart

PAGE = """{% from "measures/_chart.html" import xmr %}<!doctype html>
<html lang="{{ language() }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>How we are doing · teamcase</title>
<link rel="stylesheet" href="/static/css/teamcase.css"></head>
<body><main><h1>How we are doing</h1>
{{ xmr(demand, weeks, "Failure demand", "contacts",
  "Incoming contacts a week that chase what was not done, or not done right.",
  "failure", heading=2) }}
{{ xmr(wait, weeks[:9], "Days to a first visit", "days",
  "Days from a referral to the first visit, by the week of the visit.", "wait", heading=2) }}
</main></body></html>"""


def year():
    values = [6, 8, 5, 7, 6, 9, 5, 7, 6, 8, 7, 6, 21, 6, 7, 5, 6, 8, 7, 5, 6, 7, 8, 6, 7, 6]
    values += [9, 10, 9, 11, 10, 9, 10, 11, 10, None, 9, 10, 11, 9, 10]
    values += [5, 6, 4, 6, 5, 7, 5, 6, 4, 5, 6, 5]
    return values


@pytest.fixture
def charts_page(live, tmp_path):
    """The page's HTML, in English, and where it is served."""
    scratch = create_app(
        {"TESTING": True, "SECRET_KEY": "x" * 40, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    )
    demand = xmr_chart(year(), [Change(41, "We call the GP practice back the same day")])
    wait = xmr_chart([3, 5, 4, None, 6, 5, 4, 7, 6])
    weeks = [f"W{i + 1}" for i in range(len(demand.values))]
    with scratch.test_request_context(headers={"Accept-Language": "en"}):
        html = render_template_string(PAGE, demand=demand, wait=wait, weeks=weeks)
    db.initialize(live.database)  # create_app bound the proxy to its own file
    return html, f"{live.url}/charts-example"


@pytest.mark.parametrize("viewport", ["portrait", "landscape"], indirect=True)
def test_two_charts_are_accessible_and_fit_the_screen(page, check_page, charts_page):
    html, url = charts_page
    page.route(url, lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto(url)
    chart = page.get_by_role("img", name="Failure demand")
    expect(chart).to_be_visible()
    assert page.get_by_role("img").count() == 2
    box = chart.bounding_box()
    assert box["width"] >= min(0.8 * page.viewport_size["width"], 1000)
    # The words around the picture: the signals, and no table until asked.
    expect(page.get_by_text("Signal 1, W13: a value above the upper limit.")).to_be_visible()
    table = page.get_by_role("table", name="Failure demand")
    expect(table).to_be_hidden()
    check_page(page, "charts")
    page.locator("#failure summary").tap()
    expect(table).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(len(year()) + 1)
    check_page(page, "charts-table")


@pytest.fixture
def sizes():
    # A portrait tablet, and the team room's screen.
    return {
        "portrait": {"width": 768, "height": 1024},
        "landscape": {"width": 1920, "height": 1080},
    }
