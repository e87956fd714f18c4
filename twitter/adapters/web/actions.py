"""The forms' targets: each checks CSRF, calls one use case, then redirects (or, for the
page's script, answers the updated control alone)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from twitter.adapters.driving import client_address, headers_of, run, services, status_of
from twitter.adapters.web.context import (
    Actor,
    Form,
    checked_form,
    field,
    safe_next,
    wants_fragment,
)
from twitter.adapters.web.pages import quote_page, thread_page, timeline_page
from twitter.adapters.web.rendering import render
from twitter.adapters.web.session import end_session, session_token, start_session
from twitter.application import commands
from twitter.application.queries import AccountView, UserView
from twitter.domain.errors import (
    AlreadyBlocking,
    AlreadyBookmarked,
    AlreadyFollowing,
    AlreadyLiked,
    AlreadyMuting,
    AlreadyRetweeted,
    AuthenticationFailed,
    BlockNotFound,
    BookmarkNotFound,
    DomainError,
    EmailAlreadyRegistered,
    FollowNotFound,
    InvalidInput,
    LikeNotFound,
    MuteNotFound,
    RetweetNotFound,
    UsernameTaken,
)

router = APIRouter()


def _back(form_next: str, default: str) -> RedirectResponse:
    return RedirectResponse(safe_next(form_next, default), status_code=303)


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
    command = commands.Registration(
        email=values["email"],
        password=field(form, "password"),
        username=values["username"] or None,
        client=client,
    )
    try:
        user = await run(services(request).register_user(), command)
    except DomainError as error:
        status, headers = status_of(error), headers_of(error)
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
    assert user.id is not None
    start_session(request, response, services(request).token_service().issue(user.id))
    return response


@router.post("/login")
async def login(request: Request, form: Form) -> Response:
    values = {"login": field(form, "login")}
    next_page = field(form, "next")
    client = client_address(request)
    command = commands.LoginAttempt(
        login=values["login"], password=field(form, "password"), client=client
    )
    try:
        token = await run(services(request).authenticate(), command)
    except DomainError as error:
        status, headers = status_of(error), headers_of(error)
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
            await run(services(request).revoke_token(), token)
    response = RedirectResponse("/web/", status_code=303)
    end_session(request, response)
    return response


def _id_field(form: FormData, name: str) -> int | None:
    """An id from a hidden field; a value no id can have is refused as 422."""
    value = field(form, name)
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 19:
        raise InvalidInput(name, f"{name} must be an id")
    return int(value)


@router.post("/tweets")
async def post_tweet(request: Request, form: Form, actor: Actor) -> Response:
    """A tweet from the home page, a reply from a thread, a quote from its composer;
    a refused text comes back to the form it was typed in."""
    text = field(form, "text")
    parent_id, quoted_id = _id_field(form, "in_reply_to_id"), _id_field(form, "quote_tweet_id")
    command = commands.NewTweet(
        actor_id=actor.id,
        owner_id=actor.id,
        text=text,
        in_reply_to_id=parent_id,
        quote_tweet_id=quoted_id,
    )
    try:
        tweet = await run(services(request).post_tweet(), command)
    except InvalidInput as error:
        errors = {error.field: error.message}
        if parent_id is not None:
            return await thread_page(
                request, actor, parent_id, status_code=422, text=text, errors=errors
            )
        if quoted_id is not None:
            return await quote_page(
                request, actor, quoted_id, status_code=422, text=text, errors=errors
            )
        return await timeline_page(
            request, actor, None, home=True, status_code=422, text=text, errors=errors
        )
    if parent_id is not None:
        return RedirectResponse(f"/web/tweets/{parent_id}#tweet-{tweet.id}", status_code=303)
    if quoted_id is not None:
        return RedirectResponse(f"/web/tweets/{tweet.id}", status_code=303)
    return RedirectResponse("/web/home", status_code=303)


@router.post("/tweets/{tweet_id}/delete")
async def delete_tweet(request: Request, tweet_id: int, form: Form, actor: Actor) -> Response:
    command = commands.TweetRemoval(actor_id=actor.id, tweet_id=tweet_id)
    await run(services(request).delete_tweet(), command)
    return _back(field(form, "next"), f"/web/u/{actor.username}")


async def _like_control(
    request: Request, tweet_id: int, actor: AccountView, next_page: str
) -> Response:
    card = await services(request).reads().tweet(tweet_id, actor.id)
    return render(request, "_like.html", view=card, here=next_page)


@router.post("/tweets/{tweet_id}/like")
async def like(request: Request, tweet_id: int, form: Form, actor: Actor) -> Response:
    command = commands.NewLike(actor_id=actor.id, user_id=actor.id, tweet_id=tweet_id)
    # A second click, or another tab: the outcome asked for holds already.
    with contextlib.suppress(AlreadyLiked):
        await run(services(request).like_tweet(), command)
    return await _after_like(request, tweet_id, form, actor)


@router.post("/tweets/{tweet_id}/unlike")
async def unlike(request: Request, tweet_id: int, form: Form, actor: Actor) -> Response:
    command = commands.LikeRemoval(actor_id=actor.id, user_id=actor.id, tweet_id=tweet_id)
    with contextlib.suppress(LikeNotFound):
        await run(services(request).unlike_tweet(), command)
    return await _after_like(request, tweet_id, form, actor)


async def _after_like(request: Request, tweet_id: int, form: Form, actor: AccountView) -> Response:
    next_page = safe_next(field(form, "next"), f"/web/tweets/{tweet_id}")
    if wants_fragment(request):
        return await _like_control(request, tweet_id, actor, next_page)
    return RedirectResponse(next_page, status_code=303)


@router.post("/tweets/{tweet_id}/retweet")
async def retweet(request: Request, tweet_id: int, form: Form, actor: Actor) -> Response:
    command = commands.NewRetweet(actor_id=actor.id, user_id=actor.id, tweet_id=tweet_id)
    with contextlib.suppress(AlreadyRetweeted):
        await run(services(request).retweet_tweet(), command)
    return await _after_retweet(request, tweet_id, form, actor)


@router.post("/tweets/{tweet_id}/unretweet")
async def unretweet(request: Request, tweet_id: int, form: Form, actor: Actor) -> Response:
    command = commands.RetweetRemoval(actor_id=actor.id, user_id=actor.id, tweet_id=tweet_id)
    with contextlib.suppress(RetweetNotFound):
        await run(services(request).undo_retweet(), command)
    return await _after_retweet(request, tweet_id, form, actor)


async def _after_retweet(
    request: Request, tweet_id: int, form: Form, actor: AccountView
) -> Response:
    next_page = safe_next(field(form, "next"), f"/web/tweets/{tweet_id}")
    if wants_fragment(request):
        card = await services(request).reads().tweet(tweet_id, actor.id)
        return render(request, "_retweet.html", view=card.original or card, here=next_page)
    return RedirectResponse(next_page, status_code=303)


@router.post("/notifications/read")
async def mark_read(request: Request, form: Form, actor: Actor) -> Response:
    newest = _id_field(form, "max_id") or 0
    command = commands.NotificationsRead(actor_id=actor.id, user_id=actor.id, max_id=newest)
    await run(services(request).mark_notifications_read(), command)
    return RedirectResponse("/web/notifications", status_code=303)


@router.post("/settings")
async def edit_profile(request: Request, form: Form, actor: Actor) -> Response:
    values = {name: field(form, name) for name in ("display_name", "bio")}
    command = commands.ProfileEdit(actor_id=actor.id, **values)
    try:
        await run(services(request).edit_profile(), command)
    except InvalidInput as error:
        return render(
            request,
            "settings.html",
            status_code=422,
            values=values,
            errors={error.field: error.message},
            saved=False,
        )
    return RedirectResponse("/web/settings?saved=1", status_code=303)


@router.post("/u/{username}/follow")
async def follow(request: Request, username: str, form: Form, actor: Actor) -> Response:
    target = await services(request).reads().user_by_username(username)
    command = commands.NewFollow(actor_id=actor.id, user_id=actor.id, target_user_id=target.id)
    with contextlib.suppress(AlreadyFollowing):
        await run(services(request).follow_user(), command)
    return await _after_follow(request, target, form, actor)


@router.post("/u/{username}/unfollow")
async def unfollow(request: Request, username: str, form: Form, actor: Actor) -> Response:
    target = await services(request).reads().user_by_username(username)
    command = commands.FollowRemoval(actor_id=actor.id, user_id=actor.id, target_user_id=target.id)
    with contextlib.suppress(FollowNotFound):
        await run(services(request).unfollow_user(), command)
    return await _after_follow(request, target, form, actor)


@router.post("/tweets/{tweet_id}/bookmark")
async def bookmark(request: Request, tweet_id: int, form: Form, actor: Actor) -> Response:
    command = commands.BookmarkChange(actor_id=actor.id, user_id=actor.id, tweet_id=tweet_id)
    with contextlib.suppress(AlreadyBookmarked):
        await run(services(request).bookmark_tweet(), command)
    return _back(field(form, "next"), f"/web/tweets/{tweet_id}")


@router.post("/tweets/{tweet_id}/unbookmark")
async def unbookmark(request: Request, tweet_id: int, form: Form, actor: Actor) -> Response:
    command = commands.BookmarkChange(actor_id=actor.id, user_id=actor.id, tweet_id=tweet_id)
    with contextlib.suppress(BookmarkNotFound):
        await run(services(request).remove_bookmark(), command)
    return _back(field(form, "next"), f"/web/tweets/{tweet_id}")


@router.post("/u/{username}/block")
async def block(request: Request, username: str, form: Form, actor: Actor) -> Response:
    svc = services(request)
    return await _safety(request, username, form, actor, svc.block_user(), AlreadyBlocking)


@router.post("/u/{username}/unblock")
async def unblock(request: Request, username: str, form: Form, actor: Actor) -> Response:
    svc = services(request)
    return await _safety(request, username, form, actor, svc.unblock_user(), BlockNotFound)


@router.post("/u/{username}/mute")
async def mute(request: Request, username: str, form: Form, actor: Actor) -> Response:
    svc = services(request)
    return await _safety(request, username, form, actor, svc.mute_user(), AlreadyMuting)


@router.post("/u/{username}/unmute")
async def unmute(request: Request, username: str, form: Form, actor: Actor) -> Response:
    svc = services(request)
    return await _safety(request, username, form, actor, svc.unmute_user(), MuteNotFound)


async def _safety(
    request: Request,
    username: str,
    form: Form,
    actor: AccountView,
    use_case: Callable[[commands.UserTarget], object],
    done_already: type[DomainError],
) -> Response:
    """Block, mute or undo either; a second click finds it done, which is fine."""
    target = await services(request).reads().user_by_username(username)
    command = commands.UserTarget(actor_id=actor.id, user_id=actor.id, target_user_id=target.id)
    with contextlib.suppress(done_already):
        await run(use_case, command)
    return _back(field(form, "next"), f"/web/u/{target.username}")


async def _after_follow(
    request: Request, target: UserView, form: Form, actor: AccountView
) -> Response:
    next_page = safe_next(field(form, "next"), f"/web/u/{target.username}")
    if wants_fragment(request):
        found = await services(request).reads().profile(target.username, actor.id)
        return render(request, "_follow.html", profile=found, here=next_page)
    return RedirectResponse(next_page, status_code=303)
