"""The team's directory of local resources: GP practices, pharmacies, groups, time banks.

  GET      /resources/                 the directory by kind, with how many people link to each
  GET/POST /resources/new              add an entry
  GET/POST /resources/<id>/edit        change it, refused when someone saved in between
  GET/POST /resources/<id>/delete      remove it, asked once; network entries keep the name
  GET      /resources/export.csv       the whole directory as a UTF-8 CSV
  GET/POST /resources/import           add entries from a CSV: every row, or none at all

The directory belongs to the team, not to a person, so its audit events carry
the team and no client.
"""

import csv
import io
import re
from typing import NamedTuple

from flask import Blueprint, flash, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from peewee import IntegrityError
from werkzeug.datastructures import MultiDict
from wtforms.validators import Length

from teamcase import access, conflicts
from teamcase.clients.parts import confirm_removal
from teamcase.dates import local_now
from teamcase.models import LocalResource
from teamcase.network.forms import ResourceForm, ResourceImportForm
from teamcase.web import render, see_other

bp = Blueprint("resources", __name__, template_folder="templates", url_prefix="/resources")

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Phone numbers start with + or - and are safe to leave as they are.
NUMBER_LIKE = re.compile(r"^[+-]?[\d\s()./-]+$")
REPORT_LIMIT = 200


# Reading a CSV file. Every row goes through ResourceForm, the same rules as
# adding one entry by hand; only the words of the report are made for files.


class Problem(NamedTuple):
    row: int | None  # as a spreadsheet numbers it: the header is row 1
    column: str | None
    wrong: str
    advice: str


# A kind in the file: its key, or its label in English or in the reader's language.
KIND_WORDS = {key: key for key in LocalResource.KINDS} | {
    str(label).casefold(): key for key, label in LocalResource.KINDS.items()
}
SEPARATORS = {",": _l("comma"), ";": _l("semicolon"), "\t": _l("tab")}


def _kind_words() -> dict:
    return KIND_WORDS | {str(label).casefold(): key for key, label in LocalResource.KINDS.items()}


def _kinds_advice() -> str:
    kinds = ", ".join(f"{label} ({key})" for key, label in LocalResource.KINDS.items())
    return _("Use one of: %(kinds)s. An empty cell means Other.", kinds=kinds)


def _resave() -> str:
    return _("Open the file in your spreadsheet and save it as “CSV UTF-8 (comma delimited)”.")


def _column_name(cell: str) -> str:
    """'Opening hours' and 'opening-hours' both mean opening_hours."""
    return re.sub(r"[\s-]+", "_", cell.strip().casefold())


def _delimiter(header_line: str) -> str:
    """Comma, or the semicolon Excel writes where the decimal mark is a comma (as
    in Dutch), or tab. The column names contain none of them, so the header tells."""
    counts = {sep: header_line.count(sep) for sep in SEPARATORS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _unescape(cell: str) -> str:
    """Undo the apostrophe the export puts before a value that looks like a formula."""
    if cell.startswith("'") and cell[1:2] and cell[1] in FORMULA_START:
        return cell[1:]
    return cell


def _escape(value) -> str:
    text = str(value or "")
    if text.startswith(FORMULA_START) and not NUMBER_LIKE.match(text):
        return "'" + text
    return text


def _decode(data: bytes) -> tuple[str | None, list[Problem]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [
            Problem(
                line,
                None,
                _(
                    "The file is not saved as UTF-8, so letters such as é or ë cannot be read "
                    "(the first one is on line %(line)d).",
                    line=line,
                ),
                _(
                    "Open the file in your spreadsheet and save it as “CSV UTF-8 (comma "
                    "delimited)”. In LibreOffice choose the character set “Unicode (UTF-8)”."
                ),
            )
        ]


def _header_problems(header: list[str], columns: list[str], sep: str) -> list[Problem]:
    expected = sep.join(LocalResource.CSV_COLUMNS)
    if not any(column in LocalResource.CSV_COLUMNS for column in columns):
        return [
            Problem(
                1,
                None,
                _("The first row does not have the column names."),
                _("Add a first row with the column names: %(columns)s", columns=expected),
            )
        ]
    problems = []
    for cell, column in zip(header, columns, strict=True):
        if column and column not in LocalResource.CSV_COLUMNS:
            problems.append(
                Problem(
                    1,
                    cell.strip(),
                    _("“%(column)s” is not a column teamcase reads.", column=cell.strip()),
                    _("Rename it to one of %(columns)s, or remove the column.", columns=expected),
                )
            )
    for column in sorted({c for c in columns if c and columns.count(c) > 1}):
        problems.append(
            Problem(
                1,
                column,
                _("The column “%(column)s” is there more than once.", column=column),
                _("Keep one."),
            )
        )
    if "name" not in columns:
        problems.append(
            Problem(
                1,
                "name",
                _("There is no “name” column."),
                _("Use the column names %(columns)s", columns=expected),
            )
        )
    return problems


def _limit(field) -> int | None:
    return next((v.max for v in field.validators if isinstance(v, Length)), None)


def _row_problems(number: int, form: ResourceForm, typed: dict) -> list[Problem]:
    """The form's verdict on one row, in words that point into the file."""
    problems = []
    for column in form.errors:
        field, value = form[column], typed.get(column, "").strip()
        limit = _limit(field)
        if column == "kind":
            wrong = _("“%(value)s” is not a kind teamcase knows.", value=value)
            advice = _kinds_advice()
        elif column == "name" and not value:
            wrong, advice = _("The name is empty."), _("Fill in a name, or delete the row.")
        elif limit and len(value) > limit:
            wrong = _(
                "This is %(length)d characters long; at most %(limit)d fit.",
                length=len(value),
                limit=limit,
            )
            advice = _("Shorten it.")
        elif column == "name" and value.casefold() in form.taken_names:
            wrong = _("“%(value)s” is already in the directory.", value=value)
            advice = _("Delete this row, or give it a name that is not in the directory yet.")
        else:
            wrong = " ".join(str(e) for e in form.errors[column])
            advice = _("Correct the value.")
        problems.append(Problem(number, column, wrong, advice))
    return problems


def read_csv(data: bytes, taken: frozenset) -> tuple[list[dict], list[Problem]]:
    """Check every row of the file; rows ready for `import_rows`, or the problems."""
    text, problems = _decode(data)
    if problems:
        return [], problems
    if not text.strip():
        return [], [
            Problem(
                None,
                None,
                _("The file is empty."),
                _("Choose the file again: is it the right one?"),
            )
        ]
    text = text.lstrip("\r\n")
    sep = _delimiter(text.splitlines()[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows, seen = [], {}
    try:
        header = next(reader)
        columns = [_column_name(cell) for cell in header]
        problems = _header_problems(header, columns, sep)
        if problems:
            return [], problems
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue  # spreadsheets leave empty rows at the end
            extra = [cell for cell in cells[len(columns) :] if cell.strip()]
            unnamed = [c for c, col in zip(cells, columns, strict=False) if not col and c.strip()]
            if extra or unnamed:
                problems.append(
                    Problem(
                        number,
                        None,
                        _("This row has values in more columns than there are column names."),
                        _(
                            "Put a value that contains a %(separator)s in double quotes, "
                            "or move the values under the right column names.",
                            separator=SEPARATORS[sep],
                        ),
                    )
                )
                continue
            typed = {col: _unescape(cell) for col, cell in zip(columns, cells, strict=False) if col}
            kind = typed.get("kind", "").strip()
            form = ResourceForm(
                formdata=MultiDict(
                    {**typed, "kind": _kind_words().get(kind.casefold(), kind) if kind else "other"}
                ),
                meta={"csrf": False},
            )
            form.taken_names = taken
            valid = form.validate()
            problems.extend(_row_problems(number, form, typed))
            key = form.name.data.casefold()
            if key in seen and key not in taken:
                problems.append(
                    Problem(
                        number,
                        "name",
                        _(
                            "“%(name)s” is also in row %(row)d.",
                            name=form.name.data,
                            row=seen[key],
                        ),
                        _("Keep one of the two rows."),
                    )
                )
            elif valid:
                rows.append(form.values())
            if key:
                seen.setdefault(key, number)
    except csv.Error as error:
        problems.append(
            Problem(
                reader.line_num,
                None,
                _("The file cannot be read as CSV here (%(error)s).", error=error),
                _resave(),
            )
        )
    if not problems and not rows:
        problems.append(
            Problem(
                None,
                None,
                _("There are no rows under the column names."),
                _("Add one row for each resource under the column names."),
            )
        )
    return rows, problems


# Views


def _group_by_kind(resources) -> list[tuple[str, str, list]]:
    groups = {key: [] for key in LocalResource.KINDS}
    for resource in resources:
        groups.setdefault(resource.kind, []).append(resource)
    return [
        (kind, LocalResource.KINDS.get(kind, kind), entries)
        for kind, entries in groups.items()
        if entries
    ]


def directory_context(team, kind: str) -> dict:
    resources = list(LocalResource.directory(team))
    counts = {}
    for resource in resources:
        counts[resource.kind] = counts.get(resource.kind, 0) + 1
    if kind not in counts:
        kind = ""
    shown = [r for r in resources if r.kind == kind] if kind else resources
    return {
        "team": team,
        "total": len(resources),
        "kind": kind,
        "kinds": [
            (key, label, counts[key]) for key, label in LocalResource.KINDS.items() if key in counts
        ],
        "groups": _group_by_kind(shown),
    }


@bp.route("/")
@login_required
def index():
    team = access.member_team()
    context = directory_context(team, request.args.get("kind", ""))
    return render("resources/index.html", block="directory", **context)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    team = access.member_team()
    form = ResourceForm()
    form.taken_names = LocalResource.names_in(team)
    if form.validate_on_submit():
        try:
            resource = LocalResource.add(team, current_user._get_current_object(), **form.values())
        except IntegrityError:
            # Someone added the same name a moment ago.
            form.name.errors.append(
                _("“%(name)s” was just added by a colleague.", name=form.name.data)
            )
        else:
            flash(_("%(name)s is now in the directory.", name=resource.name), "success")
            return see_other("resources.index", _anchor=f"resource-{resource.id}")
    # The page that adds an entry is the edit page without one: no conflict.
    return conflicts.page("resources/form.html", form, None, resource=None)


@bp.route("/<int:resource_id>/edit", methods=["GET", "POST"])
@login_required
def edit(resource_id):
    resource = access.resource(resource_id)
    form = ResourceForm.editing(resource)
    form.taken_names = LocalResource.names_in(resource.team_id, leave_out=resource.id)
    conflict = None
    if form.validate_on_submit():
        try:
            saved = resource.change(
                current_user._get_current_object(), form.version_read(), **form.values()
            )
        except IntegrityError:
            form.name.errors.append(
                _("“%(name)s” was just added by a colleague.", name=form.name.data)
            )
        else:
            if saved:
                flash(_("%(name)s is saved.", name=form.name.data), "success")
                return see_other("resources.index", _anchor=f"resource-{resource.id}")
            conflict = conflicts.conflict(
                resource, form, _l("changes to this entry"), form.values()
            )
            resource = conflict.saved
    return conflicts.page("resources/form.html", form, conflict, resource=resource)


@bp.route("/export.csv")
@login_required
def export_csv():
    team = access.member_team()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(LocalResource.CSV_COLUMNS)
    for resource in LocalResource.for_team(team):
        writer.writerow([_escape(getattr(resource, c)) for c in LocalResource.CSV_COLUMNS])
    # The byte order mark makes Excel read the file as UTF-8; the import skips it.
    data = ("\ufeff" + out.getvalue()).encode("utf-8")
    slug = re.sub(r"\W+", "-", team.name.casefold()).strip("-") or "team"
    response = send_file(
        io.BytesIO(data),
        mimetype="text/csv",
        as_attachment=True,
        download_name=f"local-resources-{slug}-{local_now():%Y-%m-%d}.csv",
        max_age=0,
    )
    # The team's own list: not for the browser's disk, like every other page.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_csv():
    team = access.member_team()
    form = ResourceImportForm()
    problems = []
    if form.validate_on_submit():
        rows, problems = read_csv(form.file.data.read(), LocalResource.names_in(team))
        if not problems:
            try:
                added = LocalResource.import_rows(team, current_user._get_current_object(), rows)
            except IntegrityError:
                problems = [
                    Problem(
                        None,
                        "name",
                        _("A colleague added one of these names while the file was imported."),
                        _("Import the file again: the report will name the row."),
                    )
                ]
            else:
                flash(
                    ngettext(
                        "Imported %(num)d local resource.",
                        "Imported %(num)d local resources.",
                        added,
                    ),
                    "success",
                )
                return see_other("resources.index")
    return render(
        "resources/import.html",
        form=form,
        problems=problems[:REPORT_LIMIT],
        more=max(0, len(problems) - REPORT_LIMIT),
        filename=form.file.data.filename if problems else None,
        kinds=LocalResource.KINDS,
        columns=LocalResource.CSV_COLUMNS,
        export_url=url_for("resources.export_csv"),
        status=400 if (form.errors or problems) else 200,
    )


@bp.route("/<int:resource_id>/delete", methods=["GET", "POST"], endpoint="retire")
@login_required
def retire(resource_id):
    resource = access.resource(resource_id)
    if request.method == "GET":
        return confirm_removal(
            resource,
            section=None,
            what=resource.name,
            question=_("Remove this entry from the directory?"),
            button=_("Remove from the directory"),
            action=url_for("resources.retire", resource_id=resource.id),
            kept=_(
                "People’s network entries keep the name, without the link."
                " The team’s history keeps the entry."
            ),
            back=url_for("resources.edit", resource_id=resource.id),
            back_label=resource.name,
        )
    unlinked = resource.remove(current_user._get_current_object())
    if unlinked:
        message = ngettext(
            "%(name)s is removed from the directory. %(num)d network entry keeps its name, "
            "without the link.",
            "%(name)s is removed from the directory. %(num)d network entries keep their name, "
            "without the link.",
            unlinked,
            name=resource.name,
        )
    else:
        message = _("%(name)s is removed from the directory.", name=resource.name)
    flash(message, "success")
    return see_other("resources.index")
