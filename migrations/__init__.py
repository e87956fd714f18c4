"""Alembic's scripts; installed as ``twitter._migrations`` (see pyproject.toml)."""
