#!/usr/bin/env bash
# Mail flow rule evaluation latency: one message through 300 mixed rules (JMH, average time per message).
#
#   bench/rules-bench.sh [extra JMH options, e.g. -f 1 -wi 2 -i 3]
#
# Builds the gateway jar (./mvnw package, tests skipped), compiles bench/rules-jmh against it, and runs
# RuleEvaluationBenchmark. Target: < 100 µs per message.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B package -DskipTests
./mvnw -q -B -f bench/rules-jmh/pom.xml compile
cp_file=$(mktemp)
./mvnw -q -B -f bench/rules-jmh/pom.xml dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=compile >/dev/null
. bench/java25.sh   # sets $java
"$java" --enable-native-access=ALL-UNNAMED -cp "bench/rules-jmh/target/classes:$(cat "$cp_file"):target/gatehouse-0.1.0-SNAPSHOT.jar" \
  org.openjdk.jmh.Main RuleEvaluationBenchmark "$@"
rm -f "$cp_file"
