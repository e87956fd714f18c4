from __future__ import annotations

from dataclasses import dataclass

from twitter.application.ports import HealthProbe


@dataclass(frozen=True)
class Health:
    database_ok: bool
    schema_current: bool | None = None
    """At the newest migration; None when not asked, or the database is unreachable."""

    @property
    def ready(self) -> bool:
        """Can serve: the database answers and has the schema this code needs."""
        return self.database_ok and self.schema_current is True


class CheckHealth:
    """Whether the service can reach what it depends on; with ``schema``, also whether
    the database has been migrated to what this code needs (a process started before
    ``twitter db upgrade`` ran, or after a downgrade, must not take traffic)."""

    def __init__(self, probe: HealthProbe) -> None:
        self._probe = probe

    def __call__(self, *, schema: bool = False) -> Health:
        if not schema:
            return Health(database_ok=self._probe.database_ok())
        current = self._probe.schema_current()
        return Health(database_ok=current is not None, schema_current=current)
