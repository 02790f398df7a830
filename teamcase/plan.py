"""The week's visit plan: planned and recurring visits, my day, handing over."""

from flask import Blueprint

bp = Blueprint("plan", __name__, url_prefix="/plan")
