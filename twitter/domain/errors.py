"""Domain errors. They say what went wrong in the language of the domain; no HTTP here."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the domain and the use cases raise on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    """A value breaks a domain rule (too long, malformed, ...)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class RuleViolation(DomainError):
    """The request is well formed but the current state forbids it."""


class AlreadyExists(RuleViolation):
    """Something that must be unique exists already."""


class NotFound(DomainError):
    """The thing asked for does not exist."""


class Forbidden(DomainError):
    """The acting user may not do this."""


class AuthenticationFailed(DomainError):
    """Credentials or token are missing, wrong or expired."""


class Throttled(DomainError):
    """Too many requests of one kind: wait ``retry_after_seconds``, then try again."""

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class TooManyAttempts(Throttled):
    """Too many login attempts for an account or from a client: wait, then try again."""

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(
            f"Too many login attempts; try again in {retry_after_seconds} seconds",
            retry_after_seconds,
        )


class TooManySignUps(Throttled):
    """Too many accounts created from one client: wait, then try again."""

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(
            f"Too many sign-ups from this address; try again in {retry_after_seconds} seconds",
            retry_after_seconds,
        )


class TooManyWrites(Throttled):
    """Too many writes by one user in a window: wait, then write again."""

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(
            f"Too many writes; try again in {retry_after_seconds} seconds", retry_after_seconds
        )


class UserNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("User not found")


class TweetNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("Tweet not found")


class LikeNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("Like not found")


class FollowNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("Not following this user")


class EmailAlreadyRegistered(AlreadyExists):
    def __init__(self) -> None:
        super().__init__("Email already registered")


class UsernameTaken(AlreadyExists):
    def __init__(self) -> None:
        super().__init__("Username already taken")


class AlreadyLiked(AlreadyExists):
    def __init__(self) -> None:
        super().__init__("Tweet already liked")


class AlreadyFollowing(AlreadyExists):
    def __init__(self) -> None:
        super().__init__("Already following this user")


class CannotFollowSelf(RuleViolation):
    def __init__(self) -> None:
        super().__init__("Users cannot follow themselves")


class CannotBlockSelf(RuleViolation):
    def __init__(self) -> None:
        super().__init__("Users cannot block themselves")


class CannotMuteSelf(RuleViolation):
    def __init__(self) -> None:
        super().__init__("Users cannot mute themselves")


class NotYourAccount(Forbidden):
    def __init__(self) -> None:
        super().__init__("You can only act on your own account")


class NotYourTweet(Forbidden):
    def __init__(self) -> None:
        super().__init__("You can only delete your own tweets")


class InvalidCredentials(AuthenticationFailed):
    def __init__(self) -> None:
        super().__init__("Incorrect username or password")


class InvalidToken(AuthenticationFailed):
    def __init__(self) -> None:
        super().__init__("Could not validate credentials")


class AlreadyRetweeted(AlreadyExists):
    def __init__(self) -> None:
        super().__init__("Tweet already retweeted")


class RetweetNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("Tweet not retweeted")


class YouAreBlocked(Forbidden):
    """The user acted upon has blocked the actor."""

    def __init__(self) -> None:
        super().__init__("You are blocked")


class YouBlockedThem(Forbidden):
    """The actor has blocked the user they act upon."""

    def __init__(self) -> None:
        super().__init__("You have blocked this user; unblock them first")


class AlreadyBlocking(AlreadyExists):
    def __init__(self) -> None:
        super().__init__("Already blocking this user")


class BlockNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("Not blocking this user")


class AlreadyMuting(AlreadyExists):
    def __init__(self) -> None:
        super().__init__("Already muting this user")


class MuteNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("Not muting this user")


class AlreadyBookmarked(AlreadyExists):
    def __init__(self) -> None:
        super().__init__("Tweet already bookmarked")


class BookmarkNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("Tweet not bookmarked")


class NotificationNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("Notification not found")
