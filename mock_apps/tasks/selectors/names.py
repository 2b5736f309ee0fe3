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


# The hand-built company's first names that Faker's en_US lists lack (generated people are all drawn from them).
_PRONOUNS = {"Jamal": "his", "Owen": "his", "Raj": "his", "Lena": "her", "Nora": "her", "Priya": "her", "Sophie": "her"}


def pronoun(first_name: str) -> str:
    """"his" or "her" for a first name (as Faker's en_US name lists or the table above have it), else "their"."""
    from faker.providers.person.en_US import Provider

    male, female = first_name in Provider.first_names_male, first_name in Provider.first_names_female
    return _PRONOUNS.get(first_name) or ("his" if male and not female else "her" if female and not male else "their")
