"""The composition root keeps its promises: every service the driving adapters ask for
(``twitter.adapters.driving.Services``) exists, and the adapters' defaults are the
settings' defaults."""

from __future__ import annotations

import inspect

from dependency_injector import providers

from twitter.adapters.driving import Services
from twitter.adapters.security import Argon2PasswordHasher
from twitter.adapters.security.passwords import (
    OWASP_MEMORY_KIB,
    OWASP_PARALLELISM,
    OWASP_TIME_COST,
)
from twitter.container import Container
from twitter.settings import Settings


def test_the_container_provides_every_service_the_driving_adapters_ask_for() -> None:
    wanted = [
        name
        for name, _ in inspect.getmembers(Services, inspect.isfunction)
        if not name.startswith("_")
    ]
    assert "reads" in wanted and "register_user" in wanted
    missing = [
        name
        for name in wanted
        if not isinstance(getattr(Container, name, None), providers.Provider)
    ]
    assert missing == []


def test_the_hashers_defaults_are_the_settings_defaults() -> None:
    settings = Settings(database_url="sqlite://")
    hasher = Argon2PasswordHasher()
    configured = Argon2PasswordHasher(
        memory_kib=settings.argon2_memory_kib,
        time_cost=settings.argon2_time_cost,
        parallelism=settings.argon2_parallelism,
    )
    assert hasher.hash("correct horse")[:30] == configured.hash("correct horse")[:30]
    assert (settings.argon2_memory_kib, settings.argon2_time_cost) == (
        OWASP_MEMORY_KIB,
        OWASP_TIME_COST,
    )
    assert settings.argon2_parallelism == OWASP_PARALLELISM
