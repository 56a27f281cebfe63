"""The web face (`tenderwatch serve`): JSON API, French pages, the operators' review queue."""

from tenderwatch.web.app import create_app

__all__ = ["create_app"]
