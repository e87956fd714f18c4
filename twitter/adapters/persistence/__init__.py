"""SQLAlchemy adapter: tables, imperative mappings, repositories and the unit of work."""
