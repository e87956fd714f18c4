"""The Mastodon client API: a third driving adapter, over the same use cases and read
port as the JSON API and the pages, so that Mastodon apps and libraries work."""
