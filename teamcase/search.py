"""Finding a person by what a colleague types: the one rule for the caseload and
wherever else people are looked up.

Every word typed must be the start of a word of the person's name, preferred name
or street: "jo van" finds "Johanna van Dijk", "kerk" finds "Kerkstraat 3". Accents
and case do not count ("ozdemir" finds "Özdemir"), and neither do the spaces and
dashes in a phone number ("0612345678" finds "06-12 34 56 78"). What is typed is
only ever text: `%` and `_` find those characters, not anything.

SQLite and PostgreSQL fold accents differently (SQLite not at all), so the folding
happens here, in Python, once per save: each person's row keeps `search_text`, the
words it can be found by, folded (`Client.save`, `Client.save_where`; migration
0007 filled it for the rows from before). A search then is a plain LIKE on that
column, which both databases answer alike.
"""

import re
import unicodedata

from peewee import SQL, NodeList

# Letters NFKD leaves alone that a Dutch keyboard writes without their stroke or dot.
PLAIN_LETTERS = str.maketrans(
    {"ı": "i", "ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "’": "'", "‘": "'"}
)
# Where a word can start inside a written word: at a run of letters or digits, or at
# a sign ("Jansen-de Vries" can be found by "de", "'t Hart" by "hart" and "'t").
WORD_START = re.compile(r"[^\W_]+|\S")
# What people put between the digits of a phone number.
PHONE_SEPARATORS = re.compile(r"[\s\-./()]+")
PHONE_LIKE = re.compile(r"\+?[\d\s\-./()]+")
# Fewer digits than this are a house number, not a phone number.
PHONE_MIN_DIGITS = 6
# LIKE's escape character: the same on both databases (a backslash is not).
ESCAPE = "!"


def fold(text: str) -> str:
    """Text as a search compares it: without accents or case."""
    text = unicodedata.normalize("NFKD", (text or "").casefold().translate(PLAIN_LETTERS))
    return "".join(c for c in text if not unicodedata.combining(c)).translate(PLAIN_LETTERS)


def _word_starts(text: str) -> list[str]:
    """Each written word, and what follows every place a word starts inside it."""
    found = []
    for word in fold(text).split():
        found.extend(word[match.start() :] for match in WORD_START.finditer(word))
    return found


def phone_forms(text: str) -> list[str]:
    """A phone number as digits only, and with +31 (or 0031) written as 0, as it is
    typed here: "+31 6 1234 5678" is found by "0612345678" too."""
    if not PHONE_LIKE.fullmatch(text.strip()):
        return []
    digits = "".join(c for c in text if c.isdigit())
    if len(digits) < PHONE_MIN_DIGITS:
        return []
    forms = [digits]
    if text.strip().startswith("+31"):
        forms.append("0" + digits[2:])
    elif digits.startswith("0031"):
        forms.append("0" + digits[4:])
    return forms


def words_of(*, name="", preferred_name="", street="", phone="") -> str:
    """The words a person can be found by, folded, each after a space."""
    name, preferred_name, street, phone = (t or "" for t in (name, preferred_name, street, phone))
    words = _word_starts(f"{name} {preferred_name} {street} {phone}")
    words += phone_forms(phone)
    unique = dict.fromkeys(w for w in words if w)
    return "".join(f" {w}" for w in unique)


def _like(text: str) -> str:
    for sign in (ESCAPE, "%", "_"):
        text = text.replace(sign, ESCAPE + sign)
    return text


def _starts_a_word(column, word: str):
    # The stored words each follow a space: " jo" is the start of one of them.
    pattern = f"% {_like(word)}%"
    return NodeList((column, SQL("LIKE"), pattern, SQL(f"ESCAPE '{ESCAPE}'")), parens=True)


def matches(column, typed: str):
    """The condition "`column` (a search_text) matches what was typed"; None when
    nothing was typed."""
    words = fold(typed).split()
    if not words:
        return None
    condition = None
    for word in words:
        either = _starts_a_word(column, word)
        for form in phone_forms(word):
            either = either | _starts_a_word(column, form)
        condition = either if condition is None else condition & either
    if len(words) > 1:
        # "06 12 34 56 78": one phone number typed with spaces.
        for form in phone_forms(typed):
            condition = condition | _starts_a_word(column, form)
    return condition
