"""The QuickBooks Online query language (the subset the API's `query` endpoint takes), parsed.

    SELECT * | COUNT(*) | field, ... FROM Entity
      [WHERE cond [AND cond ...]]      cond: field (= < > <= >= != ) value | field IN (v, ...) | field LIKE '%x%'
      [ORDERBY field [ASC|DESC], ...]  ("ORDER BY" is accepted too)
      [STARTPOSITION n] [MAXRESULTS n]

Values are single-quoted strings (backslash escapes a quote), numbers, true or false.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mock_apps.core.errors import BadRequest


class QueryError(BadRequest):
    """The query text is not valid QuickBooks query language."""

    code = "query_parse"


@dataclass(frozen=True)
class Condition:
    """One `field op value` test; for IN, value is a tuple."""

    field: str
    op: str
    value: object


@dataclass(frozen=True)
class Query:
    """A parsed query."""

    entity: str
    fields: tuple[str, ...] = ("*",)
    count: bool = False
    where: tuple[Condition, ...] = ()
    order_by: tuple[tuple[str, bool], ...] = ()  # (field, descending)
    start_position: int = 1
    max_results: int = 100
    extra: dict = field(default_factory=dict)


MAX_RESULTS_LIMIT = 1000
_TOKEN = re.compile(r"""
    \s*(?:
      (?P<string>'(?:\\.|[^'\\])*')
    | (?P<number>-?\d+(?:\.\d+)?)
    | (?P<op><=|>=|!=|<>|=|<|>)
    | (?P<punct>[(),*])
    | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
    )""", re.VERBOSE)
_KEYWORDS = {"select", "from", "where", "and", "or", "in", "like", "orderby", "order", "by", "asc", "desc",
             "startposition", "maxresults", "count", "true", "false", "not"}


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip().rstrip(";")
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            snippet = text[pos:pos + 20].strip()
            raise QueryError(f"QueryParserError: unexpected text {snippet!r} at position {pos + 1}")
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "word" and value.lower() in _KEYWORDS:
            kind = "kw"
            value = value.lower()
        tokens.append((kind, value))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0

    def peek(self, offset: int = 0) -> tuple[str, str] | None:
        """The token at an offset from the cursor, or None past the end."""
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        """Consume and return the next token."""
        tok = self.peek()
        if tok is None:
            raise QueryError("QueryParserError: the query ends too early")
        self.i += 1
        return tok

    def accept_kw(self, word: str) -> bool:
        """Consume a keyword if it is next."""
        tok = self.peek()
        if tok == ("kw", word):
            self.i += 1
            return True
        return False

    def expect_kw(self, word: str) -> None:
        """Consume a keyword or fail naming what was found."""
        tok = self.peek()
        if tok != ("kw", word):
            found = "the end of the query" if tok is None else repr(tok[1])
            raise QueryError(f"QueryParserError: expected {word.upper()} but found {found}")
        self.i += 1

    def expect_punct(self, char: str) -> None:
        """Consume a punctuation character or fail."""
        tok = self.take()
        if tok != ("punct", char):
            raise QueryError(f"QueryParserError: expected {char!r} but found {tok[1]!r}")

    def field_name(self) -> str:
        """Consume a (possibly dotted) field name."""
        kind, value = self.take()
        if kind != "word":
            raise QueryError(f"QueryParserError: expected a field name but found {value!r}")
        return value

    def integer(self, what: str) -> int:
        """Consume a whole number (quoted or not)."""
        kind, value = self.take()
        if kind == "string":
            value = value[1:-1]
        try:
            number = int(value)
        except ValueError:
            raise QueryError(f"QueryParserError: {what} takes a whole number, not {value!r}") from None
        return number

    def value(self) -> object:
        """Consume a literal: quoted text, a number, true or false."""
        kind, value = self.take()
        if kind == "string":
            return re.sub(r"\\(.)", r"\1", value[1:-1])
        if kind == "number":
            return value
        if kind == "kw" and value in ("true", "false"):
            return value == "true"
        raise QueryError(f"QueryParserError: expected a value (quote text as 'text') but found {value!r}")

    def parse(self) -> Query:
        """The whole query."""
        if not self.tokens:
            raise QueryError("QueryParserError: the query is empty; write e.g. select * from Invoice")
        self.expect_kw("select")
        count = False
        fields: list[str] = []
        if self.accept_kw("count"):
            self.expect_punct("(")
            self.expect_punct("*")
            self.expect_punct(")")
            count = True
        else:
            while True:
                tok = self.take()
                if tok == ("punct", "*"):
                    fields.append("*")
                elif tok[0] == "word":
                    fields.append(tok[1])
                else:
                    raise QueryError(f"QueryParserError: expected * or a field name after SELECT, found {tok[1]!r}")
                if self.peek() == ("punct", ","):
                    self.i += 1
                    continue
                break
        self.expect_kw("from")
        kind, entity = self.take()
        if kind != "word":
            raise QueryError(f"QueryParserError: expected an entity name after FROM, found {entity!r}")
        where: list[Condition] = []
        if self.accept_kw("where"):
            while True:
                where.append(self.condition())
                if self.accept_kw("and"):
                    continue
                if self.peek() == ("kw", "or"):
                    raise QueryError("QueryParserError: OR is not supported in QuickBooks queries; use IN (...)")
                break
        order: list[tuple[str, bool]] = []
        if self.accept_kw("orderby") or (self.peek() == ("kw", "order") and self.accept_kw("order")
                                          and (self.expect_kw("by") or True)):
            while True:
                name = self.field_name()
                desc = False
                if self.accept_kw("desc"):
                    desc = True
                else:
                    self.accept_kw("asc")
                order.append((name, desc))
                if self.peek() == ("punct", ","):
                    self.i += 1
                    continue
                break
        start, maximum = 1, 100
        while self.peek() is not None:
            if self.accept_kw("startposition"):
                start = self.integer("STARTPOSITION")
                if not 1 <= start <= 1_000_000_000:
                    raise QueryError("QueryParserError: STARTPOSITION runs from 1 to 1000000000")
            elif self.accept_kw("maxresults"):
                maximum = self.integer("MAXRESULTS")
                if not 1 <= maximum <= MAX_RESULTS_LIMIT:
                    raise QueryError(f"QueryParserError: MAXRESULTS must be between 1 and {MAX_RESULTS_LIMIT}")
            else:
                raise QueryError(f"QueryParserError: unexpected {self.peek()[1]!r} "
                                 "(expected WHERE, ORDERBY, STARTPOSITION or MAXRESULTS)")
        return Query(entity=entity, fields=tuple(fields) or ("*",), count=count, where=tuple(where),
                     order_by=tuple(order), start_position=start, max_results=maximum)

    def condition(self) -> Condition:
        """One `field op value` condition."""
        name = self.field_name()
        tok = self.take()
        if tok[0] == "op":
            op = "!=" if tok[1] == "<>" else tok[1]
            return Condition(name, op, self.value())
        if tok == ("kw", "in"):
            self.expect_punct("(")
            values = [self.value()]
            while self.peek() == ("punct", ","):
                self.i += 1
                values.append(self.value())
            self.expect_punct(")")
            return Condition(name, "in", tuple(values))
        if tok == ("kw", "like"):
            nxt = self.peek()
            pattern = self.value()
            if nxt is None or nxt[0] != "string":
                raise QueryError("QueryParserError: LIKE takes a quoted pattern such as '%Supply%'")
            return Condition(name, "like", pattern)
        raise QueryError(f"QueryParserError: expected an operator (=, <, >, <=, >=, IN, LIKE) after {name!r}, "
                         f"found {tok[1]!r}")


def parse(text: str) -> Query:
    """Parse a QuickBooks query string, or raise a QueryError saying what is wrong."""
    if not isinstance(text, str):
        raise QueryError("QueryParserError: the query must be text")
    return _Parser(text).parse()


def like_matches(pattern: str, value: str) -> bool:
    """SQL LIKE with % wildcards, case-insensitive (as QuickBooks matches names)."""
    regex = "^" + ".*".join(re.escape(part) for part in pattern.split("%")) + "$"
    return re.match(regex, value or "", re.IGNORECASE | re.DOTALL) is not None
