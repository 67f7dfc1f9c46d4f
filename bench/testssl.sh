#!/usr/bin/env bash
# STARTTLS as testssl.sh sees it: protocols, cipher suites, renegotiation, and known vulnerabilities.
#
#   bench/testssl.sh            # starts a throw-away gateway, runs testssl against its SMTP port, prints a summary
#
# Needs the Debian package testssl.sh (installed here if missing) and a JDK 25. The full report is kept in
# the work directory printed at the end; the summary lines are the ones the README quotes.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v testssl >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq testssl.sh >/dev/null; }
work=$(mktemp -d /tmp/gatehouse-testssl.XXXXXX)
smtp_port=2627; http_port=8627
cleanup() { [ -n "${gw_pid:-}" ] && kill "$gw_pid" 2>/dev/null && wait "$gw_pid" 2>/dev/null || true; }
trap cleanup EXIT
./gatehouse version >/dev/null
./gatehouse serve --data-dir "$work/data" --smtp-bind 127.0.0.1 --smtp-port $smtp_port --http-port $http_port \
  --hostname mx.testssl.example > "$work/gateway.log" 2>&1 &
gw_pid=$!
for _ in $(seq 1 120); do grep -q 'gatehouse ready' "$work/gateway.log" && break; sleep 0.5; done
testssl --quiet --color 0 --warnings off --starttls smtp -p -s -f -R -U --jsonfile "$work/testssl.json" 127.0.0.1:$smtp_port \
  > "$work/testssl.txt" 2>&1 || true
echo "testssl $(testssl --version 2>/dev/null | grep -o "testssl *[0-9][0-9.a-z-]*" | head -1 | tr -s " ") against STARTTLS on 127.0.0.1:$smtp_port"
grep -E "^ (SSLv2|SSLv3|TLS 1(\.[0-3])? )|Secure Renegotiation|Secure Client-Initiated Renegotiation|Obsolete.*CBC|CBC ciphers|NULL ciphers|Anonymous NULL|Export ciphers|LOW:|Triple DES|Forward Secrecy strong|AEAD ciphers|Heartbleed|ROBOT|POODLE|SWEET32|BEAST|LUCKY13|RC4|FREAK|LOGJAM|DROWN|BREACH|CRIME|Ticketbleed" "$work/testssl.txt" \
  | sed 's/  */ /g'
echo "full report: $work/testssl.txt"
