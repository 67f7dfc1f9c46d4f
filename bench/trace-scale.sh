#!/usr/bin/env bash
# Message trace and historical search over 10 million message events, on SQLite and on PostgreSQL.
#
#   bench/trace-scale.sh [--events 10000000] [--sqlite-only]
#
# Builds the gateway jar if needed, then runs bench/TraceScale.java (Java's source launcher, the jar on the class
# path) once on a fresh SQLite store in a temp directory and once on a fresh PostgreSQL schema at 127.0.0.1:5432
# (database test, trust auth; dropped afterwards). Targets (issue 11): a sender-filtered trace over 10 days under
# 200 ms; a 90-day NoConnector ConnectorReport under 60 s.
set -euo pipefail
cd "$(dirname "$0")/.."
events=10000000
pg=1
while [ $# -gt 0 ]; do
  case "$1" in
    --events) events=$2; shift 2;;
    --sqlite-only) pg=0; shift;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
./gatehouse version >/dev/null   # builds the jar if needed
. bench/java25.sh   # sets $java
jar=target/gatehouse-0.1.0-SNAPSHOT.jar
run() { "$java" -Xmx4g --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$jar" bench/TraceScale.java --events "$events" "$@"; }
echo "== SQLite"
run
if [ "$pg" = 1 ]; then
  schema="gh_scale_$$"
  psql -h 127.0.0.1 -U postgres -d test -qc "CREATE SCHEMA $schema" 
  trap 'psql -h 127.0.0.1 -U postgres -d test -qc "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1 || true' EXIT
  echo "== PostgreSQL"
  run --store "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=$schema&reWriteBatchedInserts=true"
fi
