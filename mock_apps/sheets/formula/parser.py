"""Pratt parser for Excel formulas, producing a small tuple AST.

Nodes: ("num", float) ("str", s) ("bool", b) ("err", ExcelError) ("ref", Ref) ("badref",)
("name", s) ("func", NAME, [args]) ("missing",) ("neg", x) ("pos", x) ("pct", x)
("bin", op, a, b) ("array", [[nodes]]).
"""

from __future__ import annotations

from typing import Any

from .errors import ERROR_CODES, FormulaSyntaxError
from .references import parse_ref_body, split_sheet
from .tokenizer import Token, tokenize

Node = tuple[Any, ...]

# Binding powers, lowest first, following Excel's operator precedence.
_INFIX = {
    "=": 10, "<>": 10, "<": 10, ">": 10, "<=": 10, ">=": 10,
    "&": 20,
    "+": 30, "-": 30,
    "*": 40, "/": 40,
    "^": 50,
}
_POSTFIX_PCT = 60
_PREFIX = 70  # unary minus binds tighter than ^ in Excel: -2^2 = 4


def parse(formula: str) -> Node:
    """Parse a formula (with or without its leading `=`) into an AST."""
    body = formula[1:] if formula.startswith("=") else formula
    if not body.strip():
        raise FormulaSyntaxError("The formula is empty.")
    p = _Parser(tokenize(body))
    node = p.expr(0)
    tok = p.peek()
    if tok.kind != "eof":
        raise FormulaSyntaxError(f"Unexpected '{tok.text}' at position {tok.pos + 2}.", tok.pos)
    return node


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def next(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, text: str) -> None:
        tok = self.next()
        if tok.text != text:
            got = "the end of the formula" if tok.kind == "eof" else f"'{tok.text}'"
            raise FormulaSyntaxError(f"Expected '{text}' but found {got}.", tok.pos)

    def expr(self, rbp: int) -> Node:
        left = self.prefix()
        while True:
            tok = self.peek()
            if tok.kind != "op":
                break
            if tok.text == "%":
                if _POSTFIX_PCT <= rbp:
                    break
                self.next()
                left = ("pct", left)
                continue
            bp = _INFIX.get(tok.text)
            if bp is None or bp <= rbp:
                break
            self.next()
            right = self.expr(bp)  # left-associative, ^ included (Excel: 2^3^2 = 64)
            left = ("bin", tok.text, left, right)
        return left

    def prefix(self) -> Node:
        tok = self.next()
        k = tok.kind
        if k == "num":
            return ("num", float(tok.text))
        if k == "str":
            return ("str", tok.text[1:-1].replace('""', '"'))
        if k == "bool":
            return ("bool", tok.text.upper() == "TRUE")
        if k == "err":
            return ("err", ERROR_CODES[tok.text.upper()])
        if k == "ref":
            sheet, body = split_sheet(tok.text)
            if body.upper() == "#REF!":
                return ("badref",)
            return ("ref", parse_ref_body(sheet, body))
        if k == "func":
            return self.call(tok)
        if k == "name":
            return ("name", tok.text)
        if k == "op":
            if tok.text == "-":
                return ("neg", self.expr(_PREFIX))
            if tok.text == "+":
                return ("pos", self.expr(_PREFIX))
            if tok.text == "(":
                inner = self.expr(0)
                self.expect(")")
                return inner
            if tok.text == "{":
                return self.array()
        if k == "eof":
            raise FormulaSyntaxError("The formula ends too early.", tok.pos)
        raise FormulaSyntaxError(f"Unexpected '{tok.text}' at position {tok.pos + 2}.", tok.pos)

    def call(self, tok: Token) -> Node:
        name = tok.text.upper()
        if name.startswith("_XLFN."):
            name = name[6:]  # Excel's prefix for newer functions in files
        self.expect("(")
        args: list[Node] = []
        if self.peek().text == ")":
            self.next()
            return ("func", name, args)
        while True:
            if self.peek().text in (",", ")"):
                args.append(("missing",))
            else:
                args.append(self.expr(0))
            tok2 = self.next()
            if tok2.text == ")":
                return ("func", name, args)
            if tok2.text != ",":
                got = "the end of the formula" if tok2.kind == "eof" else f"'{tok2.text}'"
                raise FormulaSyntaxError(f"Expected ',' or ')' in {name}() but found {got}.", tok2.pos)

    def array(self) -> Node:
        rows: list[list[Node]] = [[]]
        while True:
            tok = self.next()
            sign = 1.0
            if tok.text == "-":
                sign, tok = -1.0, self.next()
            if tok.kind == "num":
                rows[-1].append(("num", sign * float(tok.text)))
            elif tok.kind == "str" and sign == 1.0:
                rows[-1].append(("str", tok.text[1:-1].replace('""', '"')))
            elif tok.kind == "bool" and sign == 1.0:
                rows[-1].append(("bool", tok.text.upper() == "TRUE"))
            elif tok.kind == "err" and sign == 1.0:
                rows[-1].append(("err", ERROR_CODES[tok.text.upper()]))
            else:
                raise FormulaSyntaxError("Array constants may hold only numbers, text, booleans and errors.", tok.pos)
            sep = self.next()
            if sep.text == "}":
                break
            if sep.text == ";":
                rows.append([])
            elif sep.text != ",":
                raise FormulaSyntaxError("Expected ',', ';' or '}' in an array constant.", sep.pos)
        if len({len(r) for r in rows}) != 1:
            raise FormulaSyntaxError("Every row of an array constant needs the same number of values.")
        return ("array", rows)


def references(node: Node) -> list:
    """Every Ref in an AST (for the dependency graph)."""
    out: list = []
    stack = [node]
    while stack:
        n = stack.pop()
        kind = n[0]
        if kind == "ref":
            out.append(n[1])
        elif kind == "func":
            stack.extend(n[2])
        elif kind == "bin":
            stack.append(n[2])
            stack.append(n[3])
        elif kind in ("neg", "pos", "pct"):
            stack.append(n[1])
    return out
