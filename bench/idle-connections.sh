#!/usr/bin/env bash
# Idle-connection capacity of Gatehouse: starts the gateway with a 512 MB heap, opens CONNS (10,000)
# SMTP connections that have read the 220 greeting and then sit idle (spread over source addresses
# 127.0.0.2-127.0.0.41), checks that a fresh client still gets its greeting quickly, forces a full GC
# and prints the heap used after GC (and the baseline before the connections), the process RSS and the
# connection count the gateway reports. One summary line at the end.
#   bench/idle-connections.sh            # CONNS=10000
#   CONNS=15000 bench/idle-connections.sh
# Needs: python3, a JDK 25 (jcmd), ulimit -n above CONNS + a few hundred.
set -euo pipefail
cd "$(dirname "$0")/.."
conns="${CONNS:-10000}"
sources="${SOURCES:-40}"

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((conns + 500)) ]; then
  echo "idle-connections: ulimit -n is $(ulimit -n), need more than $((conns + 500)); raise the hard limit" >&2
  exit 1
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
data="$(mktemp -d /tmp/gatehouse-idle.XXXXXX)"
smtp_port="$(free_port)"; http_port="$(free_port)"
gw_pid=""; holder_pid=""
cleanup() {
  [ -n "$holder_pid" ] && kill "$holder_pid" 2>/dev/null || true
  if [ -n "$gw_pid" ] && kill -0 "$gw_pid" 2>/dev/null; then kill "$gw_pid"; wait "$gw_pid" 2>/dev/null || true; fi
  rm -rf "$data"
}
trap cleanup EXIT

GATEHOUSE_JAVA_OPTS="-Xmx512m" ./gatehouse serve --data-dir "$data" --smtp-bind 127.0.0.1 --smtp-port "$smtp_port" \
  --http-port "$http_port" --hostname mx.bench.test --max-connections-per-ip 20000 --max-connections 20000 \
  >"$data/gateway.log" 2>&1 &
gw_pid=$!
for _ in $(seq 1 300); do
  grep -q 'gatehouse ready' "$data/gateway.log" 2>/dev/null && break
  kill -0 "$gw_pid" 2>/dev/null || { cat "$data/gateway.log" >&2; exit 1; }
  sleep 0.2
done
grep -q 'gatehouse ready' "$data/gateway.log" || { echo "gateway did not start" >&2; cat "$data/gateway.log" >&2; exit 1; }
jcmd="$(dirname "$(readlink -f "/proc/$gw_pid/exe")")/jcmd"

heap_after_gc_kb() { # full GC, then the "used" figure of the heap line
  "$jcmd" "$gw_pid" GC.run >/dev/null
  "$jcmd" "$gw_pid" GC.heap_info | awk '/ heap .*total/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); print v; exit } }'
}
metric() { python3 - "$http_port" "$1" <<'PY'
import sys, urllib.request
port, name = sys.argv[1], sys.argv[2]
for line in urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode().splitlines():
    if line.startswith(name + " "):
        print(int(float(line.split()[1]))); break
PY
}
greeting_ms() { python3 - "$smtp_port" <<'PY'
import socket, sys, time
t = time.monotonic()
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
buf = b""
while not buf.endswith(b"\r\n"):
    chunk = s.recv(512)
    if not chunk: raise SystemExit("closed before the greeting")
    buf += chunk
ms = (time.monotonic() - t) * 1000
assert buf.startswith(b"220"), buf
s.sendall(b"QUIT\r\n"); s.close()
print(f"{ms:.1f}")
PY
}

baseline_kb="$(heap_after_gc_kb)"

# the holder: opens the connections, reads every greeting, reports, then sleeps until killed
python3 - "$smtp_port" "$conns" "$sources" "$data/holder.status" <<'PY' &
import selectors, socket, sys, time
port, n, sources, status = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
sel = selectors.DefaultSelector()
held, pending, failed, t0 = [], {}, 0, time.monotonic()
def drain(timeout):
    global failed
    for key, _ in sel.select(timeout):
        s = key.fileobj
        try:
            data = s.recv(512)
        except OSError:
            data = b""
        pending[s] += data
        if not data or pending[s].endswith(b"\r\n"):
            sel.unregister(s)
            if pending.pop(s).startswith(b"220"): held.append(s)
            else: failed += 1; s.close()
for i in range(n):
    s = socket.socket()
    s.bind((f"127.0.0.{2 + i % sources}", 0))
    try:
        s.connect(("127.0.0.1", port))
    except OSError:
        failed += 1; s.close(); continue
    s.setblocking(False)
    pending[s] = b""
    sel.register(s, selectors.EVENT_READ)
    if len(pending) >= 500: drain(0.05)
while pending and time.monotonic() - t0 < 120:
    drain(1.0)
with open(status, "w") as f:
    f.write(f"{len(held)} {failed} {time.monotonic() - t0:.1f}\n")
while True:
    time.sleep(3600)
PY
holder_pid=$!
for _ in $(seq 1 900); do [ -s "$data/holder.status" ] && break; kill -0 "$holder_pid" || exit 1; sleep 0.2; done
read -r held failed open_secs <"$data/holder.status"
sleep 1
fresh_ms="$(greeting_ms)"
open_reported="$(metric gatehouse_smtp_connections_open)"
heap_kb="$(heap_after_gc_kb)"
rss_kb="$(awk '/^VmRSS/ {print $2}' "/proc/$gw_pid/status")"
threads="$(awk '/^Threads/ {print $2}' "/proc/$gw_pid/status")"
echo "idle-connections: held=$held failed=$failed opened_in=${open_secs}s gateway_reports_open=$open_reported" \
  "fresh_greeting_ms=$fresh_ms heap_after_gc_mb=$((heap_kb / 1024)) (baseline $((baseline_kb / 1024)), +$(( (heap_kb - baseline_kb) * 1024 / (held > 0 ? held : 1) )) B/conn)" \
  "rss_mb=$((rss_kb / 1024)) os_threads=$threads xmx=512m"
[ "$held" -ge "$conns" ] || { echo "idle-connections: only $held of $conns connections held" >&2; exit 1; }
