"""How prose in a task names things: a company's short name or nickname, a list of invoice numbers, a count, a
person's possessive pronoun."""

from __future__ import annotations

# words that end many company names and say nothing about which company it is
_GENERIC = {"Clinic", "Family", "Group", "Inc.", "Inc", "LLC", "LLP", "Co.", "Company", "Corp.", "Corporation",
            "Ltd.", "PC", "P.C.", "PLLC", "Associates", "Partners", "Services"}


def short_name(name: str) -> str:
    """A company's name without its generic trailing words ("Pinecrest Family Clinic" -> "Pinecrest")."""
    words = name.split()
    while len(words) > 1 and words[-1] in _GENERIC:
        words.pop()
    return " ".join(words)


def nickname(name: str, others: list[str]) -> str:
    """What colleagues call a company: its short name less the word saying what it does ("Brightline Logistics" ->
    "Brightline"), unless that begins another company's name too ("Summit Packaging", beside Summit Packaging
    Supply)."""
    short = short_name(name).split()
    words = short[:-1]
    while words and words[-1] == "&":  # "Chapman AV & IT" -> "Chapman AV"
        words.pop()
    if not words or any(o != name and o.split()[:len(words)] == words for o in others):
        return " ".join(short)
    return " ".join(words)


_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


def count_word(n: int) -> str:
    """"five" for 5 (up to twelve), else the digits."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def listing(items: list[str], last: str = "and") -> str:
    """"A", "A and B", "A, B and C" (or "A, B or C")."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def possessive(name: str) -> str:
    """"Brightline Logistics'" or "Summit's"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def pronouns(worker) -> dict[str, str]:
    """A worker's pronouns as `${they}`, `${them}` and `${their}`: he/him/his, she/her/her or they/them/their
    (also for None: someone People has no record of)."""
    # a generated worker's records say nothing of it, and singular "they" is right for anyone
    they, them, their = {"he": ("he", "him", "his"), "she": ("she", "her", "her")}.get(
        getattr(worker, "pronoun", ""), ("they", "them", "their"))
    return {"they": they, "them": them, "their": their}
