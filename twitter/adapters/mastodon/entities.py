"""Mastodon's entities, built from our views: ids as strings, instants in ISO 8601."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import quote

from twitter import __version__
from twitter.application.queries import AccountCounts, AccountView, ProfileView, TweetCard, UserView
from twitter.domain.entities import TweetEntities
from twitter.domain.model import TWEET_MAX_LENGTH, ReferenceType
from twitter.domain.oauth import OAuthApp

MASTODON_VERSION = f"4.2.0 (compatible; twitter {__version__})"
"""What clients parse: Mastodon.py needs N.N.N first, and warns for 4.3 and later."""


def instant(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def account(
    base: str, user: UserView | AccountView, profile: ProfileView | AccountCounts
) -> dict[str, Any]:
    """An Account, with the counts of its ``profile``."""
    url = f"{base}/web/u/{user.username}"
    return {
        "id": str(user.id),
        "username": user.username,
        "acct": user.username,
        "display_name": user.display_name,
        "locked": False,
        "bot": False,
        "group": False,
        "discoverable": True,
        "created_at": instant(user.created_at),
        "note": _note(user.bio),
        "url": url,
        "uri": url,
        "avatar": f"{base}/favicon.ico",
        "avatar_static": f"{base}/favicon.ico",
        "header": "",
        "header_static": "",
        "followers_count": profile.follower_count,
        "following_count": profile.following_count,
        "statuses_count": profile.tweet_count,
        "last_status_at": None,
        "emojis": [],
        "fields": [],
    }


def credential_account(base: str, user: AccountView, profile: ProfileView) -> dict[str, Any]:
    """The Account of verify_credentials: with its ``source``."""
    return {
        **account(base, user, profile),
        "source": {
            "note": user.bio,
            "fields": [],
            "privacy": "public",
            "sensitive": False,
            "language": None,
            "follow_requests_count": 0,
        },
    }


def _note(bio: str) -> str:
    return f"<p>{escape(bio)}</p>" if bio else ""


def application(app: OAuthApp) -> dict[str, Any]:
    """An Application, as registering it and verifying its credentials answer it."""
    return {
        "id": str(app.id),
        "name": app.name,
        "website": app.website,
        "scopes": sorted(app.scopes),
        "redirect_uri": "\n".join(app.redirect_uris),
        "redirect_uris": list(app.redirect_uris),
        "vapid_key": "",
    }


def instance_v1(host: str) -> dict[str, Any]:
    return {
        "uri": host,
        "title": "twitter",
        "short_description": "A Twitter-like service",
        "description": "A Twitter-like service that speaks the Mastodon client API.",
        "email": "",
        "version": MASTODON_VERSION,
        "urls": {},
        "thumbnail": None,
        "languages": ["en"],
        "registrations": True,
        "approval_required": False,
        "invites_enabled": False,
        "configuration": _configuration(),
        "contact_account": None,
        "rules": [],
    }


def instance_v2(host: str) -> dict[str, Any]:
    return {
        "domain": host,
        "title": "twitter",
        "version": MASTODON_VERSION,
        "source_url": "",
        "description": "A Twitter-like service that speaks the Mastodon client API.",
        "thumbnail": {"url": ""},
        "languages": ["en"],
        "configuration": {**_configuration(), "urls": {"streaming": None}},
        "registrations": {"enabled": True, "approval_required": False, "message": None},
        "contact": {"email": "", "account": None},
        "rules": [],
    }


def _configuration() -> dict[str, Any]:
    return {
        "accounts": {"max_featured_tags": 0},
        "statuses": {
            "max_characters": TWEET_MAX_LENGTH,
            "max_media_attachments": 0,
            "characters_reserved_per_url": 23,
        },
        "media_attachments": {"supported_mime_types": []},
        "polls": {"max_options": 0},
    }


def content(base: str, text: str, entities: TweetEntities) -> str:
    """A tweet's text as Mastodon's HTML: escaped, in one paragraph, line breaks as
    ``<br>``, hashtags and mentions as Mastodon marks them up (from the entities'
    offsets, never from anything in the text that looks like markup)."""
    links = [
        (
            tag.start,
            tag.end,
            f'<a href="{base}/web/tags/{quote(tag.tag, safe="")}" class="mention hashtag"'
            f' rel="tag">#<span>{escape(tag.tag)}</span></a>',
        )
        for tag in entities.hashtags
    ]
    links += [
        (
            m.start,
            m.end,
            f'<span class="h-card"><a href="{base}/web/u/{quote(m.username, safe="")}"'
            f' class="u-url mention">@<span>{escape(m.username)}</span></a></span>',
        )
        for m in entities.mentions
    ]
    parts, at = [], 0
    for start, end, html in sorted(links):
        if start < at or end > len(text):
            continue  # overlapping or stale offsets: that stretch stays text
        parts += [_text(text[at:start]), html]
        at = end
    parts.append(_text(text[at:]))
    return "<p>" + "".join(parts) + "</p>"


def _text(text: str) -> str:
    return escape(text).replace("\r\n", "<br>").replace("\n", "<br>")


def status(
    base: str, card: TweetCard, counts: dict[int, AccountCounts], *, with_text: bool = False
) -> dict[str, Any]:
    """A Status; a retweet is a reblog wrapping its original's Status. ``with_text``:
    the plain text too, as the answer to a deletion carries it."""
    tweet, author = card.tweet, card.author
    url = f"{base}/web/tweets/{tweet.id}"
    replied = next(
        (ref.id for ref in tweet.referenced_tweets if ref.type == ReferenceType.REPLIED_TO), None
    )
    original = card.original
    answer = {
        "id": str(tweet.id),
        "uri": url,
        "url": url,
        "created_at": instant(tweet.created_at),
        "account": account(base, author, counts.get(author.id, NO_COUNTS)),
        "content": "" if original else content(base, tweet.text, tweet.entities),
        "visibility": "public",
        "sensitive": False,
        "spoiler_text": "",
        "media_attachments": [],
        "mentions": [
            {
                "id": str(m.id),
                "username": m.username,
                "acct": m.username,
                "url": f"{base}/web/u/{m.username}",
            }
            for m in tweet.entities.mentions
        ],
        "tags": [
            {"name": tag.tag.lower(), "url": f"{base}/web/tags/{quote(tag.tag.lower(), safe='')}"}
            for tag in tweet.entities.hashtags
        ],
        "emojis": [],
        "reblogs_count": tweet.retweet_count,
        "favourites_count": tweet.like_count,
        "replies_count": tweet.reply_count,
        "in_reply_to_id": None if replied is None else str(replied),
        "in_reply_to_account_id": (
            None if tweet.in_reply_to_user_id is None else str(tweet.in_reply_to_user_id)
        ),
        "reblog": None if original is None else status(base, original, counts),
        "poll": None,
        "card": None,
        "language": None,
        "edited_at": None,
        "application": None,
        "favourited": card.liked_by_viewer,
        "reblogged": card.retweeted_by_viewer,
        "bookmarked": card.bookmarked_by_viewer,
        "muted": False,
        "pinned": False,
    }
    if with_text:
        answer["text"] = tweet.text
    return answer


def authors_of(cards: list[TweetCard]) -> set[int]:
    """Everyone a page of statuses shows as an account, originals' authors included."""
    return {c.author.id for c in cards} | {c.original.author.id for c in cards if c.original}


NO_COUNTS = AccountCounts(0, 0, 0)
"""The counts of an author whose account went between reading a page and its counts."""
