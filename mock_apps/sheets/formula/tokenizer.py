"""Formula tokenizer: turns `=SUM('Jan 2026'!B4:B9)*2` into tokens that keep their source spans."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import FormulaSyntaxError

_SHEET = r"(?:'(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_.]*)!"
_CELL = r"\$?[A-Za-z]{1,3}\$?\d+"
_BODY = (
    rf"(?:{_CELL}(?::{_CELL})?|\$?[A-Za-z]{{1,3}}:\$?[A-Za-z]{{1,3}}|\$?\d+:\$?\d+)"
)
_MASTER = re.compile(
    r"(?P<ws>\s+)"
    r'|(?P<str>"(?:[^"]|"")*")'
    r"|(?P<err>#NULL!|#DIV/0!|#VALUE!|#REF!|#NAME\?|#NUM!|#N/A|#ERROR!)"
    rf"|(?P<sref>{_SHEET}(?:{_BODY}|#REF!)(?![A-Za-z0-9_(.]))"
    r"|(?P<func>[A-Za-z_][A-Za-z0-9_.]*(?=\s*\())"
    rf"|(?P<ref>{_BODY}(?![A-Za-z0-9_(.!]))"
    r"|(?P<num>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_\\][A-Za-z0-9_.]*)"
    r"|(?P<op><>|<=|>=|[-+*/^&=<>%(),;{}:])",
)


@dataclass(frozen=True, slots=True)
class Token:
    """One token: kind (num, str, bool, err, ref, func, name, op, eof), its text and where it starts."""

    kind: str
    text: str
    pos: int


def tokenize(formula: str) -> list[Token]:
    """Tokens of a formula body (without the leading `=`); raises FormulaSyntaxError on stray characters."""
    out: list[Token] = []
    pos, n = 0, len(formula)
    while pos < n:
        m = _MASTER.match(formula, pos)
        if not m:
            ch = formula[pos]
            if ch == '"':
                raise FormulaSyntaxError("Text is missing its closing quote (\").", pos)
            raise FormulaSyntaxError(f"Unexpected character '{ch}' at position {pos + 1}.", pos)
        kind = m.lastgroup or ""
        text = m.group()
        if kind == "sref":
            kind = "ref"
        elif kind == "name" and text.upper() in ("TRUE", "FALSE"):
            kind = "bool"
        if kind != "ws":
            out.append(Token(kind, text, pos))
        pos = m.end()
    out.append(Token("eof", "", n))
    return out
