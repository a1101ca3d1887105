#!/usr/bin/env bash
# Runs the suite on SQLite, then again on PostgreSQL when TEST_DATABASE_URL is set or a server
# answers on 127.0.0.1:5432. Browser tests run when chromium is present.
# REQUIRE_POSTGRES=1 / REQUIRE_BROWSER=1 (set by .ci/run) turn a skip into a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
status=0

chromium_bin=""
for c in "${CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$c" ] && [ -x "$c" ]; then chromium_bin="$c"; break; fi
done
if [ -n "$chromium_bin" ]; then
  export CHROMIUM="$chromium_bin"
  echo "== Browser tests: will run with $chromium_bin"
else
  echo "== Browser tests: SKIPPED (no chromium found; install Debian's 'chromium' package to run them)"
  if [ "${REQUIRE_BROWSER:-0}" = "1" ]; then echo "REQUIRE_BROWSER=1 but chromium is missing" >&2; exit 1; fi
fi

# axe-core for the accessibility checks, from the npm registry, pinned in tests/browser/package-lock.json.
if [ -n "$chromium_bin" ] && [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "== Installing axe-core for the accessibility checks (npm ci)"
    npm ci --prefix tests/browser --no-audit --no-fund --silent || echo "npm ci failed: the accessibility checks will fail" >&2
  else
    echo "== npm not found: the accessibility checks (axe-core) will be SKIPPED"
  fi
fi

echo "== Test pass 1: SQLite"
env -u DATABASE_URL $BIN/pytest -q -p no:cacheprovider "$@" || status=1

pg_url="${TEST_DATABASE_URL:-}"
if [ -z "$pg_url" ] && $BIN/python - <<'PY'
import socket, sys
s = socket.socket(); s.settimeout(1)
try:
    s.connect(("127.0.0.1", 5432))
except OSError:
    sys.exit(1)
PY
then
  pg_url="postgres://postgres@127.0.0.1:5432/sleutelnet"
fi
if [ -n "$pg_url" ]; then
  echo "== Test pass 2: PostgreSQL ($pg_url; tests use a test_ database beside it)"
  DATABASE_URL="$pg_url" $BIN/pytest -q -p no:cacheprovider "$@" || status=1
else
  echo "== Test pass 2: PostgreSQL SKIPPED (set TEST_DATABASE_URL or start a server on 127.0.0.1:5432)"
  if [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then echo "REQUIRE_POSTGRES=1 but no PostgreSQL answered" >&2; exit 1; fi
fi

if [ $status -ne 0 ]; then echo "== Some tests FAILED"; else echo "== All test passes succeeded"; fi
exit $status
