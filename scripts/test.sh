#!/usr/bin/env bash
# The whole test suite: what `npm test` and .ci/run run. Installs what the tests need that npm
# cannot (Debian's Chromium for the browser tests), then typechecks and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test: installing Debian packages: ${need_apt[*]}" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >&2
  else
    echo "test: missing ${need_apt[*]}; install with: sudo apt-get install -y ${need_apt[*]}" >&2
  fi
fi

[ -x node_modules/.bin/node ] || npm ci --no-audit --no-fund

echo "test: typecheck (tsc --noEmit)" >&2
node_modules/.bin/tsc --noEmit
# npm puts the pinned Node 24 first on PATH; call it by path so this also works outside npm.
exec node_modules/.bin/node --test --test-concurrency=2 --test-timeout=600000 "test/**/*.test.ts"
