"""The blueprint of the token pages: staff pages, in the staff language, with its error pages."""

from flask import Blueprint

from adminui import error_pages
from adminui.blueprint import staff_gettext, staff_locale

bp = Blueprint("api_tokens", __name__, url_prefix="/admin", template_folder="templates")
bp.before_request(staff_locale)
bp.context_processor(staff_gettext)
error_pages.register(bp)
