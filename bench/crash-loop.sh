#!/usr/bin/env bash
# Long kill -9 run of the durable-accept harness (hostile-input.md §1.10 A) against the SQLite store:
# 8 clients send for CRASH_SECONDS while the gateway is SIGKILLed CRASH_KILLS times and restarted,
# then every 250-answered message must be in a Maildir. Prints the harness's summary line.
#   bench/crash-loop.sh                 # 300 s, 60 kills
#   CRASH_SECONDS=600 CRASH_KILLS=120 bench/crash-loop.sh
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${CRASH_SECONDS:-300}"
kills="${CRASH_KILLS:-60}"
log="$(mktemp /tmp/gatehouse-crash-loop.XXXXXX.log)"
set +e
./mvnw -q -B verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='dev.gatehouse.it.DurableAcceptIT#sqliteStoreLosesNothingAcrossKill9' \
  -Dgatehouse.crash.seconds="$seconds" -Dgatehouse.crash.kills="$kills" >"$log" 2>&1
rc=$?
set -e
grep -h 'crash-harness' target/failsafe-reports/dev.gatehouse.it.DurableAcceptIT-output.txt 2>/dev/null || true
if [ $rc -ne 0 ]; then
  echo "crash-loop: FAILED (exit $rc); Maven log: $log" >&2
  grep -hE 'lost|unexpected|FAIL|ERROR' "$log" | head -20 >&2
  exit $rc
fi
echo "crash-loop: OK (lost = 0); Maven log: $log"
