"""Message bodies made safe to show: HTML sanitised with nh3 (ammonia), text escaped and clipped."""

from __future__ import annotations

import re

import nh3
from markupsafe import Markup, escape

# Gmail clips long messages at about 102 KB and offers "View entire message"; so does the mock.
CLIP_CHARS = 100_000

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "center", "code", "col", "colgroup", "dd", "del", "div",
    "dl", "dt", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "ol", "p",
    "pre", "q", "s", "small", "span", "strike", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}
_ATTRIBUTES = {
    "*": {"align", "valign", "width", "height", "title", "dir", "lang"},
    "a": {"href", "name"},
    "img": {"src", "alt"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "font": {"color", "size"},
}
_URL_SCHEMES = {"http", "https", "mailto", "cid", "tel"}
_URL = re.compile(r"(https?://[^\s<>\"']+)")


def sanitize_html(markup: str) -> tuple[Markup, bool]:
    """Sanitised HTML safe to embed in a page, and whether it was clipped for length."""
    clipped = len(markup) > CLIP_CHARS
    if clipped:
        markup = markup[:CLIP_CHARS]
    cleaned = nh3.clean(
        markup,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style", "title", "head"},
        strip_comments=True,
    )
    return Markup(cleaned), clipped


def text_to_html(text: str) -> tuple[Markup, bool]:
    """Plain text escaped, with http(s) links made clickable, and whether it was clipped."""
    clipped = len(text) > CLIP_CHARS
    if clipped:
        text = text[:CLIP_CHARS]
    parts = _URL.split(text)
    out = []
    for i, part in enumerate(parts):
        if i % 2:  # captured URL: only http(s) by construction, so never javascript:
            href = escape(part)
            out.append(f'<a href="{href}" rel="noopener noreferrer nofollow" target="_blank">{href}</a>')
        else:
            out.append(str(escape(part)))
    return Markup("".join(out)), clipped
