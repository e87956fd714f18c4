"""The database keeps the domain's rules on its own: raw SQL that breaks one fails.

Every test writes through SQLAlchemy Core on the tables, bypassing the domain and
the repositories, on SQLite and PostgreSQL at the newest migration. Each rejection
is checked to come from the constraint meant, not from some other mistake, and
each rule is shown to accept the value just inside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Engine, Table, delete, event, insert, select, update
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError

from twitter.adapters.persistence.orm import start_mappers
from twitter.adapters.persistence.tables import (
    follows,
    likes,
    notifications,
    tweet_hashtags,
    tweet_mentions,
    tweets,
    users,
)
from twitter.application.pagination import PageRequest
from twitter.container import Container
from twitter.domain.model import Follow, Like, Tweet, User

T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
_emails = iter(range(1, 10_000))


def _add(engine: Engine, table: Table, **values: Any) -> int:
    values.setdefault("created_at", T0)
    with engine.begin() as connection:
        return int(
            connection.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
        )


def _user(engine: Engine, username: str | None = None, email: str | None = None) -> int:
    number = next(_emails)
    return _add(
        engine,
        users,
        email=email or f"user{number}@example.com",
        username=username or f"user{number}",
        display_name=username or f"user{number}",
        hashed_password="not-a-real-hash",
    )


def _tweet(engine: Engine, owner_id: int, text: str = "hello", like_count: int = 0) -> int:
    return _add(engine, tweets, text=text, owner_id=owner_id, like_count=like_count)


def _broken(engine: Engine, statement: Any, error: type[DBAPIError] = IntegrityError) -> DBAPIError:
    with pytest.raises(error) as caught, engine.begin() as connection:
        connection.execute(statement)
    return caught.value


def _assert_broke(error: DBAPIError, *, postgres: str, sqlite: str) -> None:
    """The error names the constraint: PostgreSQL by name, SQLite in its message."""
    original = error.orig
    if type(original).__module__.startswith("psycopg2"):
        assert original.diag.constraint_name == postgres  # type: ignore[union-attr]
    else:
        assert str(original) == sqlite


def _count(engine: Engine, table: Table) -> int:
    with engine.connect() as connection:
        return len(connection.execute(select(table.c.id)).all())


# users


def test_duplicate_email_is_rejected(engine: Engine) -> None:
    _user(engine, email="ada@example.com")
    _user(engine, email="ada@example.org")

    error = _broken(
        engine,
        insert(users).values(
            email="ada@example.com",
            username="other",
            display_name="d",
            hashed_password="h",
            created_at=T0,
        ),
    )

    _assert_broke(error, postgres="uq_users_email", sqlite="UNIQUE constraint failed: users.email")
    assert _count(engine, users) == 2


def test_email_that_is_not_lower_case_is_rejected(engine: Engine) -> None:
    error = _broken(
        engine,
        insert(users).values(
            email="Ada@example.com",
            username="ada",
            display_name="d",
            hashed_password="h",
            created_at=T0,
        ),
    )

    _assert_broke(
        error,
        postgres="ck_users_email_lower_case",
        sqlite="CHECK constraint failed: ck_users_email_lower_case",
    )
    assert _count(engine, users) == 0


def test_username_differing_only_in_case_is_rejected(engine: Engine) -> None:
    _user(engine, username="Ada_L")
    _user(engine, username="Ada_M")

    error = _broken(
        engine,
        insert(users).values(
            email="other@example.com",
            username="aDA_l",
            display_name="d",
            hashed_password="h",
            created_at=T0,
        ),
    )

    _assert_broke(
        error,
        postgres="uq_users_username_lower",
        sqlite="UNIQUE constraint failed: index 'uq_users_username_lower'",
    )


def test_username_longer_than_15_is_rejected(engine: Engine) -> None:
    _user(engine, username="a" * 15)
    statement = insert(users).values(
        email="long@example.com",
        username="b" * 16,
        display_name="d",
        hashed_password="h",
        created_at=T0,
    )

    if engine.dialect.name == "postgresql":
        # VARCHAR(15) refuses before the CHECK is reached: a DataError, not an IntegrityError.
        error = _broken(engine, statement, DataError)
        assert error.orig.pgcode == "22001"  # type: ignore[union-attr]  # string data too long
    else:
        error = _broken(engine, statement)
        _assert_broke(
            error, postgres="", sqlite="CHECK constraint failed: ck_users_username_length"
        )
    assert _count(engine, users) == 1


def test_empty_username_is_rejected(engine: Engine) -> None:
    error = _broken(
        engine,
        insert(users).values(
            email="empty@example.com",
            username="",
            display_name="d",
            hashed_password="h",
            created_at=T0,
        ),
    )

    _assert_broke(
        error,
        postgres="ck_users_username_length",
        sqlite="CHECK constraint failed: ck_users_username_length",
    )


# tweets


def test_empty_tweet_text_is_rejected(engine: Engine) -> None:
    owner = _user(engine)
    _tweet(engine, owner, text="x")

    error = _broken(
        engine, insert(tweets).values(text="", owner_id=owner, like_count=0, created_at=T0)
    )

    _assert_broke(
        error,
        postgres="ck_tweets_text_length",
        sqlite="CHECK constraint failed: ck_tweets_text_length",
    )
    assert _count(engine, tweets) == 1


def test_tweet_text_of_281_characters_is_rejected(engine: Engine) -> None:
    owner = _user(engine)
    # 280 characters, each four bytes in UTF-8: characters are counted, not bytes.
    _tweet(engine, owner, text="\N{SLIGHTLY SMILING FACE}" * 280)
    statement = insert(tweets).values(text="x" * 281, owner_id=owner, like_count=0, created_at=T0)

    if engine.dialect.name == "postgresql":
        # VARCHAR(280) refuses before the CHECK is reached: a DataError, not an IntegrityError.
        error = _broken(engine, statement, DataError)
        assert error.orig.pgcode == "22001"  # type: ignore[union-attr]
    else:
        error = _broken(engine, statement)
        _assert_broke(error, postgres="", sqlite="CHECK constraint failed: ck_tweets_text_length")
    assert _count(engine, tweets) == 1


def test_negative_like_count_is_rejected_on_insert_and_on_update(engine: Engine) -> None:
    owner = _user(engine)
    tweet = _tweet(engine, owner, like_count=0)

    inserted = _broken(
        engine, insert(tweets).values(text="t", owner_id=owner, like_count=-1, created_at=T0)
    )
    decremented = _broken(
        engine,
        update(tweets).where(tweets.c.id == tweet).values(like_count=tweets.c.like_count - 1),
    )

    for error in (inserted, decremented):
        _assert_broke(
            error,
            postgres="ck_tweets_like_count_not_negative",
            sqlite="CHECK constraint failed: ck_tweets_like_count_not_negative",
        )
    with engine.connect() as connection:
        assert connection.execute(select(tweets.c.like_count)).scalars().all() == [0]


def test_tweet_of_a_missing_user_is_rejected(engine: Engine) -> None:
    error = _broken(
        engine, insert(tweets).values(text="t", owner_id=12345, like_count=0, created_at=T0)
    )

    _assert_broke(
        error, postgres="fk_tweets_owner_id_users", sqlite="FOREIGN KEY constraint failed"
    )


@pytest.mark.parametrize("counter", ["reply_count", "retweet_count", "quote_count"])
def test_negative_conversation_counters_are_rejected_on_insert_and_on_update(
    engine: Engine, counter: str
) -> None:
    owner = _user(engine)
    tweet = _add(engine, tweets, text="t", owner_id=owner, **{counter: 0})

    inserted = _broken(engine, insert(tweets).values(text="t", owner_id=owner, **{counter: -1}))
    column = tweets.c[counter]
    decremented = _broken(
        engine, update(tweets).where(tweets.c.id == tweet).values({column: column - 1})
    )

    for error in (inserted, decremented):
        _assert_broke(
            error,
            postgres=f"ck_tweets_{counter}_not_negative",
            sqlite=f"CHECK constraint failed: ck_tweets_{counter}_not_negative",
        )
    with engine.connect() as connection:
        assert connection.execute(select(column)).scalars().all() == [0]


@pytest.mark.parametrize("reference", ["in_reply_to_id", "quoted_id", "thread_root_id"])
def test_a_retweet_is_only_a_retweet(engine: Engine, reference: str) -> None:
    owner = _user(engine)
    original = _tweet(engine, owner)
    _add(engine, tweets, text="t", owner_id=owner, retweeted_id=original)  # just inside
    _add(engine, tweets, text="t", owner_id=owner, **{reference: original})

    error = _broken(
        engine,
        insert(tweets).values(
            text="t", owner_id=_user(engine), retweeted_id=original, **{reference: original}
        ),
    )

    _assert_broke(
        error,
        postgres="ck_tweets_retweet_is_only_a_retweet",
        sqlite="CHECK constraint failed: ck_tweets_retweet_is_only_a_retweet",
    )
    assert _count(engine, tweets) == 3


def test_retweeting_a_tweet_twice_is_rejected(engine: Engine) -> None:
    ada, bob = _user(engine), _user(engine)
    original = _tweet(engine, ada)
    _add(engine, tweets, text="t", owner_id=bob, retweeted_id=original)
    _add(engine, tweets, text="t", owner_id=ada, retweeted_id=original)
    _tweet(engine, bob)  # two tweets that are no retweets never clash
    _tweet(engine, bob)

    error = _broken(engine, insert(tweets).values(text="t", owner_id=bob, retweeted_id=original))

    _assert_broke(
        error,
        postgres="uq_tweets_owner_id_retweeted_id",
        sqlite="UNIQUE constraint failed: tweets.owner_id, tweets.retweeted_id",
    )
    assert _count(engine, tweets) == 5


@pytest.mark.parametrize("reference", ["in_reply_to_id", "retweeted_id"])
def test_a_reply_or_retweet_of_a_missing_tweet_is_rejected(engine: Engine, reference: str) -> None:
    owner = _user(engine)

    error = _broken(engine, insert(tweets).values(text="t", owner_id=owner, **{reference: 12345}))

    _assert_broke(
        error, postgres=f"fk_tweets_{reference}_tweets", sqlite="FOREIGN KEY constraint failed"
    )


def test_a_quote_of_a_missing_tweet_is_accepted(engine: Engine) -> None:
    quote = _add(engine, tweets, text="t", owner_id=_user(engine), quoted_id=12345)

    with engine.connect() as connection:
        assert connection.execute(select(tweets.c.quoted_id)).scalars().all() == [12345]
    assert quote > 0


# notifications


def _notification(recipient: int, actor: int, kind: str, tweet: int | None) -> Any:
    return insert(notifications).values(
        recipient_id=recipient, actor_id=actor, type=kind, tweet_id=tweet, created_at=T0
    )


def test_a_notification_of_an_unknown_type_is_rejected(engine: Engine) -> None:
    ada, bob = _user(engine), _user(engine)
    tweet = _tweet(engine, ada)
    for kind in ("like", "reply", "mention", "retweet", "quote"):
        _add(engine, notifications, recipient_id=ada, actor_id=bob, type=kind, tweet_id=tweet)

    error = _broken(engine, _notification(ada, bob, "poke", tweet))

    _assert_broke(
        error,
        postgres="ck_notifications_known_type",
        sqlite="CHECK constraint failed: ck_notifications_known_type",
    )
    assert _count(engine, notifications) == 5


def test_a_notification_of_ones_own_action_is_rejected(engine: Engine) -> None:
    ada, bob = _user(engine), _user(engine)
    _add(engine, notifications, recipient_id=ada, actor_id=bob, type="follow")

    error = _broken(engine, _notification(ada, ada, "follow", None))

    _assert_broke(
        error,
        postgres="ck_notifications_not_of_ones_own_action",
        sqlite="CHECK constraint failed: ck_notifications_not_of_ones_own_action",
    )
    assert _count(engine, notifications) == 1


@pytest.mark.parametrize(("kind", "with_tweet"), [("follow", True), ("like", False)])
def test_a_notification_has_a_tweet_unless_of_a_follow(
    engine: Engine, kind: str, with_tweet: bool
) -> None:
    ada, bob = _user(engine), _user(engine)
    tweet = _tweet(engine, ada)

    error = _broken(engine, _notification(ada, bob, kind, tweet if with_tweet else None))

    _assert_broke(
        error,
        postgres="ck_notifications_tweet_unless_follow",
        sqlite="CHECK constraint failed: ck_notifications_tweet_unless_follow",
    )
    assert _count(engine, notifications) == 0


def test_a_notification_of_a_missing_tweet_or_user_is_rejected(engine: Engine) -> None:
    ada, bob = _user(engine), _user(engine)
    tweet = _tweet(engine, ada)

    for statement, constraint in (
        (_notification(ada, bob, "like", 12345), "fk_notifications_tweet_id_tweets"),
        (_notification(12345, bob, "like", tweet), "fk_notifications_recipient_id_users"),
        (_notification(ada, 12345, "like", tweet), "fk_notifications_actor_id_users"),
    ):
        _assert_broke(
            _broken(engine, statement), postgres=constraint, sqlite="FOREIGN KEY constraint failed"
        )


# likes


def test_duplicate_like_is_rejected(engine: Engine) -> None:
    ada, bob = _user(engine), _user(engine)
    tweet = _tweet(engine, ada)
    _add(engine, likes, owner_id=ada, tweet_id=tweet)
    _add(engine, likes, owner_id=bob, tweet_id=tweet)

    error = _broken(engine, insert(likes).values(owner_id=ada, tweet_id=tweet, created_at=T0))

    _assert_broke(
        error,
        postgres="uq_likes_owner_id_tweet_id",
        sqlite="UNIQUE constraint failed: likes.owner_id, likes.tweet_id",
    )
    assert _count(engine, likes) == 2


def test_like_of_a_missing_tweet_is_rejected(engine: Engine) -> None:
    ada = _user(engine)

    error = _broken(engine, insert(likes).values(owner_id=ada, tweet_id=12345, created_at=T0))

    _assert_broke(
        error, postgres="fk_likes_tweet_id_tweets", sqlite="FOREIGN KEY constraint failed"
    )


def test_like_by_a_missing_user_is_rejected(engine: Engine) -> None:
    tweet = _tweet(engine, _user(engine))

    error = _broken(engine, insert(likes).values(owner_id=12345, tweet_id=tweet, created_at=T0))

    _assert_broke(error, postgres="fk_likes_owner_id_users", sqlite="FOREIGN KEY constraint failed")


# follows


def test_following_oneself_is_rejected(engine: Engine) -> None:
    ada, bob = _user(engine), _user(engine)
    _add(engine, follows, follower_id=ada, followee_id=bob)

    error = _broken(engine, insert(follows).values(follower_id=ada, followee_id=ada, created_at=T0))

    _assert_broke(
        error,
        postgres="ck_follows_no_self_follow",
        sqlite="CHECK constraint failed: ck_follows_no_self_follow",
    )
    assert _count(engine, follows) == 1


def test_duplicate_follow_is_rejected(engine: Engine) -> None:
    ada, bob = _user(engine), _user(engine)
    _add(engine, follows, follower_id=ada, followee_id=bob)
    _add(engine, follows, follower_id=bob, followee_id=ada)

    error = _broken(engine, insert(follows).values(follower_id=ada, followee_id=bob, created_at=T0))

    _assert_broke(
        error,
        postgres="uq_follows_follower_id_followee_id",
        sqlite="UNIQUE constraint failed: follows.follower_id, follows.followee_id",
    )
    assert _count(engine, follows) == 2


def test_follow_of_a_missing_user_is_rejected(engine: Engine) -> None:
    ada = _user(engine)

    error = _broken(
        engine, insert(follows).values(follower_id=ada, followee_id=12345, created_at=T0)
    )

    _assert_broke(
        error, postgres="fk_follows_followee_id_users", sqlite="FOREIGN KEY constraint failed"
    )


# cascades


def test_deleting_a_user_cascades_to_their_tweets_likes_and_follows(engine: Engine) -> None:
    ada, bob, cy = _user(engine), _user(engine), _user(engine)
    ada_tweet, bob_tweet = _tweet(engine, ada), _tweet(engine, bob)
    _add(engine, likes, owner_id=ada, tweet_id=bob_tweet)  # ada's like
    _add(engine, likes, owner_id=bob, tweet_id=ada_tweet)  # a like of ada's tweet
    kept_like = _add(engine, likes, owner_id=cy, tweet_id=bob_tweet)
    _add(engine, follows, follower_id=ada, followee_id=bob)
    _add(engine, follows, follower_id=bob, followee_id=ada)
    kept_follow = _add(engine, follows, follower_id=cy, followee_id=bob)

    with engine.begin() as connection:
        connection.execute(delete(users).where(users.c.id == ada))

    with engine.connect() as connection:
        assert connection.execute(select(users.c.id).order_by(users.c.id)).scalars().all() == [
            bob,
            cy,
        ]
        assert connection.execute(select(tweets.c.id)).scalars().all() == [bob_tweet]
        assert connection.execute(select(likes.c.id)).scalars().all() == [kept_like]
        assert connection.execute(select(follows.c.id)).scalars().all() == [kept_follow]


def test_deleting_a_tweet_cascades_to_its_likes(engine: Engine) -> None:
    ada, bob = _user(engine), _user(engine)
    doomed, kept = _tweet(engine, ada), _tweet(engine, ada)
    _add(engine, likes, owner_id=ada, tweet_id=doomed)
    _add(engine, likes, owner_id=bob, tweet_id=doomed)
    kept_like = _add(engine, likes, owner_id=bob, tweet_id=kept)

    with engine.begin() as connection:
        connection.execute(delete(tweets).where(tweets.c.id == doomed))

    with engine.connect() as connection:
        assert connection.execute(select(likes.c.id)).scalars().all() == [kept_like]
        assert connection.execute(select(users.c.id)).scalars().all() == [ada, bob]


def test_deleting_a_tweet_cascades_to_its_retweets_tags_mentions_and_notifications(
    engine: Engine,
) -> None:
    ada, bob = _user(engine), _user(engine)
    doomed, kept = _tweet(engine, ada), _tweet(engine, ada)
    retweet = _add(engine, tweets, text="t", owner_id=bob, retweeted_id=doomed)
    reply = _add(
        engine, tweets, text="t", owner_id=bob, in_reply_to_id=doomed, thread_root_id=doomed
    )
    quote = _add(engine, tweets, text="t", owner_id=bob, quoted_id=doomed)
    with engine.begin() as connection:
        for tweet in (doomed, kept):
            connection.execute(insert(tweet_hashtags).values(tag="tag", tweet_id=tweet))
            connection.execute(insert(tweet_mentions).values(user_id=bob, tweet_id=tweet))
    _add(engine, likes, owner_id=bob, tweet_id=retweet)
    for kind, tweet in (("like", doomed), ("retweet", doomed), ("like", retweet)):
        _add(engine, notifications, recipient_id=ada, actor_id=bob, type=kind, tweet_id=tweet)
    kept_notice = _add(
        engine, notifications, recipient_id=ada, actor_id=bob, type="reply", tweet_id=reply
    )

    with engine.begin() as connection:
        connection.execute(delete(tweets).where(tweets.c.id == doomed))

    with engine.connect() as connection:
        rows = connection.execute(
            select(
                tweets.c.id, tweets.c.in_reply_to_id, tweets.c.thread_root_id, tweets.c.quoted_id
            ).order_by(tweets.c.id)
        ).all()
        assert [tuple(row) for row in rows] == [
            (kept, None, None, None),
            (reply, None, doomed, None),
            (quote, None, None, doomed),
        ]
        assert connection.execute(select(tweet_hashtags.c.tweet_id)).scalars().all() == [kept]
        assert connection.execute(select(tweet_mentions.c.tweet_id)).scalars().all() == [kept]
        assert connection.execute(select(notifications.c.id)).scalars().all() == [kept_notice]
    assert _count(engine, likes) == 0


def test_deleting_a_user_cascades_to_their_mentions_and_notifications(engine: Engine) -> None:
    ada, bob, cy = _user(engine), _user(engine), _user(engine)
    tweet = _tweet(engine, cy)
    with engine.begin() as connection:
        for user in (ada, bob):
            connection.execute(insert(tweet_mentions).values(user_id=user, tweet_id=tweet))
    _add(engine, notifications, recipient_id=ada, actor_id=cy, type="follow")
    _add(engine, notifications, recipient_id=cy, actor_id=ada, type="like", tweet_id=tweet)
    kept = _add(engine, notifications, recipient_id=cy, actor_id=bob, type="follow")

    with engine.begin() as connection:
        connection.execute(delete(users).where(users.c.id == ada))

    with engine.connect() as connection:
        assert connection.execute(select(tweet_mentions.c.user_id)).scalars().all() == [bob]
        assert connection.execute(select(notifications.c.id)).scalars().all() == [kept]
        assert connection.execute(select(tweets.c.id)).scalars().all() == [tweet]


# time stamps


@pytest.fixture
def aware_container(container: Container, engine: Engine) -> Iterator[Container]:
    """The container, its PostgreSQL sessions set to a zone far from UTC."""
    start_mappers()
    if engine.dialect.name == "postgresql":

        @event.listens_for(engine, "connect")
        def _far_from_utc(dbapi_connection: Any, _: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("SET TIME ZONE 'America/Los_Angeles'")
            cursor.close()

        engine.dispose()  # no pooled connection may escape the listener
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SHOW TIME ZONE").scalar() == "America/Los_Angeles"
    yield container


def _assert_utc(value: datetime) -> None:
    assert value.tzinfo is not None
    assert value.utcoffset() == timedelta(0)
    assert value.tzname() == "UTC"


def test_created_at_comes_back_aware_in_utc_through_the_repositories(
    aware_container: Container,
) -> None:
    written = datetime(2026, 1, 2, 8, 4, 5, 123456, tzinfo=timezone(timedelta(hours=5)))
    with aware_container.unit_of_work() as uow:
        ada = User(email="ada@example.com", username="ada", hashed_password="h", created_at=written)
        bob = User(email="bob@example.com", username="bob", hashed_password="h", created_at=written)
        uow.users.add(ada)
        uow.users.add(bob)
        assert ada.id is not None and bob.id is not None
        tweet = Tweet(text="hi", owner_id=ada.id, created_at=written)
        uow.tweets.add(tweet)
        assert tweet.id is not None
        uow.likes.add(Like(owner_id=bob.id, tweet_id=tweet.id, created_at=written))
        uow.follows.add(Follow(follower_id=bob.id, followee_id=ada.id, created_at=written))
        uow.commit()

    page = PageRequest()
    with aware_container.unit_of_work() as uow:
        read_user = uow.users.get(ada.id)
        read_tweet = uow.tweets.get(tweet.id)
        (read_like,) = uow.likes.list_by_owner(bob.id, page)
        ((_, follower),) = uow.users.list_followers(ada.id, page)
    assert read_user is not None and read_tweet is not None
    for value in (read_user.created_at, read_tweet.created_at, read_like.created_at):
        _assert_utc(value)
        assert value == written
        assert (value.hour, value.microsecond) == (3, 123456)
    _assert_utc(follower.created_at)


def test_server_default_created_at_is_now_and_aware_in_utc(aware_container: Container) -> None:
    engine = aware_container.engine()
    before = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    with engine.begin() as connection:
        user_id = connection.execute(
            insert(users)
            .values(email="ada@example.com", username="ada", display_name="d", hashed_password="h")
            .returning(users.c.id)
        ).scalar_one()
        tweet_id = connection.execute(
            insert(tweets).values(text="t", owner_id=user_id).returning(tweets.c.id)
        ).scalar_one()
    after = datetime.now(UTC) + timedelta(seconds=1)

    with aware_container.unit_of_work() as uow:
        user = uow.users.get(user_id)
        tweet = uow.tweets.get(tweet_id)
    assert user is not None and tweet is not None
    assert tweet.like_count == 0
    for value in (user.created_at, tweet.created_at):
        _assert_utc(value)
        assert before <= value <= after
