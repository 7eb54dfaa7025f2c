#!/usr/bin/env bash
# The README's two commands, each preceded by the idempotent setup (scripts/setup.sh):
#   bash scripts/run.sh demo   — the main job: start the brokers and show ackcheck at work
#   bash scripts/run.sh test   — lint, type-check, the whole test suite, and a leftover check
set -uo pipefail
cd "$(dirname "$0")/.."
# Each command sets up only what it uses: the demo needs two broker images and no chromium.
case "${1:-}" in demo) export ACKCHECK_SETUP=demo ;; *) export ACKCHECK_SETUP="${ACKCHECK_SETUP:-test}" ;; esac
# shellcheck source=setup.sh
. scripts/setup.sh || exit 2
set -uo pipefail

case "${1:-}" in
  demo)
    shift
    # Build too, so that processors importing 'ackcheck' (the README's examples) resolve here.
    npm run --silent build || exit 2
    exec node bin/ackcheck.ts demo "$@"
    ;;
  test)
    shift
    mkdir -p .ackcheck
    npm run --silent lint || exit 1
    npx tsc --noEmit || exit 1
    npm run --silent build || exit 1
    npx vitest run --reporter=default --reporter=json --outputFile.json=.ackcheck/test-results.json "$@"
    status=$?
    # Nothing may be left running: no process-scoped container of ours after the suite.
    left=$(docker ps -a --filter label=dev.ackcheck.role --filter label=dev.ackcheck.scope=process --format '{{.Names}}')
    if [ -n "$left" ]; then
      printf 'leftover containers after the suite:\n%s\n' "$left" >&2
      status=1
    fi
    node -e '
      const r = JSON.parse(require("fs").readFileSync(".ackcheck/test-results.json", "utf8"));
      console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
    ' 2>/dev/null || true
    exit "$status"
    ;;
  *)
    echo "usage: bash scripts/run.sh demo|test [args]" >&2
    exit 2
    ;;
esac
