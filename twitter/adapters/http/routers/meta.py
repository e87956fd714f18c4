from typing import Annotated

from dependency_injector.wiring import Provide, inject
from fastapi import Depends
from fastapi.responses import JSONResponse

from twitter import __version__
from twitter.adapters.http.routing import Router
from twitter.adapters.http.schemas import HealthStatus, ServiceInfo
from twitter.application.use_cases import CheckHealth

router = Router(tags=["service"])


@router.get("/", response_model=ServiceInfo, summary="What this service is")
def root() -> ServiceInfo:
    return ServiceInfo(name="twitter", version=__version__, docs="/docs", health="/health")


@router.get(
    "/health",
    response_model=HealthStatus,
    summary="Whether the service and its database are up",
    responses={503: {"model": HealthStatus, "description": "The database is unreachable"}},
)
@inject
def health(
    check_health: Annotated[CheckHealth, Depends(Provide["check_health"])],
) -> JSONResponse:
    if check_health().database_ok:
        return JSONResponse({"status": "ok", "database": "ok"})
    return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
