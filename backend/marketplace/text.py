"""Listing descriptions: Markdown rendered to HTML, then sanitized with nh3 (an allow-list).

Rendering happens once, at write time, so every read serves the stored, already-safe HTML;
raw HTML inside the Markdown is sanitized away like any other markup outside the allow-list.
"""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
MAX_MARKDOWN = 20_000


def render_description(source: str) -> str:
    html = markdown.markdown(source, extensions=["tables", "fenced_code"], output_format="html")
    # rel=noopener nofollow on links: authors must not gain search rank or window.opener from us.
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
