"""How prose in a task names things: a company's short name, a list of invoice numbers."""

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


def listing(items: list[str]) -> str:
    """"A", "A and B", "A, B and C"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def possessive(name: str) -> str:
    """"Brightline Logistics'" or "Summit's"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def pronouns(worker) -> dict[str, str]:
    """A worker's object and possessive pronouns as `${them}` and `${their}`: him/his, her/her or them/their."""
    # a generated worker's records say nothing of it, and singular "they" is right for anyone
    them, their = {"he": ("him", "his"), "she": ("her", "her")}.get(worker.pronoun, ("them", "their"))
    return {"them": them, "their": their}
