#!/usr/bin/env bash
# Durable-accept throughput of Gatehouse, and optionally of a local Postfix in the same run.
#
#   bench/smtp-throughput.sh [--sessions 20] [--messages 20000] [--size 5120] [--message FILE] [--postfix] [--fsync-rate N] [--warmup N]
#   bench/smtp-throughput.sh --ceiling      # the load generator alone, against smtp-sink (stores nothing)
#
# Starts the gateway from the packaged jar on a fresh SQLite data directory (fsync on, as always),
# creates a tenant with one mailbox through the service layer, drives it with Postfix's smtp-source
# (20 parallel sessions, one message per connection, 5 KB each), and prints accepted msg/s plus the
# server-side p50/p99 from end of data to the 250 reply. With --postfix it sets up a throw-away Postfix
# instance (its own config and queue under /tmp, relaying to smtp-sink) and measures it the same way,
# then prints the ratio. Needs: swaks/postfix packages (smtp-source, smtp-sink), a JDK 25.
#
# --message FILE sends that message (header and body, LF line ends: smtp-source -F writes each line with CRLF) instead
# of smtp-source's own small plain-text one; bench/messages/report.eml is a multipart one with URLs and an attachment.
#
# --warmup N first sends N untimed messages to each server (the JVM compiles its hot code during the first
# few thousand; Postfix has nothing to warm), so the timed run shows the steady state of both.
#
# --fsync-rate N runs both servers on an emulated disk that completes N serial fsyncs per second (the
# brief's machines: about 210), through bench/slow-fsync.c loaded with LD_PRELOAD into the gateway and into
# every Postfix daemon: each flush does the real fsync, then holds one machine-wide lock until 1/N s has
# passed. This disk does thousands per second, which leaves both servers CPU-bound instead. Needs gcc.
set -euo pipefail
cd "$(dirname "$0")/.."

sessions=20; messages=20000; size=5120; message_file=; with_postfix=0; fsync_rate=0; warmup=0; ceiling=0
while [ $# -gt 0 ]; do
  case "$1" in
    --sessions) sessions=$2; shift 2;;
    --messages) messages=$2; shift 2;;
    --size) size=$2; shift 2;;
    --message) message_file=$(realpath "$2"); shift 2;;
    --postfix) with_postfix=1; shift;;
    --fsync-rate) fsync_rate=$2; shift 2;;
    --warmup) warmup=$2; shift 2;;
    --ceiling) ceiling=1; shift;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
command -v smtp-source >/dev/null || PATH="$PATH:/usr/sbin"
command -v smtp-source >/dev/null || { echo "smtp-source not found: apt-get install postfix" >&2; exit 1; }

if [ "$ceiling" = 1 ]; then # what smtp-source can drive here at all, against a server that stores nothing
  smtp-sink -u nobody -c 127.0.0.1:2528 256 >/dev/null 2>&1 & sink=$!
  trap 'kill $sink 2>/dev/null' EXIT
  sleep 1
  start=$(date +%s.%N)
  smtp-source -s "$sessions" -m "$messages" -l "$size" -M bench.client -f sender@client.example -t alice@bench.example 127.0.0.1:2528
  secs=$(echo "$(date +%s.%N) - $start" | bc -l)
  printf 'ceiling: smtp-source -> smtp-sink, %d msgs x %d B, %d sessions: %.2f s, %.0f msg/s\n' "$messages" "$size" "$sessions" "$secs" "$(echo "$messages / $secs" | bc -l)"
  exit 0
fi

content=(-l "$size")   # what each message is: smtp-source's own of $size bytes, or the file's
if [ -n "$message_file" ]; then
  [ -f "$message_file" ] || { echo "no such message file: $message_file" >&2; exit 2; }
  content=(-F "$message_file"); size=$(wc -c < "$message_file")
fi
work=$(mktemp -d /tmp/gatehouse-bench.XXXXXX)
smtp_port=2625; http_port=8625
cleanup() {
  [ -n "${gw_pid:-}" ] && kill "$gw_pid" 2>/dev/null && wait "$gw_pid" 2>/dev/null || true
  if [ "$with_postfix" = 1 ]; then
    postfix -c "$work/postfix" stop >/dev/null 2>&1 || true
    [ -n "${sink_pid:-}" ] && kill "$sink_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

./gatehouse version >/dev/null   # builds the jar if needed
./gatehouse provision --data-dir "$work/data" --tenant bench --domain bench.example --mailbox alice@bench.example >/dev/null
slow_env=()
if [ "$fsync_rate" -gt 0 ]; then
  gcc -O2 -shared -fPIC -o "$work/slow-fsync.so" bench/slow-fsync.c -ldl -lpthread
  chmod 755 "$work" "$work/slow-fsync.so"
  slow_env=(SLOW_FSYNC_RATE="$fsync_rate" SLOW_FSYNC_LOCK="$work/slow-fsync.lock" SLOW_FSYNC_LOG="$work/slow-fsync.log"
            LD_PRELOAD="$work/slow-fsync.so")
  echo "emulated disk: $fsync_rate serial fsyncs/s for both servers (bench/slow-fsync.c)"
fi
env ${slow_env[@]+"${slow_env[@]}"} ./gatehouse serve --data-dir "$work/data" --smtp-bind 127.0.0.1 --smtp-port $smtp_port --http-port $http_port \
  --hostname mx.bench.example --max-connections-per-ip 1000 > "$work/gateway.log" 2>&1 &
gw_pid=$!
for _ in $(seq 1 120); do grep -q 'gatehouse ready' "$work/gateway.log" && break; sleep 0.5; done
grep -q 'gatehouse ready' "$work/gateway.log" || { cat "$work/gateway.log"; exit 1; }

warm_up() { # port: an untimed run of $warmup messages, then a pause for delivery to catch up
  [ "$warmup" -gt 0 ] || return 0
  smtp-source -s "$sessions" -m "$warmup" "${content[@]}" -M bench.client -f sender@client.example -t alice@bench.example "127.0.0.1:$1" >&2 \
    || { echo "warm-up against port $1 failed" >&2; return 1; }
  sleep 3
}

run_source() { # port -> prints seconds taken
  local start end
  start=$(date +%s.%N)
  smtp-source -s "$sessions" -m "$messages" "${content[@]}" -M bench.client -f sender@client.example -t alice@bench.example "127.0.0.1:$1" >&2 \
    || { echo "smtp-source against port $1 failed" >&2; return 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

buckets() { # histogram metric -> "upper-bound count" lines, ascending
  curl -s "http://127.0.0.1:$http_port/metrics" | awk -v m="$1_bucket{" 'index($0, m) == 1 {
    match($0, /le="[^"]+"/); le = substr($0, RSTART + 4, RLENGTH - 5); if (le == "+Inf") le = 1e99; print le, $NF }' | sort -g
}
quantile() { # metric quantile -> milliseconds, over the timed run only: the histogram's buckets now minus $buckets0
  local now; now=$(buckets "$1")
  if [ -z "$now" ]; then # a gateway older than the histograms: its summary's quantile
    curl -s "http://127.0.0.1:$http_port/metrics" | awk -v m="$1" -v q="$2" '$1 == m"{quantile=\""q"\"}" { printf "%.1f", $2 * 1000 }'
    return
  fi
  awk -v q="$2" 'NR == FNR { before[$1] = $2; next }
    { le[n] = $1; c[n] = $2 - before[$1]; n++ }
    END { total = c[n - 1]; if (total <= 0) exit; want = q * total; prev = 0; prevc = 0
          for (i = 0; i < n; i++) { if (c[i] >= want) { hi = (le[i] >= 1e99) ? prev : le[i]
              v = (c[i] == prevc) ? hi : prev + (hi - prev) * (want - prevc) / (c[i] - prevc); printf "%.1f", v * 1000; exit }
            prev = le[i]; prevc = c[i] } }' <(echo "$buckets0") <(echo "$now")
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # user + system time of the gateway JVM
sys_ticks() { awk '{print $15}' "/proc/$1/stat"; }          # system (kernel) time alone
warm_up $smtp_port || exit 1
accepted0=$(curl -s "http://127.0.0.1:$http_port/metrics" | awk '/^gatehouse_messages_accepted_total/ {print int($2)}')
buckets0=$(buckets gatehouse_end_of_data_to_reply_seconds)
cpu0=$(cpu_ticks "$gw_pid"); sys0=$(sys_ticks "$gw_pid")
gw_secs=$(run_source $smtp_port) || exit 1
cpu_used=$(( $(cpu_ticks "$gw_pid") - cpu0 )); sys_used=$(( $(sys_ticks "$gw_pid") - sys0 ))
cpu_ms=$(echo "$cpu_used * 1000 / $(getconf CLK_TCK) / $messages" | bc -l)
kernel_pct=$(echo "100 * $sys_used / $cpu_used" | bc -l)
gw_rate=$(echo "$messages / $gw_secs" | bc -l)
p50=$(quantile gatehouse_end_of_data_to_reply_seconds 0.5)
p99=$(quantile gatehouse_end_of_data_to_reply_seconds 0.99)
accepted=$(( $(curl -s "http://127.0.0.1:$http_port/metrics" | awk '/^gatehouse_messages_accepted_total/ {print int($2)}') - accepted0 ))
printf 'gatehouse: %d msgs (%d accepted) x %d B, %d sessions: %.2f s, %.0f msg/s, end-of-data->250 p50 %s ms, p99 %s ms, %.2f ms CPU/msg (%.0f %% in the kernel)\n' \
  "$messages" "$accepted" "$size" "$sessions" "$gw_secs" "$gw_rate" "$p50" "$p99" "$cpu_ms" "$kernel_pct"
# Delivery runs during the test; show it kept up: what was still queued at the last 250, and how long
# after it the Maildir held every message.
queued() { curl -s "http://127.0.0.1:$http_port/metrics" | awk '/^gatehouse_queue_depth/ {print int($2)}'; }
backlog=$(queued); drain_start=$(date +%s.%N)
for _ in $(seq 1 600); do [ "$(queued)" = 0 ] && break; sleep 0.2; done
drain=$(echo "$(date +%s.%N) - $drain_start" | bc -l)
in_maildir=$(( $(find "$work/data/mail" -path '*/new/*' -type f | wc -l) - warmup ))
printf 'delivery: %d recipients still queued at the last 250; %d messages in the Maildir %.1f s later\n' "$backlog" "$in_maildir" "$drain"

if [ "$with_postfix" = 1 ]; then
  pf="$work/postfix"; mkdir -p "$pf" "$work/postfix-queue" "$work/postfix-data"
  chmod 755 "$work"; chown postfix "$work/postfix-data"
  cp /etc/postfix/master.cf "$pf/master.cf"
  sed -i 's/^smtp      inet  n       -       y       -       -       smtpd$/127.0.0.1:2527 inet n - n - - smtpd/' "$pf/master.cf"
  grep -q '^127.0.0.1:2527' "$pf/master.cf" || { echo "could not set the Postfix listener in master.cf" >&2; exit 1; }
  cat > "$pf/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $work/postfix-queue
data_directory = $work/postfix-data
mail_owner = postfix
myhostname = mx.postfix.bench
mydestination =
relay_domains = bench.example
relayhost = [127.0.0.1]:2526
smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination
mynetworks = 127.0.0.0/8
smtpd_client_connection_count_limit = 1000
maillog_file = /var/log/postfix-bench.log
default_process_limit = 200
alias_maps =
alias_database =
local_recipient_maps =
CONF
  if [ "$fsync_rate" -gt 0 ]; then  # the master hands these to every daemon it starts
    echo "import_environment = $(postconf -d -h import_environment) ${slow_env[*]}" >> "$pf/main.cf"
  fi
  smtp-sink -u nobody -c 127.0.0.1:2526 256 >/dev/null 2>&1 & sink_pid=$!
  postfix -c "$pf" set-permissions >/dev/null 2>&1 || true
  postfix -c "$pf" check
  postfix -c "$pf" start >/dev/null
  for _ in $(seq 1 40); do (echo QUIT | nc -q1 127.0.0.1 2527 | grep -q 220) && break; sleep 0.5; done
  warm_up 2527 || exit 1
  pf_secs=$(run_source 2527) || exit 1
  if [ "$fsync_rate" -gt 0 ]; then  # show that the shim is loaded in the daemons that fsync (cleanup writes the queue file)
    with=0; all=0
    for p in $(pgrep -x cleanup) $(pgrep -x smtpd); do
      all=$((all + 1)); grep -q slow-fsync "/proc/$p/maps" 2>/dev/null && with=$((with + 1))
    done
    echo "emulated disk: loaded in $with of $all Postfix cleanup/smtpd processes"
  fi
  pf_rate=$(echo "$messages / $pf_secs" | bc -l)
  printf 'postfix:   %d msgs x %d B, %d sessions: %.2f s, %.0f msg/s\n' "$messages" "$size" "$sessions" "$pf_secs" "$pf_rate"
  printf 'ratio gatehouse/postfix: %.2f\n' "$(echo "$gw_rate / $pf_rate" | bc -l)"
fi
if [ "$fsync_rate" -gt 0 ]; then
  kill "$gw_pid" 2>/dev/null && wait "$gw_pid" 2>/dev/null || true; gw_pid=
  [ "$with_postfix" = 1 ] && { postfix -c "$work/postfix" stop >/dev/null 2>&1 || true; sleep 2; }
  # one line per process that flushed: pid, flushes, total ms spent in them (queueing included), syncfs calls among them
  awk '{ n++; calls += $2; ms += $3; sfs += $4 } END { printf "emulated disk: %d processes made %d flushes (%d of them syncfs), %.0f ms waiting in them\n", n, calls, sfs, ms }' \
    "$work/slow-fsync.log" 2>/dev/null || echo "emulated disk: no flush was intercepted" >&2
fi
