"""Adapters: the outside world plugged into the application's ports."""
