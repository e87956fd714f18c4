from importlib.resources import files

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from twitter import __version__
from twitter.adapters.driving import run
from twitter.adapters.http.dependencies import Svc
from twitter.adapters.http.metrics import METRICS_PATH, exposition, record
from twitter.adapters.http.negotiation import prefers_html
from twitter.adapters.http.routing import Router
from twitter.adapters.http.schemas import HealthStatus, Liveness, Readiness, ServiceInfo

router = Router(tags=["service"])

FAVICON_PATH = "/favicon.ico"
_FAVICON = (files("twitter.adapters.http") / "static" / "favicon.ico").read_bytes()


@router.get("/", response_model=ServiceInfo, summary="What this service is")
async def root(request: Request) -> ServiceInfo | Response:
    # A browser (its Accept ranks text/html above JSON) goes to the web pages, if any.
    browser_home: str | None = getattr(request.app.state, "browser_home", None)
    if browser_home and prefers_html(request.headers.get("accept")):
        return RedirectResponse(browser_home, status_code=303)
    return ServiceInfo(name="twitter", version=__version__, docs="/docs", health="/health")


@router.get(
    "/health",
    response_model=HealthStatus,
    summary="Whether the service and its database are up",
    responses={503: {"model": HealthStatus, "description": "The database is unreachable"}},
)
async def health(svc: Svc) -> JSONResponse:
    if (await run(svc.check_health())).database_ok:
        return JSONResponse({"status": "ok", "database": "ok"})
    return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)


@router.get(
    "/health/live",
    response_model=Liveness,
    summary="Whether this process is up (for a balancer or an orchestrator)",
)
async def live() -> Liveness:
    # Asks nothing of the database: a process that answers is alive, and restarting
    # it would not bring a database back.
    return Liveness(status="ok")


@router.get(
    "/health/ready",
    response_model=Readiness,
    summary="Whether this process should take requests: the primary database answers "
    "and its schema is at the newest migration",
    responses={503: {"model": Readiness, "description": "Not ready: see which part"}},
)
async def ready(svc: Svc) -> JSONResponse:
    health = await run(svc.check_health(), schema=True)
    schema = {None: "unknown", True: "ok", False: "not at the newest migration"}
    body = Readiness(
        status="ok" if health.ready else "unavailable",
        database="ok" if health.database_ok else "unreachable",
        schema_=schema[health.schema_current],
    )
    return JSONResponse(body.model_dump(by_alias=True), status_code=200 if health.ready else 503)


@router.get(METRICS_PATH, include_in_schema=False)
async def metrics(request: Request) -> Response:
    sampler = request.app.state.metrics_sampler
    if sampler is not None:
        record(sampler())
    body, content_type = exposition()
    return Response(body, media_type=content_type)


@router.get(FAVICON_PATH, include_in_schema=False)
async def favicon() -> Response:
    # Browsers ask for it on every page (the API's docs, the web pages): let them keep it.
    headers = {"Cache-Control": "public, max-age=86400"}
    return Response(_FAVICON, media_type="image/vnd.microsoft.icon", headers=headers)
