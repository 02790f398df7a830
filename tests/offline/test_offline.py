"""The installable app and what a member's tablet keeps for reading offline."""

import datetime as dt
import json
import re
import zoneinfo

from conftest import count_queries

from teamcase.db import db
from teamcase.models import Client, PlannedVisit


def _today() -> dt.date:
    return dt.datetime.now(zoneinfo.ZoneInfo("Europe/Amsterdam")).date()


def _visit(cast, person, day, member="a1"):
    with db.connection_context():
        return PlannedVisit.add(person, cast.a1, member=getattr(cast, member), day=day)


def _second_person(cast, name="Jan Visser"):
    with db.connection_context():
        return Client.open(cast.team_a, by=cast.a1, name=name)


def test_the_worker_is_served_from_the_root_with_the_versioned_shell(app, as_user):
    response = as_user(None).get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    body = response.get_data(as_text=True)
    settings = json.loads(re.search(r"const SETTINGS = (\{.*\});", body).group(1))
    assert "/static/css/teamcase.css" in settings["shell"]
    assert "/static/js/htmx-2.0.11.min.js" in settings["shell"]
    assert "/static/js/offline.js" in settings["shell"]
    assert "/static/icons/icon-192.png" in settings["shell"]
    assert re.fullmatch(r"[0-9a-f]{12}", settings["version"])
    assert settings["idleMinutes"] == app.config["SESSION_IDLE_MINUTES"]
    # Every file of the shell exists, or installing the worker would fail.
    client = as_user(None)
    for url in settings["shell"] + [settings["offlinePage"]]:
        response = client.get(url)
        response.close()
        assert response.status_code == 200, url


def test_the_manifest_makes_the_app_installable(as_user):
    response = as_user(None).get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes


def test_every_page_links_the_manifest_and_a_member_page_carries_the_hidden_notice(cast, as_user):
    page = as_user(cast.a1).get("/caseload").get_data(as_text=True)
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    notice = re.search(r"<p class=\"offline-notice\"[^>]*>([^<]*)</p>", page)
    assert "data-offline-notice hidden" in notice.group(0)
    assert "Offline — as of" in notice.group(1)
    assert f'data-user="{cast.a1.id}"' in page
    login = as_user(None).get("/login").get_data(as_text=True)
    assert 'id="offline-state" hidden data-clear' in login
    assert "data-offline-notice" not in login


def test_the_notice_speaks_dutch(cast, as_user):
    client = as_user(cast.a1)
    client.post("/account/language", data={"language": "nl"})
    page = client.get("/caseload").get_data(as_text=True)
    assert "Offline — stand van" in page


def test_the_offline_page_holds_nobodys_data(cast, as_user):
    page = as_user(cast.a1).get("/offline").get_data(as_text=True)
    assert "No connection" in page
    assert cast.a1.name not in page
    assert cast.person_a.name not in page


def test_the_snapshot_lists_her_day_the_caseload_and_the_people_she_visits(cast, as_user):
    today = _today()
    tomorrow = today + dt.timedelta(days=1)
    jan = _second_person(cast)
    piet = _second_person(cast, "Piet Later")
    colleague_only = _second_person(cast, "Bram's Person")
    mies_today = _visit(cast, cast.person_a, today)
    jan_tomorrow = _visit(cast, jan, tomorrow)
    mies_tomorrow = _visit(cast, cast.person_a, tomorrow)
    _visit(cast, piet, today + dt.timedelta(days=2))
    _visit(cast, colleague_only, today, member="a2")
    cancelled = _visit(cast, _second_person(cast, "Called Off"), today)
    with db.connection_context():
        cancelled.cancel(cast.a1)
    client = as_user(cast.a1)
    with count_queries() as queries:
        snapshot = client.get("/offline/snapshot").get_json()
    assert snapshot["user"] == cast.a1.id
    assert snapshot["urls"] == [
        "/plan/day",
        f"/plan/day?day={today.isoformat()}",
        f"/plan/day?day={tomorrow.isoformat()}",
        "/caseload",
        "/offline",
        *sorted(
            [f"/people/{cast.person_a.id}", f"/people/{jan.id}"],
            key=lambda url: int(url.rsplit("/", 1)[1]),
        ),
        # The form that marks each of her visits still to do as done.
        *(
            f"/plan/visits/{visit.id}/done"
            for visit in sorted((mies_today, jan_tomorrow, mies_tomorrow), key=lambda v: v.id)
        ),
        # The about-me forms of the people she visits today: only Mies.
        *(
            f"/people/{cast.person_a.id}/about/{section}/edit"
            for section in ("matters", "good_day", "appreciated", "support", "hopes")
        ),
    ]
    # The session's account, its team and the plan: the same however full the day.
    assert len(queries) == 3, queries
    for url in snapshot["urls"]:
        assert client.get(url).status_code == 200, url


def test_a_page_kept_in_the_background_leaves_the_message_for_the_page_she_opens(
    app, cast, as_user
):
    client = as_user(cast.a1)
    worker = client.get("/sw.js").get_data(as_text=True)
    header = json.loads(re.search(r"const SETTINGS = (\{.*\});", worker).group(1))["keepingHeader"]
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Contact corrected.")]
    # The worker keeps her caseload while the browser follows the redirect.
    kept = client.get("/caseload", headers={header: "1"})
    assert "Contact corrected." not in kept.get_data(as_text=True)
    # Nor does its answer set the cookie: arriving after her next click's, an
    # older cookie would undo what that click did (or her logout).
    assert "Set-Cookie" not in kept.headers
    assert "Contact corrected." in client.get("/caseload").get_data(as_text=True)
    assert "Contact corrected." not in client.get("/caseload").get_data(as_text=True)


def test_logout_and_an_idle_timeout_tell_the_browser_to_delete_what_it_kept(app, cast, as_user):
    client = as_user(cast.a1)
    assert "Clear-Site-Data" not in client.get("/caseload").headers
    response = client.post("/logout")
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'

    client = as_user(cast.a1)
    with client.session_transaction() as session:
        session["seen"] -= app.config["SESSION_IDLE_MINUTES"] * 60 + 5
    response = client.get("/caseload")
    assert response.status_code == 302
    # The kept pages go; contacts written down offline wait for her next login.
    assert response.headers["Clear-Site-Data"] == '"cache"'


def test_a_deactivated_account_s_tablet_deletes_what_waits_to_be_sent_too(cast, as_user):
    """She can log in again after her password was changed elsewhere, and then send
    what waits; a deactivated account never can, so nothing of hers stays."""
    bram, anna = as_user(cast.a2), as_user(cast.a1)
    other = as_user(cast.a1)
    assert anna.post("/logout").headers["Clear-Site-Data"] == '"cache", "storage"'
    ended = other.get("/caseload")  # her sessions ended at that logout
    assert ended.headers["Clear-Site-Data"] == '"cache"'
    anna = as_user(cast.a1)
    response = anna.post(f"/team/members/{cast.a2.id}/deactivate", data={"note": "Moved"})
    assert response.status_code == 303
    response = bram.get("/caseload")
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_the_forms_kept_for_offline_say_how_to_confirm_them_and_keep_drafts(cast, as_user):
    visit = _visit(cast, cast.person_a, _today())
    client = as_user(cast.a1)
    person = cast.person_a
    pages = {
        f"/plan/visits/{visit.id}/done": f"Visit to {person.name} sent",
        f"/people/{person.id}/contacts/new": f"Contact with {person.name} sent",
        f"/people/{person.id}": f"Contact with {person.name} sent",
        f"/people/{person.id}/about/matters/edit": (
            f"About {person.name}: “What matters to me” sent"
        ),
    }
    for url, sentence in pages.items():
        page = client.get(url).get_data(as_text=True)
        assert f'data-outbox="{sentence}"' in page, url
        assert "data-draft" in page and f'data-outbox-person="{person.id}"' in page, url
    # Each item sent is confirmed in a polite live region, on every member page.
    assert 'id="outbox-live" aria-live="polite"' in client.get("/plan/day").get_data(as_text=True)


def test_the_about_me_form_answers_in_place_only_where_it_was_loaded_in_place(cast, as_user):
    client = as_user(cast.a1)
    url = f"/people/{cast.person_a.id}/about/matters/edit"
    whole = client.get(url).get_data(as_text=True)
    # As a page of its own (kept offline, or a conflict opened from the list) it
    # is a plain form that goes back to the person's page.
    assert "hx-post" not in whole.split('id="edit-about-matters"')[1]
    in_place = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f'hx-post="{url}"' in in_place


def test_the_offline_strings_speak_dutch(cast, as_user):
    cast.a1.language = "nl"
    with db.connection_context():
        cast.a1.save()
    page = as_user(cast.a1).get(f"/people/{cast.person_a.id}").get_data(as_text=True)
    for dutch in (
        "Je hebt een concept van {time}.",
        "Niet verstuurd: {reason}",
        f"Contact met {cast.person_a.name} verstuurd",
        "Weggooien",
    ):
        assert dutch in page, dutch
