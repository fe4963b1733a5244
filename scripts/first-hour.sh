#!/usr/bin/env bash
# The first hour, exactly as the README tells it: clone, install, start, send a signed sign-up with
# `npx bridge trigger user.created`, then see the users row, the runs and the welcome email.
# Exits 0 when all three are there, 1 with the reason otherwise. npm test runs it
# (test/integration/first-hour.test.ts), so CI walks the newcomer's path on every change.
#
#   scripts/first-hour.sh [repository]   # default: this checkout; a clone gets what is committed
#
# PORT, REDIS_URL, REDIS_PREFIX and DATA_DIR reach the bridge as they would from a shell; the
# defaults are the README's (port 8288, Redis on 127.0.0.1:6379, data/ in the clone).
set -euo pipefail

repository=${1:-$(git -C "$(dirname "$0")" rev-parse --show-toplevel)}
port=${PORT:-8288}
url="http://localhost:$port"
work=$(mktemp -d "${TMPDIR:-/tmp}/cwb-first-hour-XXXXXX")
bridge_pid=""

finish() {
  if [ -n "$bridge_pid" ] && kill -0 "$bridge_pid" 2>/dev/null; then
    kill -TERM -- "-$bridge_pid" # npm, the shell it starts and the bridge: one process group
    wait "$bridge_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap finish EXIT

fail() {
  echo "first hour: $1" >&2
  [ -f "$work/bridge.log" ] && { echo "--- the bridge's log (last 40 lines):" >&2; tail -n 40 "$work/bridge.log" >&2; }
  exit 1
}

# Reads one JSON document on stdin and prints what the expression makes of it (`body` is the document).
json() { node -e 'let s = ""; process.stdin.on("data", (c) => (s += c)).on("end", () => { const body = JSON.parse(s); console.log(eval(process.argv[1])); });' "$1"; }

echo "== git clone $repository"
git clone --quiet "$repository" "$work/clone"
cd "$work/clone"

echo "== npm ci"
npm ci --no-audit --no-fund --prefer-offline >"$work/npm-ci.log" 2>&1 || { cat "$work/npm-ci.log" >&2; fail "npm ci failed"; }

echo "== npm start (port $port)"
PORT=$port setsid npm start >"$work/bridge.log" 2>&1 &
bridge_pid=$!
for _ in $(seq 1 600); do
  curl --silent --fail "$url/readyz" >/dev/null 2>&1 && break
  kill -0 "$bridge_pid" 2>/dev/null || fail "npm start exited before it was ready"
  sleep 0.1
done
curl --silent --fail "$url/readyz" >/dev/null || fail "the bridge was not ready within 60 s"

echo "== npx bridge trigger user.created"
BRIDGE_URL=$url npx bridge trigger user.created | tee "$work/trigger.out" || fail "bridge trigger was refused"
event=$(sed -n 's/^event: //p' "$work/trigger.out")
user=$(sed -n 's/^data.id: //p' "$work/trigger.out")
[ -n "$event" ] && [ -n "$user" ] || fail "bridge trigger printed no event id or user id"

# Polls until the expression over the answer of GET $1 prints "true" (a minute at most).
until_true() {
  for _ in $(seq 1 600); do
    [ "$(curl --silent --fail "$url$1" | json "$2" 2>/dev/null)" = "true" ] && return 0
    sleep 0.1
  done
  fail "$3"
}

echo "== the run: user-sync completed, onboarding-email sent its welcome and sleeps"
until_true "/api/runs?event=$event" \
  'body.runs.some((r) => r.functionId.endsWith("user-sync") && r.status === "completed") && body.runs.some((r) => r.functionId.endsWith("onboarding-email") && r.status === "sleeping")' \
  "the event's runs did not reach user-sync completed and onboarding-email sleeping"

echo "== the row: GET /api/users/count"
until_true "/api/users/count" 'body.count === 1' "the users table does not hold the new user"

echo "== the welcome email in the outbox"
until_true "/api/outbox" \
  'body.messages.length === 1 && body.messages[0].to === "example@example.org" && body.messages[0].subject === "Welcome aboard"' \
  "the outbox does not hold one welcome email to example@example.org"

echo "first hour: ok (event $event, user $user)"
