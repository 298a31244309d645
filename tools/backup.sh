#!/usr/bin/env bash
# Back up the PostgreSQL database in KOMPASS_DATABASE_URL into FILE (pg_dump's custom format,
# compressed; restore with tools/restore.sh). The file holds personal data: keep it encrypted.
set -euo pipefail
file=${1:?usage: tools/backup.sh FILE.dump}
url=${KOMPASS_DATABASE_URL:?set KOMPASS_DATABASE_URL to the PostgreSQL database to back up}
case $url in
  postgresql*) ;;
  *) echo "tools/backup.sh: KOMPASS_DATABASE_URL is not a PostgreSQL URL" >&2; exit 2 ;;
esac
# SQLAlchemy's driver part (postgresql+psycopg://) is not part of a libpq URL.
pg_dump --format=custom --no-owner --no-privileges --file="$file" \
  --dbname="$(sed -E 's|^postgresql\+[a-z0-9]+://|postgresql://|' <<<"$url")"
