"""The JSON HTTP API (FastAPI): a driving adapter over the use cases."""
