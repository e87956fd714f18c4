"""A tweet's entities as the stores keep them: compact JSON text in the tweet's row,
written once when it is posted, read by every adapter that reads tweets (the
persistence and read adapters share this module, as they may not import each other).

``{"h": [[start, end, tag], ...], "m": [[start, end, username, id], ...]}``; either
key is left out when empty, so a tweet without entities stores ``{}``."""

from __future__ import annotations

import json

from twitter.domain.entities import Hashtag, MentionedUser, TweetEntities

NONE = "{}"


def dump(entities: TweetEntities) -> str:
    stored: dict[str, list[list[object]]] = {}
    if entities.hashtags:
        stored["h"] = [[tag.start, tag.end, tag.tag] for tag in entities.hashtags]
    if entities.mentions:
        stored["m"] = [[m.start, m.end, m.username, m.id] for m in entities.mentions]
    return json.dumps(stored, ensure_ascii=False, separators=(",", ":")) if stored else NONE


def load(text: str) -> TweetEntities:
    if text == NONE:
        return TweetEntities()
    stored = json.loads(text)
    return TweetEntities(
        hashtags=tuple(Hashtag(*row) for row in stored.get("h", ())),
        mentions=tuple(MentionedUser(*row) for row in stored.get("m", ())),
    )
