"""The team board: tasks anyone adds, claims, hands back and finishes."""

from flask import Blueprint

bp = Blueprint("board", __name__, url_prefix="/board")
