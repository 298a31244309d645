"""The roles a staff user can hold. Municipal roles act within the user's own municipality."""

KOMMUNEADMIN = "kommuneadmin"
BOSETTING = "bosetting"
VERTSKOMMUNE = "vertskommune"
SYSTEMADMIN = "systemadmin"
ANALYTIKER = "analytiker"
INNHOLDSREDAKTOR = "innholdsredaktor"

MUNICIPAL = (KOMMUNEADMIN, BOSETTING, VERTSKOMMUNE)
NATIONAL = (SYSTEMADMIN, ANALYTIKER, INNHOLDSREDAKTOR)
ALL = MUNICIPAL + NATIONAL
