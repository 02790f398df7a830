"""Every route, every role: the expected status comes from this matrix alone.

A route that is not in the matrix fails the test, so a new route cannot ship
without a decision about who may use it.
"""

import pytest

ROLES = ("anonymous", "a1", "b1", "coach_a", "coach_x", "office")

LOGIN = 302  # anonymous visitors are sent to the login page

# (endpoint, method): expected status per role, in the order of ROLES.
MATRIX = {
    ("auth.login", "GET"): (200, 302, 302, 302, 302, 302),
    ("auth.login", "POST"): (400, 302, 302, 302, 302, 302),
    ("auth.logout", "POST"): (303, 303, 303, 303, 303, 303),
    ("auth.home", "GET"): (LOGIN, 302, 302, 302, 302, 302),
    ("auth.password", "GET"): (LOGIN, 200, 200, 200, 200, 200),
    ("auth.password", "POST"): (LOGIN, 400, 400, 400, 400, 400),
    ("caseload.index", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("clients.new", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("clients.new", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("clients.show", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("clients.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("clients.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("clients.history", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("contacts.new", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("contacts.new", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("contacts.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("contacts.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("contacts.delete", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("about.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("about.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("about.versions", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("ecomap.svg", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("strengths.add", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("strengths.add", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("strengths.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("strengths.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("strengths.retire", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("offers.add", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("offers.add", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("offers.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("offers.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("offers.retire", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("consents.add", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("consents.add", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("consents.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("consents.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("consents.retire", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("network.add", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("network.add", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("network.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("network.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("network.retire", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("resources.index", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("resources.new", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("resources.new", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("resources.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("resources.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("resources.export_csv", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("resources.import_csv", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("resources.import_csv", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("resources.retire", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("neighbours.index", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("neighbours.new", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("neighbours.connect", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("neighbours.end", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("goals.add", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("goals.add", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("goals.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("goals.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("goals.add_step", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("goals.add_step", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("steps.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("steps.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("steps.done", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("steps.retire", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("reports.profile", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("coach.home", "GET"): (LOGIN, 403, 403, 200, 200, 403),
    ("office.home", "GET"): (LOGIN, 403, 403, 403, 403, 200),
    ("health.healthz", "GET"): (200, 200, 200, 200, 200, 200),
    ("static", "GET"): (200, 200, 200, 200, 200, 200),
}


def _routes(app):
    """Every (rule, method). Removing things and logging out come last, so one
    login and one of each record serve a whole role."""
    routes = [
        (rule, method)
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]

    def order(route):
        endpoint = route[0].endpoint
        if endpoint == "auth.logout":
            return 2
        destructive = endpoint == "contacts.delete" or endpoint.endswith((".retire", ".delete"))
        return 1 if destructive else 0

    return sorted(routes, key=order)


def _url(app, rule, cast):
    values = {
        "client_id": cast.person_a.id,
        "contact_id": cast.contact_a.id,
        "connection_id": cast.connection.id,
        "resource_id": cast.resource_a.id,
        "filename": "css/teamcase.css",
        "section": "matters",
        "part_id": cast.parts.get(rule.endpoint.split(".")[0]),
    }
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})


def test_it_has_a_row_for_every_route(app):
    routes = {(rule.endpoint, method) for rule, method in _routes(app)}
    missing = routes - set(MATRIX)
    stale = set(MATRIX) - routes
    assert not missing, f"routes without an access decision: {sorted(missing)}"
    assert not stale, f"matrix rows for routes that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("role", ROLES)
def test_it_answers_each_role_as_the_matrix_says(app, cast, as_user, role):
    user = cast.by_role(role)
    failures = []
    client = as_user(user)
    for rule, method in _routes(app):
        url = _url(app, rule, cast)
        response = client.open(url, method=method, data={})
        response.close()
        expected = MATRIX[(rule.endpoint, method)][ROLES.index(role)]
        if response.status_code != expected:
            failures.append(f"{method} {url}: expected {expected}, got {response.status_code}")
        if response.status_code == 302 and expected == LOGIN and user is None:
            assert "/login" in response.headers["Location"]
    assert not failures, "\n".join(failures)


def test_a_member_of_another_team_cannot_reach_a_person_by_any_url(app, cast, as_user):
    client = as_user(cast.b1)
    for rule, method in _routes(app):
        if "client_id" in rule.arguments or "contact_id" in rule.arguments:
            response = client.open(_url(app, rule, cast), method=method, data={})
            response.close()
            assert response.status_code == 404, (rule.rule, method)
            assert b"Mies" not in response.data
