#!/usr/bin/env bash
# The admin centre's quarantine and message trace pages over 1 million messages and 1 million quarantined copies (SQLite).
#
#   bench/web-pages-scale.sh [--messages 1000000] [--quarantined 1000000] [--runs 20]
#
# Builds the gateway jar if needed, then runs bench/WebPagesScale.java (Java's source launcher, the jar on the class
# path; it loads the messages with bench/TraceScale.java's loader). Target (issue 13): every page under 300 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
./gatehouse version >/dev/null   # builds the jar if needed
. bench/java25.sh   # sets $java: a JDK 25 (its source launcher finds TraceScale.java)
exec "$java" -Xmx4g --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp target/gatehouse-0.1.0-SNAPSHOT.jar bench/WebPagesScale.java "$@"
