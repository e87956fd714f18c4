from __future__ import annotations

from twitter.application.ports import UnitOfWork
from twitter.application.use_cases._guards import existing_user
from twitter.domain.model import User


class GetUser:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, user_id: int) -> User:
        with self._uow as uow:
            return existing_user(uow, user_id)
