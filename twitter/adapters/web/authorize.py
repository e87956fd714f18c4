"""OAuth's consent page (``/oauth/authorize`` sends the browser here): a logged-in
person sees which app asks for what, and authorizes it or not; the app then gets a
code at its redirect URI, or the page shows the code for the person to paste."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from twitter.adapters.driving import run, services
from twitter.adapters.web.context import Actor, Form, Viewer, field, page_policy
from twitter.adapters.web.rendering import render
from twitter.application import commands
from twitter.application.use_cases.oauth_apps import Consent
from twitter.domain.oauth import OUT_OF_BAND

router = APIRouter()
PAGE = "/web/oauth/authorize"
REQUEST_FIELDS = (
    "client_id",
    "redirect_uri",
    "scope",
    "response_type",
    "state",
    "code_challenge",
    "code_challenge_method",
)
_SCOPE_WORDS = {
    "read": "read your account, timelines, notifications, bookmarks and lists",
    "write": "post, delete, favourite, reblog and bookmark as you, and edit your profile",
    "follow": "follow, mute and block people for you",
    "push": "receive push notifications (not offered by this service)",
}


def _request_of(fields: Mapping[str, str]) -> commands.AuthorizationRequest:
    return commands.AuthorizationRequest(
        client_id=fields.get("client_id", ""),
        redirect_uri=fields.get("redirect_uri") or None,
        scope=fields.get("scope") or None,
        response_type=fields.get("response_type", "code"),
        code_challenge=fields.get("code_challenge") or None,
        code_challenge_method=fields.get("code_challenge_method") or None,
    )


def _described(scope: str) -> str:
    top, _, detail = scope.partition(":")
    words = _SCOPE_WORDS[top]
    return f"{top} {detail.replace('_', ' ')} only ({words})" if detail else words


def _form_action(redirect_uri: str) -> str:
    """The CSP ``form-action`` of the consent page: the browser follows the form's
    redirect to the app only where the policy allows it to."""
    if redirect_uri == OUT_OF_BAND:
        return "'self'"
    parts = urlsplit(redirect_uri)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else f"{parts.scheme}:"
    return f"'self' {origin}"


def _back_to_app(consent: Consent, answer: dict[str, str], state: str) -> RedirectResponse:
    """The redirect URI with ``answer`` (and the app's ``state``) added to its query."""
    parts = urlsplit(consent.redirect_uri)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += list(answer.items()) + ([("state", state)] if state else [])
    return RedirectResponse(urlunsplit(parts._replace(query=urlencode(query))), status_code=303)


@router.get("/oauth/authorize")
async def consent_page(request: Request, viewer: Viewer) -> Response:
    fields = {name: request.query_params.get(name, "") for name in REQUEST_FIELDS}
    # Checked before anything else: a bad request is shown here, never sent anywhere.
    consent = await run(services(request).review_authorization(), _request_of(fields))
    kept = {name: value for name, value in fields.items() if value}
    if viewer is None:
        here = f"{PAGE}?{urlencode(kept)}"
        return RedirectResponse(f"/web/login?{urlencode({'next': here})}", status_code=303)
    policy = page_policy(_form_action(consent.redirect_uri))
    return render(
        request,
        "authorize.html",
        headers={"Content-Security-Policy": policy},
        app=consent.app,
        scopes=[_described(scope) for scope in sorted(consent.scopes)],
        request_fields={**kept, "redirect_uri": consent.redirect_uri},
    )


@router.post("/oauth/authorize")
async def decide(request: Request, form: Form, actor: Actor) -> Response:
    fields = {name: field(form, name) for name in REQUEST_FIELDS}
    asked = _request_of(fields)
    svc = services(request)
    if field(form, "decision") != "approve":
        consent = await run(svc.review_authorization(), asked)
        if consent.redirect_uri == OUT_OF_BAND:
            return RedirectResponse("/web/home", status_code=303)
        return _back_to_app(consent, {"error": "access_denied"}, fields["state"])
    consent, code = await run(svc.authorize_app(), actor.id, asked)
    if consent.redirect_uri == OUT_OF_BAND:
        return render(request, "authorization_code.html", app=consent.app, code=code)
    return _back_to_app(consent, {"code": code}, fields["state"])
