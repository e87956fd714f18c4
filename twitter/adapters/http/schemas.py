"""Request and response bodies. Responses are built from the domain entities."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Username = Annotated[
    str,
    Field(
        min_length=1,
        max_length=15,
        pattern=r"^[A-Za-z0-9_]+$",
        description="1..15 letters, digits or underscores; unique regardless of case.",
        examples=["ada_l"],
    ),
]


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class UserCreate(BaseModel):
    """Sign-up. Fields the server owns (``id``, ``created_at`` ...) are ignored."""

    # A plain string: the domain's rule (normalise_email) decides, for every adapter alike.
    email: str = Field(examples=["ada@example.com"], json_schema_extra={"format": "email"})
    password: str = Field(
        description="8..128 characters once Unicode-normalised (NFKC).",
        examples=["correct horse"],
    )
    username: Username | None = Field(
        default=None, description="Derived from the email when omitted."
    )


class User(_Out):
    id: int = Field(examples=[1])
    username: str = Field(examples=["ada_l"])
    created_at: datetime
    display_name: str = Field(
        examples=["Ada Lovelace"], description="The username until the user chooses one."
    )
    bio: str = Field(examples=["Analytical engines"])


class UserWithEmail(User):
    email: str = Field(examples=["ada@example.com"])


class Me(UserWithEmail):
    unread_notifications: int = Field(examples=[3])


class ProfileUpdate(BaseModel):
    """Only the fields given change. Plain text, shown escaped."""

    display_name: str | None = Field(
        default=None,
        description="0..50 characters on one line; empty is the username again.",
        examples=["Ada Lovelace"],
    )
    bio: str | None = Field(default=None, description="0..160 characters.", examples=["Poet"])


class ReplySettings(BaseModel):
    in_reply_to_tweet_id: int = Field(examples=[1])


class TweetCreate(BaseModel):
    text: str = Field(
        description="1..280 characters once surrounding white space is trimmed.",
        examples=["Hello, world!"],
    )
    reply: ReplySettings | None = Field(
        default=None, description="Makes the tweet a reply (X API v2's field)."
    )
    quote_tweet_id: int | None = Field(
        default=None, description="Makes the tweet a quote of this one.", examples=[None]
    )


class ReferencedTweet(_Out):
    type: Literal["replied_to", "quoted", "retweeted"]
    id: int = Field(examples=[1])


class HashtagEntity(_Out):
    start: int = Field(examples=[6])
    end: int = Field(examples=[13])
    tag: str = Field(examples=["Python"], description="As written, without the #.")


class MentionEntity(_Out):
    start: int = Field(examples=[0])
    end: int = Field(examples=[4])
    username: str = Field(examples=["ada"], description="As written, without the @.")
    id: int = Field(examples=[1])


class Entities(_Out):
    """Character offsets into ``text``: ``text[start:end]`` is the entity, sign included."""

    hashtags: list[HashtagEntity]
    mentions: list[MentionEntity]


class Tweet(_Out):
    id: int = Field(examples=[1])
    text: str = Field(examples=["Hello, world!"])
    owner_id: int = Field(examples=[1])
    like_count: int = Field(examples=[0])
    created_at: datetime
    conversation_id: int = Field(
        examples=[1], description="The id of the thread's first tweet (its own for a first)."
    )
    in_reply_to_user_id: int | None = Field(examples=[None])
    referenced_tweets: list[ReferencedTweet]
    reply_count: int = Field(examples=[0])
    retweet_count: int = Field(examples=[0])
    quote_count: int = Field(examples=[0])
    entities: Entities


class RetweetCreate(BaseModel):
    tweet_id: int = Field(examples=[1])


class Context(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"ancestors": [], "descendants": []}]}
    )

    ancestors: list[Tweet] = Field(description="Up to the thread's first tweet, oldest first.")
    descendants: list[Tweet] = Field(description="Every reply below, depth-first, oldest first.")


class Notification(BaseModel):
    id: int = Field(examples=[1])
    type: Literal["like", "follow", "reply", "mention", "retweet", "quote"]
    actor: User
    tweet_id: int | None = Field(examples=[1])
    created_at: datetime
    read: bool


class NotificationsRead(BaseModel):
    max_id: int = Field(examples=[10], description="Notifications up to this id become read.")


class LikeCreate(BaseModel):
    tweet_id: int = Field(examples=[1])


class Like(_Out):
    id: int = Field(examples=[1])
    owner_id: int = Field(examples=[1])
    tweet_id: int = Field(examples=[1])
    created_at: datetime


class FollowCreate(BaseModel):
    target_user_id: int = Field(examples=[2])


class Follow(_Out):
    follower_id: int = Field(examples=[1])
    followee_id: int = Field(examples=[2])
    created_at: datetime


class BookmarkCreate(BaseModel):
    tweet_id: int = Field(examples=[1])


class Bookmark(_Out):
    owner_id: int = Field(examples=[1])
    tweet_id: int = Field(examples=[1])
    created_at: datetime


class UserTargetCreate(BaseModel):
    target_user_id: int = Field(examples=[2])


class Block(_Out):
    blocker_id: int = Field(examples=[1])
    blocked_id: int = Field(examples=[2])
    created_at: datetime


class Mute(_Out):
    muter_id: int = Field(examples=[1])
    muted_id: int = Field(examples=[2])
    created_at: datetime


class AccessToken(BaseModel):
    access_token: str = Field(examples=["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."])
    token_type: str = Field(default="bearer", examples=["bearer"])


class ServiceInfo(BaseModel):
    name: str = Field(examples=["twitter"])
    version: str = Field(examples=["0.1.0"])
    docs: str = Field(examples=["/docs"])
    health: str = Field(examples=["/health"])


class HealthStatus(BaseModel):
    status: str = Field(examples=["ok"])
    database: str = Field(examples=["ok"])


class Liveness(BaseModel):
    status: str = Field(examples=["ok"])


class Readiness(HealthStatus):
    """``/health``'s answer, and whether the schema is the one this code needs."""

    model_config = ConfigDict(populate_by_name=True)

    schema_: str = Field(
        alias="schema",
        examples=["ok"],
        description="`ok`, `not at the newest migration`, or `unknown` (no database)",
    )


class Message(BaseModel):
    """The body of every error but 422."""

    detail: str


class ValidationIssue(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationFailure(BaseModel):
    """422: what was wrong with the request. Input values are never echoed."""

    detail: list[ValidationIssue]
