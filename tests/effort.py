"""How hard the property tests try: a quick loop on a developer's machine, the full
number of examples in CI (which sets ``CI=true``) or with ``TWITTER_TEST_THOROUGH=1``."""

from __future__ import annotations

import os

THOROUGH = os.environ.get("CI") == "true" or os.environ.get("TWITTER_TEST_THOROUGH") == "1"


def examples(thorough: int) -> int:
    """``thorough`` examples in CI, a fifth of them (at least five) in the quick loop."""
    return thorough if THOROUGH else max(5, thorough // 5)
