"""The web app: story pages and an HTTP API over the store (`storylens serve`). Needs the `web` extra."""
