"""A real PostgreSQL primary and streaming replica for the replica tests: two clusters
of the machine's own PostgreSQL on free ports under a temporary folder (``initdb``,
``pg_basebackup -R``), stopped and removed afterwards. The clusters are the deployment
example's (``deploy/postgres.py``): this module only names them for the tests."""

from __future__ import annotations

from deploy.postgres import DATABASE, Cluster, StreamingPair, postgres_bin, streaming_pair

__all__ = ["DATABASE", "Cluster", "StreamingPair", "postgres_bin", "streaming_pair"]
