from typing import Annotated

from fastapi.responses import JSONResponse

from twitter import __version__
from twitter.adapters.http.dependencies import run, use_case
from twitter.adapters.http.routing import Router
from twitter.adapters.http.schemas import HealthStatus, ServiceInfo
from twitter.application.use_cases import CheckHealth

router = Router(tags=["service"])


@router.get("/", response_model=ServiceInfo, summary="What this service is")
async def root() -> ServiceInfo:
    return ServiceInfo(name="twitter", version=__version__, docs="/docs", health="/health")


@router.get(
    "/health",
    response_model=HealthStatus,
    summary="Whether the service and its database are up",
    responses={503: {"model": HealthStatus, "description": "The database is unreachable"}},
)
async def health(
    check_health: Annotated[CheckHealth, use_case("check_health")],
) -> JSONResponse:
    if (await run(check_health)).database_ok:
        return JSONResponse({"status": "ok", "database": "ok"})
    return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
