#!/usr/bin/env bash
# The whole test suite: what `npm test` and .ci/run run. Installs what the tests need that npm
# cannot (Debian's Chromium, PostgreSQL and tmux, for Codex's TUI, when missing), starts a throwaway PostgreSQL for the
# run unless TEST_POSTGRES_URL is given, then typechecks, checks format and lint, and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v tmux >/dev/null 2>&1 || need_apt+=(tmux)
if ! command -v initdb >/dev/null 2>&1 && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then need_apt+=(postgresql); fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test: installing Debian packages: ${need_apt[*]}" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >&2
  else
    echo "test: missing ${need_apt[*]}; install with: sudo apt-get install -y ${need_apt[*]}" >&2
  fi
fi

[ -x node_modules/.bin/node ] || npm ci --no-audit --no-fund
NODE=node_modules/.bin/node

if [ -z "${TEST_POSTGRES_URL:-}" ]; then
  pgdir=$(mktemp -d /tmp/agentshare-pg.XXXXXX)
  if TEST_POSTGRES_URL=$("$NODE" test/support/postgres.ts start "$pgdir"); then
    export TEST_POSTGRES_URL
    trap '"$NODE" test/support/postgres.ts stop "$pgdir" >/dev/null 2>&1 || true' EXIT
    echo "test: PostgreSQL for this run at $TEST_POSTGRES_URL" >&2
  else
    rm -rf "$pgdir"
    echo "test: could not start PostgreSQL (see above)" >&2
    [ "${CI:-}" = true ] && exit 1
  fi
fi

echo "test: typecheck (tsc --noEmit)" >&2
node_modules/.bin/tsc --noEmit
echo "test: format and lint (biome check)" >&2
node_modules/.bin/biome check --error-on-warnings .
echo "test: node --test" >&2
"$NODE" --test --test-concurrency=2 --test-timeout=600000 "test/**/*.test.ts"
