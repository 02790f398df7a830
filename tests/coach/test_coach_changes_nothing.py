"""Nothing a coach does changes a team's data: a linked coach and an unlinked one
POST to every route there is (with no data, and with the data a member would send
to the forms that take little), and every team's records stay as they were. The
only rows a coach can create are her own messages in the threads the team
opened with her."""

import pytest
from test_access_matrix import _routes, _url

from teamcase.db import db
from teamcase.models import MODELS, AuditEvent, CoachMessage, LoginThrottle, Team, User

# Not a team's data: the log of who read what, the login throttle, and the
# coach's own account (logging out or choosing a language is hers to do).
SKIPPED = {AuditEvent, LoginThrottle}


def _team_data(coach) -> dict:
    with db.connection_context():
        found = {}
        for model in MODELS:
            if model in SKIPPED:
                continue
            fields = [f for f in model._meta.sorted_fields if f is not Team.changed]
            query = model.select(*fields).order_by(model._meta.primary_key)
            if model is User:
                query = query.where(User.id != coach.id)
            found[model.__name__] = list(query.tuples())
        return found


# What a member would send to forms that take a single field or two.
FILLED = {
    "title": "Take over",
    "text": "Something the coach wrote",
    "note": "A note",
    "reason": "Because",
    "why": "Because",
    "proposal": "We do it differently",
    "purpose": "To learn",
    "consent": "y",
}


def _post_everywhere(app, cast, as_user, who, data, mine=False) -> list[str]:
    """The models whose rows changed after `who` posted `data` to every route.
    `mine`: new messages she wrote herself, and nothing else of a thread, are not
    a change of the team's data."""
    coach = cast.by_role(who)
    client = as_user(coach)
    # Every URL first: naming them makes the cast's records (a referral, a task...).
    urls = [
        _url(app, rule, cast)
        for rule, method in _routes(app)
        if method == "POST" and rule.endpoint != "auth.logout"
    ]
    assert len(urls) > 50
    before = _team_data(coach)
    for url in urls:
        response = client.post(url, data=data)
        response.close()
        assert response.status_code != 500, url
    after = _team_data(coach)
    if mine:
        old = set(before["CoachMessage"])
        new = [row for row in after["CoachMessage"] if row not in old]
        author = [f.name for f in CoachMessage._meta.sorted_fields].index("author")
        if len(after["CoachMessage"]) == len(old) + len(new) and all(
            row[author] == coach.id for row in new
        ):
            after["CoachMessage"] = before["CoachMessage"]
    return [name for name in before if before[name] != after[name]]


@pytest.mark.parametrize("who", ["coach_a", "coach_x"])
@pytest.mark.parametrize("data", [{}, FILLED], ids=["empty", "filled"])
def test_a_coach_posting_to_every_route_changes_no_team_data(app, cast, as_user, who, data):
    changed = _post_everywhere(app, cast, as_user, who, data, mine=True)
    assert not changed, f"a coach's POSTs changed {changed}"


def test_the_linked_coach_s_only_rows_are_her_own_messages(app, cast, as_user):
    assert cast.thread_a.id
    with db.connection_context():
        before = CoachMessage.select().count()
    assert not _post_everywhere(app, cast, as_user, "coach_a", FILLED, mine=True)
    with db.connection_context():
        written = list(CoachMessage.select().order_by(CoachMessage.id).offset(before))
    # She answered the team's invitation thread and closed her side of it.
    assert {m.kind for m in written} == {CoachMessage.ANSWER, CoachMessage.SIDE_CLOSED}
    assert all(m.author_id == cast.coach_a.id and m.from_coach for m in written)
    # Without the allowance, the comparison sees her messages as a change.
    assert _post_everywhere(app, cast, as_user, "coach_a", FILLED) == ["CoachMessage"]


def test_a_member_doing_the_same_does_change_her_team_s_data(app, cast, as_user):
    # The comparison sees a change when there is one.
    assert _post_everywhere(app, cast, as_user, "a1", FILLED)
