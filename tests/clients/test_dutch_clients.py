"""The person's page and everything on it, in Dutch: every page and form of
teamcase.clients, a form sent back with errors and the htmx fragments hold no
English, and say the key sentences as a Dutch district nurse would."""

import datetime as dt
import re
import subprocess

import pytest
from test_translations import DUTCH, ENGLISH_WORDS, _visible_text, english_sentences

# What the cast typed into the record: data, not the app's words.
TYPED = (
    "Talked about the garden.",
    "Still cooks",
    "Teaches knitting",
    "Network on profile",
    "I want to walk to the market on Saturdays again",
    "Walk to the corner twice a week",
    "Huisartsenpraktijk Oost",
    "Dapperstraat 12",
    "Fell in the bathroom",
)
# Parts of the person's page that other areas draw (the week plan's continuity
# line, the team meeting's card): each is checked with its own area.
OTHER_AREAS = (
    r'<section[^>]*class="[^"]*continuity.*?</section>',
    r'<section[^>]*id="meeting-card".*?</section>',
)


def _pages(cast):
    person, parts = cast.person_a.id, cast.parts
    return [
        f"/people/{person}",
        f"/people/{person}/edit",
        "/people/new",
        f"/people/{person}/history",
        f"/people/{person}/close",
        f"/people/{person}/transfer",
        "/people/closed",
        f"/people/{person}/contacts/new",
        f"/contacts/{cast.contact_a.id}/edit",
        f"/contacts/{cast.contact_a.id}/delete",
        f"/people/{person}/about/matters/edit",
        f"/people/{person}/strengths",
        f"/people/{person}/offers",
        f"/people/{person}/consents",
        f"/people/{person}/network",
        f"/people/{person}/goals",
        f"/goals/{parts['goals']}/steps",
        f"/strengths/{parts['strengths']}/edit",
        f"/strengths/{parts['strengths']}/delete",
        f"/offers/{parts['offers']}/edit",
        f"/consents/{parts['consents']}/edit",
        f"/consents/{parts['consents']}/withdraw",
        f"/network/{parts['network']}/edit",
        f"/network/{parts['network']}/end",
        f"/goals/{parts['goals']}/edit",
        f"/people/{person}/admissions",
        f"/admissions/{parts['admissions']}/edit",
        f"/admissions/{parts['admissions']}/delete",
        f"/steps/{parts['steps']}/edit",
        f"/steps/{parts['steps']}/delete",
        "/offers-and-needs",
        "/connections/new",
        "/resources/",
        "/resources/new",
        "/resources/import",
        f"/resources/{cast.resource_a.id}/edit",
        f"/resources/{cast.resource_a.id}/delete",
    ]


def _english_left(cast, html: str) -> list[str]:
    for pattern in OTHER_AREAS:
        html = re.sub(pattern, " ", html, flags=re.S)
    text = _visible_text(html)
    for name in (cast.a1.name, cast.a2.name, cast.team_a.name, cast.team_b.name, "teamcase"):
        text = text.replace(name, " ")
    for typed in (*TYPED, cast.person_a.name):
        text = text.replace(typed, " ")
    found = sorted({match.group(0) for match in ENGLISH_WORDS.finditer(text)})
    return found + english_sentences(text)


@pytest.fixture
def dutch_nurse(cast, as_user):
    cast.a1.choose_language("nl")
    return as_user(cast.a1)


def test_every_page_of_the_person_s_record_speaks_dutch(cast, dutch_nurse):
    left = {}
    for path in _pages(cast):
        page = dutch_nurse.get(path, headers=DUTCH)
        assert page.status_code == 200, path
        assert '<html lang="nl">' in page.text, path
        if english := _english_left(cast, page.text):
            left[path] = english
    assert not left, f"English left: {left}"


def test_the_htmx_fragments_speak_dutch(cast, dutch_nurse):
    htmx = {**DUTCH, "HX-Request": "true"}
    for path in (
        f"/people/{cast.person_a.id}/strengths",
        f"/strengths/{cast.parts['strengths']}/edit",
        f"/strengths/{cast.parts['strengths']}/delete",
        f"/people/{cast.person_a.id}/about/good_day/edit",
    ):
        page = dutch_nurse.get(path, headers=htmx)
        assert page.status_code == 200, path
        assert "<html" not in page.text, path
        assert not _english_left(cast, page.text), path


def test_a_form_sent_back_with_errors_says_what_to_fix_in_dutch(cast, dutch_nurse):
    page = dutch_nurse.post(
        "/people/new", data={"name": "", "date_of_birth": "31-2-1950"}, headers=DUTCH
    )
    assert page.status_code == 400
    assert "Vul de naam van de cliënt in." in page.text
    assert "“31-2-1950” is geen datum die we kunnen lezen." in page.text
    assert "Geef minstens één manier om iemand te bereiken" in page.text
    assert 'placeholder="dd-mm-jjjj"' in page.text
    assert "31-2-1950" in page.text, "what was typed stays"
    assert not _english_left(cast, page.text)

    strength = dutch_nurse.post(
        f"/people/{cast.person_a.id}/strengths", data={"strengths-text": ""}, headers=DUTCH
    )
    assert strength.status_code == 400
    assert "Beschrijf de sterke kant." in strength.text
    assert "Kies wat voor sterke kant het is." in strength.text
    assert not _english_left(cast, strength.text)

    admission = dutch_nurse.post(
        f"/people/{cast.person_a.id}/admissions",
        data={"admissions-happened_on": "2999-01-01"},
        headers=DUTCH,
    )
    assert admission.status_code == 400
    assert "Kies wat het was." in admission.text
    assert "Dit ligt in de toekomst. Noteer het als het gebeurd is." in admission.text
    assert not _english_left(cast, admission.text)


def test_the_person_s_page_says_the_key_sentences_in_dutch(cast, dutch_nurse):
    page = dutch_nurse.get(f"/people/{cast.person_a.id}", headers=DUTCH).text
    for dutch in (
        "Over Mies",
        "De mensen om Mies heen",
        "Waar Mies naartoe wil werken",
        "Wat Mies kan geven",
        "Contacten, nieuwste eerst",
        "Sterke band",
        "Vaardigheden en interesses",
        "Nog geen contacten vastgelegd voor dit doel",
        "Een sterke kant toevoegen",
    ):
        assert dutch in page, dutch


def test_a_conflict_says_who_saved_what_and_when_in_dutch(cast, dutch_nurse):
    from teamcase.models import Strength

    strength = Strength.get_by_id(cast.parts["strengths"])
    assert strength.change(cast.a2, strength.version, text="Cooks every day")
    page = dutch_nurse.post(
        f"/strengths/{strength.id}/edit",
        data={
            f"strengths-{strength.id}-text": "Cooks on Sundays",
            f"strengths-{strength.id}-category": "skills",
            f"strengths-{strength.id}-version": "1",
        },
        headers=DUTCH,
    )
    assert page.status_code == 409
    text = " ".join(re.sub(r"<[^>]+>", " ", page.text).split())
    assert re.search(
        r"Bram Bos heeft wijzigingen in deze sterke kant opgeslagen, vandaag \d\d:\d\d, "
        r"terwijl jij aan het bewerken was\.",
        text,
    ), text
    assert "Cooks on Sundays" in page.text, "what was typed stays"


def test_the_history_names_what_happened_in_dutch(cast, dutch_nurse):
    page = dutch_nurse.get(f"/people/{cast.person_a.id}/history", headers=DUTCH).text
    for dutch in (
        "Wie keek er en wat veranderde er",
        "Cliënt opgenomen",
        "Een sterke kant toegevoegd",
    ):
        assert dutch in page, dutch


def _pdf_text(body: bytes, tmp_path) -> str:
    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(body)
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


def test_the_profile_and_the_closing_letter_are_printed_in_dutch(cast, dutch_nurse, tmp_path):
    from teamcase.models import Client, NetworkMember

    NetworkMember.update(on_profile=True).where(NetworkMember.client == cast.person_a).execute()
    profile = dutch_nurse.get(f"/people/{cast.person_a.id}/profile.pdf", headers=DUTCH)
    assert profile.status_code == 200
    text = _pdf_text(profile.data, tmp_path)
    for dutch in ("Over Mies", "Sterke kanten", "Wat Mies kan geven", "afgedrukt", "Banden"):
        assert dutch in text, dutch
    assert not _english_left(cast, text), text

    person = Client.get_by_id(cast.person_a.id)
    assert person.close(cast.a1, person.version, "goals_reached", "Walks again.", dt.date.today())
    letter = dutch_nurse.get(f"/people/{cast.person_a.id}/letter.pdf", headers=DUTCH)
    assert letter.status_code == 200
    text = _pdf_text(letter.data, tmp_path).replace("Walks again.", " ")
    for dutch in (
        "Beste collega,",
        "Reden van afsluiten",
        "Doelen bereikt",
        "Met vriendelijke groet,",
    ):
        assert dutch in text, dutch
    assert not _english_left(cast, text), text
