"""Repositories on a SQLAlchemy session, in 2.0 style, querying through table columns.

Writes flush at once so that a broken constraint surfaces here and becomes the
same domain error the use case's pre-check would have raised (a race lost).

One module per aggregate; what they share (paging, point reads, counting,
constraint translation, counter updates) is in ``_shared``.
"""

from __future__ import annotations

from twitter.adapters.persistence.repositories.follows import SqlAlchemyFollowRepository
from twitter.adapters.persistence.repositories.idempotency_keys import (
    SqlAlchemyIdempotencyKeyRepository,
)
from twitter.adapters.persistence.repositories.likes import SqlAlchemyLikeRepository
from twitter.adapters.persistence.repositories.login_attempts import (
    SqlAlchemyLoginAttemptRepository,
)
from twitter.adapters.persistence.repositories.notifications import (
    SqlAlchemyNotificationRepository,
)
from twitter.adapters.persistence.repositories.oauth_apps import (
    SqlAlchemyAuthorizationCodeRepository,
    SqlAlchemyOAuthAppRepository,
)
from twitter.adapters.persistence.repositories.relations import (
    SqlAlchemyBlockRepository,
    SqlAlchemyBookmarkRepository,
    SqlAlchemyMuteRepository,
)
from twitter.adapters.persistence.repositories.revoked_tokens import (
    SqlAlchemyRevokedTokenRepository,
)
from twitter.adapters.persistence.repositories.tweets import SqlAlchemyTweetRepository
from twitter.adapters.persistence.repositories.users import SqlAlchemyUserRepository

__all__ = [
    "SqlAlchemyAuthorizationCodeRepository",
    "SqlAlchemyBlockRepository",
    "SqlAlchemyBookmarkRepository",
    "SqlAlchemyFollowRepository",
    "SqlAlchemyIdempotencyKeyRepository",
    "SqlAlchemyLikeRepository",
    "SqlAlchemyLoginAttemptRepository",
    "SqlAlchemyMuteRepository",
    "SqlAlchemyNotificationRepository",
    "SqlAlchemyOAuthAppRepository",
    "SqlAlchemyRevokedTokenRepository",
    "SqlAlchemyTweetRepository",
    "SqlAlchemyUserRepository",
]
