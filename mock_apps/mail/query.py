"""Gmail search queries: a tokenizer and a recursive-descent parser into a small AST.

Grammar (Gmail's, as far as the app supports it)::

    query   := or_expr*                      (implicit AND between terms)
    or_expr := unary (("OR" | "|") unary)*
    unary   := "-" unary | "(" query ")" | "{" unary* "}" | term
    term    := operator ":" value | "quoted phrase" | word

Operators are validated here (an unknown `is:` value, a bad date or size gives a QueryError that
names the problem); words with a colon that are not operators (`re:`) are free text, as in Gmail.
The AST is compiled to SQL by `mock_apps.mail.search`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from mock_apps.core.errors import BadRequest

TEXT_OPERATORS = {"from", "to", "cc", "bcc", "subject", "filename", "label", "deliveredto", "list", "rfc822msgid"}
OPERATORS = TEXT_OPERATORS | {"has", "is", "in", "after", "before", "newer_than", "older_than",
                              "larger", "smaller", "newer", "older", "size"}
HAS_VALUES = {"attachment", "userlabels", "nouserlabels", "pdf", "spreadsheet", "image"}
IS_VALUES = {"unread", "read", "starred", "important", "draft", "sent", "inbox", "trash", "spam", "snoozed"}
IN_VALUES = {"inbox", "sent", "drafts", "draft", "trash", "spam", "anywhere", "starred", "all", "chats", "snoozed"}
_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024 ** 2, "mb": 1024 ** 2, "g": 1024 ** 3, "gb": 1024 ** 3}
_ALIASES = {"newer": "after", "older": "before", "size": "larger"}
_RELATIVE = re.compile(r"^(\d+)([dmy])$", re.IGNORECASE)


class QueryError(BadRequest):
    """A search query the parser cannot understand; the message says what and where."""

    code = "invalid_query"


# ---- AST -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """One search condition: `op` is None for free text; `value` is normalised per operator."""

    op: str | None
    value: object
    phrase: bool = False  # free text given in quotes


@dataclass(frozen=True)
class Not:
    """Negation (`-term`)."""

    item: object


@dataclass(frozen=True)
class And:
    """All of the items."""

    items: tuple


@dataclass(frozen=True)
class Or:
    """Any of the items."""

    items: tuple


# ---- tokens ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Tok:
    kind: str  # "word", "phrase", "lparen", "rparen", "lbrace", "rbrace", "or", "and", "neg", "op"
    text: str
    pos: int
    value: str = ""  # for "op": the operator's value (unquoted)
    quoted: bool = False


_OP_RE = re.compile(r"([A-Za-z_0-9]+):")


def tokenize(text: str) -> list[_Tok]:
    """Split a query into tokens; raises QueryError on an unterminated quote."""
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c in "(){}":
            kind = {"(": "lparen", ")": "rparen", "{": "lbrace", "}": "rbrace"}[c]
            toks.append(_Tok(kind, c, i))
            i += 1
            continue
        if c == "-" and i + 1 < n and not text[i + 1].isspace() and _boundary(text, i):
            toks.append(_Tok("neg", c, i))
            i += 1
            continue
        if c == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise QueryError(f"unterminated quote starting at character {i + 1}: add a closing \"")
            toks.append(_Tok("phrase", text[i + 1:end], i))
            i = end + 1
            continue
        m = _OP_RE.match(text, i)
        if m and m.group(1).lower() in OPERATORS:
            op = m.group(1).lower()
            j = m.end()
            if j < n and text[j] == '"':
                end = text.find('"', j + 1)
                if end < 0:
                    raise QueryError(f"unterminated quote after {op}: at character {j + 1}: add a closing \"")
                toks.append(_Tok("op", op, i, text[j + 1:end], quoted=True))
                i = end + 1
                continue
            k = j
            while k < n and not text[k].isspace() and text[k] not in "(){}":
                k += 1
            if k == j:
                raise QueryError(f"{op}: needs a value (for example {_example(op)})")
            toks.append(_Tok("op", op, i, text[j:k]))
            i = k
            continue
        k = i
        while k < n and not text[k].isspace() and text[k] not in '(){}"':
            k += 1
        word = text[i:k]
        if word == "OR" or word == "|":
            toks.append(_Tok("or", word, i))
        elif word == "AND":
            toks.append(_Tok("and", word, i))
        else:
            toks.append(_Tok("word", word, i))
        i = k
    return toks


def _boundary(text: str, i: int) -> bool:
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "({"


# ---- parser ----------------------------------------------------------------------------------

class _Parser:
    def __init__(self, toks: list[_Tok]):
        self.toks = toks
        self.i = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def sequence(self, closer: str | None) -> object:
        items = []
        while True:
            tok = self.peek()
            if tok is None:
                if closer:
                    raise QueryError(f"missing a closing {')' if closer == 'rparen' else '}'}")
                break
            if tok.kind == closer:
                break
            if tok.kind in ("rparen", "rbrace"):
                raise QueryError(f"unexpected '{tok.text}' at character {tok.pos + 1}: no matching opening bracket")
            if tok.kind == "and":
                self.take()
                continue
            items.append(self.or_expr())
        return items

    def or_expr(self) -> object:
        first = self.unary()
        alts = [first]
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.take()
            if self.peek() is None or self.peek().kind in ("rparen", "rbrace", "or"):
                raise QueryError(f"OR at character {tok.pos + 1} needs a term after it")
            alts.append(self.unary())
        return alts[0] if len(alts) == 1 else Or(tuple(alts))

    def unary(self) -> object:
        tok = self.take()
        if tok.kind == "neg":
            if self.peek() is None:
                raise QueryError(f"'-' at character {tok.pos + 1} needs a term after it")
            return Not(self.unary())
        if tok.kind == "lparen":
            items = self.sequence("rparen")
            self.take()
            if not items:
                raise QueryError(f"empty parentheses at character {tok.pos + 1}")
            return items[0] if len(items) == 1 else And(tuple(items))
        if tok.kind == "lbrace":
            items = self.sequence("rbrace")
            self.take()
            if not items:
                raise QueryError(f"empty braces at character {tok.pos + 1}")
            return items[0] if len(items) == 1 else Or(tuple(items))
        if tok.kind == "or":
            raise QueryError(f"OR at character {tok.pos + 1} needs a term before it")
        if tok.kind == "phrase":
            return Term(None, tok.text, phrase=True)
        if tok.kind == "word":
            return Term(None, tok.text)
        if tok.kind == "op":
            op = _ALIASES.get(tok.text, tok.text)
            return Term(op, _operator_value(tok.text, tok.value), phrase=tok.quoted)
        raise QueryError(f"unexpected '{tok.text}' at character {tok.pos + 1}")


def parse(text: str) -> object | None:
    """Parse a Gmail query into an AST (None for an empty query); raises QueryError when malformed."""
    if len(text) > 2000:
        raise QueryError("the search query is too long (2,000 characters at most)")
    toks = tokenize(text)
    parser = _Parser(toks)
    items = parser.sequence(None)
    items = [item for item in items if not (isinstance(item, Term) and item.op is None and item.value == "")]
    if not items:
        return None
    return items[0] if len(items) == 1 else And(tuple(items))


def walk(node: object):
    """Yield every node of an AST."""
    yield node
    if isinstance(node, (And, Or)):
        for item in node.items:
            yield from walk(item)
    elif isinstance(node, Not):
        yield from walk(node.item)


# ---- operator values -------------------------------------------------------------------------

def _operator_value(op: str, raw: str) -> object:
    value = raw.strip()
    if op in TEXT_OPERATORS:
        if op == "label":
            return normalise_label(value)
        return value.lower()
    if op == "has":
        v = value.lower()
        if v not in HAS_VALUES:
            raise QueryError(f"has:{raw} is not supported; use one of: has:{', has:'.join(sorted(HAS_VALUES))}")
        return v
    if op == "is":
        v = value.lower()
        if v not in IS_VALUES:
            raise QueryError(f"is:{raw} is not supported; use one of: is:{', is:'.join(sorted(IS_VALUES))}")
        return v
    if op == "in":
        v = value.lower()
        if v not in IN_VALUES:
            raise QueryError(f"in:{raw} is not supported; use one of: in:{', in:'.join(sorted(IN_VALUES))}")
        return {"draft": "drafts", "all": "anywhere"}.get(v, v)
    if op in ("after", "before", "newer", "older"):
        return parse_date_value(op, value)
    if op in ("newer_than", "older_than"):
        m = _RELATIVE.match(value)
        if not m:
            raise QueryError(f"{op}:{raw} needs a number and a unit d, m or y (for example {op}:7d)")
        return (int(m.group(1)), m.group(2).lower())
    if op in ("larger", "smaller", "size"):
        return parse_size(op, value)
    raise QueryError(f"unknown operator {op}:")


def parse_date_value(op: str, value: str) -> date | int:
    """A date for after:/before: (YYYY/MM/DD, YYYY-MM-DD, MM/DD/YYYY) or epoch seconds (int)."""
    if value.isdecimal() and len(value) > 8:
        return int(value)
    for fmt in ("%Y/%m/%d", "%Y-%m-%d", "%m/%d/%Y", "%Y/%m", "%Y-%m"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise QueryError(f"{op}:{value} is not a date; write it as YYYY/MM/DD (for example {op}:2026/03/01)")


def parse_size(op: str, value: str) -> int:
    """Bytes from a size such as 10M, 500K or 2048."""
    m = re.match(r"^(\d+(?:\.\d+)?)([a-zA-Z]*)$", value)
    if not m or m.group(2).lower() not in _UNITS:
        raise QueryError(f"{op}:{value} is not a size; write bytes or use K or M (for example {op}:5M)")
    return int(float(m.group(1)) * _UNITS[m.group(2).lower()])


def normalise_label(name: str) -> str:
    """Gmail matches label names case-insensitively, with '-' or '/' or ' ' between words alike."""
    return re.sub(r"[\s/\-_]+", "-", name.strip().lower())


def _example(op: str) -> str:
    return {
        "from": "from:alice@example.com", "after": "after:2026/03/01", "before": "before:2026/03/01",
        "is": "is:unread", "in": "in:inbox", "has": "has:attachment", "larger": "larger:5M",
        "smaller": "smaller:100K", "newer_than": "newer_than:7d", "older_than": "older_than:1y",
        "label": "label:Finance/Invoices", "filename": "filename:pdf",
    }.get(op, f"{op}:something")
