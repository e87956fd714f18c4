"""How the pages show a moment: "3 min" ago, with the exact UTC time on hover."""

from __future__ import annotations

from datetime import UTC, datetime

_STEPS = ((60, 1, "s"), (60 * 60, 60, "min"), (24 * 60 * 60, 60 * 60, "h"), (7 * 86400, 86400, "d"))
_JUST_NOW_SECONDS = 5


def relative_time(moment: datetime, now: datetime) -> str:
    """ "now", "5 s", "3 min", "2 h", "4 d"; a date from a week on (or in the future)."""
    seconds = int((now - moment).total_seconds())
    if 0 <= seconds < _JUST_NOW_SECONDS:
        return "now"
    for below, unit_seconds, unit in _STEPS:
        if 0 <= seconds < below:
            return f"{seconds // unit_seconds} {unit}"
    utc = moment.astimezone(UTC)
    if utc.year == now.astimezone(UTC).year:
        return f"{utc.day} {utc:%b}"
    return f"{utc.day} {utc:%b} {utc.year}"


def exact_time(moment: datetime) -> str:
    """The exact time in UTC, for the title of a ``<time>``: "2026-01-02 03:04:05 UTC"."""
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


def iso_time(moment: datetime) -> str:
    """The machine-readable form, for ``<time datetime>``."""
    return moment.astimezone(UTC).isoformat()
