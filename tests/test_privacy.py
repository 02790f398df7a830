"""How the team's text is shown outside the team: the masker itself (what it masks and
what it must leave alone), the coach's pages and the pseudonymised meeting pack with
names, streets, phone numbers and e-mail addresses planted in every free text they
show, and a coach reading every page without changing anything."""

import datetime as dt
import html
import re
import subprocess
import types

import pytest
from conftest import count_queries
from test_access_matrix import MATRIX, ROLES, _routes, _url

from teamcase.db import db
from teamcase.measures import weekly
from teamcase.models import (
    MODELS,
    AgendaItem,
    Client,
    Contact,
    Decision,
    DecisionStep,
    Experiment,
    Goal,
    Meeting,
    NetworkMember,
    PlannedVisit,
    Referral,
    Strength,
    Task,
    Team,
    TrainingItem,
    User,
    WeekFigure,
    utcnow,
)
from teamcase.privacy import Masker, Viewer, masker_for, names_in_care

# Two texts that between them hold every way of naming someone: a whole name, a
# first name, a nickname, a surname with particles, a possessive, capitals, accents,
# streets with numbers, phone numbers in three formats, an e-mail address and the
# first names of two people in someone's network. Each fits the shortest field (200).
PLANT_ONE = (
    "Johanna van der Berg (Joke) phones Marian every week; Van der Berg's neighbour MIES "
    "BAKKER visits Zoë Çelik at Eerste van Swindenstraat 4 and Dapperstraat 12"
)
PLANT_TWO = (
    "call 06-12345678, 020 665 1234 or +31 6 1234 5678, mail joke.berg@example.nl, "
    "ask Ellen about Mies's keys and joke van der berg"
)
PLANTED = f"{PLANT_ONE}. {PLANT_TWO}"
# Words no page outside the team may show (whole words, any case) …
SECRET_WORDS = (
    "Johanna", "Joke", "Berg", "Marian", "Mies", "Bakker", "Zoë", "Zoe", "Çelik",
    "Ellen", "Groot", "Visser",
)  # fmt: skip
# … and pieces of addresses and numbers, wherever they stand.
SECRET_PIECES = (
    "Swinden", "Dapperstraat", "Javastraat", "12345678", "1234 5678", "665 1234",
    "6651234", "joke.berg", "@example.nl",
)  # fmt: skip


def leaks(text: str) -> list[str]:
    """The planted secrets found in `text`, after HTML entities are read as text."""
    text = " ".join(html.unescape(text).split())
    found = [w for w in SECRET_WORDS if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.I)]
    return found + [p for p in SECRET_PIECES if p.casefold() in text.casefold()]


def _page(client, url, **args) -> str:
    response = client.get(url, query_string=args)
    assert response.status_code == 200, (url, args)
    return html.unescape(response.get_data(as_text=True))


def _joke(cast, **details):
    """Johanna "Joke" van der Berg of team A, with her friend Marian de Wit."""
    joke = Client.open(
        cast.team_a,
        by=cast.a1,
        name="Johanna van der Berg",
        preferred_name="Joke",
        street="Eerste van Swindenstraat 4",
        **details,
    )
    NetworkMember.add(joke, cast.a1, name="Marian de Wit", relation="friend", tie="strong")
    return joke


@pytest.fixture
def planted(app, cast):
    """Team A's people (Mies from the cast, Johanna "Joke" van der Berg and Zoë Çelik),
    their network (Mies's daughter Ellen from the cast, Johanna's friend Marian) and
    PLANT_ONE and PLANT_TWO in every free text the coach's pages and the pack show."""
    one, two, both = PLANT_ONE, PLANT_TWO, PLANTED
    with db.connection_context():
        team, anna, bram = cast.team_a, cast.a1, cast.a2
        joke = _joke(cast, postcode="1093 AB", phone="020 665 1234", email="joke.berg@example.nl")
        zoe = Client.open(team, by=anna, name="Zoë Çelik", phone="+31 6 1234 5678")
        # The board: titles and notes of open and done tasks, for a person and the team.
        for title, note in ((one, two), (two, one)):
            Task.add(team, anna, client=joke, title=title, note=note)
            Task.add(team, anna, client=None, title=title, note=note)
            Task.add(team, anna, client=cast.person_a, title=title, note=note).complete(bram)
        # The week plan: the notes of a visit in someone's plan and one up for grabs.
        today = dt.date.today()
        PlannedVisit.add(joke, anna, member=anna, day=today, note=one)
        PlannedVisit.add(zoe, anna, member=None, day=today, note=two)
        # Decisions: about the team (shown to the coach) and about a person (not).
        decision = Decision.propose(team, anna, both, both)
        objection = decision.add_step(anna, DecisionStep.OBJECTION, two, member=bram)
        decision.add_step(anna, DecisionStep.QUESTION, one, member=bram)
        decision.resolve(anna, objection, one, resolved_by=bram)
        decision.adopt(anna, decision.version, today + dt.timedelta(days=90))
        Decision.propose(team, anna, both, both, client=joke)
        # Training and experiments.
        TrainingItem.add(team, anna, topic=one, who=two, note=both)
        TrainingItem.add(team, anna, topic=two, who=one, note=both, done_on=today)
        Experiment.add(team, anna, title=one, why=both, how_we_know=both)
        Experiment.add(
            team, anna, title=two, why=both, how_we_know=both, what_happened=both, outcome="keep"
        )
    return types.SimpleNamespace(joke=joke, zoe=zoe, mies=cast.person_a, decision=decision)


# The masker


@pytest.fixture
def masker(app, cast):
    with db.connection_context():
        joke = _joke(cast, phone="020-555")
        zoe = Client.open(cast.team_a, by=cast.a1, name="Zoë Çelik")
        NetworkMember.add(
            joke, cast.a1, name="Wijkcentrum De Zomer", relation="community", tie="moderate"
        )
        NetworkMember.add(joke, cast.a1, name="Bo", relation="family", tie="strong")
        NetworkMember.add(joke, cast.a1, name="Henny next door", relation="neighbour", tie="weak")
        Referral.create(
            team=cast.team_a,
            recorded_by=cast.a1,
            person_name="Jan de Groot",
            street="Javastraat 40",
            phone="06-99887766",
        )
        masker = Masker.for_team(cast.team_a)
    masker.ids = types.SimpleNamespace(mies=cast.person_a.pseudonym, joke=joke.pseudonym)
    masker.ids.zoe = zoe.pseudonym
    return masker


def test_it_takes_out_names_phone_numbers_and_email(app, cast):
    with db.connection_context():
        network = list(NetworkMember.select().where(NetworkMember.client == cast.person_a))
    clean = Masker([cast.person_a], network)
    text = "Mies Bakker called; Ellen (mies@example.nl, 06 1234 5678) says Mies is tired."
    assert clean(text) == (
        f"{cast.person_a.pseudonym} called; [family] ([email], [phone]) says "
        f"{cast.person_a.pseudonym} is tired."
    )
    # A word that is part of another word stays; so does an ordinary word.
    assert clean("Miesje walked to the bakery") == "Miesje walked to the bakery"
    # The team's members stay named, even when a person shares a name with one.
    keeping = Masker([cast.person_a], members=["Bram Bakker"])
    assert keeping("Bram Bakker visited Mies Bakker") == (
        f"Bram Bakker visited {cast.person_a.pseudonym}"
    )


def test_it_masks_every_way_of_writing_a_name(masker):
    mies, joke, zoe = masker.ids.mies, masker.ids.joke, masker.ids.zoe
    cases = {
        "Johanna van der Berg agreed": f"{joke} agreed",
        "Joke agreed": f"{joke} agreed",
        "Johanna agreed": f"{joke} agreed",
        "Joke van der Berg agreed": f"{joke} agreed",
        "Van der Berg agreed, as did mevrouw van der Berg": (
            f"{joke} agreed, as did mevrouw {joke}"
        ),
        "Berg agreed": f"{joke} agreed",
        "Mies's daughter and Mies’s son": f"{mies}'s daughter and {mies}’s son",
        "MIES BAKKER and mies bakker and Mies BAKKER": f"{mies} and {mies} and {mies}",
        "johanna van der berg rang": f"{joke} rang",
        "Zoë, Zoe and ZOË Çelik; Celik": f"{zoe}, {zoe} and {zoe}; {zoe}",
        "Bakker,\nMies": f"{mies},\n{mies}",
        "Marian de Wit and Marian": "[friend] and [friend]",
        "Wijkcentrum De Zomer cooks": "[community group] cooks",
        "Jan de Groot was referred": "J.D.G. (referral) was referred",
        "Henny brings soup; henny next door too": "[neighbour] brings soup; [neighbour] too",
    }
    for text, masked in cases.items():
        assert masker(text) == masked, text


def test_it_masks_streets_phone_numbers_and_email_in_their_usual_shapes(masker):
    cases = {
        "at Dapperstraat 12, Dapperstraat 12-2 and dapperstraat": (
            "at [address], [address] and [address]"
        ),
        "Eerste van Swindenstraat 4 hs; Eerste van Swindenstraat": "[address]; [address]",
        "Javastraat 40A": "[address]",
        # A street nobody recorded, by its shape.
        "moved to Tweede Oosterparkstraat 120-3": "moved to [address]",
        "06-12345678 / 020 665 1234 / +31 6 1234 5678": "[phone] / [phone] / [phone]",
        "(020) 665 1234, 06 12 34 56 78, 0031 20 665 1234": "[phone], [phone], [phone]",
        "+31 (0)6 1234 5678 and 0612345678.": "[phone] and [phone].",
        # A short number someone recorded is found however it is written.
        "020-555 or 020 555": "[phone] or [phone]",
        "mail j.van.der.berg+zorg@example.co.uk": "mail [email]",
    }
    for text, masked in cases.items():
        assert masker(text) == masked, text


def test_it_leaves_ordinary_words_dates_and_numbers_alone(masker):
    untouched = [
        "the bakker on the corner sells bread",  # a name word in lower case is a word
        "de top van de berg; ik wil meer",
        "Miesje, Bergen and Marianne are other words",
        "the meeting on 06-12-2025 14:00, or 2025-11-12 at 10.30",
        "we drove 1200 km, room 12, 3 times a week, 45 minutes",
        "we zijn onderweg 2 uur",
        "de zomer was warm",  # an organisation's words are ordinary words
        "Bo and An",  # names of two letters only within a longer name
        "Van der Zee and de Vries",  # particles and other people's names
        "Next door they sell bread",  # the ordinary words of "Henny next door"
    ]
    for text in untouched:
        assert masker(text) == text


def test_it_keeps_team_members_named_and_hides_a_word_two_people_share(app, cast):
    with db.connection_context():
        anna = Client.open(cast.team_a, by=cast.a1, name="Anna de Vries")
        NetworkMember.add(anna, cast.a1, name="Bram", relation="neighbour", tie="weak")
        masker = Masker.for_team(cast.team_a)
    assert masker("Anna Aalders and Bram Bos visited") == "Anna Aalders and Bram Bos visited"
    # "Anna" alone could be the member or the person: it says neither.
    assert masker("Anna phoned Anna de Vries") == f"[name] phoned {anna.pseudonym}"
    # A neighbour who shares a colleague's first name does not hide the colleague.
    assert masker("Bram will call") == "Bram will call"


def test_it_knows_the_whole_team_in_one_query(app, cast):
    with db.connection_context():
        gone = Client.open(cast.team_a, by=cast.a1, name="Gerrit Dijkstra", status="closed")
        NetworkMember.create(client=gone, name="Trudy", relation="family", until=dt.date.today())
        Referral.create(
            team=cast.team_b,
            from_team=cast.team_a,
            recorded_by=cast.b1,
            person_name="Kees Jansen",
            street="Maasstraat 3",
        )
        Client.open(cast.team_b, by=cast.b1, name="Wim Zuidema")
        with count_queries() as queries:
            masker = Masker.for_team(cast.team_a)
    assert len(queries) == 1, queries
    # Closed cases, ended ties and people the team sent on stay masked in old texts.
    assert masker("Gerrit, Trudy, Kees Jansen, Maasstraat 3") == (
        f"{gone.pseudonym}, [family], K.J. (referral), [address]"
    )
    assert masker("Wim Zuidema") == "Wim Zuidema"  # another team's person is not known here


def test_it_is_built_once_per_request_and_the_viewer_uses_it(app, cast):
    with app.test_request_context(), db.connection_context(), count_queries() as queries:
        first = masker_for(cast.team_a)
        assert masker_for(cast.team_a) is first
        outside = Viewer.outside(cast.team_a)
        assert outside.text("Mies Bakker") == cast.person_a.pseudonym
        assert outside.text("Ellen") == "[family]"
        assert outside.person(cast.person_a) == cast.person_a.pseudonym
        inside = Viewer(cast.team_a, cast.a1, can_change=True, sees_names=True)
        assert inside.text("Mies Bakker") == "Mies Bakker"
        assert inside.person(cast.person_a) == "Mies Bakker"
        assert (inside.looks_on, outside.looks_on) == (False, True)
    assert len(queries) == 1


# The coach's pages


def test_it_masks_every_planted_name_on_the_coach_s_board(app, cast, as_user, planted):
    page = _page(as_user(cast.coach_a), f"/board/teams/{cast.team_a.id}")
    assert leaks(page) == []
    main = page.split("<main")[1]
    joke = planted.joke.pseudonym
    assert f"{joke} ({joke}) phones [friend] every week" in main
    assert f"For {joke}" in main and f"For {planted.mies.pseudonym}" in main
    assert "call [phone], [phone] or [phone], mail [email]" in main
    assert f"visits {planted.zoe.pseudonym} at [address] and [address]" in main


def test_it_masks_every_planted_name_on_the_coach_s_week_plan(app, cast, as_user, planted):
    page = _page(as_user(cast.coach_a), f"/plan/teams/{cast.team_a.id}")
    assert leaks(page) == []
    assert planted.joke.pseudonym in page and planted.zoe.pseudonym in page


def test_it_masks_every_planted_name_in_the_coach_s_decisions_log(app, cast, as_user, planted):
    coach = as_user(cast.coach_a)
    page = _page(coach, f"/decisions/teams/{cast.team_a.id}")
    assert leaks(page) == []
    joke = planted.joke.pseudonym
    assert f"{joke} ({joke}) phones [friend] every week" in page  # proposal and purpose
    # The objection and how it was resolved, without who objected.
    assert "A colleague:</strong> call [phone]" in page
    assert f"Resolved: {joke}" in page
    assert f"A decision about {joke}" in page
    # A search finds what the coach reads, never what the names were.
    log = f"/decisions/teams/{cast.team_a.id}"
    for word in ("Marian", "Bakker", "van der Berg", "Swindenstraat", "665", "example.nl"):
        # What the coach typed comes back in the search box; the results are what counts.
        results = _page(coach, log, q=word).split('id="decision-results"')[1]
        assert "No decision matches" in results, word
        assert leaks(results) == []
    found = _page(coach, log, q="[friend] every week")
    assert "1 decision found" in found and leaks(found) == []
    about = _page(coach, log, person=planted.joke.id)
    assert f"A decision about {joke}" in about and leaks(about) == []


def test_it_masks_every_planted_name_on_the_coach_s_learning_page(app, cast, as_user, planted):
    page = _page(as_user(cast.coach_a), f"/learning/teams/{cast.team_a.id}")
    assert leaks(page) == []
    joke = planted.joke.pseudonym
    assert f"<h3>{joke} ({joke}) phones [friend] every week" in page
    assert "<dd>" + f"{joke} ({joke}) phones" in page  # why, how we'll know, what happened
    assert "call [phone], [phone] or [phone]" in page


def test_it_masks_every_planted_name_in_the_coach_s_charts(app, cast, as_user, planted):
    """The measures team A shares with her: small on her page, in full on its read-only
    How we are doing, with experiments started from the charts whose titles hold every
    planted name. Her page says only that an experiment started; the full chart says
    which, masked."""
    with db.connection_context():
        weeks = weekly.weeks()
        for week, count in zip(weeks, [3, 4, 2, 5, 3, 4] * 8 + [3, 4, 3, 12], strict=True):
            WeekFigure.create(team=cast.team_a, week=week, measure="failure", total=count, count=1)
        Team.update(coach_measures="failure,first_visit").where(Team.id == cast.team_a.id).execute()
        for title in (PLANT_ONE, PLANT_TWO):
            Experiment.add(
                cast.team_a, cast.a1, title=title, measure="failure", started_on=weeks[30]
            )
    coach = as_user(cast.coach_a)
    home = _page(coach, "/coach/")
    assert leaks(home) == [] and f'id="team-{cast.team_a.id}-failure"' in home
    assert "new limits: an experiment of the team" in home
    full = _page(coach, f"/measures/teams/{cast.team_a.id}")
    assert leaks(full) == []
    joke = planted.joke.pseudonym
    assert f"{joke} ({joke}) phones [friend] every week" in full
    assert "call [phone], [phone] or [phone]" in full


# The cast's members and a colleague of theirs, as a coach may never read them next
# to a piece of work.
MEMBER_WORDS = ("Anna", "Aalders", "Bram", "Bos", "Ingrid", "Smit")


def test_no_coach_page_names_a_member_next_to_their_work(app, cast, as_user, planted):
    """The coach supports the team and does not supervise its members: whose visits,
    who holds or finished a task, who proposed or objected, who trains: none of it
    on any page she may open; the team's totals instead."""
    with db.connection_context():
        team, anna, bram = cast.team_a, cast.a1, cast.a2
        ingrid = User.create(
            email="ingrid@a.example.org",
            name="Ingrid Smit",
            role=User.MEMBER,
            team=team,
            password_hash="x",
        )
        today = dt.date.today()
        for member, minutes in ((ingrid, 45), (ingrid, 30), (bram, 20)):
            PlannedVisit.add(planted.mies, anna, member=member, day=today, minutes=minutes)
        Task.add(team, anna, client=None, title="Order gloves").claim(ingrid)
        Task.add(team, anna, client=None, title="Phone the pharmacy").ask(anna, ingrid)
        TrainingItem.add(team, anna, topic="Wound care", who="Ingrid Smit and Bram Bos")
        Decision.propose(team, ingrid, "Fewer meetings", "More time with people")
    coach = as_user(cast.coach_a)
    seen = []
    for rule, method in _routes(app):
        if method != "GET" or MATRIX[(rule.endpoint, "GET")][ROLES.index("coach_a")] != 200:
            continue
        if rule.endpoint in ("static", "auth.password"):
            continue
        url = _url(app, rule, cast)
        # The page's own part: the header names the coach, not the team.
        main = _page(coach, url).partition("<main")[2] or _page(coach, url)
        named = [w for w in MEMBER_WORDS if re.search(rf"(?<!\w){w}(?!\w)", main)]
        assert named == [], url
        seen.append(rule.endpoint)
    assert {"plan.team_week", "board.team", "decisions.team_log", "learning.team_page"} <= set(seen)
    week = _page(coach, f"/plan/teams/{cast.team_a.id}")
    # Today: the cast's and Joke's visits in Anna's plan and the three above, as the team's.
    assert "The team 5 visits · 2 h 35 min" in " ".join(re.sub(r"<[^>]+>", " ", week).split())


def test_members_read_what_they_wrote(app, cast, as_user, planted):
    member = as_user(cast.a1)
    for url in ("/board/", "/learning/", "/decisions/"):
        assert PLANT_ONE in _page(member, url), url


def _snapshot() -> dict:
    with db.connection_context():
        return {
            model.__name__: list(model.select().order_by(*model._meta.get_primary_keys()).tuples())
            for model in MODELS
        }


@pytest.mark.parametrize("role", ["coach_a", "coach_x", "office"])
def test_a_read_only_user_s_get_of_any_page_writes_nothing_and_names_nobody(
    app, cast, as_user, planted, role
):
    """Every GET route, as a read-only user: the pages they may see name nobody, and
    not one row of any table changes (sessions live in the cookie, so nothing at
    all may change), even with a proposal whose time to answer ran out."""
    with db.connection_context():
        due = Decision.propose(
            cast.team_a, cast.a1, "A shared car", "Fewer trips", asynchronous=True
        )
        Decision.update(deadline=utcnow() - dt.timedelta(hours=1)).where(
            Decision.id == due.id
        ).execute()
    client = as_user(cast.by_role(role))
    routes = [(rule, method) for rule, method in _routes(app) if method == "GET"]
    urls = [_url(app, rule, cast) for rule, _ in routes]  # makes the records they need first
    before = _snapshot()
    seen = 0
    for (rule, _), url in zip(routes, urls, strict=True):
        response = client.get(url)
        response.close()
        expected = MATRIX[(rule.endpoint, "GET")][ROLES.index(role)]
        assert response.status_code == expected, url
        # A file the team sent the back office is its own bytes, not a page to read.
        binary = rule.endpoint == "support.attachment"
        if response.status_code == 200 and rule.endpoint != "static" and not binary:
            assert leaks(response.get_data(as_text=True)) == [], url
            seen += 1
    assert _snapshot() == before
    assert seen >= (6 if role == "coach_a" else 3)


def test_a_member_reading_the_log_counts_the_answers_whose_time_ran_out(app, cast, as_user):
    with db.connection_context():
        due = Decision.propose(
            cast.team_a, cast.a1, "A shared car", "Fewer trips", asynchronous=True
        )
        Decision.update(deadline=utcnow() - dt.timedelta(hours=1)).where(
            Decision.id == due.id
        ).execute()
    as_user(cast.coach_a).get(f"/decisions/teams/{cast.team_a.id}")
    with db.connection_context():
        assert Decision.get_by_id(due.id).settled_at is None
    as_user(cast.a2).get("/decisions/")
    with db.connection_context():
        assert Decision.get_by_id(due.id).settled_at is not None


# The pseudonymised meeting pack


def _pdf_text(tmp_path, data: bytes) -> str:
    path = tmp_path / "pack.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode()


def test_it_masks_every_planted_name_in_the_pseudonymised_pack(
    app, cast, as_user, planted, tmp_path
):
    one, two, both = PLANT_ONE, PLANT_TWO, PLANTED
    with db.connection_context():
        anna, bram, joke = cast.a1, cast.a2, planted.joke
        meeting = Meeting.plan(
            cast.team_a, anna, held_on=dt.date.today(), starts_at=dt.time(13, 30), place="Here"
        )
        joke.flag_for_meeting(bram, one)
        Strength.add(joke, anna, category="skills", text=one)
        Strength.add(joke, anna, category="skills", text=two)
        NetworkMember.update(does_now=two).where(NetworkMember.client == joke).execute()
        Goal.add(joke, anna, words=one)
        Contact.record(joke, by=bram, happened_at=utcnow(), minutes=20, kind="phone", note=both)
        Referral.create(
            team=cast.team_a,
            recorded_by=anna,
            person_name="Jan de Groot",
            street="Javastraat 40",
            status=Referral.MEETING,
            meeting_reason=two,
        )
        Decision.update(review_on=dt.date.today()).where(
            Decision.id == planted.decision.id
        ).execute()
        Meeting.get_by_id(meeting.id).build_agenda(anna)
        AgendaItem.add(Meeting.get_by_id(meeting.id), anna, "question", one, why=two)
        assert Meeting.get_by_id(meeting.id).record_attendance(anna, [anna, bram], True)
        for item in AgendaItem.select().where(AgendaItem.meeting == meeting):
            item.write_notes(bram, item.version, both)
            item.add_task(anna, one, bram)
        proposal = Decision.propose(cast.team_a, anna, both, both, meeting=meeting)
        step = proposal.add_step(anna, DecisionStep.OBJECTION, two, member=bram)
        proposal.resolve(anna, step, one, resolved_by=bram)
        Meeting.get_by_id(meeting.id).end(anna)
    client = as_user(cast.a1)
    response = client.get(f"/meetings/{meeting.id}/pack.pdf?pseudonymised=1")
    assert response.status_code == 200
    text = " ".join(_pdf_text(tmp_path, response.data).split())
    assert leaks(text) == []
    pseudonym = joke.pseudonym
    assert f"{pseudonym} ({pseudonym}) phones [friend] every week" in text
    assert "Referral: J.D.G. (referral)" in text
    assert "call [phone], [phone] or [phone], mail [email]" in text
    # The same pack with names is the team's own, and has them all.
    named = " ".join(
        _pdf_text(tmp_path, client.get(f"/meetings/{meeting.id}/pack.pdf").data).split()
    )
    assert "Johanna van der Berg" in named and "Marian" in named and "020 665 1234" in named


def test_the_pack_s_charts_show_the_team_s_words_as_the_pack_s_reader_sees_them(
    app, cast, as_user, planted, tmp_path
):
    """A chart with a signal lately is in the pack, with the experiment the team
    started from it: its title names someone, masked in the pack without names."""
    from teamcase.measures import weekly

    weeks = weekly.weeks()
    with db.connection_context():
        meeting = Meeting.plan(cast.team_a, cast.a1, held_on=dt.date.today(), place="Here")
        calls = [3, 4, 2, 3, 4, 3] * 8 + [3, 4, 30, 3]  # one week far out, lately
        for week, count in zip(weeks, calls, strict=True):
            WeekFigure.create(team=cast.team_a, week=week, measure="failure", total=count)
        Experiment.create(
            team=cast.team_a,
            title=PLANT_ONE[:190],
            measure="failure",
            week=weeks[-1],
            created_by=cast.a1,
        )
    client = as_user(cast.a1)
    text = " ".join(
        _pdf_text(
            tmp_path, client.get(f"/meetings/{meeting.id}/pack.pdf?pseudonymised=1").data
        ).split()
    )
    assert "How we are doing" in text and "Failure demand" in text
    assert "a value above the upper limit" in text
    assert "Within their usual variation lately: Value demand" in text
    assert leaks(text) == []
    named = " ".join(
        _pdf_text(tmp_path, client.get(f"/meetings/{meeting.id}/pack.pdf").data).split()
    )
    assert "Johanna van der Berg" in named


def test_the_pseudonymised_pack_names_no_member_next_to_their_work(
    app, cast, as_user, planted, tmp_path
):
    """What leaves the team reads as the coach's pages do: who facilitates, who
    flagged a person, who made a visit, who holds a task, who objected, none of it."""
    with db.connection_context():
        anna, bram, joke = cast.a1, cast.a2, planted.joke
        meeting = Meeting.plan(
            cast.team_a, anna, held_on=dt.date.today(), facilitator=anna, note_taker=bram
        )
        joke.flag_for_meeting(bram, "Sleeps badly since the move.")
        Contact.record(joke, by=bram, happened_at=utcnow(), minutes=25, kind="phone", note="")
        Meeting.get_by_id(meeting.id).build_agenda(anna)
        item = (
            AgendaItem.select()
            .where(AgendaItem.meeting == meeting, AgendaItem.client == joke)
            .order_by(AgendaItem.id)
            .first()
        )
        item.add_task(anna, "Ask the GP about the pills", bram)
        proposal = Decision.propose(cast.team_a, anna, "Two visits a day", "Rest", meeting=meeting)
        proposal.add_step(
            anna, DecisionStep.OBJECTION, "Not before the GP has seen her", member=bram
        )
    client = as_user(cast.a1)
    url = f"/meetings/{meeting.id}/pack.pdf"
    text = " ".join(_pdf_text(tmp_path, client.get(f"{url}?pseudonymised=1").data).split())
    assert "Ask the GP about the pills · a colleague has it" in text
    assert "Flagged: Sleeps badly since the move." in text
    assert "Objection: Not before the GP has seen her" in text
    assert [w for w in MEMBER_WORDS if re.search(rf"(?<!\w){w}(?!\w)", text)] == []
    # The team's own pack says who.
    named = " ".join(_pdf_text(tmp_path, client.get(url).data).split())
    assert "Facilitator: Anna Aalders · Note-taker: Bram Bos" in named
    assert "Bram flagged: Sleeps badly" in named
    assert "25 min · Bram Bos" in named
    assert "Ask the GP about the pills · Bram Bos" in named
    assert "Objection by Bram Bos: Not before" in named


# What a team sends the back office: does it name someone in care?


def test_it_finds_the_name_street_postcode_and_phone_of_someone_in_care(app, cast):
    with db.connection_context():
        Client.update(postcode="1093 AB").where(Client.id == cast.person_a.id).execute()
        found = names_in_care(
            cast.team_a,
            "The lift for Mies Bakker, Dapperstraat 12 (1093 AB), call 06 1234 5678.",
        )
    assert found == ["06 1234 5678", "1093 AB", "Mies Bakker", "Dapperstraat"]


def test_it_finds_a_person_referred_to_the_team(app, cast):
    with db.connection_context():
        assert cast.referral_a
        assert names_in_care(cast.team_a, "A bed for Jan de Groot") == ["Jan de Groot"]


def test_it_leaves_colleagues_suppliers_and_ordinary_words_alone(app, cast):
    text = (
        "Anna Aalders and Bram need a new tablet; the supplier is on 020 555 1234, "
        "Kalverstraat 1. The bakker on the corner sells bread."
    )
    with db.connection_context():
        assert names_in_care(cast.team_a, text) == []
        # Another team's person is not this team's.
        assert names_in_care(cast.team_a, "Kees Zuid") == []


def test_a_name_a_colleague_shares_with_someone_in_care_is_the_colleague_s():
    person = Client(id=1, name="Anna Smit", preferred_name="", street="", phone="")
    masker = Masker([person], members=["Anna de Vries"])
    assert masker.in_care("Anna needs a charger") == []
    assert masker.in_care("Anna Smit needs a charger") == ["Anna Smit"]
