"""The roles a staff user can hold. Municipal roles act within the user's own municipality."""

from flask_babel import lazy_gettext as _l

KOMMUNEADMIN = "kommuneadmin"
BOSETTING = "bosetting"
VERTSKOMMUNE = "vertskommune"
SYSTEMADMIN = "systemadmin"
ANALYTIKER = "analytiker"
INNHOLDSREDAKTOR = "innholdsredaktor"

MUNICIPAL = (KOMMUNEADMIN, BOSETTING, VERTSKOMMUNE)
NATIONAL = (SYSTEMADMIN, ANALYTIKER, INNHOLDSREDAKTOR)
ALL = MUNICIPAL + NATIONAL

LABELS = {
    KOMMUNEADMIN: _l("Municipal administrator"),
    BOSETTING: _l("Settlement municipality competence mapping"),
    VERTSKOMMUNE: _l("Host municipality competence mapping"),
    SYSTEMADMIN: _l("System administrator"),
    ANALYTIKER: _l("Analyst"),
    INNHOLDSREDAKTOR: _l("Content editor"),
}
