"""The demo's clock and the contact histories on its people's timelines."""

import datetime as dt

from teamcase.demo.details import local_date, local_utc

ODD_MINUTES = (5, 10, 20, 25, 35, 40, 50, 75, 90)


def _minutes(rng, usual) -> int:
    if rng.random() < 0.1:
        return rng.choice(ODD_MINUTES)
    return rng.choice(usual)


class Demo:
    """One demo run: its data, random stream and moment. One instance per run so the
    random stream, and with it the whole demo, is the same every time."""

    def __init__(self, data, rng, now):
        self.data = data
        self.rng = rng
        self.now = now
        self.today = local_date(now)
        self.recent_notes = []

    def at(self, days_ago, earliest, latest):
        """A UTC moment on a day `days_ago`, between two local hours."""
        day = self.today - dt.timedelta(days=days_ago)
        minute = self.rng.randint(earliest * 60, latest * 60 - 1)
        return local_utc(day, dt.time(minute // 60, minute % 60))

    def in_care_for(self, shortest=60) -> int:
        """How many days a long-standing person's contacts go back: for most, beyond
        the year the team's charts show (their case began before it), for some a case
        that began during that year, so that the year has people coming in (through
        referrals, with a first visit each) and the number in care stays about even."""
        if self.rng.random() < 0.9:
            return self.rng.randint(375, 400)
        return self.rng.randint(shortest, 360)

    def visit(self, days_ago, notes, minutes=(30, 45, 60), kind="home_visit", hours=(8, 17)):
        return {
            "happened_at": self.at(days_ago, *hours),
            "kind": kind,
            "minutes": _minutes(self.rng, minutes),
            "note": self.note(self.data.contacts["notes"][notes]),
        }

    def note(self, choices):
        # The same note on visit after visit reads as copy-paste, not as a person.
        for _attempt in range(5):
            note = self.rng.choice(choices)
            if not note or note not in self.recent_notes:
                break
        self.recent_notes = [*self.recent_notes[-3:], note]
        return note

    def history(self, plan):
        """Contacts (oldest first) for a person's kind of history (people.toml), and
        how many days ago the case was opened."""
        rng = self.rng
        contacts = []
        if plan == "insulin":
            start = rng.randint(28, 38)
            for days_ago in range(start, -1, -1):
                if rng.random() < 0.06:
                    continue  # family did it that morning
                contacts.append(
                    self.visit(days_ago, "insulin", minutes=(15, 15, 15, 30), hours=(7, 10))
                )
            span = start
        elif plan == "weekly":
            span = self.in_care_for()
            days_ago = span
            while days_ago >= 0:
                if rng.random() < 0.9:
                    contacts.append(self.visit(max(days_ago + rng.randint(-1, 1), 0), "visit"))
                if rng.random() < 0.15:
                    contacts.append(self.visit(max(days_ago - 3, 0), "call", (10, 15), "phone"))
                days_ago -= 7
        elif plan == "wound":
            span = rng.randint(90, 330)  # the wound began at any time that year
            for week in range(6):
                for day in (0, 2, 4):
                    days_ago = span - week * 7 - day
                    contacts.append(self.visit(days_ago, "wound", (30, 45)))
            days_ago = span - 42 - 28
            while days_ago >= 0:
                contacts.append(self.visit(days_ago, "visit"))
                days_ago -= rng.randint(24, 32)
        elif plan == "fortnightly":
            span = self.in_care_for()
            days_ago = span
            while days_ago >= 0:
                if rng.random() < 0.7:
                    contacts.append(self.visit(days_ago, "visit", (30, 45, 60)))
                else:
                    contacts.append(self.visit(days_ago, "call", (10, 15), "phone"))
                days_ago -= rng.randint(12, 16)
        elif plan == "rare":
            span = self.in_care_for(shortest=120)
            count = rng.randint(1, 3) + span // 90
            # The first was the visit at the start, to get to know each other.
            contacts.append(self.visit(span, "visit"))
            for days_ago in sorted(rng.sample(range(span), count), reverse=True):
                kind = rng.choice(["phone", "phone", "message", "video", "home_visit"])
                notes = {"phone": "call", "home_visit": "visit"}.get(kind, kind)
                usual = {"phone": (10, 15), "message": (5,), "video": (15, 30)}.get(kind)
                contacts.append(self.visit(days_ago, notes, usual or (30, 45), kind))
        elif plan == "recent":
            span = rng.randint(10, 20)
            days_ago = span
            while days_ago >= 0:
                contacts.append(self.visit(days_ago, "visit", (30, 45, 60)))
                days_ago -= rng.randint(2, 3)
        else:
            return [], rng.randint(1, 4)

        if plan not in ("rare", "recent"):
            for _ in range(rng.randint(0, 2)):
                contacts.append(self.visit(rng.randint(0, span), "consult", (15, 30), "consult"))
            if rng.random() < 0.3:
                contacts.append(self.visit(rng.randint(0, span), "video", (15, 30), "video"))
            if rng.random() < 0.3:
                contacts.append(self.visit(rng.randint(0, span), "message", (5,), "message"))
        reasons = self.data.contacts["incoming"]
        if plan == "wound":
            reasons = reasons + self.data.contacts["wound_incoming"]
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
            reason = rng.choice(reasons)
            contact = self.visit(
                rng.randint(0, span), "call", (10, 15), reason["kind"], hours=(9, 17)
            )
            contact.update(
                note=reason["note"],
                incoming=True,
                demand=reason["demand"],
                demand_why=reason["why"],
                resolved_first_time=rng.random() < reason["resolved"],
            )
            contacts.append(contact)

        # Anything later than a few minutes ago has not happened yet.
        latest = self.now - dt.timedelta(minutes=10)
        contacts = [c for c in contacts if c["happened_at"] <= latest]
        contacts.sort(key=lambda c: c["happened_at"])
        return contacts, span + rng.randint(1, 14)
