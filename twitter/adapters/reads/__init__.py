"""Adapters of the read port (``twitter.application.queries.Reads``): asyncpg on
PostgreSQL (``postgres``), the repositories of a reading unit of work elsewhere
(``through_unit_of_work``: SQLite, and memory for the tests)."""
