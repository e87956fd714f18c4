"""An example deployment: haproxy, two ``twitter serve`` processes, pgbouncer and a
PostgreSQL primary with a streaming replica, all on 127.0.0.1 (see README.md)."""
