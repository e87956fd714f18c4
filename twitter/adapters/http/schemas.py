"""Request and response bodies. Responses are built from the domain entities."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

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


class UserWithEmail(User):
    email: str = Field(examples=["ada@example.com"])


class TweetCreate(BaseModel):
    text: str = Field(
        description="1..280 characters once surrounding white space is trimmed.",
        examples=["Hello, world!"],
    )


class Tweet(_Out):
    id: int = Field(examples=[1])
    text: str = Field(examples=["Hello, world!"])
    owner_id: int = Field(examples=[1])
    like_count: int = Field(examples=[0])
    created_at: datetime


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
