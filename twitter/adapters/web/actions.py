"""The forms' targets: each checks CSRF, calls one use case, then redirects (or, for the
page's script, answers the updated control alone)."""

from __future__ import annotations

import contextlib

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from twitter.adapters.client_address import client_address
from twitter.adapters.web.context import (
    Actor,
    Form,
    checked_form,
    field,
    run,
    safe_next,
    use_case,
    wants_fragment,
)
from twitter.adapters.web.pages import timeline_page
from twitter.adapters.web.rendering import render
from twitter.adapters.web.session import end_session, session_token, start_session
from twitter.application import commands
from twitter.domain.errors import (
    AlreadyFollowing,
    AlreadyLiked,
    AuthenticationFailed,
    DomainError,
    EmailAlreadyRegistered,
    FollowNotFound,
    InvalidInput,
    LikeNotFound,
    Throttled,
    UsernameTaken,
)
from twitter.domain.model import User

router = APIRouter()


def _back(form_next: str, default: str) -> RedirectResponse:
    return RedirectResponse(safe_next(form_next, default), status_code=303)


def _id(user: User) -> int:
    assert user.id is not None
    return user.id


def _field_of(error: DomainError) -> str:
    """Which form field an error belongs beside ("form" when it is about the whole form)."""
    if isinstance(error, InvalidInput):
        return error.field
    if isinstance(error, EmailAlreadyRegistered):
        return "email"
    if isinstance(error, UsernameTaken):
        return "username"
    return "form"


@router.post("/signup")
async def signup(request: Request, form: Form) -> Response:
    values = {name: field(form, name) for name in ("email", "username")}
    client = client_address(request)
    command = commands.RegisterUser(
        email=values["email"],
        password=field(form, "password"),
        username=values["username"] or None,
        client=client,
    )
    try:
        user = await run(use_case(request, "register_user"), command)
    except DomainError as error:
        status, headers = (422 if isinstance(error, InvalidInput) else 400), None
        if isinstance(error, Throttled):
            status, headers = 429, {"Retry-After": str(error.retry_after_seconds)}
        errors = {_field_of(error): error.message}
        return render(
            request,
            "signup.html",
            status_code=status,
            headers=headers,
            values=values,
            errors=errors,
        )
    response = RedirectResponse("/web/home", status_code=303)
    start_session(request, response, request.app.state.container.token_service().issue(user.id))
    return response


@router.post("/login")
async def login(request: Request, form: Form) -> Response:
    values = {"login": field(form, "login")}
    next_page = field(form, "next")
    client = client_address(request)
    command = commands.Authenticate(
        login=values["login"], password=field(form, "password"), client=client
    )
    try:
        token = await run(use_case(request, "authenticate"), command)
    except DomainError as error:
        status, headers = 401, None
        if isinstance(error, Throttled):
            status, headers = 429, {"Retry-After": str(error.retry_after_seconds)}
        return render(
            request,
            "login.html",
            status_code=status,
            headers=headers,
            values=values,
            errors={"form": error.message},
            next=next_page,
        )
    response = _back(next_page, "/web/home")
    start_session(request, response, token)
    return response


@router.post("/logout", dependencies=[Depends(checked_form)])
async def logout(request: Request) -> Response:
    """The session's token is revoked, not only its cookie dropped: a copy of it (another
    tab's, a stolen one) stops working too."""
    token = session_token(request)
    if token:
        # A token that is already invalid has nothing left to revoke.
        with contextlib.suppress(AuthenticationFailed):
            await run(use_case(request, "revoke_token"), token)
    response = RedirectResponse("/web/", status_code=303)
    end_session(request, response)
    return response


@router.post("/tweets")
async def post_tweet(request: Request, form: Form, actor: Actor) -> Response:
    text = field(form, "text")
    command = commands.PostTweet(actor_id=_id(actor), owner_id=_id(actor), text=text)
    try:
        await run(use_case(request, "post_tweet"), command)
    except InvalidInput as error:
        return await timeline_page(
            request, actor, None, home=True, status_code=422, text=text,
            errors={error.field: error.message},
        )  # fmt: skip
    return RedirectResponse("/web/home", status_code=303)


@router.post("/tweets/{tweet_id}/delete")
async def delete_tweet(request: Request, tweet_id: int, form: Form, actor: Actor) -> Response:
    command = commands.DeleteTweet(actor_id=_id(actor), tweet_id=tweet_id)
    await run(use_case(request, "delete_tweet"), command)
    return _back(field(form, "next"), f"/web/u/{actor.username}")


async def _like_control(request: Request, tweet_id: int, actor: User, next_page: str) -> Response:
    tweet = await run(use_case(request, "get_tweet"), tweet_id)
    views = await run(use_case(request, "describe_tweets"), [tweet], actor.id)
    return render(request, "_like.html", view=views[0], here=next_page)


@router.post("/tweets/{tweet_id}/like")
async def like(request: Request, tweet_id: int, form: Form, actor: Actor) -> Response:
    command = commands.LikeTweet(actor_id=_id(actor), user_id=_id(actor), tweet_id=tweet_id)
    # A second click, or another tab: the outcome asked for holds already.
    with contextlib.suppress(AlreadyLiked):
        await run(use_case(request, "like_tweet"), command)
    return await _after_like(request, tweet_id, form, actor)


@router.post("/tweets/{tweet_id}/unlike")
async def unlike(request: Request, tweet_id: int, form: Form, actor: Actor) -> Response:
    command = commands.UnlikeTweet(actor_id=_id(actor), user_id=_id(actor), tweet_id=tweet_id)
    with contextlib.suppress(LikeNotFound):
        await run(use_case(request, "unlike_tweet"), command)
    return await _after_like(request, tweet_id, form, actor)


async def _after_like(request: Request, tweet_id: int, form: Form, actor: User) -> Response:
    next_page = safe_next(field(form, "next"), f"/web/tweets/{tweet_id}")
    if wants_fragment(request):
        return await _like_control(request, tweet_id, actor, next_page)
    return RedirectResponse(next_page, status_code=303)


@router.post("/u/{username}/follow")
async def follow(request: Request, username: str, form: Form, actor: Actor) -> Response:
    target = await run(use_case(request, "get_user_by_username"), username)
    command = commands.FollowUser(actor_id=_id(actor), user_id=_id(actor), target_user_id=target.id)
    with contextlib.suppress(AlreadyFollowing):
        await run(use_case(request, "follow_user"), command)
    return await _after_follow(request, target, form, actor)


@router.post("/u/{username}/unfollow")
async def unfollow(request: Request, username: str, form: Form, actor: Actor) -> Response:
    target = await run(use_case(request, "get_user_by_username"), username)
    command = commands.UnfollowUser(
        actor_id=_id(actor), user_id=_id(actor), target_user_id=target.id
    )
    with contextlib.suppress(FollowNotFound):
        await run(use_case(request, "unfollow_user"), command)
    return await _after_follow(request, target, form, actor)


async def _after_follow(request: Request, target: User, form: Form, actor: User) -> Response:
    next_page = safe_next(field(form, "next"), f"/web/u/{target.username}")
    if wants_fragment(request):
        found = await run(use_case(request, "get_profile"), target.username, actor.id)
        return render(request, "_follow.html", profile=found, here=next_page)
    return RedirectResponse(next_page, status_code=303)
