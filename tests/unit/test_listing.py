"""Every list of the read port (and GetHomeTimeline): what it contains, its order,
and its pages.

Users come in ascending id; tweets and likes newest first; lists seen through a
relation (liked tweets, liking users, followers, following) newest relation first,
with the relation's id as the cursor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.awaiting import run_to_end
from tests.unit.support import (
    FollowFn,
    LikeFn,
    PostFn,
    RegisterFn,
    SyncReads,
    UseCases,
    ids,
    tweet_ids,
)
from twitter.application import commands
from twitter.application.pagination import Page, PageRequest
from twitter.application.queries import TweetCard
from twitter.domain.errors import NotYourAccount, TweetNotFound, UserNotFound
from twitter.domain.model import Tweet, User


def walk(read: Callable[[PageRequest], Page[Any]], cursor: str, limit: int) -> list[list[Any]]:
    """Read a whole list page by page, following ``next_cursor`` as a client would."""
    pages: list[list[Any]] = []
    request = PageRequest(limit=limit)
    while True:
        page = read(request)
        pages.append(page.items)
        if page.next_cursor is None:
            return pages
        request = PageRequest(limit=limit, **{cursor: page.next_cursor})


def uid(user: User) -> int:
    assert user.id is not None
    return user.id


def tid(tweet: Tweet) -> int:
    assert tweet.id is not None
    return tweet.id


def timeline(
    app: UseCases, actor_id: int, user_id: int, page: PageRequest, *, mark_liked: bool = False
) -> Page[TweetCard]:
    """GetHomeTimeline, awaited."""
    return run_to_end(app.get_home_timeline(actor_id, user_id, page, mark_liked=mark_liked))


# --- users -------------------------------------------------------------------------


def test_users_are_listed_in_ascending_id(register: RegisterFn, reads: SyncReads) -> None:
    users = [register() for _ in range(4)]
    assert ids(reads.users(PageRequest()).items) == ids(users)


def test_no_users_is_an_empty_last_page(reads: SyncReads) -> None:
    page = reads.users(PageRequest())
    assert (page.items, page.next_cursor) == ([], None)


def test_users_page_stops_at_the_limit_and_points_at_the_last_user_served(
    register: RegisterFn, reads: SyncReads
) -> None:
    users = [register() for _ in range(3)]
    page = reads.users(PageRequest(limit=2))
    assert ids(page.items) == ids(users[:2])
    assert page.next_cursor == users[1].id


def test_users_next_page_continues_with_since_id(register: RegisterFn, reads: SyncReads) -> None:
    users = [register() for _ in range(3)]
    page = reads.users(PageRequest(limit=2, since_id=uid(users[1])))
    assert ids(page.items) == [users[2].id]
    assert page.next_cursor is None


def test_walking_the_users_visits_each_once_in_order(
    register: RegisterFn, reads: SyncReads
) -> None:
    users = [register() for _ in range(7)]
    pages = walk(reads.users, "since_id", limit=3)
    assert [ids(page) for page in pages] == [ids(users[0:3]), ids(users[3:6]), ids(users[6:])]


def test_users_page_of_exactly_the_limit_is_the_last(
    register: RegisterFn, reads: SyncReads
) -> None:
    for _ in range(2):
        register()
    assert reads.users(PageRequest(limit=2)).next_cursor is None


def test_users_skip_drops_the_first_ones(register: RegisterFn, reads: SyncReads) -> None:
    users = [register() for _ in range(4)]
    assert ids(reads.users(PageRequest(skip=1, limit=2)).items) == ids(users[1:3])


def test_users_max_id_keeps_lower_ids(register: RegisterFn, reads: SyncReads) -> None:
    users = [register() for _ in range(4)]
    assert ids(reads.users(PageRequest(max_id=uid(users[2]))).items) == ids(users[:2])


def test_deleted_users_are_not_listed(
    register: RegisterFn, app: UseCases, reads: SyncReads
) -> None:
    users = [register() for _ in range(3)]
    app.delete_user(commands.AccountRemoval(actor_id=uid(users[1]), user_id=uid(users[1])))
    assert ids(reads.users(PageRequest()).items) == [users[0].id, users[2].id]


# --- tweets ------------------------------------------------------------------------


@pytest.fixture
def five_tweets(register: RegisterFn, post: PostFn) -> list[Tweet]:
    """Five tweets by two users, oldest first."""
    ada, bob = register(), register()
    return [post(author, f"tweet {n}") for n, author in enumerate([ada, bob, ada, ada, bob])]


def newest_first(tweets: list[Tweet]) -> list[int]:
    return ids(reversed(tweets))


def test_tweets_are_listed_newest_first(five_tweets: list[Tweet], reads: SyncReads) -> None:
    assert tweet_ids(reads.tweets(PageRequest()).items) == newest_first(five_tweets)


def test_no_tweets_is_an_empty_last_page(reads: SyncReads) -> None:
    page = reads.tweets(PageRequest())
    assert (page.items, page.next_cursor) == ([], None)


def test_tweets_page_points_at_the_last_tweet_served(
    five_tweets: list[Tweet], reads: SyncReads
) -> None:
    page = reads.tweets(PageRequest(limit=2))
    assert tweet_ids(page.items) == newest_first(five_tweets)[:2]
    assert page.next_cursor == five_tweets[3].id


def test_tweets_next_page_continues_with_max_id(five_tweets: list[Tweet], reads: SyncReads) -> None:
    page = reads.tweets(PageRequest(limit=2, max_id=tid(five_tweets[3])))
    assert tweet_ids(page.items) == [five_tweets[2].id, five_tweets[1].id]
    assert page.next_cursor == five_tweets[1].id


def test_walking_the_tweets_visits_each_once_newest_first(
    five_tweets: list[Tweet], reads: SyncReads
) -> None:
    pages = walk(reads.tweets, "max_id", limit=2)
    assert [tweet_ids(page) for page in pages] == [
        newest_first(five_tweets)[0:2],
        newest_first(five_tweets)[2:4],
        newest_first(five_tweets)[4:],
    ]


def test_tweets_since_id_keeps_newer_ones(five_tweets: list[Tweet], reads: SyncReads) -> None:
    page = reads.tweets(PageRequest(since_id=tid(five_tweets[2])))
    assert tweet_ids(page.items) == [five_tweets[4].id, five_tweets[3].id]


def test_tweets_between_since_id_and_max_id(five_tweets: list[Tweet], reads: SyncReads) -> None:
    request = PageRequest(since_id=tid(five_tweets[0]), max_id=tid(five_tweets[4]))
    assert tweet_ids(reads.tweets(request).items) == newest_first(five_tweets[1:4])


def test_tweets_skip_drops_the_newest_ones(five_tweets: list[Tweet], reads: SyncReads) -> None:
    page = reads.tweets(PageRequest(skip=2, limit=2))
    assert tweet_ids(page.items) == newest_first(five_tweets)[2:4]
    assert page.next_cursor == five_tweets[1].id


def test_tweets_page_of_exactly_the_limit_is_the_last(
    five_tweets: list[Tweet], reads: SyncReads
) -> None:
    page = reads.tweets(PageRequest(limit=5))
    assert len(page.items) == 5
    assert page.next_cursor is None


# --- user_tweets -------------------------------------------------------------------


def test_user_tweets_are_only_theirs_newest_first(
    register: RegisterFn, post: PostFn, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    first, _, second, _ = post(ada), post(bob), post(ada), post(bob)
    assert tweet_ids(reads.user_tweets(uid(ada), PageRequest()).items) == [second.id, first.id]


def test_user_without_tweets_has_an_empty_list(register: RegisterFn, reads: SyncReads) -> None:
    page = reads.user_tweets(uid(register()), PageRequest())
    assert (page.items, page.next_cursor) == ([], None)


def test_user_tweets_are_paged_with_max_id(
    register: RegisterFn, post: PostFn, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    mine = []
    for _ in range(3):
        mine.append(post(ada))
        post(bob)
    pages = walk(lambda page: reads.user_tweets(uid(ada), page), "max_id", limit=2)
    assert [tweet_ids(page) for page in pages] == [newest_first(mine)[:2], newest_first(mine)[2:]]


def test_tweets_of_an_unknown_user_are_not_found(reads: SyncReads) -> None:
    with pytest.raises(UserNotFound):
        reads.user_tweets(1, PageRequest())


# --- user_likes --------------------------------------------------------------------


def test_user_likes_are_listed_newest_first(
    register: RegisterFn, post: PostFn, like: LikeFn, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    tweets = [post(ada) for _ in range(3)]
    likes = [like(bob, tweets[2]), like(bob, tweets[0]), like(bob, tweets[1])]
    like(ada, tweets[0])  # someone else's like is not listed
    page = reads.user_likes(uid(bob), PageRequest())
    assert ids(page.items) == ids(reversed(likes))
    assert [item.tweet_id for item in page.items] == [tweets[1].id, tweets[0].id, tweets[2].id]


def test_user_likes_page_points_at_the_last_like_served(
    register: RegisterFn, post: PostFn, like: LikeFn, reads: SyncReads
) -> None:
    ada = register()
    likes = [like(ada, post(ada)) for _ in range(3)]
    first = reads.user_likes(uid(ada), PageRequest(limit=2))
    assert ids(first.items) == [likes[2].id, likes[1].id]
    assert first.next_cursor == likes[1].id
    assert likes[1].id is not None
    rest = reads.user_likes(uid(ada), PageRequest(limit=2, max_id=likes[1].id))
    assert (ids(rest.items), rest.next_cursor) == ([likes[0].id], None)


def test_likes_of_an_unknown_user_are_not_found(reads: SyncReads) -> None:
    with pytest.raises(UserNotFound):
        reads.user_likes(1, PageRequest())


# --- liked_tweets ------------------------------------------------------------------


@pytest.fixture
def bob_liked(register: RegisterFn, post: PostFn, like: LikeFn) -> tuple[User, list[Any]]:
    """Bob liked four of Ada's tweets in an order unlike theirs: (bob, [(like, tweet)])."""
    ada, bob = register(), register()
    tweets = [post(ada, f"tweet {n}") for n in range(5)]
    pairs = [(like(bob, tweets[n]), tweets[n]) for n in (3, 0, 4, 1)]
    # Preconditions that make the test tell like ids from tweet ids.
    assert [lk.id for lk, _ in pairs] != [tw.id for _, tw in pairs]
    return bob, pairs


def test_liked_tweets_are_listed_newest_like_first(
    bob_liked: tuple[User, list[Any]], reads: SyncReads
) -> None:
    bob, pairs = bob_liked
    page = reads.liked_tweets(uid(bob), PageRequest())
    assert tweet_ids(page.items) == [tw.id for _, tw in reversed(pairs)]


def test_liked_tweets_cursor_is_the_like_id(
    bob_liked: tuple[User, list[Any]], reads: SyncReads
) -> None:
    bob, pairs = bob_liked
    page = reads.liked_tweets(uid(bob), PageRequest(limit=2))
    assert tweet_ids(page.items) == [pairs[3][1].id, pairs[2][1].id]
    assert page.next_cursor == pairs[2][0].id
    assert page.next_cursor != pairs[2][1].id


def test_walking_the_liked_tweets_by_like_id_visits_each_once(
    bob_liked: tuple[User, list[Any]], reads: SyncReads
) -> None:
    bob, pairs = bob_liked
    pages = walk(lambda page: reads.liked_tweets(uid(bob), page), "max_id", limit=3)
    expected = [tw.id for _, tw in reversed(pairs)]
    assert [tweet_ids(page) for page in pages] == [expected[:3], expected[3:]]


def test_liked_tweets_since_id_keeps_newer_likes(
    bob_liked: tuple[User, list[Any]], reads: SyncReads
) -> None:
    bob, pairs = bob_liked
    page = reads.liked_tweets(uid(bob), PageRequest(since_id=pairs[1][0].id))
    assert tweet_ids(page.items) == [pairs[3][1].id, pairs[2][1].id]


def test_liked_tweets_skip_drops_the_newest_likes(
    bob_liked: tuple[User, list[Any]], reads: SyncReads
) -> None:
    bob, pairs = bob_liked
    page = reads.liked_tweets(uid(bob), PageRequest(skip=3))
    assert (tweet_ids(page.items), page.next_cursor) == ([pairs[0][1].id], None)


def test_liked_tweets_of_an_unknown_user_are_not_found(reads: SyncReads) -> None:
    with pytest.raises(UserNotFound):
        reads.liked_tweets(1, PageRequest())


# --- liking_users ------------------------------------------------------------------


@pytest.fixture
def liked_tweet(
    register: RegisterFn, post: PostFn, like: LikeFn
) -> tuple[Tweet, list[Any], list[User]]:
    """A tweet four users liked, after two likes elsewhere: (tweet, [(like, user)], users)."""
    users = [register() for _ in range(4)]
    other, tweet = post(users[0]), post(users[0])
    like(users[0], other)
    like(users[1], other)
    pairs = [(like(users[n], tweet), users[n]) for n in (2, 0, 3, 1)]
    assert [lk.id for lk, _ in pairs] != [u.id for _, u in pairs]
    return tweet, pairs, users


def test_liking_users_are_listed_newest_like_first(
    liked_tweet: tuple[Tweet, list[Any], list[User]], reads: SyncReads
) -> None:
    tweet, pairs, _ = liked_tweet
    page = reads.liking_users(tid(tweet), PageRequest())
    assert ids(page.items) == [u.id for _, u in reversed(pairs)]
    assert page.next_cursor is None


def test_liking_users_cursor_is_the_like_id(
    liked_tweet: tuple[Tweet, list[Any], list[User]], reads: SyncReads
) -> None:
    tweet, pairs, _ = liked_tweet
    page = reads.liking_users(tid(tweet), PageRequest(limit=2))
    assert ids(page.items) == [pairs[3][1].id, pairs[2][1].id]
    assert page.next_cursor == pairs[2][0].id
    assert page.next_cursor != pairs[2][1].id


def test_liking_users_next_page_continues_with_max_id(
    liked_tweet: tuple[Tweet, list[Any], list[User]], reads: SyncReads
) -> None:
    tweet, pairs, _ = liked_tweet
    page = reads.liking_users(tid(tweet), PageRequest(limit=2, max_id=pairs[2][0].id))
    assert ids(page.items) == [pairs[1][1].id, pairs[0][1].id]
    assert page.next_cursor is None


def test_liking_users_of_an_unliked_tweet_is_empty(
    register: RegisterFn, post: PostFn, reads: SyncReads
) -> None:
    tweet = post(register())
    assert reads.liking_users(tid(tweet), PageRequest()).items == []


def test_liking_users_of_an_unknown_tweet_are_not_found(reads: SyncReads) -> None:
    with pytest.raises(TweetNotFound):
        reads.liking_users(1, PageRequest())


# --- followers / following ---------------------------------------------------------


@pytest.fixture
def people(register: RegisterFn, follow: FollowFn) -> list[User]:
    """Five users; two unrelated follows come first so follow ids differ from user ids."""
    users = [register() for _ in range(5)]
    follow(users[1], users[2])
    follow(users[2], users[1])
    return users


def test_followers_are_listed_newest_follow_first(
    people: list[User], follow: FollowFn, reads: SyncReads
) -> None:
    star = people[0]
    fans = [people[4], people[2], people[1], people[3]]
    for fan in fans:
        follow(fan, star)
    assert ids(reads.followers(uid(star), PageRequest()).items) == ids(reversed(fans))


def test_followers_cursor_is_the_follow_id(
    people: list[User], follow: FollowFn, reads: SyncReads
) -> None:
    star = people[0]
    follows = [follow(fan, star) for fan in (people[4], people[2], people[1], people[3])]
    page = reads.followers(uid(star), PageRequest(limit=2))
    assert ids(page.items) == [people[3].id, people[1].id]
    assert page.next_cursor == follows[2].id
    assert page.next_cursor != people[1].id


def test_followers_next_page_continues_with_max_id(
    people: list[User], follow: FollowFn, reads: SyncReads
) -> None:
    star = people[0]
    follows = [follow(fan, star) for fan in (people[4], people[2], people[1], people[3])]
    page = reads.followers(uid(star), PageRequest(limit=2, max_id=follows[2].id))
    assert (ids(page.items), page.next_cursor) == ([people[2].id, people[4].id], None)


def test_followers_since_id_and_skip(
    people: list[User], follow: FollowFn, reads: SyncReads
) -> None:
    star = people[0]
    follows = [follow(fan, star) for fan in (people[4], people[2], people[1], people[3])]
    newer = reads.followers(uid(star), PageRequest(since_id=follows[1].id))
    skipped = reads.followers(uid(star), PageRequest(skip=3))
    assert ids(newer.items) == [people[3].id, people[1].id]
    assert ids(skipped.items) == [people[4].id]


def test_following_is_listed_newest_follow_first(
    people: list[User], follow: FollowFn, reads: SyncReads
) -> None:
    fan = people[0]
    stars = [people[4], people[2], people[1], people[3]]
    for star in stars:
        follow(fan, star)
    assert ids(reads.following(uid(fan), PageRequest()).items) == ids(reversed(stars))


def test_following_cursor_is_the_follow_id(
    people: list[User], follow: FollowFn, reads: SyncReads
) -> None:
    fan = people[0]
    follows = [follow(fan, star) for star in (people[4], people[2], people[1], people[3])]
    first = reads.following(uid(fan), PageRequest(limit=2))
    assert ids(first.items) == [people[3].id, people[1].id]
    assert first.next_cursor == follows[2].id
    assert first.next_cursor != people[1].id
    rest = reads.following(uid(fan), PageRequest(limit=2, max_id=first.next_cursor))
    assert (ids(rest.items), rest.next_cursor) == ([people[2].id, people[4].id], None)


def test_followers_of_an_unknown_user_are_not_found(reads: SyncReads) -> None:
    with pytest.raises(UserNotFound):
        reads.followers(1, PageRequest())


def test_following_of_an_unknown_user_is_not_found(reads: SyncReads) -> None:
    with pytest.raises(UserNotFound):
        reads.following(1, PageRequest())


# --- GetHomeTimeline ---------------------------------------------------------------


@pytest.fixture
def timeline_world(
    register: RegisterFn, post: PostFn, follow: FollowFn
) -> tuple[User, list[Tweet], list[Tweet]]:
    """Ada follows Bob; Cat follows Ada. Answers (ada, her timeline oldest first, others)."""
    ada, bob, cat = register(), register(), register()
    follow(ada, bob)
    follow(cat, ada)
    tweets = [post(author) for author in (bob, cat, ada, bob, cat, ada, bob)]
    mine = [t for t in tweets if t.owner_id in (ada.id, bob.id)]
    others = [t for t in tweets if t.owner_id == cat.id]
    return ada, mine, others


def test_timeline_holds_own_and_followed_tweets_newest_first(
    timeline_world: tuple[User, list[Tweet], list[Tweet]], app: UseCases
) -> None:
    ada, mine, _ = timeline_world
    page = timeline(app, uid(ada), uid(ada), PageRequest())
    assert tweet_ids(page.items) == newest_first(mine)


def test_timeline_leaves_out_tweets_of_followers_and_strangers(
    timeline_world: tuple[User, list[Tweet], list[Tweet]], app: UseCases
) -> None:
    ada, _, others = timeline_world
    page = timeline(app, uid(ada), uid(ada), PageRequest())
    assert not set(tweet_ids(page.items)) & set(ids(others))


def test_timeline_of_a_user_following_nobody_holds_their_own_tweets(
    register: RegisterFn, post: PostFn, app: UseCases
) -> None:
    ada, bob = register(), register()
    own = [post(ada), post(ada)]
    post(bob)
    assert tweet_ids(timeline(app, uid(ada), uid(ada), PageRequest()).items) == newest_first(own)


def test_timeline_drops_an_unfollowed_author(
    timeline_world: tuple[User, list[Tweet], list[Tweet]], app: UseCases
) -> None:
    ada, mine, _ = timeline_world
    bob_id = next(t.owner_id for t in mine if t.owner_id != ada.id)
    app.unfollow_user(
        commands.FollowRemoval(actor_id=uid(ada), user_id=uid(ada), target_user_id=bob_id)
    )
    page = timeline(app, uid(ada), uid(ada), PageRequest())
    assert tweet_ids(page.items) == newest_first([t for t in mine if t.owner_id == ada.id])


def test_timeline_is_paged_with_max_id(
    timeline_world: tuple[User, list[Tweet], list[Tweet]], app: UseCases
) -> None:
    ada, mine, _ = timeline_world
    first = timeline(app, uid(ada), uid(ada), PageRequest(limit=3))
    assert tweet_ids(first.items) == newest_first(mine)[:3]
    assert first.next_cursor == newest_first(mine)[2]
    rest = timeline(app, uid(ada), uid(ada), PageRequest(limit=3, max_id=first.next_cursor))
    assert (tweet_ids(rest.items), rest.next_cursor) == (newest_first(mine)[3:], None)


def test_someone_elses_timeline_is_forbidden(
    timeline_world: tuple[User, list[Tweet], list[Tweet]], register: RegisterFn, app: UseCases
) -> None:
    ada, _, _ = timeline_world
    with pytest.raises(NotYourAccount):
        timeline(app, uid(register()), uid(ada), PageRequest())


def test_timeline_of_an_unknown_user_is_not_found(app: UseCases) -> None:
    with pytest.raises(UserNotFound):
        timeline(app, 3, 3, PageRequest())


def test_timeline_flags_the_users_likes_only_when_asked(
    timeline_world: tuple[User, list[Tweet], list[Tweet]], like: LikeFn, app: UseCases
) -> None:
    ada, mine, _ = timeline_world
    like(ada, mine[0])
    flagged = timeline(app, uid(ada), uid(ada), PageRequest(), mark_liked=True)
    assert [card.tweet.id for card in flagged.items if card.liked_by_viewer] == [mine[0].id]
    plain = timeline(app, uid(ada), uid(ada), PageRequest())
    assert [card.liked_by_viewer for card in plain.items] == [False] * len(mine)
