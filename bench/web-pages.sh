#!/usr/bin/env bash
# The admin centre's pages with a million messages in the store: time at the server and first paint in Chromium.
#
#   bench/web-pages.sh [--messages 1000000] [--runs 10] [--store jdbc:postgresql://127.0.0.1:5432/test?user=postgres]
#
# Builds the gateway if needed, writes the test class path (for Selenium) to target/bench.cp, then runs
# bench/WebPages.java with Java's source launcher (it uses bench/TraceScale.java's loader). Needs Debian's chromium
# and chromium-driver (.ci/run installs them). Targets (issue 13): every page < 300 ms at the server and painted in
# < 1 s; the inbound report over 90 days < 2 s. With --store the messages go to a fresh schema of that PostgreSQL
# database (dropped afterwards) instead of SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
./gatehouse version >/dev/null   # builds the jar if needed
. bench/java25.sh   # sets $java
JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v "$java")")")")" ./mvnw -B -q dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp >/dev/null
exec "$java" -Xmx4g --enable-native-access=ALL-UNNAMED -cp "target/gatehouse-0.1.0-SNAPSHOT.jar:$(cat target/bench.cp)" \
  bench/WebPages.java "$@"
