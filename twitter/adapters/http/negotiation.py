"""Which representation a client prefers, from its ``Accept`` header (RFC 9110)."""

from __future__ import annotations


def _quality_of(accept: str, wanted: str) -> float:
    """The q-value ``accept`` gives ``wanted`` (a ``type/subtype``), by its most specific range."""
    kind = wanted.split("/", 1)[0]
    best: tuple[int, float] = (-1, 0.0)
    for item in accept.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        media = media.lower()
        specificity = {wanted: 2, f"{kind}/*": 1, "*/*": 0}.get(media)
        if specificity is None or specificity < best[0]:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        best = (specificity, quality)
    return best[1]


def prefers_html(accept: str | None) -> bool:
    """True when ``accept`` ranks text/html strictly above application/json (a browser).

    ``*/*``, an absent header, or a tie keeps the JSON answer.
    """
    if not accept:
        return False
    return _quality_of(accept, "text/html") > _quality_of(accept, "application/json")
