"""The composition root: the only module that names concrete classes.

Settings, engine, session factory, hasher and token service are singletons; the
unit of work and every use case are factories. Use cases return entities, so the
session factory keeps them loaded after commit (``expire_on_commit=False``).
Tests and library users override providers (``unit_of_work``, ``settings`` ...).
The HTTP adapter asks the container on ``app.state`` for a use case per request,
by provider name, so an override takes effect at once.
"""

from __future__ import annotations

from datetime import timedelta

from dependency_injector import containers, providers

from twitter.adapters.clock import SystemClock
from twitter.adapters.persistence.database import (
    SqlAlchemyHealthProbe,
    build_reading_session_factory,
    build_session_factory,
    engine_lifetime,
    reading_engine_lifetime,
)
from twitter.adapters.persistence.orm import start_mappers
from twitter.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from twitter.adapters.security import Argon2PasswordHasher, JwtTokenService
from twitter.application import use_cases
from twitter.application.throttling import LoginThrottle, SignUpThrottle
from twitter.settings import Settings


class Container(containers.DeclarativeContainer):
    settings = providers.Singleton(Settings)
    clock = providers.Singleton(SystemClock)

    mappers = providers.Resource(start_mappers)
    engine = providers.Resource(
        engine_lifetime,
        settings.provided.database_url,
        pool_size=settings.provided.db_pool_size,
        max_overflow=settings.provided.db_max_overflow,
        pool_timeout=settings.provided.db_pool_timeout_seconds,
        connect_timeout=settings.provided.db_connect_timeout_seconds,
        statement_timeout_ms=settings.provided.db_statement_timeout_ms,
    )
    reading_engine = providers.Resource(
        reading_engine_lifetime,
        engine,
        pool_size=settings.provided.db_pool_size,
        max_overflow=settings.provided.db_max_overflow,
        pool_timeout=settings.provided.db_pool_timeout_seconds,
        connect_timeout=settings.provided.db_connect_timeout_seconds,
        statement_timeout_ms=settings.provided.db_statement_timeout_ms,
    )
    session_factory = providers.Singleton(build_session_factory, engine)
    reading_session_factory = providers.Singleton(build_reading_session_factory, reading_engine)
    unit_of_work = providers.Factory(SqlAlchemyUnitOfWork, session_factory)
    # Use cases that only read get a unit of work without a transaction (one round
    # trip a query). Overriding the store means overriding both.
    reading_unit_of_work = providers.Factory(
        SqlAlchemyUnitOfWork, reading_session_factory, read_only=True
    )
    # A probe is a read: on SQLite it must not queue behind a writer for the write lock.
    health_probe = providers.Singleton(SqlAlchemyHealthProbe, reading_engine)

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
    identify_user = providers.Factory(
        use_cases.IdentifyUser, uow=reading_unit_of_work, tokens=token_service
    )
    revoke_token = providers.Factory(
        use_cases.RevokeToken, uow=unit_of_work, tokens=token_service, clock=clock
    )
    check_health = providers.Factory(use_cases.CheckHealth, probe=health_probe)
    get_user = providers.Factory(use_cases.GetUser, uow=reading_unit_of_work)
    get_user_by_username = providers.Factory(use_cases.GetUserByUsername, uow=reading_unit_of_work)
    list_users = providers.Factory(use_cases.ListUsers, uow=reading_unit_of_work)
    delete_user = providers.Factory(use_cases.DeleteUser, uow=unit_of_work)
    post_tweet = providers.Factory(use_cases.PostTweet, uow=unit_of_work, clock=clock)
    get_tweet = providers.Factory(use_cases.GetTweet, uow=reading_unit_of_work)
    delete_tweet = providers.Factory(use_cases.DeleteTweet, uow=unit_of_work)
    list_tweets = providers.Factory(use_cases.ListTweets, uow=reading_unit_of_work)
    list_user_tweets = providers.Factory(use_cases.ListUserTweets, uow=reading_unit_of_work)
    like_tweet = providers.Factory(use_cases.LikeTweet, uow=unit_of_work, clock=clock)
    unlike_tweet = providers.Factory(use_cases.UnlikeTweet, uow=unit_of_work)
    list_user_likes = providers.Factory(use_cases.ListUserLikes, uow=reading_unit_of_work)
    list_liked_tweets = providers.Factory(use_cases.ListLikedTweets, uow=reading_unit_of_work)
    list_liking_users = providers.Factory(use_cases.ListLikingUsers, uow=reading_unit_of_work)
    follow_user = providers.Factory(use_cases.FollowUser, uow=unit_of_work, clock=clock)
    unfollow_user = providers.Factory(use_cases.UnfollowUser, uow=unit_of_work)
    list_followers = providers.Factory(use_cases.ListFollowers, uow=reading_unit_of_work)
    list_following = providers.Factory(use_cases.ListFollowing, uow=reading_unit_of_work)
    get_home_timeline = providers.Factory(use_cases.GetHomeTimeline, uow=reading_unit_of_work)
    get_profile = providers.Factory(use_cases.GetProfile, uow=reading_unit_of_work)
    describe_tweets = providers.Factory(use_cases.DescribeTweets, uow=reading_unit_of_work)
