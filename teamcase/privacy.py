"""How text is shown to someone outside the team (../shared/DESIGN.md, rule 10).

One rule for all text that leaves the team: the coach's pages and the pseudonymised
meeting pack. `Masker.for_team(team)` learns, in one query, the names of the team's
people (and what the team calls them), of the people around them, of the people
referred to it, and their streets, postcodes and phone numbers; calling it on a
text masks them:

- a person in care becomes their pseudonym (`Client.pseudonym`: "M.B. #12"),
  someone in their network their relation ("[family]"), a referred person their
  initials, a name shared by two of them "[name]";
- a street (with its house number) or a postcode becomes "[address]", a phone
  number "[phone]", an e-mail address "[email]" — also those of people the team
  never recorded, by their shape (Dutch and international numbers, Dutch streets);
- the team's own members stay named: they are the team the reader looks at.

What counts as a name, and the trade-offs chosen:

- A whole name ("Mies Bakker", "joke van der berg") is masked however it is written.
- A single word of a name (a first name, a surname, a nickname, "Van der Berg") is
  masked where it is written with a capital ("Mies", "MIES", "Mies's"), never in
  lower case: Dutch surnames and first names are ordinary words too ("bakker",
  "de boer", "van der meer", "ik ben", "ik wil"), and masking those would wreck the
  text. So "Roos" at the start of a sentence about roses is masked, and a first name
  typed in lower case ("belde mies") is not.
- Words of one or two letters ("Bo", "An") are masked only as part of a longer name;
  particles ("van", "de") and titles ("Mevrouw", "Dr") never alone.
- Accents and case do not matter in the comparison ("Zoe" is "Zoë").
- An organisation in someone's network (the GP practice, a choir) only by its
  whole name: its words are ordinary words.
- A team member who shares a word of her name with someone in care: that word
  alone becomes "[name]", as it could be either of them. One who shares it with
  someone in a network or a referred person keeps it: "Ingrid will call" names
  the colleague, though a neighbour called Ingrid is then named too.
"""

import dataclasses
import re
import unicodedata
from functools import cached_property, lru_cache
from itertools import pairwise

from flask import g, has_app_context

# Words inside names that are not a name by themselves.
PARTICLES = {
    "van", "de", "der", "den", "het", "ter", "ten", "te", "op", "in", "t", "'t",
    "el", "al", "la", "le", "du", "da", "dos", "di", "von", "zu", "bin", "ibn",
}  # fmt: skip
NOT_NAMES = {"the", "and", "mrs", "mr", "ms", "dr", "mevrouw", "meneer", "buurvrouw", "buurman"}
# Relations whose entries are people, whose first or last name alone says who they are.
PEOPLE_RELATIONS = {"family", "friend", "neighbour", "colleague"}

ADDRESS, PHONE, EMAIL, AMBIGUOUS = "[address]", "[phone]", "[email]", "[name]"

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# What may stand between the words of one name: "Jansen-de Vries", a line break.
JOINER = re.compile(r"[\s\-‐]+")
POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)

EMAIL_SHAPE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SEP = r"[ ().\-]"
PHONE_SHAPES = re.compile(
    # +31 6 1234 5678, 0031 20 665 1234, +31 (0)6 12345678
    rf"(?<![\w+])(?:\+|00)[1-9]\d{{0,2}}(?:{_SEP}{{0,3}}\d){{7,12}}(?!\w)"
    # 06-12345678, 020 665 1234, (020) 665 1234, 06 12 34 56 78; not a date and time
    rf"|(?<![\w+])(?!\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{2,4}})\(?0\d(?:{_SEP}{{0,3}}\d){{8}}(?!\w)"
)
# After a street: 12, 12A, 12-2, 12 hs, 12 III.
HOUSE_NUMBER = re.compile(
    r"[ ,]*\d{1,5}(?:-?[a-zA-Z](?!\w)|[ -](?:hs|bis|huis|I{1,3}|\d{1,3})(?!\w))?"
)
STREET_ENDINGS = (
    "straat", "weg", "laan", "plein", "gracht", "kade", "singel", "dijk", "dreef", "hof",
    "pad", "steeg", "plantsoen", "burgwal", "wal", "boulevard", "baan", "park", "markt",
)  # fmt: skip
# A street nobody recorded, by its shape: "Eerste van Swindenstraat 4".
STREET_SHAPE = re.compile(
    r"(?<!\w)(?:(?:eerste|tweede|derde|vierde|lange|korte|nieuwe|oude|[1-4]e)\s+)?"
    r"(?:(?:van|de|der|den|het|ter|ten|'t)\s+){0,3}"
    rf"[^\W\d_]{{3,}}(?:{'|'.join(STREET_ENDINGS)})" + HOUSE_NUMBER.pattern,
    re.IGNORECASE,
)
# Words with a street's ending that are no street: "we are onderweg 2 hours".
NOT_STREETS = {"onderweg", "halfweg", "zijweg"}

# Who wins when two entries share a key: a person in care over anyone else, a team
# member over someone in a network or a referred person, and those over a referral.
# Of the same rank, or a person in care and a member, neither: the word is ambiguous.
PERSON, MEMBER, NETWORK, REFERRAL = range(4)


@lru_cache(maxsize=4096)
def fold(word: str) -> str:
    """A word as names are compared: without accents, case or curly apostrophes."""
    if word.isascii():
        return word.casefold()
    word = unicodedata.normalize("NFKD", word.replace("’", "'"))
    return "".join(c for c in word if not unicodedata.combining(c)).casefold()


def _is_name_word(word: str) -> bool:
    folded = fold(word)
    return folded not in PARTICLES and folded not in NOT_NAMES


def initials(name: str) -> str:
    return "".join(f"{w[0].upper()}." for w in (name or "").split() if w[:1].isalpha()) or "?"


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


@dataclasses.dataclass
class _Entry:
    replacement: str | None  # None: shown as written (a team member)
    rank: int
    # Whether lower case counts too: whole names of two or more words.
    any_case: bool
    street: bool = False


class Masker:
    """Masks the names, streets, phone numbers and e-mail addresses of a team's people
    in free text; see the module's docstring for the rule. Build it once per team
    (`Masker.for_team`, or `masker_for` within a request) and call it on each text."""

    def __init__(self, people=(), network=(), referrals=(), members=()):
        self.entries: dict[tuple[str, ...], _Entry] = {}
        self.phones: set[str] = set()
        self.postcodes: set[str] = set()
        # For `in_care`: every phone number of the people in care and those referred
        # (as digits), and the names that are also a team member's.
        self.care_phones: set[str] = set()
        self.member_keys: set[tuple[str, ...]] = set()
        for person in people:
            names = [person.name, person.preferred_name]
            self._add_person(person.pseudonym, PERSON, *names)
            self._add_address(person.street, person.postcode)
            self._add_phones(person.phone, care=True)
        for member in network:
            relation = f"[{member.relation_text}]"
            if member.relation in PEOPLE_RELATIONS:
                self._add_person(relation, NETWORK, member.name)
            else:
                self._add(WORD.findall(member.name or ""), relation, NETWORK)
            self._add_phones(member.reach)
        for referral in referrals:
            referred = f"{initials(referral.person_name)} (referral)"
            self._add_person(referred, REFERRAL, referral.person_name)
            self._add_address(referral.street, referral.postcode)
            self._add_phones(referral.phone, care=True)
        for name in members:
            self._add_person(None, MEMBER, name)
        self.longest = max((len(key) for key in self.entries), default=0)
        known = sorted(self.phones, key=len, reverse=True)
        self.known_phones = (
            re.compile(r"(?<!\d)(?:" + "|".join(_phone_pattern(d) for d in known) + r")(?!\d)")
            if known
            else None
        )
        self.known_postcodes = (
            re.compile(
                r"(?<!\w)(?:"
                + "|".join(rf"{p[:4]}\s?{p[4:]}" for p in sorted(self.postcodes))
                + r")(?!\w)",
                re.IGNORECASE,
            )
            if self.postcodes
            else None
        )

    @classmethod
    def for_team(cls, team) -> "Masker":
        """Everything the rule needs to know about `team`, in one query."""
        # Imported here: the models import the database, which imports nothing of this.
        from peewee import Value

        from teamcase.models import Client, NetworkMember, Referral, User

        blank = Value("")
        people = Client.select(
            Value(PERSON),
            Client.id,
            Client.name,
            Client.preferred_name,
            Client.street,
            Client.postcode,
            Client.phone,
        ).where(Client.team == team)
        network = (
            NetworkMember.select(
                Value(NETWORK),
                NetworkMember.id,
                NetworkMember.name,
                NetworkMember.relation,
                blank,
                blank,
                NetworkMember.reach,
            )
            .join(Client)
            .where(Client.team == team)
        )
        # Transfers the team sent away too: their names stay in the team's old texts.
        referrals = Referral.select(
            Value(REFERRAL),
            Referral.id,
            Referral.person_name,
            blank,
            Referral.street,
            Referral.postcode,
            Referral.phone,
        ).where((Referral.team == team) | (Referral.from_team == team))
        members = User.select(Value(MEMBER), User.id, User.name, blank, blank, blank, blank).where(
            User.team == team
        )
        found = {PERSON: [], NETWORK: [], REFERRAL: [], MEMBER: []}
        for kind, pk, name, extra, street, postcode, phone in (
            people + network + referrals + members
        ).tuples():
            if kind == PERSON:
                found[kind].append(
                    Client(
                        id=pk,
                        name=name,
                        preferred_name=extra,
                        street=street,
                        postcode=postcode,
                        phone=phone,
                    )
                )
            elif kind == NETWORK:
                found[kind].append(NetworkMember(id=pk, name=name, relation=extra, reach=phone))
            elif kind == REFERRAL:
                found[kind].append(
                    Referral(id=pk, person_name=name, street=street, postcode=postcode, phone=phone)
                )
            else:
                found[kind].append(name)
        return cls(found[PERSON], found[NETWORK], found[REFERRAL], found[MEMBER])

    # Learning the names

    def _add(self, words, replacement, rank, street=False):
        key = tuple(map(fold, words))
        named = sum(1 for k in key if k not in PARTICLES and k not in NOT_NAMES)
        if not named or (len(key) == 1 and len(key[0]) < 3):
            return
        if rank == MEMBER:
            self.member_keys.add(key)
        any_case = named >= 2 or (street and key[-1].endswith(STREET_ENDINGS))
        entry = self.entries.get(key)
        if entry is None:
            self.entries[key] = _Entry(replacement, rank, any_case, street)
        elif entry.replacement == replacement:
            return
        elif rank == entry.rank or {rank, entry.rank} == {PERSON, MEMBER}:
            entry.replacement, entry.rank = AMBIGUOUS, min(rank, entry.rank)
            entry.any_case = entry.any_case and any_case
        elif rank < entry.rank:
            self.entries[key] = _Entry(replacement, rank, any_case, street)

    def _add_person(self, replacement, rank, name, preferred=""):
        """The whole name, the nickname, first name or nickname with the surname,
        the surname with its particles, and each word of them alone that is written
        with a capital ("Henny next door": Henny, not next or door) unless the name
        was typed all in lower case."""
        words = WORD.findall(name or "")
        nick = WORD.findall(preferred or "")
        if not words:
            return
        # The surname: from the first particle after the first name, else the last word.
        start = next((i for i, w in enumerate(words) if i and fold(w) in PARTICLES), len(words) - 1)
        surname = words[start:] if len(words) > 1 else []
        for phrase in (words, nick, words[:1] + surname, nick + surname if nick else [], surname):
            self._add(phrase, replacement, rank)
        careless = not any(c.isupper() for c in f"{name}{preferred}")
        for word in words + nick:
            if careless or word[0].isupper():
                self._add([word], replacement, rank)

    def _add_address(self, street, postcode):
        # "Dapperstraat 12-2" is the street "Dapperstraat"; its numbers follow it in text.
        name = re.split(r"[\s,]*\d", street or "", maxsplit=1)[0]
        self._add(WORD.findall(name), ADDRESS, PERSON, street=True)
        compact = re.sub(r"\s", "", postcode or "").upper()
        if re.fullmatch(r"\d{4}[A-Z]{2}", compact):
            self.postcodes.add(compact)

    def _add_phones(self, text, care=False):
        for number in NUMBER.findall(text or ""):
            digits = _phone_digits(number)
            if care:
                self.care_phones.add(digits)
            # Ordinary Dutch numbers have the shape PHONE_SHAPES knows; the others
            # (short, foreign, mistyped) are looked for as written down.
            if len(digits) >= 6 and not (len(digits) == 10 and digits.startswith("0")):
                self.phones.add(digits)

    # Finding

    def in_care(self, text) -> list[str]:
        """What in `text` names someone in the team's care or referred to it: their
        name (as masking finds it), street, postcode or phone number, each once, in
        the order written. A name that is also a team member's is not counted: the
        text may be about the colleague. Nobody else's number or street is, however
        it is shaped: the back office may well need the number of a supplier."""
        text = text or ""
        found = [
            m.group() for m in NUMBER.finditer(text) if _phone_digits(m.group()) in self.care_phones
        ]
        if self.known_postcodes is not None:
            found += [m.group() for m in self.known_postcodes.finditer(text)]
        tokens = list(WORD.finditer(text))
        folded = [fold(t.group()) for t in tokens]
        i = 0
        while i < len(tokens):
            hit = self._longest(text, tokens, folded, i) if self.entries else None
            if hit is None:
                i += 1
                continue
            count, entry, suffix = hit
            key = tuple(folded[i : i + count])
            if (
                entry.rank in (PERSON, REFERRAL)
                and entry.replacement
                and key not in self.member_keys
            ):
                found.append(text[tokens[i].start() : tokens[i + count - 1].end() - len(suffix)])
            i += count
        return list(dict.fromkeys(found))

    # Masking

    def __call__(self, text) -> str:
        # str(): the app's own sentences (teamcase/generated.py) in the reader's language.
        text = EMAIL_SHAPE.sub(EMAIL, str(text) if text else "")
        text = PHONE_SHAPES.sub(PHONE, text)
        if self.known_phones is not None:
            text = self.known_phones.sub(PHONE, text)
        if self.known_postcodes is not None:
            text = self.known_postcodes.sub(ADDRESS, text)
        text = STREET_SHAPE.sub(_street, text)
        return self._names(text)

    def _names(self, text: str) -> str:
        if not self.entries:
            return text
        tokens = list(WORD.finditer(text))
        folded = [fold(t.group()) for t in tokens]
        parts, done, last, i = [], 0, None, 0
        while i < len(tokens):
            found = self._longest(text, tokens, folded, i)
            if found is None:
                i += 1
                continue
            count, entry, suffix = found
            start, end = tokens[i].start(), tokens[i + count - 1].end() - len(suffix)
            if entry.street:
                number = HOUSE_NUMBER.match(text, end)
                end = number.end() if number else end
            shown = text[start:end] if entry.replacement is None else entry.replacement
            between = text[done:start]
            joined = not between or JOINER.fullmatch(between)
            if shown == last and entry.replacement is not None and joined:
                # "Maria Johanna Bakker" once, not a pseudonym for each word.
                between = shown = ""
            else:
                last = shown
            parts += [between, shown]
            done = end
            i += count
        parts.append(text[done:])
        return "".join(parts)

    def _longest(self, text, tokens, folded, i):
        """The longest name starting at token `i`: (words, entry, possessive suffix)."""
        for count in range(min(self.longest, len(tokens) - i), 0, -1):
            words = tokens[i : i + count]
            joined = all(JOINER.fullmatch(text, a.end(), b.start()) for a, b in pairwise(words))
            if not joined:
                continue
            key = tuple(folded[i : i + count])
            suffix = ""
            entry = self.entries.get(key)
            if entry is None and (possessive := POSSESSIVE.search(words[-1].group())):
                suffix = possessive.group()
                entry = self.entries.get(key[:-1] + (key[-1][: -len(suffix)],))
            if entry is not None and (entry.any_case or _capitalised(words)):
                return count, entry, suffix
        return None


def _capitalised(words) -> bool:
    return all(w.group()[0].isupper() for w in words if _is_name_word(w.group()))


def _street(match) -> str:
    word = fold(WORD.findall(match.group())[-1])
    return match.group() if word in NOT_STREETS else ADDRESS


# Something that may be a phone number, however it is written.
NUMBER = re.compile(r"\+?\d[\d ().\-]{4,}\d")


def _phone_digits(number: str) -> str:
    """A phone number's digits as a Dutch one is dialled at home: +31 6… is 06…"""
    digits = _digits(number)
    if number.startswith("+31") or digits.startswith("0031"):
        digits = "0" + digits[2 if number.startswith("+") else 4 :]
    return digits


def _phone_pattern(digits: str) -> str:
    """A known number however it is written: 0612345678 as 06-12 34 56 78, +31 6…"""
    spaced = f"{_SEP}{{0,2}}".join(digits[1:])
    if digits.startswith("0"):
        return rf"(?:\(?0|(?:\+|00)31{_SEP}{{0,3}}(?:\(0\){_SEP}?)?){_SEP}{{0,2}}{spaced}"
    return digits[0] + f"{_SEP}{{0,2}}" + spaced


def names_in_care(team, text) -> list[str]:
    """What in `text` names someone in `team`'s care (their name, street, postcode
    or phone number), for text the team sends where client data must never go
    (the back office): empty when it names nobody. The masker's knowledge, so the
    two never disagree about who is someone in care."""
    return masker_for(team).in_care(text)


def masker_for(team) -> Masker:
    """The team's masker, built once per request however many texts a page shows."""
    if not has_app_context():
        return Masker.for_team(team)
    cache = g.setdefault("maskers", {})
    team_id = getattr(team, "id", team)
    if team_id not in cache:
        cache[team_id] = Masker.for_team(team)
    return cache[team_id]


@dataclasses.dataclass(frozen=True)
class Viewer:
    """Who reads a team's pages, as the access module hands it to a view
    (`access.team_viewer`): whether they may change things, and whether they see
    people's names. Templates ask it how to show a person or a text.

    `names_members` says whether the page shows which member does which piece of
    work (whose visits, who holds a task, who proposed or objected). A coach
    supports the team and does not supervise its members, so she reads the
    team's totals and sees its work as the team's."""

    team: object
    user: object
    can_change: bool
    sees_names: bool
    names_members: bool = True

    @classmethod
    def outside(cls, team) -> "Viewer":
        """The team's text as anyone outside the team reads it (the pseudonymised
        pack): no people's names, and no member named next to a piece of work."""
        return cls(team, None, can_change=False, sees_names=False, names_members=False)

    @property
    def looks_on(self) -> bool:
        """Reads the team's pages without being part of it (a linked coach)."""
        return not self.can_change

    def person(self, client) -> str:
        return client.display_name if self.sees_names else client.pseudonym

    def text(self, text) -> str:
        if self.sees_names:
            return text or ""
        return self.masker(text)

    @cached_property
    def masker(self) -> Masker:
        return masker_for(self.team)
