"""Dates, times and durations as people read them, in the install's time zone.

Times are stored as naive UTC (teamcase.models.base.utcnow); everything shown is
converted here, and every "today 14:05", "3 weeks ago" or "Tuesday 14 April" in
the app comes from this module.
"""

import datetime as dt
import functools
import zoneinfo

from flask import current_app, has_app_context


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


def format_when(value: dt.datetime | None) -> str:
    """'today 14:05', 'yesterday 09:10', 'Mon 3 Nov 11:00' or '3 Nov 2025'."""
    local = to_local(value)
    if local is None:
        return "never"
    today = local_now().date()
    days = (today - local.date()).days
    clock = local.strftime("%H:%M")
    if days == 0:
        return f"today {clock}"
    if days == 1:
        return f"yesterday {clock}"
    if 1 < days < 7:
        return f"{local:%a} {local.day} {local:%b} {clock}"
    if local.year == today.year:
        return f"{local.day} {local:%b} {clock}"
    return f"{local.day} {local:%b %Y}"


def ago_text(days: int) -> str:
    """'today', 'yesterday', '5 days ago', '3 weeks ago', '4 months ago'."""
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 61:
        return f"{days // 7} weeks ago"
    return f"{days // 30} months ago"


def day_text(day: dt.date | None) -> str:
    """'Tuesday 14 April', with the year when it is not this year's."""
    if day is None:
        return ""
    text = f"{day:%A} {day.day} {day:%B}"
    return text if day.year == local_now().year else f"{text} {day.year}"


def week_text(monday: dt.date) -> str:
    """'23–29 November 2026', '30 November – 6 December 2026'."""
    sunday = monday + dt.timedelta(days=6)
    if monday.month == sunday.month:
        return f"{monday.day}–{sunday.day} {sunday:%B %Y}"
    if monday.year == sunday.year:
        return f"{monday.day} {monday:%B} – {sunday.day} {sunday:%B %Y}"
    return f"{monday.day} {monday:%B %Y} – {sunday.day} {sunday:%B %Y}"


def at_text(moment: dt.datetime) -> str:
    """When something was done, to finish a sentence: 'at 10:42' today,
    'yesterday at 10:42', 'on 3 Nov at 10:42' before."""
    local = to_local(moment)
    days = (local_now().date() - local.date()).days
    clock = f"{local:%H:%M}"
    if days == 0:
        return f"at {clock}"
    if days == 1:
        return f"yesterday at {clock}"
    return f"on {local.day} {local:%b} at {clock}"


def day_and_time_text(moment: dt.datetime) -> str:
    """'Tuesday 3 November at 17:00': a moment in the future, such as a deadline."""
    local = to_local(moment)
    return f"{day_text(local.date())} at {local:%H:%M}"


def days_text(days: int) -> str:
    """A wait in whole days: 'the same day', '1 day', '4 days'."""
    if days <= 0:
        return "the same day"
    return "1 day" if days == 1 else f"{days} days"


def span_text(start: dt.date, end: dt.date) -> str:
    """How long something lasted, as people say it: '5 days', '6 weeks',
    '8 months', '1 year 3 months'."""
    days = (end - start).days
    if days < 1:
        return "less than a day"
    if days < 14:
        return "1 day" if days == 1 else f"{days} days"
    if days < 63:
        return f"{days // 7} weeks"
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append("1 year" if years == 1 else f"{years} years")
    if months:
        parts.append("1 month" if months == 1 else f"{months} months")
    return " ".join(parts)


def duration_text(minutes: int) -> str:
    """190 → '3 h 10 min', 45 → '45 min'."""
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def meeting_title(meeting) -> str:
    when = day_text(meeting.held_on)
    if meeting.starts_at:
        when += f", {meeting.starts_at:%H:%M}"
    return when
