"""Compile a parsed Gmail query (mock_apps.mail.query) into an SQL condition over `mail_message m`.

Structured operators become column conditions; free text and quoted phrases become FTS5 phrase
matches over subject, body, people and attachment names. As in Gmail, Trash and Spam are left out
unless the query asks for them (in:trash, in:spam, in:anywhere, label:trash ...).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mock_apps.mail.query import And, Not, Or, QueryError, Term, parse, walk

_IN_LABEL = {"inbox": "INBOX", "sent": "SENT", "drafts": "DRAFT", "trash": "TRASH", "spam": "SPAM",
             "starred": "STARRED"}
_IS_LABEL = {"unread": "UNREAD", "starred": "STARRED", "important": "IMPORTANT", "draft": "DRAFT", "sent": "SENT",
             "inbox": "INBOX", "trash": "TRASH", "spam": "SPAM"}
_UNIT_DAYS = {"d": 1, "m": 30, "y": 365}
_WORD = re.compile(r"\w", re.UNICODE)


class _Compiler:
    def __init__(self, now: datetime, tz: ZoneInfo, me: str):
        self.now = now
        self.tz = tz
        self.me = me.lower()
        self.params: dict[str, object] = {}

    def param(self, value: object) -> str:
        name = f"q{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def node(self, node: object) -> str:
        if isinstance(node, And):
            return "(" + " AND ".join(self.node(item) for item in node.items) + ")"
        if isinstance(node, Or):
            return "(" + " OR ".join(self.node(item) for item in node.items) + ")"
        if isinstance(node, Not):
            return f"(NOT {self.node(node.item)})"
        return self.term(node)

    def like(self, column: str, value: str) -> str:
        escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"lower({column}) LIKE {self.param('%' + escaped + '%')} ESCAPE '\\'"

    def label(self, label_id: str) -> str:
        return f"EXISTS (SELECT 1 FROM mail_message_label ml WHERE ml.message_pk = m.pk AND ml.label_id = {self.param(label_id)})"

    def address(self, column: str, value: str) -> str:
        if value == "me":
            value = self.me
        return self.like(column, value)

    def day_start_ms(self, day: date) -> int:
        return int(datetime.combine(day, time(0), self.tz).timestamp() * 1000)

    def term(self, term: Term) -> str:
        op, value = term.op, term.value
        if op is None:
            return self.fulltext(str(value))
        if op == "labelid":
            return self.label(str(value))
        if op == "from":
            if value == "me":
                return self.like("m.from_email", self.me)
            return f"({self.like('m.from_email', value)} OR {self.like('m.from_name', value)})"
        if op in ("to", "deliveredto", "list"):
            return self.address("m.to_addrs", value) if op == "to" else (
                f"({self.address('m.to_addrs', value)} OR {self.address('m.cc_addrs', value)})")
        if op == "cc":
            return self.address("m.cc_addrs", value)
        if op == "bcc":
            return self.address("m.bcc_addrs", value)
        if op == "subject":
            return self.like("m.subject", value)
        if op == "rfc822msgid":
            return self.like("m.rfc_message_id", value)
        if op == "filename":
            return (f"EXISTS (SELECT 1 FROM mail_attachment a WHERE a.message_pk = m.pk AND "
                    f"{self.like('a.filename', value)})")
        if op == "label":
            return (f"EXISTS (SELECT 1 FROM mail_message_label ml JOIN mail_label l ON l.id = ml.label_id "
                    f"WHERE ml.message_pk = m.pk AND lower(replace(replace(replace(l.name, ' ', '-'), '/', '-'), '_', '-'))"
                    f" = {self.param(value)})")
        if op == "has":
            if value == "attachment":
                return "m.has_attachment = 1"
            if value in ("userlabels", "nouserlabels"):
                exists = ("EXISTS (SELECT 1 FROM mail_message_label ml JOIN mail_label l ON l.id = ml.label_id "
                          "WHERE ml.message_pk = m.pk AND l.type = 'user')")
                return exists if value == "userlabels" else f"NOT {exists}"
            kinds = {"pdf": "a.mime_type = 'application/pdf' OR lower(a.filename) LIKE '%.pdf'",
                     "image": "a.mime_type LIKE 'image/%'",
                     "spreadsheet": "lower(a.filename) LIKE '%.xlsx' OR lower(a.filename) LIKE '%.csv' "
                                    "OR lower(a.filename) LIKE '%.xls'"}
            return f"EXISTS (SELECT 1 FROM mail_attachment a WHERE a.message_pk = m.pk AND ({kinds[value]}))"
        if op == "is":
            if value == "read":
                return f"NOT {self.label('UNREAD')}"
            if value == "snoozed":
                return "0"  # nothing is snoozed: the mock has no snooze yet
            return self.label(_IS_LABEL[value])
        if op == "in":
            if value == "anywhere":
                return "1"
            if value in ("chats", "snoozed"):
                return "0"
            return self.label(_IN_LABEL[value])
        if op in ("after", "before"):
            ms = value * 1000 if isinstance(value, int) else self.day_start_ms(value)
            return f"m.internal_ms {'>=' if op == 'after' else '<'} {self.param(ms)}"
        if op in ("newer_than", "older_than"):
            count, unit = value
            limit = self.now - timedelta(days=count * _UNIT_DAYS[unit])
            ms = int(limit.timestamp() * 1000)
            return f"m.internal_ms {'>=' if op == 'newer_than' else '<'} {self.param(ms)}"
        if op == "larger":
            return f"m.size > {self.param(value)}"
        if op == "smaller":
            return f"m.size < {self.param(value)}"
        raise QueryError(f"operator {op}: is not supported")

    def fulltext(self, text: str) -> str:
        if not _WORD.search(text):
            return "1"  # punctuation alone matches everything, as in Gmail
        phrase = '"' + text.replace('"', '""') + '"'
        return f"m.pk IN (SELECT rowid FROM mail_message_fts WHERE mail_message_fts MATCH {self.param(phrase)})"


def compile_query(query: str | object | None, *, now: datetime, tz: ZoneInfo, me: str,
                  include_spam_trash: bool = False) -> tuple[str, dict]:
    """An SQL condition on `mail_message m` (and its parameters) for a Gmail query string or AST."""
    ast = parse(query) if isinstance(query, str) else query
    compiler = _Compiler(now, tz, me)
    condition = compiler.node(ast) if ast is not None else "1"
    if not include_spam_trash and not _mentions_spam_trash(ast):
        condition = (f"({condition}) AND NOT EXISTS (SELECT 1 FROM mail_message_label mx WHERE "
                     f"mx.message_pk = m.pk AND mx.label_id IN ('TRASH', 'SPAM'))")
    return condition, compiler.params


def _mentions_spam_trash(ast: object | None) -> bool:
    if ast is None:
        return False
    for node in walk(ast):
        if isinstance(node, Term):
            if node.op == "in" and node.value in ("trash", "spam", "anywhere"):
                return True
            if node.op == "is" and node.value in ("trash", "spam"):
                return True
            if node.op == "label" and node.value in ("trash", "spam"):
                return True
            if node.op == "labelid" and node.value in ("TRASH", "SPAM"):
                return True
    return False
