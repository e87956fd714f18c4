from __future__ import annotations

from twitter.application.pagination import Page, PageRequest, page_of
from twitter.application.ports import UnitOfWork
from twitter.domain.model import User


class ListUsers:
    """Every user, in ascending id (the next page continues with ``since_id``)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, page: PageRequest) -> Page[User]:
        with self._uow as uow:
            return page_of(uow.users.list_page(page), page)
