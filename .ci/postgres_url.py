"""Print the PostgreSQL URL the test suite should use, or exit 1 when none is reachable.

DATABASE_URL wins when it points at PostgreSQL; otherwise the local server on 127.0.0.1:5432
(user postgres, trust auth) is tried. pytest-django creates `test_<name>` next to it.
"""

import os
import sys

import psycopg

url = os.environ.get("DATABASE_URL", "")
if not url.startswith(("postgres://", "postgresql://")):
    url = "postgres://postgres@127.0.0.1:5432/antt_teams"

try:
    # Connect to the maintenance database: the named one may not exist yet.
    server, _, query = url.partition("?")
    maintenance = server.rsplit("/", 1)[0] + "/postgres" + (f"?{query}" if query else "")
    psycopg.connect(maintenance, connect_timeout=3).close()
except psycopg.Error:
    sys.exit(1)
print(url)
