"""Errors are pages in the app's own style, never a stack trace."""

from teamcase import create_app


def test_a_missing_page_is_a_styled_404(app, cast, as_user):
    response = as_user(cast.a1).get("/no/such/page")
    assert response.status_code == 404
    assert b"Not found" in response.data
    assert b"teamcase.css" in response.data


def test_the_wrong_method_is_a_styled_405(app, cast, as_user):
    response = as_user(cast.a1).delete("/caseload")
    assert response.status_code == 405
    assert b"cannot be used that way" in response.data


def test_an_unexpected_error_is_a_styled_500_without_a_traceback(app, cast, as_user):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken():
        raise RuntimeError("secret internals")

    app.view_functions["office.home"] = broken
    response = as_user(cast.office).get("/office/")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.data
    assert b"secret internals" not in response.data
    assert b"Traceback" not in response.data


def test_a_too_large_request_is_refused_cleanly(app, cast, as_user):
    response = as_user(cast.a1).post(
        "/people/new", data={"name": "x", "phone": "1", "note": "x" * (2 * 1024 * 1024)}
    )
    assert response.status_code == 413
    assert b"too large" in response.data


def test_healthz_reports_a_reachable_database(app):
    response = app.test_client().get("/healthz")
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(tmp_path):
    # Port 9 (discard) on loopback: nothing listens, the connection is refused.
    broken = create_app({"TESTING": True, "DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none"})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_pages_carry_security_headers(app, cast, as_user):
    response = as_user(cast.a1).get("/caseload")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_hsts_is_off_by_default(app, cast, as_user):
    client = as_user(cast.a1)
    assert "Strict-Transport-Security" not in client.get("/caseload").headers
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_hsts_when_on_is_on_every_response(app, cast, as_user):
    app.config["HSTS_SECONDS"] = 31536000
    client = as_user(cast.a1)
    with client.get("/static/css/teamcase.css") as static:
        assert static.status_code == 200
        assert static.headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains"
        )
    for response in (
        client.get("/caseload"),
        client.get("/people/0"),
        app.test_client().get("/login"),
        app.test_client().get("/healthz"),
    ):
        assert response.headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains"
        ), response.status_code


def test_the_error_pages_speak_the_reader_s_language(app, cast, as_user):
    """404, 405, 413 and 403 for a member who reads Dutch: no English left."""
    from test_translations import ENGLISH_WORDS, _visible_text, english_sentences

    cast.a1.choose_language("nl")
    anna = as_user(cast.a1)
    responses = {
        404: anna.get("/no/such/page"),
        405: anna.delete("/caseload"),
        413: anna.post("/people/new", data={"name": "x", "note": "x" * (2 * 1024 * 1024)}),
        403: anna.get("/office/"),
    }
    for status, response in responses.items():
        assert response.status_code == status
        assert '<html lang="nl"' in response.text, status
        text = _visible_text(response.text).replace(cast.a1.name, " ").replace("teamcase", " ")
        assert not ENGLISH_WORDS.findall(text), (status, text)
        assert not english_sentences(text), (status, english_sentences(text))
