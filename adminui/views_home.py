"""Arbeidsflate (the staff home page) and Kommuner (the municipality's services)."""

from flask import render_template

from adminui.blueprint import bp, requires
from auth.people import municipalities
from auth.staff import access


@bp.get("/")
@requires()
def home(user):
    return render_template("admin/home.html", user=user)


@bp.get("/kommuner")
@requires(access.can_search_persons)
def municipality(user):
    return render_template(
        "admin/municipality.html", municipality=municipalities.find(user.municipality)
    )
