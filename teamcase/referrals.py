"""The referrals inbox: who asks the team to take someone on, and what the team decided."""

from flask import Blueprint

bp = Blueprint("referrals", __name__, url_prefix="/referrals")
