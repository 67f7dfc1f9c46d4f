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
java=java
if ! java -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
  for j in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
    if [ -n "$j" ] && [ -x "$j/bin/java" ]; then java="$j/bin/java"; break; fi
  done
fi
"$java" --enable-native-access=ALL-UNNAMED -cp "bench/rules-jmh/target/classes:$(cat "$cp_file"):target/gatehouse-0.1.0-SNAPSHOT.jar" \
  org.openjdk.jmh.Main RuleEvaluationBenchmark "$@"
rm -f "$cp_file"
