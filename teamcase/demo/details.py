"""Made-up contact details in the Dutch shape: postcodes, house numbers, phone numbers."""

import datetime as dt
from zoneinfo import ZoneInfo

from teamcase.models import User

# The demo lives in Amsterdam, so visit times are chosen on the local clock.
DEMO_ZONE = ZoneInfo("Europe/Amsterdam")


def password_hash(password: str) -> str:
    # argon2 takes a noticeable moment per hash; every seeded account shares one.
    holder = User()
    holder.set_password(password)
    return holder.password_hash


def postcode(rng, prefix) -> str:
    while True:
        letters = "".join(rng.choice("ABCEGHJKLMNPRSTVWXZ") for _ in range(2))
        # Dutch postcodes never use these letter pairs.
        if letters not in ("SA", "SD", "SS"):
            return f"{prefix} {letters}"


def house_number(rng) -> str:
    number = str(rng.randint(1, 180))
    floor = rng.random()
    if floor < 0.45:
        return f"{number}-{rng.choice(['I', 'II', 'III', 'IV', 'huis'])}"
    if floor < 0.55:
        return number + rng.choice("ABC")
    return number


def phone(rng, age) -> str:
    if age is not None and age > 80 and rng.random() < 0.6:
        return f"020-{rng.randint(0, 9_999_999):07d}"
    return f"06-{rng.randint(10_000_000, 99_999_999)}"


def date_of_birth(rng, age, today) -> dt.date | None:
    if age is None:
        return None
    birthday = today.replace(year=today.year - age, day=min(today.day, 28))
    return birthday - dt.timedelta(days=rng.randint(1, 360))


def local_utc(day: dt.date, time: dt.time) -> dt.datetime:
    """A local time on `day` in Amsterdam, as the naive UTC the database stores."""
    local = dt.datetime.combine(day, time, DEMO_ZONE)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def local_date(moment: dt.datetime) -> dt.date:
    """The Amsterdam date of a naive UTC moment."""
    return moment.replace(tzinfo=dt.UTC).astimezone(DEMO_ZONE).date()
