"""In-memory adapter: the same behaviour as the database, kept in dicts.

For unit tests and for library users who want no database.
"""

from twitter.adapters.memory.unit_of_work import MemoryDatabase, MemoryUnitOfWork

__all__ = ["MemoryDatabase", "MemoryUnitOfWork"]
