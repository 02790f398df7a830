"""Dates, times and durations as people read them, in the install's time zone.

Times are stored as naive UTC (teamcase.models.base.utcnow); everything shown is
converted here, and every "today 14:05", "3 weeks ago" or "Tuesday 14 April" in
the app comes from this module.
"""

import datetime as dt
import zoneinfo

from flask import current_app


def team_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(current_app.config["TIMEZONE"])


def to_local(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC).astimezone(team_zone()).replace(tzinfo=None)


def to_utc(local: dt.datetime) -> dt.datetime:
    aware = local.replace(tzinfo=team_zone())
    return aware.astimezone(dt.UTC).replace(tzinfo=None)


def local_now() -> dt.datetime:
    return dt.datetime.now(team_zone()).replace(tzinfo=None, second=0, microsecond=0)


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


def meeting_title(meeting) -> str:
    when = day_text(meeting.held_on)
    if meeting.starts_at:
        when += f", {meeting.starts_at:%H:%M}"
    return when
