"""Printed documents: HTML templates laid out as PDF by WeasyPrint, and sent as
downloads. Every PDF the app makes (the profile, the closing and transfer letter,
the meeting pack) goes through here.

WeasyPrint is imported on first use, not with the app: it takes half a second,
and most requests never print. A document may only use the app's own static
files (the print stylesheets, fonts): it never fetches anything else, so text a
member typed cannot make the server read a file or call out.
"""

import io
import mimetypes
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote, urlsplit
from urllib.request import url2pathname

from flask import render_template, send_file

from teamcase.paths import STATIC

BEFORE_CLOSING = re.compile(r"\s+(</(?:p|li|h[1-6]|div|dd|dt|td|th|blockquote|footer|header)>)")


def static_only_fetcher():
    """A WeasyPrint URL fetcher that serves files from the static folder and
    refuses everything else: other file:// paths, http(s), data: URLs."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = STATIC.resolve()

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            path = Path(url2pathname(parts.path)).resolve() if parts.scheme == "file" else None
            if path is None or not path.is_relative_to(root) or not path.is_file():
                raise ValueError(
                    f"a printed document may only use the app's static files, not {url}"
                )
            mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mimetype})

    return StaticOnly()


def layout(template: str, fetcher=None, **context):
    """The template rendered and laid out: a WeasyPrint document, whose pages can
    be counted before it is written."""
    from weasyprint import HTML

    # WeasyPrint breaks a line that fits only without the space at its end after
    # its first word ("The" / "team room above Apotheek Dapper · …"): the space
    # before a closing tag goes, as a browser would ignore it anyway.
    html = BEFORE_CLOSING.sub(r"\1", render_template(template, **context))
    return HTML(
        string=html, base_url=str(STATIC), url_fetcher=fetcher or static_only_fetcher()
    ).render()


def first_that_fits(template: str, contexts, pages: int = 1):
    """The first of `contexts` (from the most to the least shown) whose document
    takes at most `pages` pages; the last one laid out when none does."""
    fetcher = static_only_fetcher()
    document = None
    for context in contexts:
        document = layout(template, fetcher, **context)
        if len(document.pages) <= pages:
            break
    return document


def render(template: str, **context) -> bytes:
    """The template as a PDF, however many pages it takes."""
    return layout(template, **context).write_pdf()


def download_names(kind: str, name: str, day, extension: str = "pdf") -> tuple[str, str]:
    """(ASCII file name, RFC 5987 UTF-8 file name) for the Content-Disposition header
    of a document about one person: `kind`-name-date.pdf, accents dropped in the
    ASCII one ("Zoë Çelik" → Zoe-Celik), "person" where no Latin letter is left."""
    words = re.sub(r"[^\w]+", "-", name).strip("-_") or "person"
    ascii_words = (
        re.sub(
            r"[^A-Za-z0-9]+",
            "-",
            unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode(),
        ).strip("-")
        or "person"
    )
    stem = f"{day.isoformat()}.{extension}"
    return f"{kind}-{ascii_words}-{stem}", f"UTF-8''{quote(f'{kind}-{words}-{stem}')}"


def download(body: bytes, filename: str, utf8_filename: str | None = None):
    """The PDF as a download, never kept in a cache: it holds people's details."""
    response = send_file(
        io.BytesIO(body), mimetype="application/pdf", as_attachment=True, download_name=filename
    )
    # Both names always, so every browser shows the accented one where it can.
    response.headers.set(
        "Content-Disposition",
        "attachment",
        filename=filename,
        **{"filename*": utf8_filename or f"UTF-8''{quote(filename)}"},
    )
    response.headers["Cache-Control"] = "no-store"
    return response
