"""Books' UI: QuickBooks-Online-like pages over the service layer."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("books", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/books")


@bp.get("/")
def dashboard():
    """The dashboard."""
    return "Books"
