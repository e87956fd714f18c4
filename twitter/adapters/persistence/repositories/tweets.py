"""The tweets' repository, home timelines included."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Select,
    String,
    bindparam,
    column,
    func,
    insert,
    literal,
    select,
    table,
    true,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from twitter.adapters.persistence.repositories._shared import (
    _apply,
    _apply_like_counts,
    _blocked_by,
    _count,
    _counts_by,
    _cursor_filtered,
    _entity_page,
    _fetch_one,
    _flush,
    _hidden_from,
    _paged,
    _shares_none_of,
    _violated,
)
from twitter.adapters.persistence.tables import (
    SEARCH_CONFIGURATION,
    bookmarks,
    follows,
    likes,
    search_vector,
    tweet_hashtags,
    tweet_mentions,
    tweets,
    users,
)
from twitter.application.pagination import MAX_ID, PageRequest, storable_id
from twitter.domain.errors import AlreadyRetweeted, TweetNotFound, UserNotFound
from twitter.domain.model import Tweet, User

# A point read, built once; ``:key`` is the id looked for.
_TWEET_BY_ID = select(tweets).where(tweets.c.id == bindparam("key"))

# Each reference a tweet may make, and the counter of the tweet it references.
_REFERENCES: tuple[tuple[Column[int], Column[int]], ...] = (
    (tweets.c.in_reply_to_id, tweets.c.reply_count),
    (tweets.c.quoted_id, tweets.c.quote_count),
    (tweets.c.retweeted_id, tweets.c.retweet_count),
)
_COUNTERS = [counter for _, counter in _REFERENCES]


# SQLite's FTS5 table (see tables.py); its column named as the table matches any column.
_SEARCH_INDEX = table("tweets_search", column("rowid", BigInteger), column("tweets_search", String))


class SqlAlchemyTweetRepository:
    """``read_only``: as for users."""

    def __init__(self, session: Session, *, read_only: bool = False) -> None:
        self._session = session
        self._read_only = read_only

    def add(self, tweet: Tweet) -> None:
        self._session.add(tweet)
        try:
            _flush(
                self._session,
                {
                    ("unique", "retweeted"): AlreadyRetweeted,
                    ("foreign_key", "owner"): UserNotFound,
                    ("foreign_key", "in_reply_to"): TweetNotFound,
                    ("foreign_key", "retweeted"): TweetNotFound,
                },
            )
        except IntegrityError as error:
            if _violated(error)[0] != "foreign_key":
                raise
            # SQLite does not say which key broke. The unit of work is lost anyway:
            # roll it back and look.
            self._session.rollback()
            if self._session.get(User, tweet.owner_id) is None:
                raise UserNotFound() from None
            raise TweetNotFound() from None
        if tweet.retweeted_id is None:
            self._add_entities(tweet)

    def _add_entities(self, tweet: Tweet) -> None:
        """The rows the tag and mention lists read. A mention of someone whose account
        is gone by now is left out, as if the text had named nobody."""
        tags = sorted(tweet.entities.tag_keys)
        if tags:
            rows = [{"tag": tag, "tweet_id": tweet.id} for tag in tags]
            self._session.execute(insert(tweet_hashtags), rows)
        mentioned = sorted(i for i in tweet.entities.mentioned_ids if storable_id(i))
        if mentioned:
            existing = select(users.c.id, literal(tweet.id, tweets.c.id.type)).where(
                users.c.id.in_(mentioned)
            )
            self._session.execute(
                insert(tweet_mentions).from_select(["user_id", "tweet_id"], existing)
            )

    def get(self, tweet_id: int) -> Tweet | None:
        if not storable_id(tweet_id):
            return None
        if self._read_only:
            return _fetch_one(self._session, Tweet, _TWEET_BY_ID, tweet_id)
        return self._session.get(Tweet, tweet_id)

    def get_many(self, tweet_ids: Collection[int]) -> list[Tweet]:
        wanted = sorted({tweet_id for tweet_id in tweet_ids if storable_id(tweet_id)})
        if not wanted:
            return []
        return list(self._session.scalars(select(Tweet).where(tweets.c.id.in_(wanted))))

    def retweeted_among(self, owner_id: int, tweet_ids: Collection[int]) -> set[int]:
        wanted = sorted({tweet_id for tweet_id in tweet_ids if storable_id(tweet_id)})
        if not wanted or not storable_id(owner_id):
            return set()
        statement = select(tweets.c.retweeted_id).where(
            tweets.c.owner_id == owner_id, tweets.c.retweeted_id.in_(wanted)
        )
        return {tweet_id for tweet_id in self._session.scalars(statement) if tweet_id is not None}

    def find_retweet(self, owner_id: int, original_id: int) -> Tweet | None:
        if not (storable_id(owner_id) and storable_id(original_id)):
            return None
        statement = select(Tweet).where(
            tweets.c.owner_id == owner_id, tweets.c.retweeted_id == original_id
        )
        return self._session.scalars(statement).first()

    def lock_for_deletion(self, tweet: Tweet) -> bool:
        if tweet.id is None or not storable_id(tweet.id):
            return False
        ids = [tweet.id, *(reference for reference, _ in self._references(tweet))]
        statement = (
            select(tweets.c.id).where(tweets.c.id.in_(ids)).order_by(tweets.c.id).with_for_update()
        )
        return tweet.id in self._session.scalars(statement).all()

    def delete(self, tweet: Tweet) -> None:
        # The database cascades to its likes, retweets, hashtags, mentions and
        # notifications, and takes itself off its replies.
        self._session.delete(tweet)
        self._session.flush()

    def change_like_count(self, tweet_id: int, delta: int) -> None:
        _apply_like_counts(
            self._session,
            update(tweets)
            .where(tweets.c.id == tweet_id)
            .values(like_count=tweets.c.like_count + delta),
        )

    def count_references(self, tweet: Tweet, delta: int) -> None:
        changes: dict[int, dict[str, ColumnElement[int]]] = {}
        for reference, counter in self._references(tweet):
            changes.setdefault(reference, {})[counter.key] = counter + delta
        # One row at a time in ascending id, the order every writer locks tweets in.
        for reference in sorted(changes):
            _apply(
                self._session,
                update(tweets).where(tweets.c.id == reference).values(changes[reference]),
                Tweet,
                _COUNTERS,
            )

    @staticmethod
    def _references(tweet: Tweet) -> Iterable[tuple[int, Column[int]]]:
        """(the id referenced, its counter) for each storable reference of the tweet."""
        for reference_column, counter in _REFERENCES:
            reference = getattr(tweet, reference_column.key)
            if reference is not None and storable_id(reference):
                yield reference, counter

    def uncount_references_by(self, owner_id: int) -> None:
        # One statement; account deletion has locked these rows in id order beforehand.
        own = tweets.alias("own")
        by_owner = own.c.owner_id == owner_id

        def references_to_each(column: Column[int]) -> ColumnElement[int]:
            statement = select(func.count()).where(by_owner, own.c[column.key] == tweets.c.id)
            return statement.scalar_subquery()

        referenced = union_all(*(select(own.c[c.key]).where(by_owner) for c, _ in _REFERENCES))
        _apply(
            self._session,
            update(tweets)
            .where(tweets.c.id.in_(referenced))
            .values({counter: counter - references_to_each(c) for c, counter in _REFERENCES}),
            Tweet,
            _COUNTERS,
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
        hidden = _hidden_from(user_id)
        followed = select(follows.c.followee_id).where(
            follows.c.follower_id == user_id, follows.c.followee_id.not_in(hidden)
        )
        shown = _shares_none_of(hidden)
        if self._session.get_bind().dialect.name != "postgresql":
            statement = select(Tweet).where(
                (tweets.c.owner_id == user_id) | tweets.c.owner_id.in_(followed), shown
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
            .where(by_author, shown)
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
            .where(by_author, shown, tweets.c.id >= func.coalesce(kth_latest, 0))
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

    def list_bookmarked(self, user_id: int, page: PageRequest) -> list[tuple[int, Tweet]]:
        statement = (
            select(bookmarks.c.id, Tweet)
            .join(bookmarks, bookmarks.c.tweet_id == tweets.c.id)
            .where(bookmarks.c.owner_id == user_id)
        )
        return [
            (key, tweet)
            for key, tweet in self._session.execute(_paged(statement, bookmarks.c.id, page))
        ]

    def bookmarked_among(self, owner_id: int, tweet_ids: Collection[int]) -> set[int]:
        wanted = sorted({tweet_id for tweet_id in tweet_ids if storable_id(tweet_id)})
        if not wanted:
            return set()
        statement = select(bookmarks.c.tweet_id).where(
            bookmarks.c.owner_id == owner_id, bookmarks.c.tweet_id.in_(wanted)
        )
        return set(self._session.scalars(statement))

    def search(
        self, words: Collection[str], page: PageRequest, viewer_id: int | None = None
    ) -> list[Tweet]:
        statement = select(Tweet).where(self._holding_all(list(words)))
        if viewer_id is not None and storable_id(viewer_id):
            statement = statement.where(tweets.c.owner_id.not_in(_blocked_by(viewer_id)))
        return list(self._session.scalars(_paged(statement, tweets.c.id, page)))

    def _holding_all(self, words: list[str]) -> ColumnElement[bool]:
        """The tweets whose search text holds every word: through the GIN index on
        PostgreSQL, the FTS5 table on SQLite. The words are letters and digits only
        (``search.words``); each is still quoted as a literal, never as syntax."""
        if self._session.get_bind().dialect.name == "postgresql":
            query = func.plainto_tsquery(SEARCH_CONFIGURATION, bindparam("words", " ".join(words)))
            return search_vector.bool_op("@@")(query)
        phrase = " ".join('"' + word.replace('"', '""') + '"' for word in words)
        matching = select(_SEARCH_INDEX.c.rowid).where(
            _SEARCH_INDEX.c.tweets_search.op("MATCH")(bindparam("words", phrase, String))
        )
        return tweets.c.id.in_(matching)

    def list_quotes(self, tweet_id: int, page: PageRequest) -> list[Tweet]:
        statement = select(Tweet).where(tweets.c.quoted_id == tweet_id)
        return self._page_of(statement, tweets.c.id, page, tweet_id)

    def list_tagged(self, tag_key: str, page: PageRequest) -> list[Tweet]:
        statement = (
            select(Tweet)
            .join(tweet_hashtags, tweet_hashtags.c.tweet_id == tweets.c.id)
            .where(tweet_hashtags.c.tag == tag_key)
        )
        return self._page_of(statement, tweet_hashtags.c.tweet_id, page)

    def list_mentioning(self, user_id: int, page: PageRequest) -> list[Tweet]:
        statement = (
            select(Tweet)
            .join(tweet_mentions, tweet_mentions.c.tweet_id == tweets.c.id)
            .where(tweet_mentions.c.user_id == user_id)
        )
        return self._page_of(statement, tweet_mentions.c.tweet_id, page, user_id)

    def _page_of(
        self,
        statement: Select[Tweet],
        key: ColumnElement[int],
        page: PageRequest,
        *ids: int,
    ) -> list[Tweet]:
        if not all(storable_id(i) for i in ids):
            return []
        return list(self._session.scalars(_paged(statement, key, page)))

    def ancestors(self, tweet: Tweet) -> list[Tweet]:
        if tweet.in_reply_to_id is None or not storable_id(tweet.in_reply_to_id):
            return []
        parent = tweets.alias("parent")
        chain = (
            select(tweets.c.id, tweets.c.in_reply_to_id)
            .where(tweets.c.id == tweet.in_reply_to_id)
            .cte("chain", recursive=True)
        )
        chain = chain.union_all(
            select(parent.c.id, parent.c.in_reply_to_id).join(
                chain, parent.c.id == chain.c.in_reply_to_id
            )
        )
        statement = select(Tweet).where(tweets.c.id.in_(select(chain.c.id))).order_by(tweets.c.id)
        return list(self._session.scalars(statement))

    def descendants(self, tweet: Tweet) -> list[Tweet]:
        if tweet.id is None:
            return []
        child = tweets.alias("child")
        below = (
            select(tweets.c.id)
            .where(tweets.c.in_reply_to_id == tweet.id)
            .cte("below", recursive=True)
        )
        below = below.union_all(
            select(child.c.id).join(below, child.c.in_reply_to_id == below.c.id)
        )
        return list(self._session.scalars(select(Tweet).where(tweets.c.id.in_(select(below.c.id)))))

    def count_by_owner(self, owner_id: int) -> int:
        return _count(self._session, tweets, tweets.c.owner_id == owner_id)

    def count_by_owners(self, owner_ids: Collection[int]) -> dict[int, int]:
        return _counts_by(self._session, tweets.c.owner_id, owner_ids)
