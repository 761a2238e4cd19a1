"""Turning untrusted text and HTML into something safe to show."""

from __future__ import annotations

import html as html_lib
import re

import nh3

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_URL_RE = re.compile(r"(https?://[^\s<>\"']+)")


def clean_html(raw: str) -> str:
    """Sanitise HTML from outside: an allow-list of tags and attributes, safe links only."""
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def text_to_html(text: str) -> str:
    """Plain text to safe HTML: escaped, paragraphs and line breaks kept, links clickable."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    parts = []
    for paragraph in paragraphs:
        escaped = html_lib.escape(paragraph)
        linked = _URL_RE.sub(
            lambda m: f'<a href="{m.group(1)}" rel="noopener noreferrer nofollow">{m.group(1)}</a>',
            escaped,
        )
        parts.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return clean_html("".join(parts))


def html_to_text(raw: str) -> str:
    """A readable plain-text version of an HTML message (for search, previews and email)."""
    without_blocks = re.sub(r"(?is)<(script|style|head)[^>]*>.*?</\1>", " ", raw)
    with_breaks = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>|</tr>|</h[1-6]>", "\n", without_blocks)
    stripped = re.sub(r"<[^>]+>", "", with_breaks)
    text = html_lib.unescape(stripped)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r"\n\s*\n\s*\n+", "\n\n", text)
    return text.strip()


def preview_of(text: str, length: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"
