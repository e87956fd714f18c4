"""Failures of the outside world, named in the application's words."""


class StorageUnavailable(Exception):
    """The store cannot be reached right now; the operation did not happen."""
