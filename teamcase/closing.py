"""Closing, reopening and transferring a person's case, and the letter that goes with it."""

from flask import Blueprint

bp = Blueprint("closing", __name__, url_prefix="/people")
