# Sourced by the bench scripts: sets $java to a JDK 25+ launcher (the PATH's java, JAVA_HOME's, or one under /usr/lib/jvm).
java=java
if ! java -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
  for j in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
    if [ -n "$j" ] && [ -x "$j/bin/java" ]; then java="$j/bin/java"; break; fi
  done
fi
