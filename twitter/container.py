"""The composition root: the only module that names concrete classes.

Settings, engines, session factories, the read port, hasher and token service are
singletons; the unit of work and every use case are factories. Use cases return
entities, so the session factory keeps them loaded after commit
(``expire_on_commit=False``). Tests and library users override providers
(``unit_of_work``, ``reads``, ``settings`` ...). The driving adapters see the
container as ``twitter.adapters.driving.Services`` and resolve a use case per
request, so an override takes effect at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from dependency_injector import containers, providers
from sqlalchemy import make_url

from twitter.adapters.clock import SystemClock
from twitter.adapters.persistence.database import (
    build_reading_session_factory,
    build_session_factory,
    engine_lifetime,
    reading_engine_lifetime,
)
from twitter.adapters.persistence.health import SqlAlchemyHealthProbe
from twitter.adapters.persistence.orm import start_mappers
from twitter.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from twitter.adapters.reads.blocking import BlockingReads
from twitter.adapters.reads.postgres import AsyncpgReads
from twitter.adapters.reads.replicas import Replicas
from twitter.adapters.reads.through_unit_of_work import UnitOfWorkReads
from twitter.adapters.security import Argon2PasswordHasher, JwtTokenService
from twitter.application import use_cases
from twitter.application.idempotency import IdempotencyKeys
from twitter.application.ports import UnitOfWork
from twitter.application.queries import Reads
from twitter.application.throttling import LoginThrottle, SignUpThrottle, WriteLimit
from twitter.settings import ConfigurationError, Settings


def build_reads(settings: Settings, reading_unit_of_work: Callable[[], UnitOfWork]) -> Reads:
    """The read port for the configured database: asyncpg on PostgreSQL, and the
    reading unit of work, off the event loop, on the others."""
    on_postgres = make_url(settings.database_url).get_backend_name() == "postgresql"
    if settings.database_replica_urls and not on_postgres:
        raise ConfigurationError("TWITTER_DATABASE_REPLICA_URLS needs a PostgreSQL primary")
    if on_postgres:

        def on(url: str, replicas: Replicas | None = None) -> AsyncpgReads:
            return AsyncpgReads(
                url,
                pool_size=settings.db_pool_size,
                statement_cache_size=settings.db_statement_cache_size,
                statement_timeout_ms=settings.db_statement_timeout_ms,
                connect_timeout=settings.db_connect_timeout_seconds,
                replicas=replicas,
            )

        replicas = None
        if settings.database_replica_urls:
            replicas = Replicas(
                [on(url) for url in settings.database_replica_urls],
                max_lag_seconds=settings.replica_max_lag_seconds,
                check_every_seconds=settings.replica_check_seconds,
            )
        return on(settings.database_url, replicas)
    return UnitOfWorkReads(reading_unit_of_work, offload=True)


async def close_reads(reads: Reads) -> None:
    """Close the read port's own connections, if it has any."""
    if isinstance(reads, AsyncpgReads):
        await reads.aclose()


class Container(containers.DeclarativeContainer):
    settings = providers.Singleton(Settings)
    clock = providers.Singleton(SystemClock)

    mappers = providers.Resource(start_mappers)
    engine = providers.Resource(
        engine_lifetime,
        settings.provided.database_url,
        pool_size=settings.provided.db_pool_size,
        max_overflow=0,
        pool_timeout=settings.provided.db_pool_timeout_seconds,
        connect_timeout=settings.provided.db_connect_timeout_seconds,
        statement_timeout_ms=settings.provided.db_statement_timeout_ms,
    )
    reading_engine = providers.Resource(
        reading_engine_lifetime,
        engine,
        pool_size=settings.provided.db_pool_size,
        max_overflow=0,
        pool_timeout=settings.provided.db_pool_timeout_seconds,
        connect_timeout=settings.provided.db_connect_timeout_seconds,
        statement_timeout_ms=settings.provided.db_statement_timeout_ms,
    )
    session_factory = providers.Singleton(build_session_factory, engine)
    reading_session_factory = providers.Singleton(build_reading_session_factory, reading_engine)
    unit_of_work = providers.Factory(
        SqlAlchemyUnitOfWork,
        session_factory,
        note_write_positions=settings.provided.has_replicas,
    )
    # Use cases that only read get a unit of work without a transaction (one round
    # trip a query). Overriding the store means overriding both.
    reading_unit_of_work = providers.Factory(
        SqlAlchemyUnitOfWork, reading_session_factory, read_only=True
    )
    reads = providers.Singleton(
        build_reads,
        settings,
        reading_unit_of_work=reading_unit_of_work.provider,
    )
    # The same reads for synchronous callers (scripts, the README's examples).
    blocking_reads = providers.Singleton(BlockingReads, reads)
    # A probe is a read: on SQLite it must not queue behind a writer for the write lock.
    health_probe = providers.Singleton(
        SqlAlchemyHealthProbe, reading_engine, settings.provided.database_url
    )

    password_hasher = providers.Singleton(
        Argon2PasswordHasher,
        memory_kib=settings.provided.argon2_memory_kib,
        time_cost=settings.provided.argon2_time_cost,
        parallelism=settings.provided.argon2_parallelism,
        concurrency=settings.provided.argon2_concurrency,
    )
    # Signs access tokens; the web adapter derives its CSRF key from it.
    secret = providers.Singleton(Settings.token_secret, settings)
    token_service = providers.Singleton(
        JwtTokenService,
        secret=secret,
        lifetime=providers.Factory(timedelta, minutes=settings.provided.access_token_minutes),
        now=clock.provided.now,
    )

    signup_throttle = providers.Singleton(
        SignUpThrottle,
        per_client=settings.provided.signups_per_client,
        window=providers.Factory(timedelta, seconds=settings.provided.signup_window_seconds),
    )
    register_user = providers.Factory(
        use_cases.RegisterUser,
        uow=unit_of_work,
        hasher=password_hasher,
        clock=clock,
        throttle=signup_throttle,
    )
    login_throttle = providers.Singleton(
        LoginThrottle,
        per_account=settings.provided.login_attempts_per_account,
        per_client=settings.provided.login_attempts_per_client,
        per_account_and_client=settings.provided.login_attempts_per_account_and_client,
        window=providers.Factory(timedelta, seconds=settings.provided.login_window_seconds),
    )
    authenticate = providers.Factory(
        use_cases.Authenticate,
        uow=unit_of_work,
        hasher=password_hasher,
        tokens=token_service,
        clock=clock,
        throttle=login_throttle,
    )
    identify_user = providers.Factory(use_cases.IdentifyUser, reads=reads, tokens=token_service)
    revoke_token = providers.Factory(
        use_cases.RevokeToken, uow=unit_of_work, tokens=token_service, clock=clock
    )
    check_health = providers.Factory(use_cases.CheckHealth, probe=health_probe)
    delete_user = providers.Factory(use_cases.DeleteUser, uow=unit_of_work)
    post_tweet = providers.Factory(use_cases.PostTweet, uow=unit_of_work, clock=clock)
    delete_tweet = providers.Factory(use_cases.DeleteTweet, uow=unit_of_work)
    like_tweet = providers.Factory(use_cases.LikeTweet, uow=unit_of_work, clock=clock)
    unlike_tweet = providers.Factory(use_cases.UnlikeTweet, uow=unit_of_work)
    follow_user = providers.Factory(use_cases.FollowUser, uow=unit_of_work, clock=clock)
    unfollow_user = providers.Factory(use_cases.UnfollowUser, uow=unit_of_work)
    get_home_timeline = providers.Factory(use_cases.GetHomeTimeline, reads=reads)
    retweet_tweet = providers.Factory(use_cases.RetweetTweet, uow=unit_of_work, clock=clock)
    undo_retweet = providers.Factory(use_cases.UndoRetweet, uow=unit_of_work)
    edit_profile = providers.Factory(use_cases.EditProfile, uow=unit_of_work)
    list_notifications = providers.Factory(use_cases.ListNotifications, reads=reads)
    mark_notifications_read = providers.Factory(use_cases.MarkNotificationsRead, uow=unit_of_work)
    dismiss_notifications = providers.Factory(use_cases.DismissNotifications, uow=unit_of_work)
    write_limit = providers.Singleton(
        WriteLimit,
        per_user=settings.provided.writes_per_user,
        window=providers.Factory(timedelta, seconds=settings.provided.write_window_seconds),
    )
    count_write = providers.Factory(
        use_cases.CountWrite, uow=unit_of_work, clock=clock, limit=write_limit
    )
    peek_writes = providers.Factory(
        use_cases.PeekWrites, reads=reads, clock=clock, limit=write_limit
    )
    idempotency_keys = providers.Factory(IdempotencyKeys, uow=unit_of_work, clock=clock)
    register_app = providers.Factory(use_cases.RegisterApp, uow=unit_of_work, clock=clock)
    authenticate_app = providers.Factory(use_cases.AuthenticateApp, uow=unit_of_work)
    grant_password_token = providers.Factory(
        use_cases.GrantPasswordToken, apps=authenticate_app, authenticate=authenticate
    )
    review_authorization = providers.Factory(use_cases.ReviewAuthorization, uow=unit_of_work)
    authorize_app = providers.Factory(
        use_cases.AuthorizeApp, review=review_authorization, uow=unit_of_work, clock=clock
    )
    grant_authorization_code = providers.Factory(
        use_cases.GrantAuthorizationCode,
        apps=authenticate_app,
        uow=unit_of_work,
        tokens=token_service,
        clock=clock,
    )
    grant_client_credentials = providers.Factory(
        use_cases.GrantClientCredentials, apps=authenticate_app, tokens=token_service
    )
    identify_app = providers.Factory(use_cases.IdentifyApp, uow=unit_of_work, tokens=token_service)
    block_user = providers.Factory(use_cases.BlockUser, uow=unit_of_work, clock=clock)
    unblock_user = providers.Factory(use_cases.UnblockUser, uow=unit_of_work)
    list_blocking = providers.Factory(use_cases.ListBlocking, reads=reads)
    mute_user = providers.Factory(use_cases.MuteUser, uow=unit_of_work, clock=clock)
    unmute_user = providers.Factory(use_cases.UnmuteUser, uow=unit_of_work)
    list_muting = providers.Factory(use_cases.ListMuting, reads=reads)
    bookmark_tweet = providers.Factory(use_cases.BookmarkTweet, uow=unit_of_work, clock=clock)
    remove_bookmark = providers.Factory(use_cases.RemoveBookmark, uow=unit_of_work)
    list_bookmarks = providers.Factory(use_cases.ListBookmarks, reads=reads)
    search_tweets = providers.Factory(use_cases.SearchTweets, reads=reads)
    search_users = providers.Factory(use_cases.SearchUsers, reads=reads)
