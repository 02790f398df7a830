"""How text is shown to someone outside the team."""

import re

PARTICLES = {"van", "de", "der", "den", "het", "ter", "ten", "te", "op", "el", "al", "la", "du"}
# Capitalised words in names that are no name: "Mrs", "The" in "The Boomgaard"…
NOT_NAMES = {"The", "And", "Mrs", "Mr", "Dr", "Mevrouw", "Meneer", "Buurvrouw", "Buurman"}
# Relations whose entries are people, whose first or last name alone says who they are.
PEOPLE_RELATIONS = {"family", "friend", "neighbour", "colleague"}


def _name_words(*names: str) -> set[str]:
    """The words of people's names that identify them alone: capitalised (so the
    match, which minds case, leaves ordinary words alone), not a particle."""
    words = set()
    for name in names:
        for word in re.findall(r"[^\W\d_][\w’'-]*", name or ""):
            named = word[0].isupper() and word not in NOT_NAMES
            if named and len(word) > 2 and word.casefold() not in PARTICLES:
                words.add(word)
    return words


def _initials(name: str) -> str:
    return "".join(f"{w[0].upper()}." for w in name.split() if w[:1].isalpha()) or "?"


PHONE = re.compile(r"(?<!\w)\+?\d[\d\s-]{6,}\d(?!\w)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class Pseudonymiser:
    """Takes names, phone numbers and email addresses out of the text of the
    pseudonymised pack: a person of the agenda becomes their initials and number
    (`Client.pseudonym`), someone in a network their relation, a referred person
    their initials. Whole names first, then their single words. The team's own
    members (`keep`) stay named: "Ingrid Smit has it" keeps Ingrid Smit even when a
    person on the agenda is called Smit."""

    def __init__(self, people, networks: dict[int, list], referrals=(), keep=()):
        self.keep = sorted({name for name in keep if name}, key=len, reverse=True)
        self.replacements: dict[str, str] = {}
        for person in people:
            self._add(person.pseudonym, person.name, person.preferred_name)
        for members in networks.values():
            for member in members:
                # An organisation (the GP practice, a choir) by its whole name only:
                # the words of "Wijkcentrum De Zomer" are ordinary words too.
                self._add(
                    f"[{member.relation_label.lower()}]",
                    member.name,
                    words=member.relation in PEOPLE_RELATIONS,
                )
        for referral in referrals:
            self._add(_initials(referral.person_name), referral.person_name)
        words = sorted(self.replacements, key=len, reverse=True)
        self.pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")
            if words
            else None
        )

    def _add(self, replacement: str, *names: str, words: bool = True):
        for name in names:
            if name and name.strip():
                self.replacements.setdefault(name.strip(), replacement)
        for word in _name_words(*names) if words else ():
            self.replacements.setdefault(word, replacement)

    def __call__(self, text: str) -> str:
        text = EMAIL.sub("[email]", PHONE.sub("[phone]", text or ""))
        if self.pattern is None:
            return text
        # Members' names are set aside (as \0n\0) while the rest is replaced.
        for n, name in enumerate(self.keep):
            text = text.replace(name, f"\0{n}\0")
        text = self.pattern.sub(lambda m: self.replacements[m.group(0)], text)
        return re.sub(r"\0(\d+)\0", lambda m: self.keep[int(m.group(1))], text)
