"""twitter: a Twitter-like service and library on a hexagonal core."""

__version__ = "0.1.0"
