from __future__ import annotations

from dataclasses import dataclass

from twitter.application.ports import HealthProbe


@dataclass(frozen=True)
class Health:
    database_ok: bool


class CheckHealth:
    """Whether the service can reach what it depends on."""

    def __init__(self, probe: HealthProbe) -> None:
        self._probe = probe

    def __call__(self) -> Health:
        return Health(database_ok=self._probe.database_ok())
