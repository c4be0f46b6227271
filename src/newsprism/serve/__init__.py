"""`newsprism serve`: the web UI and REST API over a store (see app.create_app)."""

from newsprism.serve.app import DEFAULT_HOST, DEFAULT_PORT, background_server, create_app, serve, smoke_check

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "background_server", "create_app", "serve", "smoke_check"]
