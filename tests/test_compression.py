"""Pages, styles and scripts go out gzipped to a browser that accepts it; static files
keep their year-long cache and their 304s; PDFs and streamed bodies are left alone."""

import gzip

import pytest
from conftest import make_app
from flask import Response

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
HTMX = "/static/js/htmx-2.0.11.min.js"


def test_it_gzips_the_persons_page_for_a_browser_that_accepts_it(
    cast, as_user, record_property, capsys
):
    client = as_user(cast.a1)
    url = f"/people/{cast.person_a.id}"
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    packed = client.get(url, headers=GZIP)
    assert packed.status_code == 200
    assert packed.headers["Content-Encoding"] == "gzip"
    assert {"Accept-Encoding", "HX-Request"} <= set(packed.vary)
    assert int(packed.headers["Content-Length"]) == len(packed.data)
    page = gzip.decompress(packed.data)
    assert b"Mies Bakker" in page
    # The page records each view in its history, so only its size can be compared.
    assert abs(len(page) - len(plain.data)) < 200
    record_property("person_page_bytes", (len(page), len(packed.data)))
    with capsys.disabled():
        print(f"\nperson's page: {len(page):,} bytes, gzipped {len(packed.data):,}")
    assert len(packed.data) < 15_000
    assert len(packed.data) < len(page) / 3


@pytest.mark.parametrize("accepts", [None, "identity", "gzip;q=0", "br"])
def test_it_sends_plain_pages_to_a_browser_that_does_not_accept_gzip(cast, as_user, accepts):
    headers = {} if accepts is None else {"Accept-Encoding": accepts}
    response = as_user(cast.a1).get("/caseload", headers=headers)
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert b"Mies Bakker" in response.data
    # A cache must not hand this plain copy to a browser that asked for gzip.
    assert "Accept-Encoding" in response.vary


def test_it_gzips_an_htmx_partial_and_varies_on_hx_request(cast, as_user):
    response = as_user(cast.a1).get(
        "/caseload", headers={**GZIP, "HX-Request": "true"}, query_string={"q": "Mies"}
    )
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert {"Accept-Encoding", "HX-Request"} <= set(response.vary)
    partial = gzip.decompress(response.data)
    assert b"Mies Bakker" in partial
    assert b"<html" not in partial


def test_it_gzips_a_form_sent_back_with_its_errors(cast, as_user):
    response = as_user(cast.a1).post(
        f"/people/{cast.person_a.id}/contacts/new?inline=1", data={"kind": ""}, headers=GZIP
    )
    assert response.status_code == 400
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"Choose what kind of contact it was." in gzip.decompress(response.data)


def get(client, url, headers=None):
    # Closed at once, as a WSGI server closes every answer: send_file's holds the file open.
    with client.get(url, headers=headers or {}) as response:
        response.get_data()
    return response


def test_static_files_go_out_gzipped_and_keep_their_cache_and_their_304(app, capsys):
    client = app.test_client()
    plain = get(client, HTMX)
    packed = get(client, HTMX, GZIP)
    assert packed.status_code == 200
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert "max-age=31536000" in packed.headers["Cache-Control"]
    assert "Accept-Encoding" in packed.vary
    with capsys.disabled():
        print(f"\nhtmx: {len(plain.data):,} bytes, gzipped {len(packed.data):,}")
    assert len(packed.data) < 20_000

    # Each representation has its own tag, and each revalidates with a 304.
    assert packed.headers["ETag"] != plain.headers["ETag"]
    again = get(client, HTMX, {**GZIP, "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    assert "Content-Encoding" not in again.headers
    plain_again = get(client, HTMX, {"If-None-Match": plain.headers["ETag"]})
    assert plain_again.status_code == 304


def test_the_stylesheet_goes_out_gzipped(app):
    response = get(app.test_client(), "/static/css/teamcase.css", GZIP)
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"{" in gzip.decompress(response.data)


def test_it_leaves_a_pdf_alone(cast, as_user):
    response = as_user(cast.a1).get(f"/people/{cast.person_a.id}/profile.pdf", headers=GZIP)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "Content-Encoding" not in response.headers
    assert response.data.startswith(b"%PDF")


def test_it_leaves_a_small_answer_alone(app):
    response = app.test_client().get("/healthz", headers=GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert response.get_json()["status"] == "ok"


def test_it_leaves_a_streamed_body_alone(app, backend_url):
    # An app of its own: the suite's shared app takes no new routes.
    app = make_app(backend_url)

    def parts():
        for n in range(100):
            yield f"<p>part {n} of a page that is sent as it is made</p>\n"

    app.add_url_rule("/stream-test", "stream_test", lambda: Response(parts(), mimetype="text/html"))
    response = app.test_client().get("/stream-test", headers=GZIP)
    assert response.status_code == 200
    assert response.is_streamed
    assert "Content-Encoding" not in response.headers
    assert response.data.count(b"<p>part") == 100
