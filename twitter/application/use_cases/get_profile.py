from __future__ import annotations

from dataclasses import dataclass

from twitter.application.ports import UnitOfWork
from twitter.domain.errors import UserNotFound
from twitter.domain.model import User, is_valid_username


@dataclass(frozen=True)
class Profile:
    user: User
    tweet_count: int
    like_count: int
    """Likes the user has given."""
    follower_count: int
    following_count: int
    followed_by_viewer: bool
    """Whether the viewer (when there is one) follows this user."""


class GetProfile:
    """A user by handle (case-insensitive) with their counts, as a viewer sees them."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, username: str, viewer_id: int | None = None) -> Profile:
        if not is_valid_username(username):
            raise UserNotFound()
        with self._uow as uow:
            user = uow.users.get_by_username(username)
            if user is None or user.id is None:
                raise UserNotFound()
            followed = viewer_id is not None and uow.follows.exists(viewer_id, user.id)
            return Profile(
                user=user,
                tweet_count=uow.tweets.count_by_owner(user.id),
                like_count=uow.likes.count_by_owner(user.id),
                follower_count=uow.follows.count_followers(user.id),
                following_count=uow.follows.count_following(user.id),
                followed_by_viewer=followed,
            )
