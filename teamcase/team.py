"""The team's own members, the roles it rotates, and its log."""

from flask import Blueprint

bp = Blueprint("team", __name__, url_prefix="/team")
