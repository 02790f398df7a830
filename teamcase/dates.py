"""Dates, times and durations as people read them, in the user's language and the
install's time zone.

Times are stored as naive UTC (teamcase.models.base.utcnow); everything shown is
converted here, and every "today 14:05", "3 weeks ago" or "Tuesday 14 April" in
the app comes from this module ("vandaag 14:05", "3 weken geleden", "dinsdag 14
april" in Dutch): names of days and months and amounts of time from Babel's
formatters in the request's language (teamcase.i18n), the rest from the catalogue.
"""

import datetime as dt
import functools
import zoneinfo

from babel import Locale
from babel.dates import format_date, format_timedelta
from flask import current_app, has_app_context
from flask_babel import get_locale, gettext


def team_zone() -> zoneinfo.ZoneInfo:
    if has_app_context():
        return zoneinfo.ZoneInfo(current_app.config["TIMEZONE"])
    # Model code run outside a request (a script, a test's set-up): the install's
    # setting all the same.
    return _configured_zone()


@functools.cache
def _configured_zone() -> zoneinfo.ZoneInfo:
    from teamcase import settings

    return zoneinfo.ZoneInfo(settings.load(serving=False)["TIMEZONE"])


def to_local(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC).astimezone(team_zone()).replace(tzinfo=None)


def to_utc(local: dt.datetime) -> dt.datetime:
    aware = local.replace(tzinfo=team_zone())
    return aware.astimezone(dt.UTC).replace(tzinfo=None)


def local_now() -> dt.datetime:
    return dt.datetime.now(team_zone()).replace(tzinfo=None, second=0, microsecond=0)


def local_today() -> dt.date:
    """Today in the install's time zone: the day a team lives in, whatever zone the
    server's clock is set to."""
    return dt.datetime.now(team_zone()).date()


def _locale() -> Locale:
    # Outside a request or an app (a script), the source language.
    return get_locale() or Locale("en")


def _date(day: dt.date, pattern: str) -> str:
    return format_date(day, pattern, locale=_locale())


def format_day(day: dt.date, pattern: str) -> str:
    """A day in a Babel pattern of the reader's language: 'd MMM y' is '3 Mar 2027'
    ('3 mrt 2027'), 'EEE d MMM' is 'Wed 3 Mar'."""
    return _date(day, pattern)


def _amount(unit: str, count: int, direction: bool = False) -> str:
    """'4 days', '3 weeks' ('4 dagen', '3 weken'); with `direction`, in the past:
    '3 weeks ago' ('3 weken geleden'). Always in `unit`, never rounded to another."""
    seconds = {"day": 86400, "week": 7 * 86400, "month": 30 * 86400, "year": 365 * 86400}
    return format_timedelta(
        dt.timedelta(seconds=-count * seconds[unit] if direction else count * seconds[unit]),
        granularity=unit,
        threshold=10**9,
        add_direction=direction,
        locale=_locale(),
    )


def format_when(value: dt.datetime | None) -> str:
    """'today 14:05', 'yesterday 09:10', 'Mon 3 Nov 11:00' or '3 Nov 2025'."""
    local = to_local(value)
    if local is None:
        return gettext("never")
    today = local_now().date()
    days = (today - local.date()).days
    clock = local.strftime("%H:%M")
    if days == 0:
        return gettext("today %(time)s", time=clock)
    if days == 1:
        return gettext("yesterday %(time)s", time=clock)
    if 1 < days < 7:
        return f"{_date(local, 'EEE d MMM')} {clock}"
    if local.year == today.year:
        return f"{_date(local, 'd MMM')} {clock}"
    return _date(local, "d MMM y")


def ago_text(days: int) -> str:
    """'today', 'yesterday', '5 days ago', '3 weeks ago', '4 months ago'."""
    if days <= 0:
        return gettext("today")
    if days == 1:
        return gettext("yesterday")
    if days < 14:
        return _amount("day", days, direction=True)
    if days < 61:
        return _amount("week", days // 7, direction=True)
    return _amount("month", days // 30, direction=True)


def day_text(day: dt.date | None) -> str:
    """'Tuesday 14 April', with the year when it is not this year's."""
    if day is None:
        return ""
    return _date(day, "EEEE d MMMM" if day.year == local_now().year else "EEEE d MMMM y")


def short_day_text(day: dt.date, year: bool = True) -> str:
    """'3 Dec 2026' ('3 dec 2026' in Dutch); '3 Dec' without the year."""
    return _date(day, "d MMM y" if year else "d MMM")


def week_text(monday: dt.date) -> str:
    """'23–29 November 2026', '30 November – 6 December 2026'."""
    sunday = monday + dt.timedelta(days=6)
    if monday.month == sunday.month:
        return f"{monday.day}–{_date(sunday, 'd MMMM y')}"
    if monday.year == sunday.year:
        return f"{_date(monday, 'd MMMM')} – {_date(sunday, 'd MMMM y')}"
    return f"{_date(monday, 'd MMMM y')} – {_date(sunday, 'd MMMM y')}"


def at_text(moment: dt.datetime) -> str:
    """When something was done, to finish a sentence: 'at 10:42' today,
    'yesterday at 10:42', 'on 3 Nov at 10:42' before."""
    local = to_local(moment)
    days = (local_now().date() - local.date()).days
    clock = f"{local:%H:%M}"
    if days == 0:
        return gettext("at %(time)s", time=clock)
    if days == 1:
        return gettext("yesterday at %(time)s", time=clock)
    return gettext("on %(day)s at %(time)s", day=_date(local, "d MMM"), time=clock)


def day_and_time_text(moment: dt.datetime) -> str:
    """'Tuesday 3 November at 17:00': a moment in the future, such as a deadline."""
    local = to_local(moment)
    return gettext("%(day)s at %(time)s", day=day_text(local.date()), time=f"{local:%H:%M}")


def days_text(days: int) -> str:
    """A wait in whole days: 'the same day', '1 day', '4 days'."""
    if days <= 0:
        return gettext("the same day")
    return _amount("day", days)


def span_text(start: dt.date, end: dt.date) -> str:
    """How long something lasted, as people say it: '5 days', '6 weeks',
    '8 months', '1 year 3 months'."""
    days = (end - start).days
    if days < 1:
        return gettext("less than a day")
    if days < 14:
        return _amount("day", days)
    if days < 63:
        return _amount("week", days // 7)
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(_amount("year", years))
    if months:
        parts.append(_amount("month", months))
    return " ".join(parts)


def duration_text(minutes: int) -> str:
    """190 → '3 h 10 min', 45 → '45 min' ('3 u 10 min' in Dutch)."""
    if minutes < 60:
        return gettext("%(minutes)d min", minutes=minutes)
    hours, rest = divmod(minutes, 60)
    if rest:
        return gettext("%(hours)d h %(minutes)d min", hours=hours, minutes=rest)
    return gettext("%(hours)d h", hours=hours)


def meeting_title(meeting) -> str:
    when = day_text(meeting.held_on)
    if meeting.starts_at:
        when += f", {meeting.starts_at:%H:%M}"
    return when
