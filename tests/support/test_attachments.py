"""Files sent with a support request: PDF, PNG or JPEG by their contents, at most
5 MB each, kept in the database, downloaded as attachments by whoever may read
the request."""

import io

from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from teamcase.db import db
from teamcase.models import SupportAttachment, SupportRequest
from teamcase.models.support import MAX_FILE_BYTES

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.7\n" + b"x" * 100
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100

FILED = {"category": "equipment", "subject": "A new tablet", "description": "It is cracked."}


def _post_new(client, *files):
    data = {**FILED, "attachments": [(io.BytesIO(body), name) for name, body in files]}
    return client.post("/support/new", data=data, content_type="multipart/form-data")


def test_files_go_with_a_request_and_download_as_attachments(app, cast, as_user):
    response = _post_new(
        as_user(cast.a1), ("screen.png", PNG), ("bon.pdf", PDF), ("foto van mij.jpg", JPEG)
    )
    assert response.status_code == 303
    with db.connection_context():
        files = list(SupportAttachment.select().order_by(SupportAttachment.id))
        filed = SupportRequest.get()
    assert [(f.filename, f.content_type, f.size) for f in files] == [
        ("screen.png", "image/png", len(PNG)),
        ("bon.pdf", "application/pdf", len(PDF)),
        ("foto van mij.jpg", "image/jpeg", len(JPEG)),
    ]
    page = as_user(cast.office).get(f"/support/{filed.id}").get_data(as_text=True)
    assert "screen.png" in page and f"/support/files/{files[1].id}" in page
    for who in (cast.office, cast.a2):
        download = as_user(who).get(f"/support/files/{files[1].id}")
        assert download.status_code == 200
        assert download.data == PDF
        assert download.mimetype == "application/pdf"
        assert download.headers["Content-Disposition"].startswith("attachment; filename=bon.pdf")
    spaced = as_user(cast.a1).get(f"/support/files/{files[2].id}")
    assert "filename*=UTF-8''foto%20van%20mij.jpg" in spaced.headers["Content-Disposition"]
    assert as_user(cast.b1).get(f"/support/files/{files[0].id}").status_code == 404
    assert as_user(cast.coach_a).get(f"/support/files/{files[0].id}").status_code == 403


def test_the_kind_is_read_from_the_contents_not_the_name(app, cast, as_user):
    response = _post_new(as_user(cast.a1), ("invoice.pdf", b"MZ\x90\x00 a program"))
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "“invoice.pdf” is not a PDF, PNG or JPEG file." in text
    assert "It is cracked." in text
    # A PNG called .pdf is kept as the PNG it is.
    assert _post_new(as_user(cast.a1), ("photo.pdf", PNG)).status_code == 303
    with db.connection_context():
        assert SupportAttachment.get().content_type == "image/png"


def test_a_file_over_5_mb_is_refused_with_a_message(app, cast, as_user):
    big = PNG + b"\x00" * MAX_FILE_BYTES
    # Encoded in memory: the test client would spool a body this large to a file
    # it never closes.
    values = MultiDict({**FILED, "attachments": FileStorage(io.BytesIO(big), "big.png")})
    boundary, body = encode_multipart(values)
    response = as_user(cast.a1).post(
        "/support/new", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 400
    assert "“big.png” is larger than 5 MB." in response.get_data(as_text=True)
    with db.connection_context():
        assert SupportRequest.select().count() == 0


def test_a_file_named_after_someone_in_care_is_sent_back(app, cast, as_user):
    response = _post_new(as_user(cast.a1), ("mies-bakker-invoice.pdf", PDF))
    assert response.status_code == 400
    assert "names someone in the team" in response.get_data(as_text=True)


def test_an_answer_and_a_question_carry_files_too(app, cast, as_user):
    with db.connection_context():
        filed = cast.support_a
        filed.take(by=cast.office)
    office = as_user(cast.office)
    asked = office.post(
        f"/support/{filed.id}/ask",
        data={"ask-text": "Is this the one?", "ask-attachments": [(io.BytesIO(JPEG), "model.jpg")]},
        content_type="multipart/form-data",
    )
    assert asked.status_code == 303
    answered = as_user(cast.a2).post(
        f"/support/{filed.id}/answer",
        data={"text": "Yes, here is the bill.", "attachments": [(io.BytesIO(PDF), "bill.pdf")]},
        content_type="multipart/form-data",
    )
    assert answered.status_code == 303
    with db.connection_context():
        kinds = [(a.filename, a.message.kind) for a in SupportAttachment.select()]
    assert kinds == [("model.jpg", "question"), ("bill.pdf", "answer")]
