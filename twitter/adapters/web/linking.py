"""A tweet's text as HTML: escaped everywhere, with links made from its entities'
offsets (never from anything in the text that looks like markup)."""

from __future__ import annotations

from urllib.parse import quote

from markupsafe import Markup, escape

from twitter.domain.entities import TweetEntities


def linked_text(text: str, entities: TweetEntities) -> Markup:
    """``text`` escaped, each hashtag a link to its tag's page and each mention to the
    profile it names."""
    links: list[tuple[int, int, str, str]] = [
        (tag.start, tag.end, "hashtag", f"/web/tags/{quote(tag.tag, safe='')}")
        for tag in entities.hashtags
    ]
    links += [
        (m.start, m.end, "mention", f"/web/u/{quote(m.username, safe='')}")
        for m in entities.mentions
    ]
    parts: list[Markup] = []
    at = 0
    for start, end, kind, href in sorted(links):
        if start < at or end > len(text):
            continue  # overlapping or stale offsets: leave that stretch as text
        parts.append(escape(text[at:start]))
        parts.append(Markup('<a class="{}" href="{}">{}</a>').format(kind, href, text[start:end]))
        at = end
    parts.append(escape(text[at:]))
    return Markup("").join(parts)
