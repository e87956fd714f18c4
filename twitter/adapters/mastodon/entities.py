"""Mastodon's entities, built from our views: ids as strings, instants in ISO 8601."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from twitter import __version__
from twitter.application.queries import AccountView, ProfileView, UserView
from twitter.domain.model import TWEET_MAX_LENGTH

MASTODON_VERSION = f"4.2.0 (compatible; twitter {__version__})"
"""What clients parse: Mastodon.py needs N.N.N first, and warns for 4.3 and later."""


def instant(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def account(base: str, user: UserView | AccountView, profile: ProfileView) -> dict[str, Any]:
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
