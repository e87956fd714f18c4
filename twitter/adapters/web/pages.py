"""The pages: each reads through the read port (or a use case in front of it) and
renders one template."""

from __future__ import annotations

import contextlib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from twitter.adapters.driving import services
from twitter.adapters.web.context import Viewer, current_viewer
from twitter.adapters.web.rendering import render
from twitter.application.pagination import MAX_ID, PageRequest
from twitter.application.queries import AccountView
from twitter.domain.errors import InvalidInput

PAGE_SIZE = 20

# Every page knows its viewer (the navigation shows who is logged in).
router = APIRouter(dependencies=[Depends(current_viewer)])

Cursor = Annotated[int | None, Query(ge=0, le=MAX_ID)]


def _page(max_id: int | None) -> PageRequest:
    return PageRequest(limit=PAGE_SIZE, max_id=max_id)


async def timeline_page(
    request: Request,
    viewer: AccountView | None,
    max_id: int | None,
    *,
    home: bool,
    status_code: int = 200,
    **form: Any,
) -> Response:
    """The public timeline or, with ``home``, the viewer's home timeline and the tweet form."""
    if home:
        if viewer is None:
            return RedirectResponse("/web/login", status_code=303)
        timeline = services(request).get_home_timeline()
        page = await timeline(viewer.id, viewer.id, _page(max_id), mark_liked=True)
    else:
        page = await services(request).reads().tweets(_page(max_id), viewer.id if viewer else None)
    form.setdefault("text", "")
    form.setdefault("errors", {})
    return render(
        request,
        "timeline.html",
        status_code=status_code,
        home=home,
        tweets=page.items,
        next_cursor=page.next_cursor,
        **form,
    )


@router.get("/")
async def public_timeline(request: Request, viewer: Viewer, max_id: Cursor = None) -> Response:
    return await timeline_page(request, viewer, max_id, home=False)


@router.get("/home")
async def home_timeline(request: Request, viewer: Viewer, max_id: Cursor = None) -> Response:
    return await timeline_page(request, viewer, max_id, home=True)


@router.get("/u/{username}")
async def profile(
    request: Request, username: str, viewer: Viewer, max_id: Cursor = None
) -> Response:
    reads, viewer_id = services(request).reads(), viewer.id if viewer else None
    found = await reads.profile(username, viewer_id)
    page = await reads.user_tweets(found.user.id, _page(max_id), viewer_id)
    return render(
        request,
        "profile.html",
        profile=found,
        tweets=page.items,
        next_cursor=page.next_cursor,
    )


@router.get("/tweets/{tweet_id}")
async def tweet(request: Request, tweet_id: int, viewer: Viewer, max_id: Cursor = None) -> Response:
    return await thread_page(request, viewer, tweet_id, max_id)


async def thread_page(
    request: Request,
    viewer: AccountView | None,
    tweet_id: int,
    max_id: int | None = None,
    *,
    status_code: int = 200,
    text: str = "",
    errors: dict[str, str] | None = None,
) -> Response:
    """A tweet with its thread (ancestors above, replies below), the reply form (with
    ``text`` and ``errors`` when a reply was refused) and who liked it."""
    reads, viewer_id = services(request).reads(), viewer.id if viewer else None
    card = await reads.tweet(tweet_id, viewer_id)
    thread = await reads.context(tweet_id, viewer_id)
    likers = await reads.liking_users(tweet_id, _page(max_id))
    return render(
        request,
        "tweet.html",
        status_code=status_code,
        view=card,
        thread=thread,
        likers=likers.items,
        next_cursor=likers.next_cursor,
        text=text,
        errors=errors or {},
    )


@router.get("/tweets/{tweet_id}/quote")
async def quote_form(request: Request, tweet_id: int, viewer: Viewer) -> Response:
    return await quote_page(request, viewer, tweet_id)


async def quote_page(
    request: Request,
    viewer: AccountView | None,
    tweet_id: int,
    *,
    status_code: int = 200,
    text: str = "",
    errors: dict[str, str] | None = None,
) -> Response:
    if viewer is None:
        return RedirectResponse(f"/web/login?next=/web/tweets/{tweet_id}/quote", status_code=303)
    card = await services(request).reads().tweet(tweet_id, viewer.id)
    return render(
        request, "quote.html", status_code=status_code, view=card, text=text, errors=errors or {}
    )


@router.get("/tags/{tag}")
async def tag(request: Request, tag: str, viewer: Viewer, max_id: Cursor = None) -> Response:
    reads, viewer_id = services(request).reads(), viewer.id if viewer else None
    page = await reads.tagged_tweets(tag, _page(max_id), viewer_id)
    return render(request, "tag.html", tag=tag, tweets=page.items, next_cursor=page.next_cursor)


@router.get("/notifications")
async def notifications(request: Request, viewer: Viewer, max_id: Cursor = None) -> Response:
    if viewer is None:
        return RedirectResponse("/web/login?next=/web/notifications", status_code=303)
    page = await services(request).list_notifications()(viewer.id, viewer.id, _page(max_id))
    return render(
        request, "notifications.html", notifications=page.items, next_cursor=page.next_cursor
    )


SEARCH_PEOPLE = 5


@router.get("/search")
async def search(request: Request, viewer: Viewer, q: str = "", max_id: Cursor = None) -> Response:
    """Tweets holding the words and people whose username starts with them."""
    svc, viewer_id = services(request), viewer.id if viewer else None
    found: dict[str, Any] = {"people": [], "tweets": [], "next_cursor": None, "error": None}
    if q.strip():
        try:
            page = await svc.search_tweets()(q, _page(max_id), viewer_id)
            found.update(tweets=page.items, next_cursor=page.next_cursor)
        except InvalidInput as error:
            found["error"] = error.message.replace("q must", "A search must")
        with contextlib.suppress(InvalidInput):  # the tweets' error says it already
            found["people"] = await svc.search_users()(q, SEARCH_PEOPLE)
    status = 422 if found["error"] else 200
    return render(request, "search.html", status_code=status, query=q, **found)


@router.get("/bookmarks")
async def bookmarks(request: Request, viewer: Viewer, max_id: Cursor = None) -> Response:
    if viewer is None:
        return RedirectResponse("/web/login?next=/web/bookmarks", status_code=303)
    bookmarked = services(request).list_bookmarks()
    page = await bookmarked(viewer.id, viewer.id, _page(max_id), mark_liked=True)
    return render(request, "bookmarks.html", tweets=page.items, next_cursor=page.next_cursor)


@router.get("/settings")
async def settings(request: Request, viewer: Viewer) -> Response:
    if viewer is None:
        return RedirectResponse("/web/login?next=/web/settings", status_code=303)
    values = {"display_name": viewer.display_name, "bio": viewer.bio}
    saved = request.query_params.get("saved") == "1"
    return render(request, "settings.html", values=values, errors={}, saved=saved)


@router.get("/signup")
async def signup_form(request: Request) -> Response:
    return render(request, "signup.html", values={}, errors={})


@router.get("/login")
async def login_form(request: Request, next: str = "") -> Response:
    return render(request, "login.html", values={"login": ""}, errors={}, next=next)
