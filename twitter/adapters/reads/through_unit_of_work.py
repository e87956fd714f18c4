"""The read port answered through a unit of work's repositories: the adapter of the
stores that have no async driver of their own (SQLite, and memory for the tests).

Each call opens one reading unit of work, asks its repositories, and turns the
entities into views. ``offload`` runs that in a worker thread (the same pool the
write side hops to), so a SQLite query never blocks the event loop; the memory
store answers at once and needs no thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import partial
from typing import ParamSpec, TypeVar

from anyio import to_thread

from twitter.application.pagination import (
    Page,
    PageRequest,
    page_of,
    page_of_keyed,
    storable_id,
)
from twitter.application.ports import UnitOfWork
from twitter.application.queries import (
    AccountCounts,
    AccountView,
    ConversationView,
    LikeView,
    NotificationView,
    ProfileView,
    RelationshipView,
    ThreadReply,
    TweetCard,
    TweetView,
    UserView,
    depth_first,
)
from twitter.application.use_cases._guards import existing_tweet, existing_user
from twitter.domain.entities import key_of_tag
from twitter.domain.errors import TweetNotFound, UserNotFound
from twitter.domain.model import Like, Notification, Tweet, User, is_valid_username

P = ParamSpec("P")
T = TypeVar("T")


def user_view(user: User) -> UserView:
    assert user.id is not None
    return UserView(
        id=user.id,
        username=user.username,
        created_at=user.created_at,
        display_name=user.display_name,
        bio=user.bio,
    )


def _tweet_view(tweet: Tweet) -> TweetView:
    assert tweet.id is not None and tweet.conversation_id is not None
    return TweetView(
        id=tweet.id,
        text=tweet.text,
        owner_id=tweet.owner_id,
        like_count=tweet.like_count,
        created_at=tweet.created_at,
        conversation_id=tweet.conversation_id,
        in_reply_to_user_id=tweet.in_reply_to_user_id,
        referenced_tweets=tweet.referenced_tweets,
        reply_count=tweet.reply_count,
        retweet_count=tweet.retweet_count,
        quote_count=tweet.quote_count,
        entities=tweet.entities,
    )


def _like_view(like: Like) -> LikeView:
    assert like.id is not None
    return LikeView(
        id=like.id, owner_id=like.owner_id, tweet_id=like.tweet_id, created_at=like.created_at
    )


def _users_page(page: Page[User]) -> Page[UserView]:
    return Page(items=[user_view(user) for user in page.items], next_cursor=page.next_cursor)


class UnitOfWorkReads:
    """``unit_of_work`` makes a new reading unit of work per call."""

    def __init__(self, unit_of_work: Callable[[], UnitOfWork], *, offload: bool) -> None:
        self._unit_of_work = unit_of_work
        self._offload = offload

    async def _run(self, read: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        if self._offload:
            return await to_thread.run_sync(partial(read, *args, **kwargs))
        return read(*args, **kwargs)

    async def user(self, user_id: int) -> UserView:
        return await self._run(self._user, user_id)

    def _user(self, user_id: int) -> UserView:
        with self._unit_of_work() as uow:
            return user_view(existing_user(uow, user_id))

    async def user_by_username(self, username: str) -> UserView:
        return await self._run(self._user_by_username, username)

    def _user_by_username(self, username: str) -> UserView:
        with self._unit_of_work() as uow:
            return user_view(_user_named(uow, username))

    async def account(self, user_id: int, token_id: str) -> AccountView | None:
        return await self._run(self._account, user_id, token_id)

    def _account(self, user_id: int, token_id: str) -> AccountView | None:
        with self._unit_of_work() as uow:
            user = uow.users.get_unless_revoked(user_id, token_id)
        if user is None or user.id is None:
            return None
        return AccountView(
            id=user.id,
            username=user.username,
            created_at=user.created_at,
            display_name=user.display_name,
            bio=user.bio,
            email=user.email,
        )

    async def profile(self, username: str, viewer_id: int | None = None) -> ProfileView:
        return await self._run(self._profile, username, viewer_id)

    def _profile(self, username: str, viewer_id: int | None) -> ProfileView:
        with self._unit_of_work() as uow:
            user = _user_named(uow, username)
            assert user.id is not None
            followed = viewer_id is not None and uow.follows.exists(viewer_id, user.id)
            blocked = viewer_id is not None and uow.blocks.exists(viewer_id, user.id)
            muted = viewer_id is not None and uow.mutes.exists(viewer_id, user.id)
            blocks_viewer = viewer_id is not None and uow.blocks.exists(user.id, viewer_id)
            return ProfileView(
                user=user_view(user),
                tweet_count=uow.tweets.count_by_owner(user.id),
                like_count=uow.likes.count_by_owner(user.id),
                follower_count=uow.follows.count_followers(user.id),
                following_count=uow.follows.count_following(user.id),
                followed_by_viewer=followed,
                blocked_by_viewer=blocked,
                muted_by_viewer=muted,
                blocks_viewer=blocks_viewer,
            )

    async def users(self, page: PageRequest) -> Page[UserView]:
        return await self._run(self._users, page)

    def _users(self, page: PageRequest) -> Page[UserView]:
        with self._unit_of_work() as uow:
            return _users_page(page_of(uow.users.list_page(page), page))

    async def followers(self, user_id: int, page: PageRequest) -> Page[UserView]:
        return await self._run(self._followers, user_id, page)

    def _followers(self, user_id: int, page: PageRequest) -> Page[UserView]:
        with self._unit_of_work() as uow:
            rows = _unless_missing(lambda: uow.users.list_followers(user_id, page), uow, user_id)
            return _users_page(page_of_keyed(rows, page))

    async def following(self, user_id: int, page: PageRequest) -> Page[UserView]:
        return await self._run(self._following, user_id, page)

    def _following(self, user_id: int, page: PageRequest) -> Page[UserView]:
        with self._unit_of_work() as uow:
            rows = _unless_missing(lambda: uow.users.list_following(user_id, page), uow, user_id)
            return _users_page(page_of_keyed(rows, page))

    async def liking_users(self, tweet_id: int, page: PageRequest) -> Page[UserView]:
        return await self._run(self._liking_users, tweet_id, page)

    def _liking_users(self, tweet_id: int, page: PageRequest) -> Page[UserView]:
        with self._unit_of_work() as uow:
            rows = _about_tweet(lambda: uow.users.list_liking(tweet_id, page), uow, tweet_id)
            return _users_page(page_of_keyed(rows, page))

    async def retweeted_by(self, tweet_id: int, page: PageRequest) -> Page[UserView]:
        return await self._run(self._retweeted_by, tweet_id, page)

    def _retweeted_by(self, tweet_id: int, page: PageRequest) -> Page[UserView]:
        with self._unit_of_work() as uow:
            rows = _about_tweet(lambda: uow.users.list_retweeting(tweet_id, page), uow, tweet_id)
            return _users_page(page_of_keyed(rows, page))

    async def quote_tweets(
        self, tweet_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        return await self._run(self._quote_tweets, tweet_id, page, viewer_id)

    def _quote_tweets(
        self, tweet_id: int, page: PageRequest, viewer_id: int | None
    ) -> Page[TweetCard]:
        with self._unit_of_work() as uow:
            # Quotes outlive the tweet they quote: they prove nothing of it.
            existing_tweet(uow, tweet_id)
            rows = uow.tweets.list_quotes(tweet_id, page)
            return _card_page(uow, page_of(rows, page), viewer_id)

    async def context(self, tweet_id: int, viewer_id: int | None = None) -> ConversationView:
        return await self._run(self._context, tweet_id, viewer_id)

    def _context(self, tweet_id: int, viewer_id: int | None) -> ConversationView:
        with self._unit_of_work() as uow:
            tweet = existing_tweet(uow, tweet_id)
            ancestors = uow.tweets.ancestors(tweet)
            replies = [
                (_id(reply), _parent_id(reply), reply) for reply in uow.tweets.descendants(tweet)
            ]
            thread = depth_first(tweet_id, replies)
            cards = _cards(uow, [*ancestors, *(reply for _, reply in thread)], viewer_id)
        by_id = {card.tweet.id: card for card in cards}
        return ConversationView(
            ancestors=[by_id[_id(parent)] for parent in ancestors if _id(parent) in by_id],
            descendants=[
                ThreadReply(depth, by_id[_id(reply)])
                for depth, reply in thread
                if _id(reply) in by_id
            ],
        )

    async def tagged_tweets(
        self, tag: str, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        return await self._run(self._tagged_tweets, tag, page, viewer_id)

    def _tagged_tweets(self, tag: str, page: PageRequest, viewer_id: int | None) -> Page[TweetCard]:
        key = key_of_tag(tag)
        if key is None:
            return Page(items=[], next_cursor=None)
        with self._unit_of_work() as uow:
            return _card_page(uow, page_of(uow.tweets.list_tagged(key, page), page), viewer_id)

    async def mentions(
        self, user_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        return await self._run(self._mentions, user_id, page, viewer_id)

    def _mentions(self, user_id: int, page: PageRequest, viewer_id: int | None) -> Page[TweetCard]:
        with self._unit_of_work() as uow:
            rows = _unless_missing(lambda: uow.tweets.list_mentioning(user_id, page), uow, user_id)
            return _card_page(uow, page_of(rows, page), viewer_id)

    async def notifications(
        self, user_id: int, page: PageRequest, *, unread_only: bool = False
    ) -> Page[NotificationView]:
        return await self._run(self._notifications, user_id, page, unread_only)

    def _notifications(
        self, user_id: int, page: PageRequest, unread_only: bool
    ) -> Page[NotificationView]:
        with self._unit_of_work() as uow:
            rows = _unless_missing(
                lambda: uow.notifications.list_for(user_id, page, unread_only=unread_only),
                uow,
                user_id,
            )
            listed = page_of(rows, page)
            actors = uow.users.get_many({n.actor_id for n in listed.items})
        by_id = {_id(actor): user_view(actor) for actor in actors}
        return Page(
            items=[
                _notification_view(n, by_id[n.actor_id])
                for n in listed.items
                if n.actor_id in by_id
            ],
            next_cursor=listed.next_cursor,
        )

    async def unread_notifications(self, user_id: int) -> int:
        return await self._run(self._unread_notifications, user_id)

    async def relationships(
        self, viewer_id: int, user_ids: Sequence[int]
    ) -> list[RelationshipView]:
        return await self._run(self._relationships, viewer_id, user_ids)

    def _relationships(self, viewer_id: int, user_ids: Sequence[int]) -> list[RelationshipView]:
        wanted = list(dict.fromkeys(user_ids))
        with self._unit_of_work() as uow:
            found = {user.id for user in uow.users.get_many(wanted)}
            asked = [user_id for user_id in wanted if user_id in found]
            following = uow.follows.followed_among(viewer_id, asked)
            followed_by = uow.follows.followers_among(viewer_id, asked)
            blocking = uow.blocks.blocked_among(viewer_id, asked)
            blocked_by = uow.blocks.blockers_among(viewer_id, asked)
            muting = uow.mutes.muted_among(viewer_id, asked)
        return [
            RelationshipView(
                user_id=user_id,
                following=user_id in following,
                followed_by=user_id in followed_by,
                blocking=user_id in blocking,
                blocked_by=user_id in blocked_by,
                muting=user_id in muting,
            )
            for user_id in asked
        ]

    async def cards(
        self, tweet_ids: Sequence[int], viewer_id: int | None = None
    ) -> list[TweetCard]:
        return await self._run(self._cards_of, list(dict.fromkeys(tweet_ids)), viewer_id)

    def _cards_of(self, tweet_ids: list[int], viewer_id: int | None) -> list[TweetCard]:
        with self._unit_of_work() as uow:
            found = {tweet.id: tweet for tweet in uow.tweets.get_many(tweet_ids)}
            in_order = [found[tweet_id] for tweet_id in tweet_ids if tweet_id in found]
            return _cards(uow, in_order, viewer_id)

    async def account_counts(self, user_ids: Iterable[int]) -> dict[int, AccountCounts]:
        return await self._run(self._account_counts, set(user_ids))

    def _account_counts(self, user_ids: set[int]) -> dict[int, AccountCounts]:
        with self._unit_of_work() as uow:
            found = [user.id for user in uow.users.get_many(user_ids) if user.id is not None]
            tweets = uow.tweets.count_by_owners(found)
            followers = uow.follows.count_followers_of(found)
            following = uow.follows.count_following_of(found)
        return {
            user_id: AccountCounts(
                tweets.get(user_id, 0), followers.get(user_id, 0), following.get(user_id, 0)
            )
            for user_id in found
        }

    async def counted(self, key: str) -> tuple[int, datetime] | None:
        return await self._run(self._counted, key)

    def _counted(self, key: str) -> tuple[int, datetime] | None:
        with self._unit_of_work() as uow:
            return uow.login_attempts.peek(key)

    def _unread_notifications(self, user_id: int) -> int:
        if not storable_id(user_id):
            return 0
        with self._unit_of_work() as uow:
            return uow.notifications.count_unread(user_id)

    async def tweet(self, tweet_id: int, viewer_id: int | None = None) -> TweetCard:
        return await self._run(self._tweet, tweet_id, viewer_id)

    def _tweet(self, tweet_id: int, viewer_id: int | None) -> TweetCard:
        with self._unit_of_work() as uow:
            tweet = uow.tweets.get(tweet_id)
            cards = _cards(uow, [tweet] if tweet else [], viewer_id)
        if not cards:  # none, or its author was deleted between the two reads
            raise TweetNotFound()
        return cards[0]

    async def bare_tweet(self, tweet_id: int) -> TweetView:
        return await self._run(self._bare_tweet, tweet_id)

    def _bare_tweet(self, tweet_id: int) -> TweetView:
        with self._unit_of_work() as uow:
            tweet = uow.tweets.get(tweet_id)
        if tweet is None:
            raise TweetNotFound()
        return _tweet_view(tweet)

    async def tweets(self, page: PageRequest, viewer_id: int | None = None) -> Page[TweetCard]:
        return await self._run(self._tweets, page, viewer_id)

    def _tweets(self, page: PageRequest, viewer_id: int | None) -> Page[TweetCard]:
        with self._unit_of_work() as uow:
            return _card_page(uow, page_of(uow.tweets.list_page(page), page), viewer_id)

    async def user_tweets(
        self, user_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        return await self._run(self._user_tweets, user_id, page, viewer_id)

    def _user_tweets(
        self, user_id: int, page: PageRequest, viewer_id: int | None
    ) -> Page[TweetCard]:
        with self._unit_of_work() as uow:
            rows = _unless_missing(lambda: uow.tweets.list_by_owner(user_id, page), uow, user_id)
            tweets = page_of(rows, page)
            return _card_page(uow, tweets, viewer_id)

    async def liked_tweets(
        self, user_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        return await self._run(self._liked_tweets, user_id, page, viewer_id)

    def _liked_tweets(
        self, user_id: int, page: PageRequest, viewer_id: int | None
    ) -> Page[TweetCard]:
        with self._unit_of_work() as uow:
            keyed = _unless_missing(lambda: uow.tweets.list_liked_by(user_id, page), uow, user_id)
            tweets = page_of_keyed(keyed, page)
            return _card_page(uow, tweets, viewer_id)

    async def home_timeline(
        self, user_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        return await self._run(self._home_timeline, user_id, page, viewer_id)

    def _home_timeline(
        self, user_id: int, page: PageRequest, viewer_id: int | None
    ) -> Page[TweetCard]:
        with self._unit_of_work() as uow:
            rows = _unless_missing(
                lambda: uow.tweets.list_home_timeline(user_id, page), uow, user_id
            )
            tweets = page_of(rows, page)
            return _card_page(uow, tweets, viewer_id)

    async def bookmarks(
        self, user_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        return await self._run(self._bookmarks, user_id, page, viewer_id)

    def _bookmarks(self, user_id: int, page: PageRequest, viewer_id: int | None) -> Page[TweetCard]:
        with self._unit_of_work() as uow:
            keyed = _unless_missing(lambda: uow.tweets.list_bookmarked(user_id, page), uow, user_id)
            return _card_page(uow, page_of_keyed(keyed, page), viewer_id)

    async def blocking(self, user_id: int, page: PageRequest) -> Page[UserView]:
        return await self._run(self._blocking, user_id, page)

    def _blocking(self, user_id: int, page: PageRequest) -> Page[UserView]:
        with self._unit_of_work() as uow:
            rows = _unless_missing(lambda: uow.users.list_blocked(user_id, page), uow, user_id)
            return _users_page(page_of_keyed(rows, page))

    async def muting(self, user_id: int, page: PageRequest) -> Page[UserView]:
        return await self._run(self._muting, user_id, page)

    def _muting(self, user_id: int, page: PageRequest) -> Page[UserView]:
        with self._unit_of_work() as uow:
            rows = _unless_missing(lambda: uow.users.list_muted(user_id, page), uow, user_id)
            return _users_page(page_of_keyed(rows, page))

    async def search_tweets(
        self, words: tuple[str, ...], page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        return await self._run(self._search_tweets, words, page, viewer_id)

    def _search_tweets(
        self, words: tuple[str, ...], page: PageRequest, viewer_id: int | None
    ) -> Page[TweetCard]:
        with self._unit_of_work() as uow:
            rows = uow.tweets.search(words, page, viewer_id)
            return _card_page(uow, page_of(rows, page), viewer_id)

    async def search_users(self, prefix: str, limit: int) -> list[UserView]:
        return await self._run(self._search_users, prefix, limit)

    def _search_users(self, prefix: str, limit: int) -> list[UserView]:
        with self._unit_of_work() as uow:
            return [user_view(user) for user in uow.users.search_by_prefix(prefix, limit)]

    async def user_likes(self, user_id: int, page: PageRequest) -> Page[LikeView]:
        return await self._run(self._user_likes, user_id, page)

    def _user_likes(self, user_id: int, page: PageRequest) -> Page[LikeView]:
        with self._unit_of_work() as uow:
            rows = _unless_missing(lambda: uow.likes.list_by_owner(user_id, page), uow, user_id)
            likes = page_of(rows, page)
        return Page(items=[_like_view(like) for like in likes.items], next_cursor=likes.next_cursor)


def _unless_missing(list_rows: Callable[[], list[T]], uow: UnitOfWork, user_id: int) -> list[T]:
    """A list about a user; UserNotFound if there is no such user. Rows about the user
    prove they exist: the check costs a query only on empty pages."""
    if not storable_id(user_id):
        raise UserNotFound()
    rows = list_rows()
    if not rows:
        existing_user(uow, user_id)
    return rows


def _about_tweet(list_rows: Callable[[], list[T]], uow: UnitOfWork, tweet_id: int) -> list[T]:
    """As ``_unless_missing``, for a list about a tweet: TweetNotFound."""
    if not storable_id(tweet_id):
        raise TweetNotFound()
    rows = list_rows()
    if not rows:
        existing_tweet(uow, tweet_id)
    return rows


def _id(entity: User | Tweet) -> int:
    assert entity.id is not None
    return entity.id


def _parent_id(reply: Tweet) -> int:
    assert reply.in_reply_to_id is not None
    return reply.in_reply_to_id


def _notification_view(notification: Notification, actor: UserView) -> NotificationView:
    assert notification.id is not None
    return NotificationView(
        id=notification.id,
        type=notification.type,
        actor=actor,
        tweet_id=notification.tweet_id,
        created_at=notification.created_at,
        read=notification.read,
    )


def _user_named(uow: UnitOfWork, username: str) -> User:
    user = uow.users.get_by_username(username) if is_valid_username(username) else None
    if user is None:
        raise UserNotFound()
    return user


def _cards(uow: UnitOfWork, tweets: Sequence[Tweet], viewer_id: int | None) -> list[TweetCard]:
    """Tweets with their authors, the viewer's flags and the originals of retweets:
    six queries for any number. A tweet whose author (or a retweet whose original) is
    gone meanwhile, a deletion between two reads, is left out."""
    if not tweets:
        return []
    shared = {t.retweeted_id for t in tweets if t.retweeted_id is not None}
    originals = {t.id: t for t in uow.tweets.get_many(shared)} if shared else {}
    everyone = [*tweets, *originals.values()]
    authors = {user.id: user for user in uow.users.get_many({t.owner_id for t in everyone})}
    ids = [tweet.id for tweet in everyone if tweet.id is not None]
    liked: set[int] = set()
    retweeted: set[int] = set()
    bookmarked: set[int] = set()
    if viewer_id is not None:
        liked = uow.likes.liked_among(viewer_id, ids)
        retweeted = uow.tweets.retweeted_among(viewer_id, ids)
        bookmarked = uow.tweets.bookmarked_among(viewer_id, ids)

    def card(tweet: Tweet, original: TweetCard | None = None) -> TweetCard:
        return TweetCard(
            tweet=_tweet_view(tweet),
            author=user_view(authors[tweet.owner_id]),
            liked_by_viewer=tweet.id in liked,
            retweeted_by_viewer=tweet.id in retweeted,
            original=original,
            bookmarked_by_viewer=tweet.id in bookmarked,
        )

    cards = []
    for tweet in tweets:
        original = originals.get(tweet.retweeted_id) if tweet.retweeted_id is not None else None
        if tweet.owner_id not in authors or (tweet.retweeted_id is not None and original is None):
            continue
        if original is not None and original.owner_id not in authors:
            continue
        cards.append(card(tweet, card(original) if original is not None else None))
    return cards


def _card_page(uow: UnitOfWork, tweets: Page[Tweet], viewer_id: int | None) -> Page[TweetCard]:
    return Page(items=_cards(uow, tweets.items, viewer_id), next_cursor=tweets.next_cursor)
