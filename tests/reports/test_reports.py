"""The one-page profile PDF: what it shows, what it never shows, and that it fits."""

import datetime as dt
import re
import struct
import subprocess
import sys

import pytest
from conftest import count_queries

from teamcase import pdf
from teamcase.dates import local_now
from teamcase.models import (
    AboutMe,
    AuditEvent,
    Client,
    Goal,
    KnownBest,
    NetworkMember,
    Offer,
    Step,
    Strength,
    Team,
)
from teamcase.paths import STATIC
from teamcase.reports import profile as reports


def _url(person):
    return f"/people/{person.id}/profile.pdf"


def _today(app):
    with app.app_context():
        return local_now().date()


def _pdf(response, tmp_path):
    assert response.status_code == 200, response.data[:300]
    path = tmp_path / "profile.pdf"
    path.write_bytes(response.data)
    return path


def _text(path) -> str:
    """The PDF's text on one line: words wrap differently from run to run."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def _pages(path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(out.stdout.split("Pages:")[1].split()[0])


def _about(person, by, section, text, said_by="person", said_by_name=""):
    return AboutMe.write(person, section, by, 0, text, said_by, said_by_name)


def _fill(person, by, helper, *, strengths=12, goals=6, steps=4, people=12, offers=6, long=1):
    """A rich record: more of everything than one page holds."""
    Client.update(preferred_name="Mies").where(Client.id == person.id).execute()
    words = (
        "Having my grandchildren over on Sundays and staying in my own home, "
        "where I have lived for fifty years. "
    )
    for section in AboutMe.SECTIONS:
        _about(person, by, section, (words * 40)[: 180 * long])
    for i in range(strengths):
        Strength.add(person, by, category="skills", text=(f"Strength number {i} " * long)[:300])
    for i in range(offers):
        Offer.add(person, by, text=(f"Offer number {i} " * long)[:300], when="on Tuesdays")
    network = [
        NetworkMember.add(
            person, by, name=(f"Friend {i} " * long)[:120], relation="friend", on_profile=True
        )
        for i in range(people)
    ]
    for i in range(goals):
        goal = Goal.add(person, by, words=(f"Goal number {i} " * long)[:300], why="Because " * long)
        for j in range(steps):
            Step.add(
                goal,
                by,
                text=(f"Step {j} of goal {i} " * long)[:300],
                helper_kind="network" if j % 2 else "member",
                network_member=network[j % len(network)] if j % 2 else None,
                member=None if j % 2 else helper,
            )


def _png_size(path) -> tuple[int, int]:
    with open(path, "rb") as png:
        header = png.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_it_sends_a_pdf_named_after_the_person_and_the_date(app, cast, as_user):
    response = as_user(cast.a1).get(_url(cast.person_a))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    day = _today(app).isoformat()
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename=profile-Mies-Bakker-{day}.pdf" in disposition
    assert f"filename*=UTF-8''profile-Mies-Bakker-{day}.pdf" in disposition
    assert "no-store" in response.headers["Cache-Control"]


def test_it_gives_a_name_with_accents_an_ascii_file_name_and_a_utf8_one(app, cast, as_user):
    person = Client.open(cast.team_a, by=cast.a1, name="Zoë Çelik / Öztürk", phone="06")
    response = as_user(cast.a1).get(_url(person))
    day = _today(app).isoformat()
    disposition = response.headers["Content-Disposition"]
    assert f"filename=profile-Zoe-Celik-Ozturk-{day}.pdf;" in disposition
    assert f"filename*=UTF-8''profile-Zo%C3%AB-%C3%87elik-%C3%96zt%C3%BCrk-{day}.pdf" in disposition
    assert pdf.download_names("profile", "李小龙", dt.date(2026, 11, 23))[0] == (
        "profile-person-2026-11-23.pdf"
    )


def test_it_is_audited_as_an_export(app, cast, as_user):
    as_user(cast.a1).get(_url(cast.person_a))
    event = (
        AuditEvent.select()
        .where(AuditEvent.client == cast.person_a, AuditEvent.action == "export")
        .get()
    )
    assert (event.actor_id, event.entity, event.entity_id) == (
        cast.a1.id,
        "profile",
        cast.person_a.id,
    )


def test_it_shows_who_they_are_in_their_own_words(app, cast, as_user, tmp_path):
    person = cast.person_a
    Client.update(preferred_name="Mies").where(Client.id == person.id).execute()
    _about(person, cast.a1, "matters", "My garden and my cat Pluis.")
    _about(person, cast.a1, "good_day", "Coffee by the window, then the market.")
    _about(person, cast.a1, "appreciated", "My appeltaart.", said_by="family")
    _about(person, cast.a1, "support", "Tell me first what you will do.")
    _about(person, cast.a1, "hopes", "To see Noor graduate.")
    NetworkMember.add(person, cast.a1, name="Sjaak", relation="neighbour", on_profile=True)
    Goal.add(person, cast.a1, words="Get the bathroom adapted", status="achieved")
    text = _text(_pdf(as_user(cast.a1).get(_url(person)), tmp_path))
    for heading in (
        "About Mies",
        "What matters to me",
        "What a good day looks like",
        "What people appreciate about me",
        "How best to support me",
        "My hopes for the future",
        "Strengths",
        "What Mies can give",
        "The people around Mies",
        "What Mies is working on, and who helps",
    ):
        assert heading in text, heading
    for words in (
        "“My garden and my cat Pluis.”",
        "“Coffee by the window, then the market.”",
        "“My appeltaart.”",
        "as told by family",
        "“Tell me first what you will do.”",
        "“To see Noor graduate.”",
        "Still cooks",
        "Teaches knitting",
        "“I want to walk to the market on Saturdays again”",
        "Walk to the corner twice a week — Mies",
        "Sjaak Neighbour",  # in the ecomap: the name, the relation under it
        "Team A · printed",
    ):
        assert words in text, words
    assert "bathroom" not in text  # achieved goals are not on it


def test_it_names_only_the_people_who_agreed_to_be_on_it(app, cast, as_user, tmp_path):
    person = cast.person_a
    ellen = NetworkMember.get_by_id(cast.parts["network"])  # recorded without consent
    NetworkMember.update(reach="06-55554444", does_now="Shops").where(
        NetworkMember.id == ellen.id
    ).execute()
    noor = NetworkMember.add(
        person, cast.a1, name="Noor", relation="family", reach="06-11119999", on_profile=True
    )
    _about(person, cast.a1, "appreciated", "Always cheerful.", "family", "her daughter Ellen")
    goal = Goal.add(person, cast.a1, words="Have the grandchildren over")
    Step.add(goal, cast.a1, text="Plan a menu", helper_kind="network", network_member=noor)
    Step.add(goal, cast.a1, text="Drive the children", helper_kind="network", network_member=ellen)
    Step.add(goal, cast.a1, text="Order groceries", helper_kind="member", member=cast.a2)
    text = _text(_pdf(as_user(cast.a1).get(_url(person)), tmp_path))
    assert "Noor Family" in text  # in the ecomap
    assert "Plan a menu — Noor" in text
    assert "Drive the children — someone close to them" in text
    assert "Order groceries — Bram from the team" in text
    assert "Bos" not in text  # team members by first name only
    assert "Ellen" not in text
    assert "06-55554444" not in text and "06-11119999" not in text


def _word_sizes(path) -> list[tuple[float, str]]:
    """(font size in pt, word) for every word on the page, smallest first: poppler's
    box of a DejaVu word is 1.164 times its size high (ascender plus descender)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    )
    words = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', out.stdout)
    return sorted((round((float(y2) - float(y1)) / 1.164, 2), word) for y1, y2, word in words)


def test_every_word_on_it_is_9_pt_or_more_the_ecomap_s_too(app, cast, as_user, tmp_path):
    person = cast.person_a
    for name, relation in (
        ("Huisartsenpraktijk Dapperbuurt", "gp"),
        ("Wilhelmina van Oosterhout-Bergkamp", "professional"),
        ("Noor", "family"),
        ("Kerkkoor De Zonnebloem", "community"),
    ):
        NetworkMember.add(person, cast.a1, name=name, relation=relation, on_profile=True)
    sizes = _word_sizes(_pdf(as_user(cast.a1).get(_url(person)), tmp_path))
    assert sizes[0][0] >= 8.95, sizes[:5]
    drawn = {word for _, word in sizes}
    assert {"Noor", "Family", "GP", "practice", "Huisartsenprak-", "Wilhelmina"} <= drawn
    assert {"Other", "professional", "Community", "group", "Ties", "Mies"} <= drawn
    assert "gp" not in drawn


def test_it_says_how_to_reach_the_team_and_who_knows_them_best(app, cast, as_user, tmp_path):
    Team.update(phone="020 665 4321").where(Team.id == cast.team_a.id).execute()
    Client.update(preferred_name="Mies").where(Client.id == cast.person_a.id).execute()
    text = _text(_pdf(as_user(cast.a1).get(_url(cast.person_a)), tmp_path))
    assert "Team A · 020 665 4321 · Anna knows Mies best" in text
    KnownBest.create(client=cast.person_a, member=cast.a2)
    text = _text(_pdf(as_user(cast.a1).get(_url(cast.person_a)), tmp_path))
    assert "Anna and Bram know Mies best" in text
    assert "Aalders" not in text and "Bos" not in text  # first names, as on the rest


def test_it_leaves_out_contact_notes_and_personal_details(app, cast, as_user, tmp_path):
    text = _text(_pdf(as_user(cast.a1).get(_url(cast.person_a)), tmp_path))
    assert "Mies Bakker" in text
    assert "Talked about the garden" not in text  # the contact's note
    assert "06-12345678" not in text
    assert "Dapperstraat" not in text
    assert "1941" not in text and "17 May" not in text
    assert "Network on profile" not in text  # consent records


def test_it_leaves_out_neighbours_met_through_the_team(app, cast, as_user, tmp_path):
    # Mies's offer met Joop Visser's need, both agreed: the ecomap on screen shows him.
    assert cast.connection.offer.client_id == cast.person_a.id
    text = _text(_pdf(as_user(cast.a1).get(_url(cast.person_a)), tmp_path))
    assert "Joop" not in text
    assert "Visser" not in text


def test_it_fits_a_large_record_on_one_page(app, cast, as_user, tmp_path):
    _fill(cast.person_a, cast.a1, cast.a2)
    path = _pdf(as_user(cast.a1).get(_url(cast.person_a)), tmp_path)
    assert _pages(path) == 1
    text = _text(path)
    assert "Strength number 0" in text
    assert "“Goal number 0”" in text
    assert "Friend 0 Friend" in text
    assert re.search(r"and \d+ more goals?\b", text)
    assert re.search(r"and \d+ more Strength|and \d+ more What", text)  # 13 strengths


def test_it_reads_the_record_in_the_same_few_queries_however_large(app, cast, as_user):
    client = as_user(cast.a1)
    client.get(_url(cast.person_a))  # the first request also checks the schema
    with count_queries() as small:
        client.get(_url(cast.person_a))
    _fill(cast.person_a, cast.a1, cast.a2)
    with count_queries() as large:
        client.get(_url(cast.person_a))
    # One of them asks who knows the person best, for the sheet's team line.
    assert len(large) == len(small) <= 11, large


def test_it_shows_less_until_it_fits_when_the_estimate_was_too_hopeful(
    app, cast, as_user, tmp_path, monkeypatch, caplog
):
    _fill(cast.person_a, cast.a1, cast.a2)
    monkeypatch.setattr(reports, "PAGE_LINES", 1000)  # start from the fullest fit
    path = _pdf(as_user(cast.a1).get(_url(cast.person_a)), tmp_path)
    assert _pages(path) == 1
    assert "did not fit" not in caplog.text


def test_it_fits_a_record_with_everything_at_its_maximum_on_one_page(app, cast, as_user, tmp_path):
    _fill(cast.person_a, cast.a1, cast.a2, strengths=30, goals=12, steps=8, people=40, long=16)
    Team.update(name="T" * 120).where(Team.id == cast.team_a.id).execute()
    Client.update(name="Wilhelmina " * 10 + "Bakker", preferred_name="M" * 80).where(
        Client.id == cast.person_a.id
    ).execute()
    path = _pdf(as_user(cast.a1).get(_url(cast.person_a)), tmp_path)
    assert _pages(path) == 1
    assert "Having my grandchildren" in _text(path)


def test_it_renders_to_an_a4_picture(app, cast, as_user, tmp_path):
    _fill(cast.person_a, cast.a1, cast.a2, goals=3, strengths=6, people=8)
    path = _pdf(as_user(cast.a1).get(_url(cast.person_a)), tmp_path)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-singlefile", str(path), str(tmp_path / "profile")],
        check=True,
    )
    picture = tmp_path / "profile.png"
    assert picture.exists()
    width, height = _png_size(picture)
    assert abs(width - 496) <= 1 and abs(height - 702) <= 1  # A4 at 60 dpi


@pytest.mark.parametrize(("role", "status"), [("b1", 404), ("coach_a", 403), ("office", 404)])
def test_it_is_refused_outside_the_team(app, cast, as_user, role, status):
    response = as_user(cast.by_role(role)).get(_url(cast.person_a))
    assert response.status_code == status
    assert b"%PDF" not in response.data
    assert not AuditEvent.select().where(AuditEvent.action == "export").exists()


def test_it_needs_a_login(app, cast, as_user):
    response = as_user(None).get(_url(cast.person_a))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_fetcher_serves_the_static_folder_and_nothing_else(app, tmp_path):
    fetcher = pdf.static_only_fetcher()
    css = fetcher((STATIC / "css" / "profile.css").as_uri())
    assert css.content_type == "text/css"
    assert b"@page" in css.read()
    css.close()
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    for url in (
        secret.as_uri(),
        "file:///etc/passwd",
        (STATIC / ".." / "teamcase" / "reports.py").as_uri(),
        (STATIC / "css").as_uri(),
        "https://example.org/tracker.png",
        "http://127.0.0.1:5000/people/1",
        "data:text/css,body{}",
    ):
        with pytest.raises(ValueError):
            fetcher(url)


def test_it_does_not_import_weasyprint_before_a_profile_is_printed():
    code = (
        "import sys; from teamcase import create_app; import teamcase.reports.profile; "
        "print('weasyprint' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
