from __future__ import annotations

from twitter.application.pagination import Page, PageRequest, page_of_keyed
from twitter.application.ports import UnitOfWork
from twitter.application.use_cases._guards import existing_user
from twitter.domain.model import User


class ListFollowing:
    """Whom a user follows, newest follow first; the cursor is the follow's id."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, user_id: int, page: PageRequest) -> Page[User]:
        with self._uow as uow:
            existing_user(uow, user_id)
            return page_of_keyed(uow.users.list_following(user_id, page), page)
