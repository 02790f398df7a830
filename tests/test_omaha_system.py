"""The Omaha System as data (teamcase/omaha/problems.toml): the 42 problems of
the 2005 revision in their 4 domains, the rating scale's anchors, both languages."""

import tomllib
from importlib import resources

import pytest

from teamcase import omaha
from teamcase.omaha import LANGUAGES, _parse, system

DOMAINS = {"environmental": 4, "psychosocial": 12, "physiological": 18, "behaviours": 8}


def _raw():
    text = resources.files("teamcase.omaha").joinpath("problems.toml").read_text("utf-8")
    return tomllib.loads(text)


def test_it_holds_the_42_problems_in_their_4_domains_in_the_systems_order():
    found = system()
    assert list(found.problems) == [f"{n:02d}" for n in range(1, 43)]
    assert {d.code: len(p) for d, p in found.by_domain()} == DOMAINS
    # The domains run in code order: 01–04, 05–16, 17–34, 35–42.
    codes = [p.code for _d, problems in found.by_domain() for p in problems]
    assert codes == sorted(codes)
    assert found.problems["01"].names["en"] == "Income"
    assert found.problems["22"].names == {"en": "Pain", "nl": "Pijn"}
    assert found.problems["42"].names["en"] == "Medication regimen"


def test_every_name_is_there_in_both_languages_and_unique():
    raw = _raw()
    for kind in ("domains", "problems", "concepts"):
        for entry in raw[kind]:
            for language in LANGUAGES:
                assert entry[language].strip(), (kind, entry["code"], language)
    for language in LANGUAGES:
        names = [p[language] for p in raw["problems"]]
        assert len(set(names)) == 42, language
    codes = [p["code"] for p in raw["problems"]]
    assert len(set(codes)) == len(codes) == 42


def test_the_rating_scale_has_five_anchors_per_concept_in_both_languages():
    found = system()
    assert tuple(found.concepts) == omaha.CONCEPTS
    for concept in found.concepts.values():
        for language in LANGUAGES:
            assert len(concept.anchors[language]) == 5
            assert all(a.strip() for a in concept.anchors[language])
            assert concept.means[language].strip()
    knowledge = found.concepts["knowledge"].anchors["en"]
    assert (knowledge[0], knowledge[4]) == ("No knowledge", "Superior knowledge")
    status = found.concepts["status"].anchors["en"]
    assert (status[0], status[4]) == ("Extreme signs/symptoms", "No signs/symptoms")


def test_the_names_follow_the_readers_language(app):
    from flask_babel import force_locale

    with app.test_request_context():
        with force_locale("nl"):
            assert system().problems["35"].name == "Voeding"
            assert system().concepts["knowledge"].anchor(1) == "Geen kennis"
        with force_locale("en"):
            assert system().problems["35"].name == "Nutrition"
            assert system().concepts["behaviour"].anchor(5) == "Consistently appropriate"


def test_the_file_cites_its_source():
    text = resources.files("teamcase.omaha").joinpath("problems.toml").read_text("utf-8")
    assert "Martin KS (2005)" in text and "public domain" in text


def test_a_file_with_a_problem_twice_is_refused():
    raw = _raw()
    raw["problems"].append(dict(raw["problems"][0]))
    with pytest.raises(ValueError, match="problem 01"):
        _parse(raw)
