"""The tweets' repository, home timelines included."""

from __future__ import annotations

from sqlalchemy import BigInteger, bindparam, func, literal, select, true, union_all, update
from sqlalchemy.orm import Session, aliased

from twitter.adapters.persistence.repositories._shared import (
    _apply_like_counts,
    _count,
    _cursor_filtered,
    _entity_page,
    _fetch_one,
    _flush,
    _paged,
)
from twitter.adapters.persistence.tables import follows, likes, tweets
from twitter.application.pagination import MAX_ID, PageRequest, storable_id
from twitter.domain.errors import UserNotFound
from twitter.domain.model import Tweet

# A point read, built once; ``:key`` is the id looked for.
_TWEET_BY_ID = select(tweets).where(tweets.c.id == bindparam("key"))


class SqlAlchemyTweetRepository:
    """``read_only``: as for users."""

    def __init__(self, session: Session, *, read_only: bool = False) -> None:
        self._session = session
        self._read_only = read_only

    def add(self, tweet: Tweet) -> None:
        self._session.add(tweet)
        _flush(self._session, {("foreign_key", ""): UserNotFound})

    def get(self, tweet_id: int) -> Tweet | None:
        if not storable_id(tweet_id):
            return None
        if self._read_only:
            return _fetch_one(self._session, Tweet, _TWEET_BY_ID, tweet_id)
        return self._session.get(Tweet, tweet_id)

    def delete(self, tweet: Tweet) -> None:
        self._session.delete(tweet)  # the database cascades to its likes
        self._session.flush()

    def change_like_count(self, tweet_id: int, delta: int) -> None:
        _apply_like_counts(
            self._session,
            update(tweets)
            .where(tweets.c.id == tweet_id)
            .values(like_count=tweets.c.like_count + delta),
        )

    def uncount_likes_by(self, owner_id: int) -> None:
        # One statement; account deletion has locked these rows in id order beforehand
        # (SqlAlchemyUserRepository.lock_for_deletion), so this never deadlocks.
        liked = select(likes.c.tweet_id).where(likes.c.owner_id == owner_id)
        _apply_like_counts(
            self._session,
            update(tweets).where(tweets.c.id.in_(liked)).values(like_count=tweets.c.like_count - 1),
        )

    def list_page(self, page: PageRequest) -> list[Tweet]:
        return list(self._session.scalars(_entity_page(Tweet, tweets.c.id, page)))

    def list_by_owner(self, owner_id: int, page: PageRequest) -> list[Tweet]:
        statement = select(Tweet).where(tweets.c.owner_id == owner_id)
        return list(self._session.scalars(_paged(statement, tweets.c.id, page)))

    def list_liked_by(self, user_id: int, page: PageRequest) -> list[tuple[int, Tweet]]:
        statement = (
            select(likes.c.id, Tweet)
            .join(likes, likes.c.tweet_id == tweets.c.id)
            .where(likes.c.owner_id == user_id)
        )
        return [
            (key, tweet)
            for key, tweet in self._session.execute(_paged(statement, likes.c.id, page))
        ]

    def list_home_timeline(self, user_id: int, page: PageRequest) -> list[Tweet]:
        followed = select(follows.c.followee_id).where(follows.c.follower_id == user_id)
        if self._session.get_bind().dialect.name != "postgresql":
            statement = select(Tweet).where(
                (tweets.c.owner_id == user_id) | tweets.c.owner_id.in_(followed)
            )
            return list(self._session.scalars(_paged(statement, tweets.c.id, page)))
        # Merge each author's newest tweets, each read from the (owner_id, id) index,
        # bounded below by the K-th newest "latest tweet" among the authors: at least
        # K tweets lie above it, so nothing older can be on the page. The cost follows
        # the number of authors, not how far back in the table their tweets lie.
        wanted = min(page.skip + page.fetch_size, MAX_ID)
        authors = union_all(
            select(literal(user_id, BigInteger).label("author_id")),
            followed.with_only_columns(follows.c.followee_id.label("author_id")),
        ).cte("authors")
        by_author = tweets.c.owner_id == authors.c.author_id
        newest = (
            _cursor_filtered(select(tweets.c.id), tweets.c.id, page)
            .where(by_author)
            .order_by(tweets.c.id.desc())
            .limit(1)
            .lateral("newest")
        )
        latest = select(newest.c.id).select_from(authors).join(newest, true()).subquery("latest")
        kth_latest = (
            select(latest.c.id)
            .order_by(latest.c.id.desc())
            .offset(wanted - 1)
            .limit(1)
            .scalar_subquery()
        )
        recent = (
            _cursor_filtered(select(tweets), tweets.c.id, page)
            .where(by_author, tweets.c.id >= func.coalesce(kth_latest, 0))
            .order_by(tweets.c.id.desc())
            .limit(wanted)
            .lateral("recent")
        )
        timeline = aliased(Tweet, recent)
        statement = (
            select(timeline)
            .select_from(authors)
            .join(recent, true())
            .order_by(recent.c.id.desc())
            .offset(page.skip)
            .limit(page.fetch_size)
        )
        return list(self._session.scalars(statement))

    def count_by_owner(self, owner_id: int) -> int:
        return _count(self._session, tweets, tweets.c.owner_id == owner_id)
