"""The pages: each reads through use cases and renders one template."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from twitter.adapters.web.context import Viewer, current_viewer, run, use_case
from twitter.adapters.web.rendering import render
from twitter.application.pagination import MAX_ID, Page, PageRequest
from twitter.application.use_cases import TweetView
from twitter.domain.errors import TweetNotFound
from twitter.domain.model import Tweet, User

PAGE_SIZE = 20

# Every page knows its viewer (the navigation shows who is logged in).
router = APIRouter(dependencies=[Depends(current_viewer)])

Cursor = Annotated[int | None, Query(ge=0, le=MAX_ID)]


def _page(max_id: int | None) -> PageRequest:
    return PageRequest(limit=PAGE_SIZE, max_id=max_id)


async def _described(request: Request, page: Page[Tweet], viewer: User | None) -> list[TweetView]:
    views: list[TweetView] = await run(
        use_case(request, "describe_tweets"), page.items, viewer.id if viewer else None
    )
    return views


async def timeline_page(
    request: Request,
    viewer: User | None,
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
        assert viewer.id is not None
        page = await run(
            use_case(request, "get_home_timeline"), viewer.id, viewer.id, _page(max_id)
        )
    else:
        page = await run(use_case(request, "list_tweets"), _page(max_id))
    form.setdefault("text", "")
    form.setdefault("errors", {})
    return render(
        request,
        "timeline.html",
        status_code=status_code,
        home=home,
        tweets=await _described(request, page, viewer),
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
    found = await run(use_case(request, "get_profile"), username, viewer.id if viewer else None)
    page = await run(use_case(request, "list_user_tweets"), found.user.id, _page(max_id))
    return render(
        request,
        "profile.html",
        profile=found,
        tweets=await _described(request, page, viewer),
        next_cursor=page.next_cursor,
    )


@router.get("/tweets/{tweet_id}")
async def tweet(request: Request, tweet_id: int, viewer: Viewer, max_id: Cursor = None) -> Response:
    found = await run(use_case(request, "get_tweet"), tweet_id)
    likers = await run(use_case(request, "list_liking_users"), tweet_id, _page(max_id))
    views = await run(use_case(request, "describe_tweets"), [found], viewer.id if viewer else None)
    if not views:  # its author was deleted between the two reads
        raise TweetNotFound()
    return render(
        request,
        "tweet.html",
        view=views[0],
        likers=likers.items,
        next_cursor=likers.next_cursor,
    )


@router.get("/signup")
async def signup_form(request: Request) -> Response:
    return render(request, "signup.html", values={}, errors={})


@router.get("/login")
async def login_form(request: Request, next: str = "") -> Response:
    return render(request, "login.html", values={"login": ""}, errors={}, next=next)
