"""The demo people's records, as a team would have built them up: about me in their
own words, strengths, a dated network, goals with steps, what they can give, consent.

Texts come from pools (record.toml, themes.toml, goals.toml, network.toml) and are
drawn without repeating until a pool runs out. Everything is written through the
record's own verbs (`NetworkMember.add`, `Goal.add`, `Step.add`, `AboutMe.write`…).

This is the largest module of teamcase and one idea: one person's record, built in
one pass, because its parts refer to each other (steps name who in the network
helps, goals come from the person's themes, about-me texts and strengths mention
the same people and places). Split apart, each part would need the others' state.
"""

import datetime as dt
import string
from collections import Counter

from teamcase.demo.details import local_date, local_utc
from teamcase.models import (
    AboutMe,
    Connection,
    Consent,
    Goal,
    LocalResource,
    NetworkMember,
    Offer,
    Step,
    Strength,
)

_FORMATTER = string.Formatter()
# The same goal for more people than this in one team reads as copy-paste.
GOAL_REPEATS = 2


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in _FORMATTER.parse(text) if name}


def _first_name(network_name: str) -> str:
    """ "Ellen (daughter)" -> "Ellen", "Koen, physio" -> "Koen"."""
    return network_name.split(" (")[0].split(",")[0]


class _Person:
    """What the record builder knows about one demo person: family, words, tags."""

    def __init__(self, spec, client, today, area, known_best, families):
        self.name, self.preferred = spec["name"], spec["preferred"]
        self.sex, self.age, self.plan = spec["sex"], spec.get("age"), spec["history"]
        self.client = client
        self.opened_at = client.created_at
        self.opened = local_date(client.created_at)  # local date the case was opened
        self.span = (today - self.opened).days  # days in care until today
        self.area = area
        self.known_best = known_best
        self.background = families["backgrounds"].get(self.name, "nl")
        self.faith = families["faiths"].get(self.background, "")
        self.young = self.age is not None and self.age < 60
        self.tags: set[str] = set()
        self.words: dict[str, str] = {}
        self.network: list[dict] = []  # this person's rows in Records.network
        self.themes: list[str] = []
        self.settled: set[str] = set()  # themes whose goal was achieved or let go
        self.offered_by: dt.date | None = None  # an offer that led to a connection


class Records:
    """The records of one team's people, built one person at a time.

    Rows are dicts until they are written; a step refers to its goal by position in
    `goals`, and a network row, goal or offer keeps the model row it became.
    """

    def __init__(self, rng, demo):
        self.rng = rng
        self.demo = demo
        self.data = demo.data
        self.today = demo.today
        families = self.data.families
        self.families = families
        self.words = families["words"]
        self.surnames = families["surnames"]
        self.themes = self.data.themes
        self.network_words = self.data.network
        self.connections = self.network_words["connections"]
        self.decks: dict[str, list[int]] = {}
        self.uses: Counter = Counter()
        self.network: list[dict] = []
        self.goals: list[dict] = []
        self.steps: list[dict] = []
        self.about: list[dict] = []
        self.strengths: list[dict] = []
        self.offers: list[dict] = []
        self.consents: list[dict] = []
        self.resources: dict[tuple[str, str], tuple] = {}
        self.offer_keys: dict[str, int] = {}  # connection key -> position in offers
        self.goal_keys: dict[str, tuple[int, object]] = {}  # -> (position in goals, member)
        self.written = Counter()  # rows of each list written so far

    def first_names(self, background):
        names = self.families["first_names"]
        return names.get(background, names["nl"])

    # -- time --------------------------------------------------------------

    def day(self, person, offset) -> dt.date:
        """The date `offset` days after the case opened, never later than yesterday."""
        return min(person.opened + dt.timedelta(days=offset), self.today - dt.timedelta(days=1))

    def moment(self, day: dt.date, person=None) -> dt.datetime:
        """A time in the working day on `day`; on the first day, after the case was opened."""
        minute = self.rng.randint(9 * 60, 17 * 60 - 1)
        moment = local_utc(day, dt.time(minute // 60, minute % 60))
        if person is not None and moment <= person.opened_at:
            moment = person.opened_at + dt.timedelta(minutes=self.rng.randint(15, 180))
        return min(moment, self.demo.now - dt.timedelta(minutes=5))

    def later(self, person, start: dt.date, earliest_gap=1) -> dt.date:
        """A day between `start` (plus a gap) and yesterday."""
        first = start + dt.timedelta(days=earliest_gap)
        last = self.today - dt.timedelta(days=1)
        if first >= last:
            return last
        return first + dt.timedelta(days=self.rng.randint(0, (last - first).days))

    @staticmethod
    def present(members, when):
        return [m for m, since, until in members if since <= when and (not until or when < until)]

    def recorder(self, person, members, when):
        """Who wrote it down: usually someone who knows the person best."""
        there = self.present(members, when)
        usual = [m for m in person.known_best if m in there]
        if usual and self.rng.random() < 0.75:
            return self.rng.choice(usual)
        return self.rng.choice(there)

    # -- texts -------------------------------------------------------------

    def fits(self, person, text: str, tags: str = "") -> bool:
        for tag in tags.split():
            if tag.startswith("!"):
                if tag[1:] in person.tags:
                    return False
            elif tag not in person.tags:
                return False
        return all(person.words.get(name) for name in _fields(text))

    def fits_entry(self, person, entry) -> bool:
        """A pool entry: a text, or a table with its tags and text."""
        if isinstance(entry, dict):
            return self.fits(person, entry["text"], entry["tags"])
        return self.fits(person, entry)

    def take(self, key, pool, fits, count=1, limit=None):
        """Up to `count` entries of `pool` that fit, those used longest ago first;
        none used `limit` times already."""
        deck = self.decks.get(key)
        if deck is None:
            deck = list(range(len(pool)))
            self.rng.shuffle(deck)
            self.decks[key] = deck
        chosen = []
        for i in list(deck):
            if len(chosen) == count:
                break
            if limit and self.uses[key, i] >= limit:
                continue
            if fits(pool[i]):
                chosen.append(pool[i])
                self.uses[key, i] += 1
                deck.remove(i)
                deck.append(i)
        return chosen

    def text(self, key, pool, person):
        """One text from a pool of texts, filled in for `person`, or None."""
        found = self.take(key, pool, lambda e: self.fits_entry(person, e))
        if not found:
            return None
        entry = found[0]
        return (entry["text"] if isinstance(entry, dict) else entry).format_map(person.words)

    # -- a person ------------------------------------------------------------

    def person(self, spec, client, area, street, known_best, members, contacts, size):
        """Build and write one person's record; returns the goal for each contact, or None."""
        person = _Person(spec, client, self.today, area, known_best, self.families)
        pinned = self.data.pinned.get(person.name, {})
        self.family(person, street, pinned)
        self.choose_themes(person, pinned, 2 if size == "rich" else 1)
        self.build_network(person, size, pinned)
        goals = self.build_goals(person, size, pinned, members)
        self.build_about(person, size, members)
        self.build_strengths(person, size)
        offers = self.build_offers(person, size, pinned)
        self.build_consent(person, size, offers)
        linked = self.link_contacts(person, goals, contacts)
        self.write(person)
        return [self.goals[g]["row"] if g is not None else None for g in linked]

    def family(self, person, street, pinned):
        rng, said = self.rng, self.words
        names = self.first_names(person.background)
        used = {person.name.split()[0]}

        def name(sex, kind="adult"):
            if kind == "adult":
                pool = names["women"] if sex == "f" else names["men"]
            else:
                pool = names["girls"] if sex == "f" else names["boys"]
            choices = [n for n in pool if n not in used] or pool
            chosen = rng.choice(choices)
            used.add(chosen)
            return chosen

        other = "m" if person.sex == "f" else "f"
        family = pinned.get("family", {})
        partner = late = None
        if "partner" in family:
            partner = (family["partner"]["sex"], family["partner"]["name"])
            used.add(partner[1])
        elif person.young:
            if rng.random() < 0.6:
                partner = (other, name(other))
        elif rng.random() < (0.4 if person.sex == "m" else 0.2):
            partner = (other, name(other))
        elif rng.random() < 0.75:
            late = (other, name(other))
        count = rng.choice([0, 1, 2, 2] if person.young else [0, 1, 1, 2, 2, 2, 3, 3, 4])
        children = []
        for _ in range(count):
            sex = rng.choice("fm")
            children.append((sex, name(sex, "kid" if person.young else "adult")))
        grandchildren = [(g["sex"], g["name"]) for g in family.get("grandchildren", [])]
        used.update(n for _s, n in grandchildren)
        if children and not person.young and (person.age is None or person.age >= 68):
            for _ in range(rng.choice([0, 1, 2, 2, 3, 4])):
                sex = rng.choice("fm")
                grandchildren.append((sex, name(sex, "kid")))
        sibling = None
        if rng.random() < 0.35:
            sex = rng.choice("fm")
            sibling = (sex, name(sex))
        pet = rng.choice(self.families["pets"]) if rng.random() < 0.18 else None
        person.family = {
            "partner": partner,
            "children": children,
            "grandchildren": grandchildren,
            "sibling": sibling,
        }

        pronouns = self.data.people["pronouns"][person.sex]
        relation = said["relation"]
        words = {
            "n": person.preferred or person.name.split()[0],
            **pronouns,
            "Their": pronouns["their"].capitalize(),
            "Mum": said["parent"][person.sex],
            "street": street,
            **self.families["area_words"][person.area],
            **self.families["faith_words"].get(person.faith, {}),
            "origin": self.families["origins"].get(person.background, ""),
            "cuisine": self.families["cuisines"].get(person.background, ""),
            "language": self.families["languages"].get(person.background, ""),
        }
        words.setdefault("feast", said["feast"])
        if person.age:
            words["years"] = str(rng.randint(12, max(13, min(60, person.age - 25))))
            if person.age >= 68:
                words["next_birthday"] = said["next_birthday"].format(age=(person.age // 5 + 1) * 5)
        else:
            words["years"] = str(rng.randint(8, 40))
        tags = {person.sex, "young" if person.young else "old", person.background, person.plan}
        if person.faith:
            tags |= {person.faith, "faith"}
        if words["origin"]:
            tags.add("origin")
        if children:
            sex, first = children[0]
            rel = relation["daughter" if sex == "f" else "son"]
            words |= {
                "child": said["my"].format(relation=rel, name=first),
                "child_cap": said["my_cap"].format(relation=rel, name=first),
                "child_name": first,
                "my_child": said["my_relation"].format(relation=rel),
                "their_child": said["their"].format(
                    their=pronouns["their"], relation=rel, name=first
                ),
            }
            tags.add("child")
            if len(children) > 1:
                words["kids"] = said["kids_young"] if person.young else said["kids_old"]
                words["kids_cap"] = words["kids"].capitalize()
        if grandchildren:
            tags.add("grandkids")
            tags |= {"granddaughter" if s == "f" else "grandson" for s, _ in grandchildren}
            words["gk_name"] = grandchildren[0][1]
            if len(grandchildren) > 1:
                words |= {
                    "grandchildren": said["grandchildren"],
                    "grandchildren_cap": said["grandchildren_cap"],
                }
        if partner:
            rel = relation["wife" if partner[0] == "f" else "husband"]
            words |= {
                "partner": said["my"].format(relation=rel, name=partner[1]),
                "partner_cap": said["my_cap"].format(relation=rel, name=partner[1]),
                "partner_name": partner[1],
            }
            tags.add("partner")
        if late:
            words["late_name"] = late[1]
        if sibling:
            rel = relation["sister" if sibling[0] == "f" else "brother"]
            words |= {
                "sibling": said["my"].format(relation=rel, name=sibling[1]),
                "sibling_name": sibling[1],
            }
        if pet:
            words |= {
                "pet": said["pet"].format(kind=pet["kind"], name=pet["name"]),
                "pet_cap": said["pet_cap"].format(kind=pet["kind"], name=pet["name"]),
            }
            tags.add("pet")
        person.words = {k: v for k, v in words.items() if v}
        person.tags = tags

    def choose_themes(self, person, pinned, count):
        if "themes" in pinned:
            person.themes = list(pinned["themes"])
            return
        names = [
            name
            for name, theme in self.themes.items()
            if self.fits(person, "", theme.get("needs", ""))
        ]
        weights = [self.themes[name].get("weight", 1) for name in names]
        chosen = []
        while len(chosen) < count and names:
            pick = self.rng.choices(names, weights)[0]
            chosen.append(pick)
            i = names.index(pick)
            del names[i], weights[i]
        person.themes = chosen

    # -- network -------------------------------------------------------------

    def resource(self, role, area):
        return self.resources.get((role, area)) or self.resources.get((role, ""))

    def build_network(self, person, size, pinned):
        rng, words = self.rng, person.words
        fam = person.family
        relations = self.words["relation"]
        candidates = []  # (priority, role, fields)

        def personal(role, rel_label, sex_name, relation, priority, reach_chance):
            _sex, first = sex_name
            family = self.network_words["family"][role]
            does = rng.choice(family["does"])
            could = family["could"]
            reach = ""
            if rng.random() < reach_chance:
                reach = f"06-{rng.randint(10_000_000, 99_999_999)}"
                if rng.random() < 0.3:
                    reach += rng.choice(self.network_words["reach_hours"])
            name = first
            if rel_label:
                name = self.words["in_network"].format(name=first, relation=rel_label)
            candidates.append(
                (
                    priority,
                    role,
                    {
                        "name": name,
                        "relation": relation,
                        "tie": "strong" if role == "partner" else "moderate",
                        "does_now": does["does"],
                        "could_do": rng.choice(could) if could and rng.random() < 0.6 else "",
                        "frequency": does["frequency"].format_map(words),
                        "reach": reach,
                        "close": does.get("close", False),
                    },
                )
            )

        if fam["partner"]:
            label = relations["wife" if fam["partner"][0] == "f" else "husband"]
            personal("partner", label, fam["partner"], "family", 0, 0)
        for i, child in enumerate(fam["children"]):
            label = relations["daughter" if child[0] == "f" else "son"]
            role, reach = ("kid", 0) if person.young else ("child", 0.6)
            personal(role, label, child, "family", min(i, 2) + (0 if i == 0 else 1), reach)
        if fam["grandchildren"] and rng.random() < 0.8:
            gk = fam["grandchildren"][0]
            label = relations["granddaughter" if gk[0] == "f" else "grandson"]
            personal("grandchild", label, gk, "family", 2, 0.3)
        if fam["sibling"] and rng.random() < 0.6:
            label = relations["sister" if fam["sibling"][0] == "f" else "brother"]
            personal("sibling", label, fam["sibling"], "family", 3, 0.4)
        names = self.first_names(person.background)
        for i in range(rng.choice([0, 1, 1, 2])):
            sex = person.sex if rng.random() < 0.75 else rng.choice("fm")
            own = person.background in self.surnames and rng.random() < 0.7
            first_names = names if own else self.first_names("nl")
            first = rng.choice(first_names["women"] if sex == "f" else first_names["men"])
            surname = rng.choice(self.surnames[person.background if own else "nl"])
            personal("friend", "", (sex, f"{first} {surname}"), "friend", 1 + 2 * i, 0.5)
        for i in range(rng.choice([0, 1, 1, 1, 2])):
            label = rng.choice(self.families["neighbour_places"])
            neighbour = ("", rng.choice(self.families["neighbours"]))
            personal("neighbour", label, neighbour, "neighbour", 1 + 2 * i, 0.3)

        def organisation(role, priority, relation, name=None, does=None, could=None, freq=None):
            found = self.resource(role, person.area)
            if not found:
                return
            resource_id, place = found
            people = place["people"]
            professional = self.network_words["professionals"].get(role, {})
            done, could_do = professional.get("does", []), professional.get("could", [])
            usual = rng.choice(done) if done else {"does": "", "frequency": ""}
            candidates.append(
                (
                    priority,
                    role,
                    {
                        "name": name or (rng.choice(people) if people else place["name"]),
                        "relation": relation,
                        "tie": rng.choice(["moderate", "moderate", "weak", "strong"]),
                        "does_now": does or usual["does"],
                        "could_do": could
                        if could is not None
                        else (rng.choice(could_do) if could_do and rng.random() < 0.4 else ""),
                        "frequency": freq or usual["frequency"],
                        "reach": "",
                        "resource": resource_id,
                    },
                )
            )

        if rng.random() < 0.85:
            if person.plan == "insulin" and rng.random() < 0.6:
                gp = self.resource("gp", person.area)
                checks = self.network_words["practice_nurse"]
                organisation(
                    "gp",
                    1,
                    "gp",
                    name=gp[1].get("practice_nurse") if gp else None,
                    does=checks["does"],
                    freq=checks["frequency"],
                )
            else:
                organisation("gp", 1, "gp")
        if person.plan in ("insulin", "wound") or rng.random() < 0.45:
            # The pharmacy does more for people whose care needs its supplies.
            supplies = self.network_words["pharmacy"].get(person.plan, {})
            organisation(
                "pharmacy",
                2,
                "pharmacy",
                does=supplies.get("does"),
                freq=supplies.get("frequency"),
            )
        for theme in person.themes:
            for group in self.themes[theme]["groups"]:
                if rng.random() < 0.7:
                    organisation(
                        group["role"],
                        2,
                        "community",
                        does=group["does"].format_map(words),
                        could=group.get("could"),
                        freq=group["frequency"],
                    )
        if rng.random() < 0.15:
            organisation("physio", 3, "professional")
        if rng.random() < 0.1:
            organisation("buurtteam", 3, "professional")
        if rng.random() < 0.1:
            organisation("time_bank", 3, "community")
        if rng.random() < 0.04:
            organisation("food_bank", 3, "community")

        if size == "rich":
            target = rng.randint(3, 8)
        elif size == "small":
            target = rng.randint(2, 4)
        else:
            target = rng.randint(0, 2)
            candidates = [c for c in candidates if c[1] in ("partner", "child")]
        # No two rows for the same place (the GP practice once, not twice).
        seen, unique = set(), []
        for candidate in sorted(candidates, key=lambda c: (c[0], rng.random())):
            name = candidate[2]["name"]
            if name not in seen:
                seen.add(name)
                unique.append(candidate)
        pinned_names = {extra["name"] for extra in pinned.get("network", [])}
        kept = [c for c in unique[:target] if c[2]["name"] not in pinned_names]
        for extra in pinned.get("network", []):
            kept.append(
                (
                    0,
                    extra["role"],
                    {
                        "name": extra["name"],
                        "relation": extra["relation"],
                        "tie": extra["tie"],
                        "does_now": extra["does"],
                        "could_do": extra["could"],
                        "frequency": extra["frequency"],
                        "reach": extra["reach"],
                    },
                )
            )

        # When each tie was first written down: most at the first visits, some later on.
        intake = self.day(person, rng.randint(0, 3))
        long_enough = size == "rich" and person.span >= 30
        rows = []
        for _priority, role, fields in kept:
            # Family is there from the start; groups and helpers join as the care goes on.
            if role in ("partner", "child", "kid", "grandchild", "sibling"):
                later_chance = 0
            elif role in ("friend", "neighbour", "gp", "pharmacy"):
                later_chance = 0.2
            else:
                later_chance = 0.6
            if long_enough and rng.random() < later_chance:
                since = self.later(person, person.opened, 15)
            else:
                since = intake
            close = fields.pop("close", False) or role == "partner"
            if close or (role in ("child", "grandchild") and rng.random() < 0.5):
                fields["tie"] = "strong"
            elif role in ("friend", "neighbour", "sibling") and rng.random() < 0.3:
                fields["tie"] = rng.choice(["weak", "strong"])
            rows.append(self.network_row(person, role, since, **fields))

        for connection in self.connections:
            if connection["goal_of"] == person.name:
                tie = connection["tie"]
                since = self.today - dt.timedelta(days=connection["days_ago"])
                rows.append(
                    self.network_row(
                        person,
                        "connection",
                        since,
                        name=tie["name"],
                        relation=tie["relation"],
                        tie=tie["tie"],
                        does_now=tie["does"],
                        could_do=tie["could"],
                        frequency=tie["frequency"],
                    )
                )

        stressful = self.network_words["stressful"]
        personal_rows = [r for r in rows if r["role"] in stressful and r["since"] == intake]
        if personal_rows and size == "rich" and rng.random() < 0.08:
            row = rng.choice(personal_rows)
            costs = stressful[row["role"]]
            row.update(
                tie="stressful",
                does_now=costs["does"].format_map(words),
                could_do=costs["could"],
                frequency=costs["frequency"].format_map(words),
            )
        if size == "rich" and person.span >= 40 and rng.random() < 0.5:
            self.change_a_tie(person, rows, intake)
        if size == "rich" and person.span >= 40 and rng.random() < 0.2:
            dutch = self.first_names("nl")
            first, last = (
                rng.choice(dutch["women"] + dutch["men"]),
                rng.choice(self.surnames["nl"]),
            )
            ended = rng.choice(self.network_words["ended"])
            self.network_row(
                person,
                "ended",
                intake,
                name=f"{first} {last}",
                relation="friend",
                tie="moderate",
                does_now=ended["does"].format_map(words),
                frequency=ended["frequency"],
                until=self.later(person, intake, 10),
            )

        current = [r for r in person.network if r["until"] is None]
        friend = next((r for r in current if r["role"] == "friend"), None)
        if friend and friend["tie"] in ("strong", "moderate"):
            words["friend_name"] = friend["name"].split()[0]
        neighbour = next((r for r in current if r["role"] == "neighbour"), None)
        if neighbour:
            words["neighbour"] = neighbour["name"].replace(" (", " ").rstrip(")")

    def network_row(self, person, role, since, until=None, **fields):
        row = {
            "person": person,
            "role": role,
            "name": "",
            "relation": "other",
            "does_now": "",
            "could_do": "",
            "reach": "",
            "tie": "moderate",
            "frequency": "",
            "resource": None,
            "on_profile": False,
            "since": since,
            "until": until,
            "created_at": self.moment(since, person),
        }
        row.update(fields)
        row["does_now"] = row["does_now"].format_map(person.words)
        row["could_do"] = row["could_do"].format_map(person.words)
        self.network.append(row)
        person.network.append(row)
        return row

    def change_a_tie(self, person, rows, intake):
        """A dated change: the old row ends and a new one starts, as the app records it."""
        rng, words = self.rng, person.words
        at_intake = [r for r in rows if r["since"] == intake and r["tie"] != "stressful"]
        changes = self.network_words
        options = []
        closer = [r for r in at_intake if r["role"] in ("neighbour", "friend")]
        if closer:
            options.append(("closer", rng.choice(closer), rng.choice(changes["closer"])))
        further = [r for r in at_intake if r["role"] == "child"]
        if len(further) > 1:  # someone else in the family is still close by
            options.append(("further", rng.choice(further), rng.choice(changes["further"])))
        calmer = [r for r in at_intake if r["role"] == "child"]
        if calmer and rng.random() < 0.3:
            options.append(("calmer", rng.choice(calmer), rng.choice(changes["calmer"])))
        if not options:
            return
        _kind, row, change = rng.choice(options)
        before, after = change["before"], change["after"]
        changed = self.later(person, intake, 14)
        self.network_row(
            person,
            row["role"] + "-before",
            row["since"],
            until=changed,
            **{k: row[k] for k in ("name", "relation", "could_do", "reach", "resource")},
            does_now=before["does"],
            tie=before["tie"],
            frequency=before["frequency"],
        )
        row.update(
            since=changed,
            created_at=self.moment(changed, person),
            does_now=after["does"].format_map(words),
            tie=after["tie"],
            frequency=after["frequency"],
        )

    # -- about me, strengths -----------------------------------------------------

    def build_about(self, person, size, members):
        rng = self.rng
        sections = list(AboutMe.SECTIONS)
        if size == "rich":
            chosen = [s for s in sections if rng.random() < 0.8]
            while len(chosen) < 3:
                extra = rng.choice([s for s in sections if s not in chosen])
                chosen.append(extra)
        elif size == "small":
            chosen = ["matters", *rng.sample(["good_day", "support", "hopes"], rng.randint(0, 2))]
        else:
            chosen = ["matters"] if rng.random() < 0.6 else []
        first_visit = self.day(person, rng.randint(0, 3))
        for section in sections:
            if section not in chosen:
                continue
            versions = []
            history = size == "rich" and person.span >= 30 and rng.random() < 0.35
            if history:
                if rng.random() < 0.25:
                    versions.append(self.family_says(person, section))
                pool = self.data.record["about_first"][section]
                first = self.text(f"first:{section}", pool, person)
                if first:
                    versions.append((first, "person", ""))
            versions.append(self.main_text(person, section))
            versions = [v for v in versions if v and v[0]]
            if len(versions) > 1 or size == "tiny":
                day = first_visit
            else:
                day = self.day(person, rng.randint(0, min(person.span, 45)))
            for number, (text, said_by, said_by_name) in enumerate(versions, start=1):
                when = self.moment(day, person)
                self.about.append(
                    {
                        "person": person,
                        "section": section,
                        "version": number,
                        "text": text,
                        "said_by": said_by,
                        "said_by_name": said_by_name,
                        "by": self.recorder(person, members, when),
                        "at": when,
                    }
                )
                day = self.later(person, day, max(7, (self.today - day).days // 3))

    def family_says(self, person, section):
        if "child" not in person.tags or person.young:
            return None
        text = self.text(f"family:{section}", self.data.record["about_family"][section], person)
        return (text, "family", person.words["their_child"]) if text else None

    def main_text(self, person, section):
        rng = self.rng
        if rng.random() < 0.08:
            said = self.family_says(person, section)
            if said:
                return said
        themed = [
            (f"theme:{t}:{section}", self.themes[t].get(section, []))
            for t in person.themes
            if not (section == "hopes" and t in person.settled)
        ]
        themed = [(key, pool) for key, pool in themed if pool]
        text = None
        if themed and rng.random() < 0.55:
            key, pool = rng.choice(themed)
            text = self.text(key, pool, person)
        pool = self.data.record["about"][section]
        text = text or self.text(f"about:{section}", pool, person)
        return (text, "person", "")

    def build_strengths(self, person, size):
        rng = self.rng
        count = {"rich": rng.randint(2, 5), "small": rng.randint(1, 3)}.get(size, 0)
        categories = rng.sample(list(Strength.CATEGORIES), min(count, 5))
        taken = set()
        for category in categories:
            text = None
            if rng.random() < 0.6:
                for theme in person.themes:
                    found = self.take(
                        f"strength:{theme}",
                        self.themes[theme]["strengths"],
                        lambda s, c=category: (
                            s["category"] == c and self.fits(person, s["text"], s.get("tags", ""))
                        ),
                        limit=3,
                    )
                    if found:
                        text = found[0]["text"].format_map(person.words)
                        break
            pool = self.data.record["strengths"][category]
            text = text or self.text(f"strength:{category}", pool, person)
            if not text or text in taken:
                continue
            taken.add(text)
            day = self.later(person, person.opened, 0)
            self.strengths.append(
                {
                    "person": person,
                    "category": category,
                    "text": text,
                    "created_at": self.moment(day, person),
                }
            )

    # -- goals and steps ---------------------------------------------------------

    def goal_fits(self, person, goal) -> bool:
        return self.fits(person, goal["words"], goal.get("needs", "")) and self.fits(
            person, goal["why"]
        )

    def build_goals(self, person, size, pinned, members):
        rng = self.rng
        if size not in ("rich", "small") or person.span < 3:
            return []
        count = rng.choice([1, 2, 2, 2, 3]) if size == "rich" else rng.choice([0, 1, 1])
        chosen = list(pinned.get("goals", []))
        pools = []
        plan_goals = self.data.goals
        if person.plan in plan_goals and rng.random() < 0.7:
            pools.append((f"plan:{person.plan}", plan_goals[person.plan]))
        themes = list(person.themes)
        rng.shuffle(themes)
        pools += [(f"goal:{t}", self.themes[t]["goals"]) for t in themes]
        pools.append(("goal:any", plan_goals["any"]))
        theme_of = {id(g): g.get("theme") for g in chosen}
        for key, pool in pools:
            if len(chosen) >= count:
                break
            taken = list(chosen)
            found = self.take(
                key,
                pool,
                lambda g, t=taken: g not in t and self.goal_fits(person, g),
                limit=GOAL_REPEATS,
            )
            chosen += found
            theme_of.update((id(g), key.removeprefix("goal:")) for g in found)
        positions = []
        settled = 0  # achieved or let go: at most one, and never the only goal
        for goal in chosen[: max(count, len(pinned.get("goals", [])))]:
            positions.append(
                self.goal(person, goal, size, members, len(chosen) > 1 and not settled)
            )
            if self.goals[positions[-1]]["status"] == "active":
                person.tags.add(f"goal:{theme_of.get(id(goal))}")
            else:
                settled += 1
                # Its hopes have come true or been let go: "about me" moves on.
                person.settled.add(theme_of.get(id(goal)))
        return positions

    def goal(self, person, goal, size, members, may_settle):
        rng, words = self.rng, person.words
        created = self.day(person, rng.randint(1, max(1, min(21, person.span // 3))))
        status, story, ended = "active", "", None
        if may_settle and size == "rich" and person.span >= 45 and "connect" not in goal:
            for outcome, chance in (("achieved", 0.3), ("let_go", 0.5)):
                if outcome in goal and self.fits(person, goal[outcome]) and rng.random() < chance:
                    status, story = outcome, goal[outcome].format_map(words)
                    ended = self.later(person, created, 21)
                    break
        if status != "active":
            review_on = ended
        elif "connect" in goal:
            review_on = self.today + dt.timedelta(days=rng.randint(5, 20))
        else:
            roll = rng.random()
            if roll < 0.25:
                review_on = max(
                    created + dt.timedelta(days=14),
                    self.today - dt.timedelta(days=rng.randint(1, 20)),
                )
            elif roll < 0.55:
                review_on = self.today + dt.timedelta(days=rng.randint(0, 14))
            else:
                review_on = self.today + dt.timedelta(days=rng.randint(21, 75))
        help_wanted = ""
        helps = [h for h in goal.get("help", []) if self.fits(person, h)]
        if helps and status == "active" and ("connect" in goal or rng.random() < 0.55):
            help_wanted = helps[0] if "connect" in goal else rng.choice(helps)
        position = len(self.goals)
        self.goals.append(
            {
                "person": person,
                "words": goal["words"].format_map(words),
                "why": goal["why"].format_map(words),
                "status": status,
                "story": story,
                "review_on": review_on,
                "help_wanted": help_wanted.format_map(words),
                "created_at": self.moment(created, person),
                "ended_on": ended,
                "keys": goal.get("keys", ()),
            }
        )
        if "connect" in goal:
            self.goal_keys[goal["connect"]] = (position, rng.choice(person.known_best))
        self.build_steps(person, goal, position, created, status, ended, size, members)
        return position

    def helper_row(self, person, roles, by_day):
        """A current, friendly tie in one of `roles` (in order of preference)."""
        for role in roles.split():
            if role == "connection":
                rows = [r for r in person.network if r["role"] == "connection"]
            else:
                rows = [
                    r
                    for r in person.network
                    if r["until"] is None
                    and r["tie"] != "stressful"
                    and r["since"] <= by_day
                    and r["role"] == role
                ]
            if rows:
                return self.rng.choice(rows)
        return None

    def build_steps(self, person, goal, position, created, status, ended, size, members):
        rng = self.rng
        steps = goal["steps"]
        count = len(steps) if "connect" in goal else rng.randint(1, min(4, len(steps)))
        if size != "rich":
            count = min(count, 2)
        active = {m for m, _since, until in members if until is None}
        due = created
        for step in steps[:count]:
            text, kind = step["text"], step["helper"]
            step_created = created
            helper_kind, network_row, member = kind, None, None
            helper = ""
            if kind == "network":
                network_row = self.helper_row(person, step["roles"], ended or self.today)
                if network_row is None:
                    if "{helper}" in text:
                        continue
                    helper_kind = "member"
                else:
                    helper = _first_name(network_row["name"])
                    step_created = max(created, network_row["since"])
            if helper_kind == "member":
                there = [
                    m
                    for m in self.present(members, self.moment(step_created, person))
                    if m in active
                ]
                usual = [m for m in person.known_best if m in there]
                member = rng.choice(usual or there)
            if not self.fits(person, text.replace("{helper}", "")):
                continue
            due = max(due, step_created) + dt.timedelta(days=rng.randint(5, 14))
            done_on = None
            finished_by = ended or (self.today - dt.timedelta(days=1))
            if status == "achieved" or (
                due <= finished_by and rng.random() < (0.5 if status == "let_go" else 0.8)
            ):
                done_on = min(due + dt.timedelta(days=rng.randint(-3, 2)), finished_by)
                done_on = max(done_on, step_created)
            self.steps.append(
                {
                    "goal": position,
                    "text": text.format_map({**person.words, "helper": helper}),
                    "helper_kind": helper_kind,
                    "network": network_row,
                    "member": member,
                    "due_on": due,
                    "done_on": done_on,
                    "created_at": self.moment(step_created, person),
                }
            )

    # -- offers, consent, contacts -------------------------------------------------

    def build_offers(self, person, size, pinned):
        rng = self.rng
        offers = list(pinned.get("offers", []))
        chance = {"rich": 0.55, "small": 0.4}.get(size, 0)
        if not offers and rng.random() < chance:
            count = 2 if rng.random() < 0.2 else 1

            def fits(offer):
                return self.fits(person, offer["text"]) and self.fits(person, offer["when"])

            if rng.random() < 0.7:
                for theme in rng.sample(person.themes, len(person.themes)):
                    # Not what they are working to get back themselves.
                    if len(offers) < count and f"goal:{theme}" not in person.tags:
                        offers += self.take(
                            f"offer:{theme}", self.themes[theme]["offers"], fits, limit=3
                        )
            if len(offers) < count:
                generic = self.data.record["offers"]
                offers += self.take("offer:any", generic, fits, count - len(offers), limit=3)
        for offer in offers:
            day = self.later(person, person.opened, 2)
            key = offer.get("connect")
            if key:
                self.offer_keys[key] = len(self.offers)
                agreed = next(c["days_ago"] for c in self.connections if c["key"] == key)
                day = min(day, self.today - dt.timedelta(days=agreed + 14))
                person.offered_by = day
            self.offers.append(
                {
                    "person": person,
                    "text": offer["text"].format_map(person.words),
                    "when": offer["when"].format_map(person.words),
                    "created_at": self.moment(day, person),
                }
            )
        return offers

    def build_consent(self, person, size, offers):
        rng, words = self.rng, person.words
        consent = self.data.record["consent"]
        chance = {"rich": 0.9, "small": 0.7, "tiny": 0.15}.get(size, 0)
        if rng.random() >= chance and not offers:
            return
        given = self.day(person, rng.randint(0, min(14, max(0, person.span - 2))))
        consents = [(consent["profile"], given, None)]
        if size == "rich" and rng.random() < 0.25:
            extra = [
                c
                for c in consent["extra"]
                if self.fits(person, c["what"])
                and self.fits(person, c["with_whom"])
                and not (person.young and "{their_child}" in c["with_whom"])
            ]
            if extra:
                consents.append((rng.choice(extra), self.later(person, given, 3), None))
        if offers and rng.random() < 0.8 or person.offered_by:
            day = person.offered_by or self.later(person, given, 1)
            consents.append((consent["offer"], max(day, given), None))
        if size == "rich" and person.span >= 40 and rng.random() < 0.05:
            withdrawn = self.later(person, given, 20)
            consents.append((consent["withdrawn"], given, withdrawn))
        for agreed, day, withdrawn in consents:
            self.consents.append(
                {
                    "person": person,
                    "what": agreed["what"].format_map(words),
                    "with_whom": agreed["with_whom"].format_map(words),
                    "given_on": day,
                    "withdrawn_on": withdrawn,
                    "created_at": self.moment(day, person),
                }
            )
        # Names go on the printed profile only with the person's agreement.
        for row in person.network:
            if row["relation"] in ("family", "friend", "neighbour"):
                row["on_profile"] = rng.random() < 0.85
            elif row["relation"] == "community":
                row["on_profile"] = rng.random() < 0.3

    def link_contacts(self, person, goals, contacts):
        """Contacts whose notes are about a goal count towards it (a few per goal)."""
        linked = [None] * len(contacts)
        for position in goals:
            goal = self.goals[position]
            keys = [k.lower() for k in goal["keys"]]
            count = 0
            for i, contact in enumerate(contacts):
                if count == 3:
                    break
                if linked[i] is not None or contact["happened_at"] < goal["created_at"]:
                    continue
                note = contact["text"].lower()
                if any(k in note for k in keys):
                    linked[i] = position
                    count += 1
        return linked

    # -- writing -----------------------------------------------------------------

    def add_resources(self, team, by, resources, created_at):
        """The team's directory; who in the network stands for each place comes with it."""
        for place in resources:
            resource = LocalResource.add(
                team,
                by,
                name=place["name"],
                kind=place["kind"],
                address=place["address"],
                phone=place["phone"],
                opening_hours=place["opening_hours"],
                notes=place["notes"],
                created_at=created_at,
            )
            self.resources[place["role"], place["part"]] = (resource.id, place)

    def _unwritten(self, name):
        rows = getattr(self, name)
        start = self.written[name]
        self.written[name] = len(rows)
        return rows[start:]

    def write(self, person):
        """Write what was built for `person` since the last call. Whoever knows them
        best is the one who wrote down what has no author of its own."""
        client, by = person.client, person.known_best[0]
        for row in self._unwritten("network"):
            row["row"] = NetworkMember.add(
                client,
                by,
                name=row["name"],
                relation=row["relation"],
                does_now=row["does_now"],
                could_do=row["could_do"],
                reach=row["reach"],
                tie=row["tie"],
                frequency=row["frequency"],
                resource=row["resource"],
                on_profile=row["on_profile"],
                since=row["since"],
                until=row["until"],
                created_at=row["created_at"],
            )
        for goal in self._unwritten("goals"):
            goal["row"] = Goal.add(
                client,
                by,
                words=goal["words"],
                why=goal["why"],
                status=goal["status"],
                story=goal["story"],
                review_on=goal["review_on"],
                help_wanted=goal["help_wanted"],
                ended_on=goal["ended_on"],
                created_at=goal["created_at"],
            )
        for step in self._unwritten("steps"):
            Step.add(
                self.goals[step["goal"]]["row"],
                by,
                text=step["text"],
                helper_kind=step["helper_kind"],
                network_member=step["network"]["row"] if step["network"] else None,
                member=step["member"],
                due_on=step["due_on"],
                done_on=step["done_on"],
                created_at=step["created_at"],
            )
        for about in self._unwritten("about"):
            entry = AboutMe.write(
                client,
                about["section"],
                about["by"],
                about["version"] - 1,
                about["text"],
                about["said_by"],
                about["said_by_name"],
                recorded_at=about["at"],
            )
            assert entry is not None, "a demo about-me version was written twice"
        for strength in self._unwritten("strengths"):
            Strength.add(
                client,
                by,
                category=strength["category"],
                text=strength["text"],
                created_at=strength["created_at"],
            )
        for offer in self._unwritten("offers"):
            offer["row"] = Offer.add(
                client, by, text=offer["text"], when=offer["when"], created_at=offer["created_at"]
            )
        for consent in self._unwritten("consents"):
            Consent.add(
                client,
                by,
                what=consent["what"],
                with_whom=consent["with_whom"],
                given_on=consent["given_on"],
                withdrawn_on=consent["withdrawn_on"],
                created_at=consent["created_at"],
            )

    def connect(self):
        """The matches made in this team: an offer that met a goal, both agreed.

        Written as rows: the app's `connect` (a view helper, not a model verb) always
        agrees "today" and takes no date, and these were agreed weeks ago."""
        for connection in self.connections:
            key = connection["key"]
            if key in self.offer_keys and key in self.goal_keys:
                goal_position, member = self.goal_keys[key]
                agreed = self.today - dt.timedelta(days=connection["days_ago"])
                Connection.create(
                    offer=self.offers[self.offer_keys[key]]["row"],
                    goal=self.goals[goal_position]["row"],
                    agreed_on=agreed,
                    note=connection["note"],
                    recorded_by=member,
                    created_at=self.moment(agreed),
                )
