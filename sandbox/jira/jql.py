"""JQL parser: text -> (where AST, ORDER BY list), raising Jira's own error messages; evaluation is in jql_eval."""

from __future__ import annotations

import re
from dataclasses import dataclass

OPERATORS = ("=", "!=", "~", "!~", ">", ">=", "<", "<=", "in", "not in", "is", "is not")
_OPS_TEXT = "'=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'"
_KEYWORDS = {"and", "or", "not", "in", "is", "empty", "null", "order", "by", "asc", "desc"}
_TOKEN = re.compile(r"""\s*(?:(?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(?P<op>!=|!~|>=|<=|&&|\|\||[=~<>(),!&|])"""
                    r"""|(?P<word>[^\s()=,!<>~"'&|]+)|(?P<bad>["']))""")


class JQLError(ValueError):
    """A query Jira would refuse with HTTP 400; str() is Jira's message."""


@dataclass(frozen=True)
class Tok:
    kind: str  # str | op | word | end
    text: str
    pos: int  # 1-based character, as Jira reports it

    @property
    def kw(self) -> str | None:
        if self.kind == "word" and self.text.lower() in _KEYWORDS:
            return self.text.lower()
        return {"&&": "and", "&": "and", "||": "or", "|": "or", "!": "not"}.get(self.text) if self.kind == "op" else None


@dataclass(frozen=True)
class Value:
    text: str
    quoted: bool = False
    func: bool = False  # currentUser(), now(), ...


@dataclass(frozen=True)
class Clause:
    field: str  # lower-cased
    op: str  # one of OPERATORS
    value: Value | tuple[Value, ...] | None  # None for IS [NOT] EMPTY
    pos: int


def _err(msg: str, pos: int) -> JQLError:
    return JQLError(f"Error in the JQL Query: {msg} (line 1, character {pos})")


def tokenize(text: str) -> list[Tok]:
    out, i = [], 0
    while i < len(text):
        m = _TOKEN.match(text, i)
        if not m or m.end() == i:
            break
        kind = m.lastgroup
        start = m.start(kind) + 1
        if kind == "bad":
            raise _err(f"The quoted string '{text[m.start(kind) + 1:]}' has not been completed.", start)
        val = m.group(kind)
        if kind == "str":
            val = re.sub(r"\\(.)", r"\1", val[1:-1])
        out.append(Tok(kind, val, start))
        i = m.end()
    out.append(Tok("end", "", len(text) + 1))
    return out


class _Parser:
    def __init__(self, text: str):
        self.toks, self.i = tokenize(text), 0

    def peek(self) -> Tok:
        return self.toks[self.i]

    def take(self) -> Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def got(self, tok: Tok) -> str:
        return "end of query" if tok.kind == "end" else f"'{tok.text}'"

    def query(self):
        where = None
        if self.peek().kind != "end" and self.peek().kw != "order":
            where = self.or_expr()
        order: list[tuple[str, bool]] = []
        if self.peek().kw == "order":
            self.take()
            if self.take().kw != "by":
                raise _err(f"Expecting 'by' but got {self.got(self.toks[self.i - 1])}.", self.toks[self.i - 1].pos)
            order = self.order_list()
        tok = self.peek()
        if tok.kind != "end":
            raise _err(f"Expecting either 'OR' or 'AND' but got {self.got(tok)}.", tok.pos)
        return where, order

    def order_list(self) -> list[tuple[str, bool]]:
        out = []
        while True:
            tok = self.take()
            if tok.kind not in ("word", "str") or tok.kw in ("asc", "desc"):
                raise _err(f"Expecting a field name but got {self.got(tok)}.", tok.pos)
            desc = None
            if self.peek().kw in ("asc", "desc"):
                desc = self.take().kw == "desc"
            out.append((tok.text.lower(), desc))
            if self.peek().text != ",":
                return out
            self.take()

    def or_expr(self):
        node = self.and_expr()
        while self.peek().kw == "or":
            self.take()
            node = ("or", node, self.and_expr())
        return node

    def and_expr(self):
        node = self.not_expr()
        while self.peek().kw == "and":
            self.take()
            node = ("and", node, self.not_expr())
        return node

    def not_expr(self):
        tok = self.peek()
        if tok.kw == "not":
            self.take()
            return ("not", self.not_expr())
        if tok.text == "(" and tok.kind == "op":
            self.take()
            node = self.or_expr()
            close = self.take()
            if close.text != ")":
                raise _err(f"Expecting ')' but got {self.got(close)}.", close.pos)
            return node
        return self.clause()

    def clause(self) -> Clause:
        tok = self.take()
        if tok.kind not in ("word", "str") or (tok.kw and tok.kw not in ("empty", "null")):
            raise _err(f"Expecting a field name but got {self.got(tok)}.", tok.pos)
        op_tok = self.take()
        op = op_tok.text.lower() if op_tok.kind == "op" or op_tok.kw in ("in", "is", "not") else None
        if op == "not":
            nxt = self.take()
            op = "not in" if nxt.kw == "in" else None
        elif op == "is" and self.peek().kw == "not":
            self.take()
            op = "is not"
        if op not in OPERATORS:
            raise _err(f"Expecting operator but got {self.got(op_tok)}. The valid operators are {_OPS_TEXT}.",
                       op_tok.pos)
        if op in ("is", "is not"):
            val = self.take()
            if val.kw not in ("empty", "null"):
                raise _err(f"Expecting 'EMPTY' or 'NULL' but got {self.got(val)}.", val.pos)
            return Clause(tok.text.lower(), op, None, tok.pos)
        if op in ("in", "not in"):
            return Clause(tok.text.lower(), op, self.value_list(), tok.pos)
        return Clause(tok.text.lower(), op, self.value(), tok.pos)

    def value_list(self) -> tuple[Value, ...]:
        tok = self.take()
        if tok.text != "(" or tok.kind != "op":
            raise _err(f"Expecting '(' but got {self.got(tok)}.", tok.pos)
        vals = [self.value()]
        while self.peek().text == ",":
            self.take()
            vals.append(self.value())
        close = self.take()
        if close.text != ")":
            raise _err(f"Expecting ')' but got {self.got(close)}.", close.pos)
        return tuple(vals)

    def value(self) -> Value:
        tok = self.take()
        if tok.kind == "str":
            return Value(tok.text, quoted=True)
        if tok.kind != "word" or tok.kw in ("and", "or", "not", "in", "is", "order", "by"):
            raise _err(f"Expecting either a value, list or function but got {self.got(tok)}.", tok.pos)
        if self.peek().text == "(":
            self.take()
            close = self.take()
            if close.text != ")":  # functions with arguments are out of the sandbox's subset
                raise _err(f"Expecting ')' but got {self.got(close)}.", close.pos)
            return Value(tok.text, func=True)
        return Value(tok.text)


def parse(text: str):
    """Return (where, order): where is a Clause / ('and'|'or', a, b) / ('not', x) / None;
    order is [(field, desc or None)]."""
    return _Parser(text or "").query()
