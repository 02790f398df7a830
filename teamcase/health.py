"""For load balancers and monitoring: says whether the database answers.

Serves:
    /healthz                the database's health, as JSON
"""

from flask import Blueprint, jsonify

from teamcase.db import db

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    try:
        db.connect(reuse_if_open=True)
        db.execute_sql("SELECT 1").fetchone()
    except Exception as error:  # any driver error means "not healthy"
        return jsonify(status="error", database="unreachable", error=type(error).__name__), 503
    return jsonify(status="ok", database="ok")


def blueprints():
    return [bp]
