"""Read-your-writes on the write side: after a user's write commits, note how far the
primary's write-ahead log has come (see ``twitter.application.consistency``)."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from twitter.application.consistency import current_reader

logger = logging.getLogger("twitter.replicas")

# After the commit returned, the insert position is past its commit record. Not
# pg_current_wal_lsn(), what has been written out: with synchronous_commit = off the
# commit may not be written yet, and a replica that replayed that far would lack it.
# (At worst the insert position is a page header ahead of the last record: the
# writer's reads then stay on the primary until the next write anywhere.)
_NOTE = text(
    "INSERT INTO write_positions (user_id, wal_position) "
    "VALUES (:user_id, pg_current_wal_insert_lsn() - '0/0'::pg_lsn) "
    "ON CONFLICT (user_id) DO UPDATE SET wal_position = excluded.wal_position "
    "RETURNING wal_position"
)


def note_write(session: Session) -> None:
    """Record the current reader's write position, for this request and for every
    process. A failure here loses nothing the write did: at worst that user's next
    read is served by a replica a moment behind, so it is logged, not raised."""
    reader = current_reader()
    if reader is None:
        return
    try:
        position = session.execute(_NOTE, {"user_id": reader.user_id}).scalar_one()
        session.commit()
    except SQLAlchemyError as error:
        session.rollback()
        logger.warning("could not note the write position of user %s: %r", reader.user_id, error)
        return
    reader.last_write, reader.looked_up = int(position), True
