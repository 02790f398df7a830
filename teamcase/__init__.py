"""teamcase: case management for small self-managing neighbourhood teams."""

from teamcase.app import create_app

__all__ = ["create_app"]
