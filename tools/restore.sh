#!/usr/bin/env bash
# Restore FILE (made by tools/backup.sh) into the empty PostgreSQL database in
# KOMPASS_DATABASE_URL, in one transaction: on any error nothing is restored.
set -euo pipefail
file=${1:?usage: tools/restore.sh FILE.dump}
url=${KOMPASS_DATABASE_URL:?set KOMPASS_DATABASE_URL to the empty database to restore into}
case $url in
  postgresql*) ;;
  *) echo "tools/restore.sh: KOMPASS_DATABASE_URL is not a PostgreSQL URL" >&2; exit 2 ;;
esac
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$(sed -E 's|^postgresql\+[a-z0-9]+://|postgresql://|' <<<"$url")" "$file"
