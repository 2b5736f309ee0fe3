"""Slack "mrkdwn": stored message text rendered to safe HTML, to plain text, and encoded from the composer.

Stored text uses Slack's wire conventions: `&`, `<` and `>` typed by a person are stored as `&amp;`,
`&lt;`, `&gt;`, and angle brackets are control sequences: `<@U0123>` (user mention), `<#C0123|name>`
(channel link), `<!here>`, `<https://x.example|label>` (link). Formatting: `*bold*`, `_italic_`,
`~strike~`, `` `code` ``, triple-backtick code blocks, `>` quotes, `:emoji:` shortcodes.

Safety: every character of input reaches the page either through `markupsafe.escape` or as a tag
this module writes itself; link targets are limited to http, https and mailto, so `javascript:` or
`data:` links render as inert text. Private-use characters are stripped from the input first because
the renderer uses them as placeholders.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from mock_apps.chat.emoji import emoji_char

ALLOWED_SCHEMES = {"http", "https", "mailto"}
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
_PRIVATE = re.compile("[\ue000-\uf8ff]")
_CODE_BLOCK = re.compile(r"```(.*?)```", re.DOTALL)
_ATOM = re.compile(r"`([^`\n]+)`|<([^<>\n]+)>")
_BARE_URL = re.compile(r"\b(?:https?://|mailto:)[^\s<>]+")
_TRAILING_PUNCT = ".,;:!?)]}'\""
_QUOTE = re.compile(r"^(?:&gt;|>) ?(.*)$")
_EMOJI = re.compile(r":([a-z0-9_+\-]+):")
_EMPHASIS = [
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])"), "strong"),
    (re.compile(r"(?<![\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])"), "em"),
    (re.compile(r"(?<![\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])"), "del"),
]
_COMPOSER_MENTION = re.compile(r"(?<![\w@.])@([a-z0-9][a-z0-9._-]*[a-z0-9]|[a-z0-9])", re.IGNORECASE)
_COMPOSER_CHANNEL = re.compile(r"(?<![\w#&])#([a-z0-9][a-z0-9_-]*)", re.IGNORECASE)
_SPECIAL = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}


@dataclass
class Resolver:
    """Looks up mention targets: id -> (label, href or None), or None when unknown."""

    user: Callable[[str], tuple[str, str | None] | None] = field(default=lambda _id: None)
    channel: Callable[[str], tuple[str, str | None] | None] = field(default=lambda _id: None)


def _unescape(text: str) -> str:
    """Entities decoded, without the private-use characters the renderer reserves for placeholders."""
    return _PRIVATE.sub("", html.unescape(text))


def _escape_around_placeholders(text: str) -> str:
    """Decode entities and HTML-escape every part of the text except the renderer's placeholders."""
    pieces = re.split("(\ue000\\d+\ue001)", text)
    return "".join(piece if i % 2 else str(escape(_unescape(piece))) for i, piece in enumerate(pieces))


def _safe_url(raw: str) -> str | None:
    """The URL if it is an allowed absolute link (after entity decoding), else None."""
    url = _unescape(raw).strip()
    if not url or any(ord(c) < 32 or c.isspace() for c in url):
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme not in ALLOWED_SCHEMES:
        return None
    if scheme in {"http", "https"} and not urlsplit(url).netloc:
        return None
    return url


def _link(url: str, label: str) -> str:
    return (f'<a href="{escape(url)}" class="mrkdwn-link" rel="noopener noreferrer nofollow" '
            f'target="_blank">{escape(label)}</a>')


def _angle(body: str, resolver: Resolver) -> str:
    """HTML for one `<...>` control sequence (escaped literal text if it is not a valid one)."""
    target, _, label = body.partition("|")
    label = _unescape(label)
    if target.startswith("@") and len(target) > 1:
        found = resolver.user(target[1:])
        name = found[0] if found else (label or "unknown user")
        href = found[1] if found else None
        inner = f"@{escape(name)}"
        attrs = f' data-user-id="{escape(target[1:])}"'
        if href:
            return f'<a class="mention" href="{escape(href)}"{attrs}>{inner}</a>'
        return f'<span class="mention"{attrs}>{inner}</span>'
    if target.startswith("#") and len(target) > 1:
        found = resolver.channel(target[1:])
        name = found[0] if found else (label or "unknown channel")
        href = found[1] if found else None
        inner = f"#{escape(name)}"
        if href:
            return f'<a class="channel-link" href="{escape(href)}">{inner}</a>'
        return f'<span class="channel-link">{inner}</span>'
    if target.startswith("!"):
        keyword = target[1:].split("^", 1)[0]
        if keyword in _SPECIAL:
            return f'<span class="mention mention-special">{escape(_SPECIAL[keyword])}</span>'
        if label:  # e.g. <!date^...|fallback>: show the fallback text
            return str(escape(label))
        return str(escape(f"<{_unescape(body)}>"))
    url = _safe_url(target)
    if url is not None:
        return _link(url, label or url)
    return str(escape(_unescape(f"<{body}>")))


def _inline(text: str, resolver: Resolver) -> str:
    """One line of text (no code blocks) rendered to HTML."""
    atoms: list[str] = []

    def stash(rendered: str) -> str:
        atoms.append(rendered)
        return f"\ue000{len(atoms) - 1}\ue001"

    def atom(match: re.Match) -> str:
        if match.group(1) is not None:
            return stash(f"<code>{escape(_unescape(match.group(1)))}</code>")
        return stash(_angle(match.group(2), resolver))

    def bare(match: re.Match) -> str:
        raw = match.group(0)
        tail = ""
        while raw and raw[-1] in _TRAILING_PUNCT:
            tail = raw[-1] + tail
            raw = raw[:-1]
        url = _safe_url(raw)
        return (stash(_link(url, _unescape(raw))) if url else raw) + tail

    text = _ATOM.sub(atom, text)
    text = _BARE_URL.sub(bare, text)
    out = _escape_around_placeholders(text)
    for pattern, tag in _EMPHASIS:
        out = pattern.sub(lambda m, t=tag: f"<{t}>{m.group(1)}</{t}>", out)
    out = _EMOJI.sub(lambda m: emoji_char(m.group(1)) or m.group(0), out)
    # atoms are inserted once and never re-scanned, so their text cannot smuggle placeholders
    return _PLACEHOLDER.sub(lambda m: atoms[int(m.group(1))], out)


def _lines(text: str, resolver: Resolver) -> str:
    """Text without code blocks: quotes grouped into <blockquote>, other lines joined by <br>."""
    parts: list[str] = []
    quote: list[str] = []
    plain: list[str] = []

    def flush_plain():
        if plain:
            parts.append("<br>".join(_inline(line, resolver) for line in plain))
            plain.clear()

    def flush_quote():
        if quote:
            parts.append("<blockquote>" + "<br>".join(_inline(line, resolver) for line in quote) + "</blockquote>")
            quote.clear()

    for line in text.split("\n"):
        match = _QUOTE.match(line)
        if match:
            flush_plain()
            quote.append(match.group(1))
        else:
            flush_quote()
            plain.append(line)
    flush_plain()
    flush_quote()
    return "".join(parts)


def render(text: str, resolver: Resolver | None = None) -> Markup:
    """Stored Slack text as safe HTML (mentions resolved through the resolver)."""
    resolver = resolver or Resolver()
    text = _PRIVATE.sub("", text or "").replace("\r\n", "\n")
    out: list[str] = []
    pos = 0
    for match in _CODE_BLOCK.finditer(text):
        before = text[pos:match.start()]
        if before.strip("\n"):
            out.append(_lines(before.strip("\n"), resolver))
        code = _unescape(match.group(1).strip("\n"))
        out.append(f'<pre class="code-block"><code>{escape(code)}</code></pre>')
        pos = match.end()
    rest = text[pos:]
    if rest.strip("\n") or not out:
        out.append(_lines(rest.strip("\n") if out else rest, resolver))
    return Markup("".join(out))


def plain_text(text: str, resolver: Resolver | None = None) -> str:
    """Stored Slack text as readable plain text (mentions as @Name, links as their labels)."""
    resolver = resolver or Resolver()

    def angle(match: re.Match) -> str:
        if match.group(1) is not None:
            return match.group(0)
        target, _, label = match.group(2).partition("|")
        if target.startswith("@"):
            found = resolver.user(target[1:])
            return "@" + (found[0] if found else (label or "unknown user"))
        if target.startswith("#"):
            found = resolver.channel(target[1:])
            return "#" + (found[0] if found else (label or "unknown channel"))
        if target.startswith("!"):
            return _SPECIAL.get(target[1:].split("^", 1)[0], label or "")
        return label or target

    return html.unescape(_ATOM.sub(angle, text or ""))


def escape_text(text: str) -> str:
    """Plain typed text in Slack's stored form: `&`, `<`, `>` as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def from_composer(text: str, users: dict[str, str], channels: dict[str, tuple[str, str]]) -> str:
    """What a person typed, encoded as Slack stores it.

    `users` maps a lower-case handle ("dana.whitfield") to a user id; `channels` maps a lower-case
    channel name to (id, name). Unknown @handles and #names stay as typed text, as in Slack.
    """
    encoded = escape_text(text)

    def user(match: re.Match) -> str:
        uid = users.get(match.group(1).lower())
        if uid is None:
            stripped = match.group(1).rstrip(".-_")
            uid = users.get(stripped.lower())
            if uid is not None:
                return f"<@{uid}>" + match.group(1)[len(stripped):]
            return match.group(0)
        return f"<@{uid}>"

    def channel(match: re.Match) -> str:
        found = channels.get(match.group(1).lower())
        return f"<#{found[0]}|{found[1]}>" if found else match.group(0)

    # the text is already escaped, so "&#..." entities never start a channel (the (?<!&) guard)
    return _COMPOSER_CHANNEL.sub(channel, _COMPOSER_MENTION.sub(user, encoded))


def mentioned_user_ids(text: str) -> list[str]:
    """User ids mentioned with `<@U...>` in stored text, in order, without repeats."""
    seen: list[str] = []
    for match in re.finditer(r"<@([A-Z0-9]+)(?:\|[^>]*)?>", text or ""):
        if match.group(1) not in seen:
            seen.append(match.group(1))
    return seen


def to_composer(text: str, handles: dict[str, str]) -> str:
    """Stored text back in the form a person types it (for editing): @handles, #names, plain characters.

    `handles` maps user ids to handles. Links with a label become their URL (the composer has no labels).
    """
    def angle(match: re.Match) -> str:
        if match.group(1) is not None:
            return match.group(0)
        target, _, label = match.group(2).partition("|")
        if target.startswith("@"):
            handle = handles.get(target[1:])
            return f"@{handle}" if handle else f"@{label or target[1:]}"
        if target.startswith("#"):
            return f"#{label}" if label else match.group(0)
        if target.startswith("!"):
            return _SPECIAL.get(target[1:].split("^", 1)[0], label or "")
        return target

    return html.unescape(_ATOM.sub(angle, text or ""))
