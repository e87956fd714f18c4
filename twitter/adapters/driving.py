"""What every driving adapter (the JSON API, the web pages, and later the Mastodon
API) needs, written once: typed access to the use cases and the read port, the hop
to a worker thread, the client's address, the status of each domain error, and the
answer to an unavailable store. The adapters may not import each other; they share
this module instead."""

from __future__ import annotations

from typing import Protocol

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from twitter.adapters.status_codes import status_of
from twitter.application import use_cases
from twitter.application.idempotency import IdempotencyKeys
from twitter.application.ports import Clock, TokenService
from twitter.application.queries import Reads
from twitter.application.throttling import RateLimitStatus
from twitter.domain.errors import DomainError, Throttled, TooManyWrites
from twitter.settings import Settings

__all__ = [
    "RATE_LIMIT_HEADERS",
    "RETRY_AFTER_UNAVAILABLE",
    "UNAVAILABLE",
    "Services",
    "client_address",
    "headers_of",
    "rate_limit",
    "rate_limit_headers",
    "run",
    "services",
    "status_of",
]

UNAVAILABLE = "The service is temporarily unavailable; try again shortly"
RETRY_AFTER_UNAVAILABLE = "5"
"""Seconds a client should wait before trying again when the store is unreachable."""


def headers_of(error: DomainError) -> dict[str, str] | None:
    """The headers an answer to ``error`` carries: when to try again, past a limit."""
    if isinstance(error, Throttled):
        return {"Retry-After": str(error.retry_after_seconds)}
    return None


run = run_in_threadpool
"""Run a synchronous use case (a write) off the event loop: one hop to a thread.
Reads are awaited directly."""


class Services(Protocol):
    """What the composition root hands the driving adapters, by type: a misspelt name
    is a mypy error, not a 500. Each is resolved per request, so overriding a
    provider of the container takes effect at once."""

    def reads(self) -> Reads: ...
    def identify_user(self) -> use_cases.IdentifyUser: ...
    def get_home_timeline(self) -> use_cases.GetHomeTimeline: ...
    def check_health(self) -> use_cases.CheckHealth: ...
    def register_user(self) -> use_cases.RegisterUser: ...
    def authenticate(self) -> use_cases.Authenticate: ...
    def revoke_token(self) -> use_cases.RevokeToken: ...
    def delete_user(self) -> use_cases.DeleteUser: ...
    def post_tweet(self) -> use_cases.PostTweet: ...
    def delete_tweet(self) -> use_cases.DeleteTweet: ...
    def like_tweet(self) -> use_cases.LikeTweet: ...
    def unlike_tweet(self) -> use_cases.UnlikeTweet: ...
    def follow_user(self) -> use_cases.FollowUser: ...
    def unfollow_user(self) -> use_cases.UnfollowUser: ...
    def retweet_tweet(self) -> use_cases.RetweetTweet: ...
    def undo_retweet(self) -> use_cases.UndoRetweet: ...
    def edit_profile(self) -> use_cases.EditProfile: ...
    def list_notifications(self) -> use_cases.ListNotifications: ...
    def mark_notifications_read(self) -> use_cases.MarkNotificationsRead: ...
    def count_write(self) -> use_cases.CountWrite: ...
    def peek_writes(self) -> use_cases.PeekWrites: ...
    def idempotency_keys(self) -> IdempotencyKeys: ...
    def register_app(self) -> use_cases.RegisterApp: ...
    def grant_password_token(self) -> use_cases.GrantPasswordToken: ...
    def authenticate_app(self) -> use_cases.AuthenticateApp: ...
    def block_user(self) -> use_cases.BlockUser: ...
    def unblock_user(self) -> use_cases.UnblockUser: ...
    def list_blocking(self) -> use_cases.ListBlocking: ...
    def mute_user(self) -> use_cases.MuteUser: ...
    def unmute_user(self) -> use_cases.UnmuteUser: ...
    def list_muting(self) -> use_cases.ListMuting: ...
    def bookmark_tweet(self) -> use_cases.BookmarkTweet: ...
    def remove_bookmark(self) -> use_cases.RemoveBookmark: ...
    def list_bookmarks(self) -> use_cases.ListBookmarks: ...
    def search_tweets(self) -> use_cases.SearchTweets: ...
    def search_users(self) -> use_cases.SearchUsers: ...
    def secret(self) -> str: ...
    def clock(self) -> Clock: ...
    def token_service(self) -> TokenService: ...
    def settings(self) -> Settings: ...


def services(request: Request) -> Services:
    """The services of the app that serves ``request`` (set by ``twitter.main``)."""
    found: Services = request.app.state.services
    return found


_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def rate_limit(request: Request, svc: Services, user_id: int) -> None:
    """Count the request against the user's writes (a read counts nothing), past the
    limit TooManyWrites; where they stand is left in ``request.state.rate_limit``,
    for ``rate_limit_headers`` on the answer, the refusal included."""
    if request.method in _READ_METHODS:
        request.state.rate_limit = await svc.peek_writes()(user_id)
        return
    try:
        request.state.rate_limit = await run(svc.count_write(), user_id)
    except TooManyWrites:
        request.state.rate_limit = await svc.peek_writes()(user_id)
        raise


RATE_LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


def rate_limit_headers(status: RateLimitStatus) -> dict[str, str]:
    """``X-RateLimit-*`` as Mastodon sends them: the reset an ISO 8601 instant in UTC."""
    reset = status.resets_at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    values = (str(status.limit), str(status.remaining), reset)
    return dict(zip(RATE_LIMIT_HEADERS, values, strict=True))


def client_address(request: Request) -> str | None:
    """The peer's address as the throttles count it (the proxy's client when uvicorn
    trusts the proxy); None when the server does not know it."""
    return request.client.host if request.client else None
