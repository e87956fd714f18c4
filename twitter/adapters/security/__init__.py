"""Security adapters: Argon2id password hashing and JWT access tokens."""

from twitter.adapters.security.passwords import Argon2PasswordHasher
from twitter.adapters.security.tokens import JwtTokenService

__all__ = ["Argon2PasswordHasher", "JwtTokenService"]
