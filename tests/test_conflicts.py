"""The conflict protocol: a save from a version someone saved over is refused (409),
the page says who saved and when, and what was typed stays in the form, now at the
newer version, so that saving again is a deliberate choice.

The protocol is written once (teamcase.models.versioned, teamcase.forms.VersionedForm,
teamcase.conflicts, templates/_conflict.html); the last tests hold every edit page
to it, and fail when a page with a versioned form is not in their list.
"""

import datetime as dt
import html
import re
from html.parser import HTMLParser

import pytest
from flask import render_template_string
from test_access_matrix import _routes, _url

from teamcase.conflicts import conflict
from teamcase.forms import read_version
from teamcase.models import Client, Strength, Task
from teamcase.models.versioned import STALE, VERSION_MAX
from teamcase.teamwork.forms import TaskForm

# The model mixin.


def test_it_saves_over_the_version_read_and_refuses_a_stale_one(app, cast):
    strength = Strength.get_by_id(cast.parts["strengths"])
    assert strength.save_if_current(1, text="Cooks for two")
    assert not strength.save_if_current(1, text="Cooks soup")
    saved = Strength.get_by_id(strength.id)
    assert (saved.text, saved.version) == ("Cooks for two", 2)


def test_it_checks_the_other_conditions_in_the_same_statement(app, cast):
    task = cast.task_a
    task.complete(cast.a2)
    assert not task.save_if_current(Task.get_by_id(task.id).version, Task.status == Task.OPEN)


@pytest.mark.parametrize("version", [STALE, -7, VERSION_MAX + 1, 10**20, True, None, "1"])
def test_it_refuses_a_number_that_is_no_version_without_asking_the_database_to_hold_it(
    app, cast, version
):
    strength = Strength.get_by_id(cast.parts["strengths"])
    assert not strength.save_if_current(version, text="Cooks soup")
    assert not strength.change(cast.a2, version, text="Cooks soup")
    assert Strength.get_by_id(strength.id).text == "Still cooks"


def test_it_names_who_saved_last_among_the_changes_that_move_the_version(app, cast):
    person = Client.get_by_id(cast.person_a.id)
    assert person.update_details(cast.a2, 1, phone="06-99999999")
    assert person.close(cast.a1, 2, "network", "Her neighbours look in.", dt.date.today())
    last = Client.get_by_id(person.id).last_saved()
    assert (last.action, last.actor.name) == ("close", "Anna Aalders")
    strength = Strength.get_by_id(cast.parts["strengths"])
    assert strength.last_saved() is None
    strength.change(cast.a2, 1, text="Cooks for two")
    assert strength.last_saved().actor.name == "Bram Bos"


# The form mixin's one parser.


@pytest.mark.parametrize(
    ("raw", "read"),
    [
        ("3", 3),
        (" 3 ", 3),
        ("0", 0),
        (str(VERSION_MAX), VERSION_MAX),
        (None, STALE),
        ("", STALE),
        ("three", STALE),
        ("2.0", STALE),
        ("-1", STALE),
        (str(VERSION_MAX + 1), STALE),
        ("9" * 20, STALE),
    ],
)
def test_it_reads_a_missing_or_garbled_version_as_stale(raw, read):
    assert read_version(raw) == read


@pytest.mark.parametrize("version", [None, "", "garbage", "99999999999999999999", "-1"])
def test_it_answers_a_garbled_version_with_a_conflict_not_a_crash(app, cast, as_user, version):
    data = {"name": "Mies B.", "phone": "06-22223333"}
    if version is not None:
        data["version"] = version
    response = as_user(cast.a1).post(f"/people/{cast.person_a.id}/edit", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "while you were editing" in page
    assert 'value="06-22223333"' in page
    assert 'name="version" type="hidden" value="1"' in page
    assert Client.get_by_id(cast.person_a.id).name == "Mies Bakker"


# The conflict description and its banner.


def _task_form(task, **typed):
    """The task's edit form as it was typed from version 1."""
    form = TaskForm(formdata=None, data={"version": "1", **typed})
    form.client.choices = [(0, "The team"), (task.client_id, "Mies Bakker")]
    return form


def test_it_describes_who_saved_when_and_what_differs_by_the_form_s_labels(app, cast):
    task = cast.task_a
    assert task.change(cast.a2, 1, title="Order stockings, size L", client=None)
    with app.test_request_context():
        form = _task_form(task, title="Order stockings", note=task.note, client=task.client_id)
        found = conflict(task, form, "changes to this task", form.values())
    assert (found.by, found.did) == ("Bram Bos", "saved changes to this task")
    assert abs(found.at - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < dt.timedelta(minutes=1)
    # The person is shown by the label the form offers, and "no one" as empty.
    assert found.changes == [("What needs doing", "Order stockings, size L"), ("For", "(empty)")]
    assert (found.saved.version, form.version.data) == (2, 2)


def test_it_says_what_another_kind_of_change_did(app, cast):
    person = Client.get_by_id(cast.person_a.id)
    assert person.close(cast.a2, 1, "network", "Her neighbours look in.", dt.date.today())
    with app.test_request_context():
        from teamcase.clients.forms import ReopenForm

        found = conflict(person, ReopenForm(formdata=None), "changes to the details")
    assert (found.by, found.did, found.action) == ("Bram Bos", "closed this case", "close")


def test_the_banner_names_who_and_when_and_what_is_saved_now(app, cast):
    task = cast.task_a
    assert task.change(cast.a2, 1, title="Order stockings, size L")
    with app.test_request_context():
        form = _task_form(task, title="Order stockings", note=task.note, client=task.client_id)
        found = conflict(task, form, "changes to this task", form.values())
        banner = render_template_string(
            '{% from "_conflict.html" import form_problem %}{{ form_problem(form, conflict) }}',
            form=form,
            conflict=found,
        )
    text = " ".join(banner.split())
    assert re.search(
        r"Bram Bos saved changes to this task today \d\d:\d\d, while you were editing\.", text
    )
    assert "What needs doing: <strong>Order stockings, size L</strong>" in text
    assert "save again to keep your version" in text


# Every versioned edit page, through HTTP.


class _Forms(HTMLParser):
    """The forms of a page: each one's action and the values it would send."""

    def __init__(self, page):
        super().__init__()
        self.forms, self._select, self._textarea = [], None, None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action"), "fields": {}})
        elif not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") in ("radio", "checkbox"):
                if "checked" in attrs:
                    fields.setdefault(name, []).append(attrs.get("value", "y"))
            else:
                fields[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
            fields[name] = None
        elif tag == "option" and self._select:
            if fields[self._select] is None or "selected" in attrs:
                fields[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            fields = self.forms[-1]["fields"]
            if not fields[self._textarea]:
                # A browser drops a textarea's first newline (WTForms writes one).
                data = data.removeprefix("\r\n").removeprefix("\n")
            fields[self._textarea] += data

    def versioned(self):
        """The one form that carries a version."""
        [form] = [f for f in self.forms if _version_field(f["fields"])]
        return form


def _version_field(fields):
    return next((n for n in fields if re.search(r"(^|-)(version|based_on)$", n)), None)


def _form(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return _Forms(response.get_data(as_text=True)).versioned()


def _with(form, field, value, extra=None):
    """What the form sends with `field` typed as `value`, and the `extra` input
    (a choice nothing was chosen for yet is not among the form's values)."""
    data = dict(form["fields"])
    for key, typed in {field: value, **(extra or {})}.items():
        names = [n for n in data if n == key or n.endswith(f"-{key}")]
        data[names[0] if names else key] = typed
    return data


def _start_meeting(cast):
    assert cast.meeting_a.record_attendance(cast.a1, [cast.a1, cast.a2], False)


def _close_case(cast):
    person = Client.get_by_id(cast.person_a.id)
    assert person.close(cast.a1, person.version, "network", "Neighbours look in.", dt.date.today())


def _details_by_bram(cast):
    person = Client.get_by_id(cast.person_a.id)
    assert person.update_details(cast.a2, person.version, phone="06-99999999")


# endpoint: the page with the form, the field typed in, and who saves first: a user
# of the cast who sends the same form, or a change made around it. `setup` makes
# the record ready; `extra` is more input the form needs to be valid.
EDITS = {
    "clients.edit": {"page": "/people/{person}/edit", "field": "name"},
    "contacts.edit": {"page": "/contacts/{contact}/edit", "field": "note", "first": "a1"},
    "strengths.edit": {"page": "/strengths/{strengths}/edit", "field": "text"},
    "offers.edit": {"page": "/offers/{offers}/edit", "field": "text"},
    "consents.edit": {"page": "/consents/{consents}/edit", "field": "what"},
    "network.edit": {"page": "/network/{network}/edit", "field": "name"},
    "goals.edit": {"page": "/goals/{goals}/edit", "field": "words"},
    "steps.edit": {"page": "/steps/{steps}/edit", "field": "text"},
    "admissions.edit": {"page": "/admissions/{admissions}/edit", "field": "why"},
    "selfreliance.edit": {
        "page": "/self-reliance/{selfreliance}/edit",
        "field": "who",
        # A choice, as the page sends it: the one ticked.
        "values": (["network"], ["professionals"]),
    },
    # A rating is never changed: the version is the newest rating seen, and a rating
    # made in between makes a stale one a conflict.
    "omaha.rate": {
        "page": "/omaha/{omaha}/rate",
        "field": "knowledge",
        "values": (["4"], ["5"]),
    },
    "omaha.strengths": {
        "page": "/omaha/{omaha}/strengths",
        "field": "strengths",
        # Bram unticks the cast's strength; Anna keeps it ticked.
        "values": lambda cast: ([], [str(cast.parts["strengths"])]),
    },
    "omaha.end": {
        "page": "/omaha/{omaha}/end",
        "field": "ended_on",
        "values": lambda cast: (
            dt.date.today().isoformat(),
            (dt.date.today() - dt.timedelta(days=1)).isoformat(),
        ),
    },
    "about.edit": {"page": "/people/{person}/about/matters/edit", "field": "text"},
    "closing.close": {
        "page": "/people/{person}/close",
        "field": "story",
        "first": _details_by_bram,
        "extra": {"reason": "network"},
    },
    "closing.reopen": {
        "page": "/people/{person}/reopen",
        "field": "note",
        "setup": _close_case,
        "first": _details_by_bram,
    },
    "resources.edit": {"page": "/resources/{resource}/edit", "field": "name"},
    "team.details": {"page": "/team/details", "field": "area"},
    "decisions.settings": {
        "page": "/decisions/settings",
        "field": "async_days",
        "values": ("6", "4"),
        "extra": {"async_quorum": "2"},
    },
    "board.edit": {"page": "/board/tasks/{task}/edit", "field": "title"},
    "plan.edit": {"page": "/plan/visits/{visit}/edit", "field": "note"},
    "meetings.edit": {"page": "/meetings/{meeting}/edit", "field": "place"},
    "meetings.notes": {
        "page": "/meetings/{meeting}/run/{item}",
        "field": "notes",
        "setup": _start_meeting,
    },
    "learning.edit_training": {"page": "/learning/training/{training}/edit", "field": "topic"},
    "learning.edit_experiment": {
        "page": "/learning/experiments/{experiment}/edit",
        "field": "title",
    },
    "learning.experiment_outcome": {
        "page": "/learning/experiments/{experiment}/outcome",
        "field": "what_happened",
        "extra": {"outcome": "keep"},
    },
}

# Pages that carry a version for a verb of their own, refused as the decision
# explains (teamcase.models.decisions.DecisionRefused): amend and adopt.
VERB_PAGES = {"decisions.show"}


def _page(cast, template):
    assert cast.decision_a  # the training item and the experiment come with it
    ids = {
        "person": cast.person_a.id,
        "contact": cast.contact_a.id,
        "resource": cast.resource_a.id,
        "task": cast.task_a.id,
        "visit": cast.visit_a.id,
        "meeting": cast.meeting_a.id,
        "item": cast.item_a.id,
        "training": cast.training_a.id,
        "experiment": cast.experiment_a.id,
        **cast.parts,
    }
    return template.format(**ids)


def _version_of(form):
    return form["fields"][_version_field(form["fields"])]


@pytest.mark.parametrize("endpoint", sorted(EDITS))
def test_it_refuses_a_stale_save_on_every_edit_page_keeping_what_was_typed(
    app, cast, as_user, endpoint
):
    case = EDITS[endpoint]
    page = _page(cast, case["page"])
    if "setup" in case:
        case["setup"](cast)
    anna = as_user(cast.a1)
    read = _form(anna, page)
    values = case.get("values", ("Saved by Bram", "Typed by Anna"))
    theirs, ours = values(cast) if callable(values) else values
    first = case.get("first", "a2")
    if callable(first):
        first(cast)
        by = "Bram Bos"
    else:
        saved = as_user(getattr(cast, first)).post(
            read["action"], data=_with(read, case["field"], theirs, case.get("extra"))
        )
        assert saved.status_code == 303, (endpoint, saved.status_code)
        by = "You" if first == "a1" else "Bram Bos"

    stale = anna.post(read["action"], data=_with(read, case["field"], ours, case.get("extra")))

    assert stale.status_code == 409, endpoint
    body = stale.get_data(as_text=True)
    banner = re.search(r'<div class="form-problem" role="alert">(.*?)</div>', body, re.S)
    assert banner, endpoint
    said = " ".join(html.unescape(re.sub(r"<[^>]+>", "", banner.group(1))).split())
    assert re.search(rf"{by} \w[^.]* today \d\d:\d\d, while you were editing\.", said), said
    kept = _Forms(body).versioned()
    assert _with(kept, case["field"], ours) == kept["fields"], "what was typed is kept"
    # The form now carries the version saved meanwhile: saving again is a choice.
    assert _version_of(kept) == _version_of(_form(anna, page)) != _version_of(read)
    again = anna.post(kept["action"], data=kept["fields"])
    assert again.status_code == 303, (endpoint, again.status_code)


def test_every_page_with_a_versioned_form_is_held_to_the_protocol(app, cast, as_user):
    """A new edit page with a version field fails here until it is in EDITS."""
    anna = as_user(cast.a1)
    found = set()
    for rule, method in _routes(app):
        if method != "GET" or rule.endpoint.startswith(("auth.", "static")):
            continue
        response = anna.get(_url(app, rule, cast))
        if response.mimetype == "text/html" and re.search(
            # A form that adds a record carries an empty version.
            r'name="([\w-]+-)?(version|based_on)" type="hidden" value="\d+"',
            response.get_data(as_text=True),
        ):
            found.add(rule.endpoint)
        response.close()
    # The notes form shows in meeting mode, which is not running in the cast, and a
    # case in the cast is open: there is nothing to reopen.
    expected = (set(EDITS) - {"meetings.notes", "closing.reopen"}) | VERB_PAGES
    assert found == expected


def test_a_save_in_between_is_one_whole_sentence_in_dutch(app, cast, as_user):
    """Someone's save, and a visit taken in between, said in Dutch word order."""
    from flask_babel import force_locale

    from teamcase.conflicts import _sentence

    with app.test_request_context(), force_locale("nl"):
        from teamcase.models import PlannedVisit

        said = _sentence(cast.a2, False, None, "took", "vandaag 10:42", PlannedVisit.SAID["take"])
        assert said == "Bram Bos heeft dit bezoek vandaag 10:42 overgenomen"
        mine = _sentence(cast.a2, True, None, "took", "vandaag 10:42", PlannedVisit.SAID["take"])
        assert mine == "Je hebt dit bezoek vandaag 10:42 in een ander venster overgenomen"
        assert _sentence(None, False, None, "did", "") == "Een collega heeft dit gewijzigd"
    with app.test_request_context(), force_locale("en"):
        said = _sentence(cast.a2, False, None, "took", "today 10:42", PlannedVisit.SAID["take"])
        assert said == "Bram Bos took this visit today 10:42"
