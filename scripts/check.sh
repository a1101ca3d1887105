#!/usr/bin/env bash
# `make check`: lint, migrations, Django's deployment checks in production mode, bandit.
# tests/core/test_checks.py runs this too, so `make test` (and CI) keeps it clean.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

echo "== ruff"
$BIN/ruff check src tests bench

echo "== migrations are complete"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
SLEUTELNET_DATA_DIR="$scratch" env -u DATABASE_URL $BIN/sleutelnet makemigrations --check --dry-run -v1

echo "== check --deploy in production mode"
SLEUTELNET_MODE=production \
  SECRET_KEY="$($BIN/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  PROCESSING_LOG_KEY="$($BIN/python -c 'import secrets; print(secrets.token_urlsafe(32))')" \
  ALLOWED_HOSTS=sleutelnet.example.org SLEUTELNET_DATA_DIR="$scratch" \
  env -u DATABASE_URL -u DEBUG -u DJANGO_ALLOW_ASYNC_UNSAFE $BIN/sleutelnet check --deploy --fail-level WARNING

echo "== bandit (medium and high)"
$BIN/bandit -c pyproject.toml -r src -ll -q

echo "== All checks passed"
