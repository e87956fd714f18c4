"""The web pages: server-rendered HTML over the same use cases as the JSON API.

Mounted under ``/web`` by ``twitter.main``. Pure helpers (``timefmt``, ``csrf``)
import nothing of the web framework, so the unit tests can use them.
"""
