#!/usr/bin/env bash
# Durable-accept throughput of Gatehouse, and optionally of a local Postfix in the same run, alternating.
#
#   bench/smtp-throughput.sh [--sessions 20] [--messages 20000] [--size 5120] [--message FILE] [--warmup N] [--postfix]
#                            [--rounds N] [--fsync-rate N] [--strace] [--system-dns] [--no-aot]
#   bench/smtp-throughput.sh --ceiling      # the load generator alone, against smtp-sink (stores nothing)
#
# Starts the gateway from the packaged jar on a fresh SQLite data directory (fsync on, as always),
# creates a tenant with one mailbox through the service layer, drives it with Postfix's smtp-source
# (20 parallel sessions, one message per connection, 5 KB each), and prints accepted msg/s plus the
# server-side p50/p99 from end of data to the 250 reply. With --postfix it sets up a throw-away Postfix
# instance (its own config and queue under /tmp, relaying to smtp-sink) and measures it the same way.
# Needs: the postfix package (smtp-source, smtp-sink), knot and knot-dnsutils (knotd, knotc, kdig), a JDK 25;
# strace for --strace, gcc for --fsync-rate.
#
# Before each warm-up and timed run it flushes and drops the page cache when it runs as root (see settle(): freshly
# deleted inodes otherwise double the kernel time of the next run on this VM's file system).
#
# First it prints what it measured under: cores, memory, the serial fsync rate of the data directory's file
# system (dd oflag=dsync), the load average before the run, the commit (and whether the tree is dirty), the
# gateway JVM (java, its flags, whether a JDK AOT cache was used), the DNS it asks, and Postfix's version.
#
# --rounds N (default 2 with --postfix, else 1): both servers are started and warmed once, then each round is a
# timed run against Gatehouse followed by one against Postfix, so slow and fast minutes of this shared machine
# fall on both; each round prints both rates and their ratio, and a summary gives each server's median (both
# figures for 2 rounds), the ratio of the medians and the smallest and largest per-round ratio. For each
# Gatehouse run: p50/p99 end-of-data->250 and CPU ms/msg over that run alone (metric and /proc deltas), and
# per message, counted from the run's start until the gateway's queue is empty again (accept and delivery of
# exactly that run's mail): read()/write()-family syscalls (/proc/PID/io syscr/syscw), context switches
# (voluntary + involuntary, /proc/PID/task/*/status), CPU, and DNS queries that reached the bench's DNS server.
#
# AOT cache: ./gatehouse serve starts the JVM from an AOT cache of this build, which the bench has the launcher train
# first (`./gatehouse aot-cache`, 40-100 s here, not counted in any figure). --no-aot runs it without
# (GATEHOUSE_AOT=off). The conditions block says which it was.
#
# --message FILE sends that message (header and body, LF line ends: smtp-source -F writes each line with CRLF) instead
# of smtp-source's own small plain-text one; bench/messages/report.eml is a multipart one with URLs and an attachment.
#
# --warmup N first sends N untimed messages to each server (the JVM compiles its hot code during the first
# few thousand, and the gateway's DNS cache fills; Postfix has nothing to warm), so the timed runs show the
# steady state of both.
#
# --strace: after the rounds, one more timed Gatehouse run with strace -f -c attached to the JVM, printing
# pwrite64, pread64, futex, fsync, fdatasync and syncfs calls per message (until the queue drained). strace stops
# the thread at every traced call, so that run's rate is not comparable with the others.
#
# DNS: the gateway authenticates every message (SPF for HELO and MAIL FROM, DKIM, DMARC, ARC, a PTR lookup).
# By default the bench starts its own Knot DNS server on 127.0.0.1 (as the current user, from a directory under
# the work directory) serving the zones this mail needs, TTL 3600: client.example (SPF ip4:127.0.0.0/8 -all and
# DMARC p=none for smtp-source's MAIL FROM and From:), bench.client (SPF and A for the HELO) and
# 127.in-addr.arpa (1.0.0.127 -> bench.client., forward-confirmed), plus an empty root zone so any other name is
# an NXDOMAIN with SOA (negatively cacheable) rather than a refusal; the gateway gets --dns-server 127.0.0.1:PORT.
# --system-dns leaves the gateway on the system's resolvers. A gateway that has no --dns-server option (older
# than sender authentication) gets neither.
#
# --fsync-rate N runs both servers on an emulated disk that completes N serial fsyncs per second (the
# brief's machines: about 210), through bench/slow-fsync.c loaded with LD_PRELOAD into the gateway and into
# every Postfix daemon: each flush does the real fsync, then holds one machine-wide lock until 1/N s has
# passed. This disk does thousands per second, which leaves both servers CPU-bound instead. Needs gcc.
set -euo pipefail
cd "$(dirname "$0")/.."

sessions=20; messages=20000; size=5120; message_file=; with_postfix=0; fsync_rate=0; warmup=0; ceiling=0
rounds=; with_strace=0; system_dns=0
while [ $# -gt 0 ]; do
  case "$1" in
    --sessions) sessions=$2; shift 2;;
    --messages) messages=$2; shift 2;;
    --size) size=$2; shift 2;;
    --message) message_file=$(realpath "$2"); shift 2;;
    --postfix) with_postfix=1; shift;;
    --rounds) rounds=$2; shift 2;;
    --fsync-rate) fsync_rate=$2; shift 2;;
    --warmup) warmup=$2; shift 2;;
    --strace) with_strace=1; shift;;
    --system-dns) system_dns=1; shift;;
    --no-aot) export GATEHOUSE_AOT=off; shift;;
    --ceiling) ceiling=1; shift;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
[ -n "$rounds" ] || rounds=$(( with_postfix ? 2 : 1 ))
[ "$rounds" -ge 1 ] || { echo "--rounds must be at least 1" >&2; exit 2; }
command -v smtp-source >/dev/null || PATH="$PATH:/usr/sbin"
command -v smtp-source >/dev/null || { echo "smtp-source not found: apt-get install postfix" >&2; exit 1; }
if [ "$with_strace" = 1 ]; then command -v strace >/dev/null || { echo "strace not found: apt-get install strace" >&2; exit 1; }; fi

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
load_before=$(cut -d' ' -f1-3 /proc/loadavg)   # before this script adds any load of its own
work=$(mktemp -d /tmp/gatehouse-bench.XXXXXX)
taken=" "
free_port() { # a port nobody listens on (TCP or UDP), below the ephemeral range, none this run already chose: other benches (and other agents) share this machine
  local p
  while :; do
    p=$(( 20000 + RANDOM % 12000 ))
    case "$taken" in *" $p "*) continue;; esac
    ss -Hlntu "( sport = :$p )" | grep -q . || { echo "$p"; return; }
  done
}
smtp_port=$(free_port); taken="$taken$smtp_port "; http_port=$(free_port); taken="$taken$http_port "
pf_port=$(free_port); taken="$taken$pf_port "; sink_port=$(free_port); taken="$taken$sink_port "
cleanup() {
  [ -n "${strace_pid:-}" ] && kill "$strace_pid" 2>/dev/null && wait "$strace_pid" 2>/dev/null || true
  [ -n "${gw_pid:-}" ] && kill "$gw_pid" 2>/dev/null && wait "$gw_pid" 2>/dev/null || true
  if [ "$with_postfix" = 1 ]; then
    postfix -c "$work/postfix" stop >/dev/null 2>&1 || true
    [ -n "${sink_pid:-}" ] && kill "$sink_pid" 2>/dev/null || true
  fi
  [ -n "${knot_pid:-}" ] && kill "$knot_pid" 2>/dev/null && wait "$knot_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

./gatehouse version >/dev/null   # builds the jar if needed
# a launcher that keeps a JDK AOT cache per build trains it here, before anything is timed (serve would otherwise
# start without it and train it in the background, on the same two cores as the bench)
if [ "${GATEHOUSE_AOT:-on}" != off ] && grep -q '"${1:-}" = aot-cache' gatehouse 2>/dev/null; then
  ./gatehouse aot-cache >/dev/null || echo "bench: the AOT cache could not be trained; the gateway runs without one" >&2
fi
./gatehouse provision --data-dir "$work/data" --tenant bench --domain bench.example --mailbox alice@bench.example >/dev/null

# --- DNS for sender authentication ---------------------------------------------------------------------------
knot_zone() { # origin body: a zone file with the SOA and NS Knot requires, TTL 3600 (negative answers too)
  printf '$ORIGIN %s\n$TTL 3600\n@ IN SOA ns.bench.invalid. hostmaster.bench.invalid. 1 3600 600 86400 3600\n@ IN NS ns.bench.invalid.\n%s\n' "$1" "$2"
}
start_knot() { # sets knot_pid, knot_port, knot_dir; returns 1 (with Knot's log on stderr) when it does not come up
  knot_dir="$work/knot"; mkdir -p "$knot_dir"
  knot_zone . '' > "$knot_dir/root.zone"
  knot_zone client.example. '@ IN TXT "v=spf1 ip4:127.0.0.0/8 -all"
_dmarc IN TXT "v=DMARC1; p=none"' > "$knot_dir/client.example.zone"
  knot_zone bench.client. '@ IN TXT "v=spf1 ip4:127.0.0.0/8 -all"
@ IN A 127.0.0.1' > "$knot_dir/bench.client.zone"
  knot_zone 127.in-addr.arpa. '1.0.0 IN PTR bench.client.' > "$knot_dir/127.in-addr.arpa.zone"
  local identity="gatehouse-bench-$$-$RANDOM" attempt port
  for attempt in 1 2 3; do
    port=$(free_port)   # Knot binds with SO_REUSEPORT: the identity check below catches a port another Knot took meanwhile
    # the shape of src/test/java/dev/gatehouse/dns/testing/ZoneFiles.java: unprivileged, everything under one directory
    cat > "$knot_dir/knot.conf" <<CONF
server:
    rundir: "$knot_dir"
    listen: 127.0.0.1@$port
    identity: "$identity"
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "$knot_dir"
control:
    listen: "$knot_dir/knot.sock"
log:
  - target: stderr
    any: info
mod-stats:
  - id: bench
    request-protocol: on
    response-code: on
template:
  - id: default
    storage: "$knot_dir"
    zonefile-sync: -1
    journal-content: none
    global-module: mod-stats/bench
zone:
CONF
    for z in . client.example. bench.client. 127.in-addr.arpa.; do
      f=$([ "$z" = . ] && echo root || echo "${z%.}")
      printf '  - domain: "%s"\n    file: "%s/%s.zone"\n' "$z" "$knot_dir" "$f" >> "$knot_dir/knot.conf"
    done
    /usr/sbin/knotd -c "$knot_dir/knot.conf" > "$knot_dir/knot.log" 2>&1 & knot_pid=$!
    for _ in $(seq 1 50); do
      [ "$(kdig @127.0.0.1 -p "$port" +short +time=1 +retry=0 CH TXT id.server 2>/dev/null)" = "\"$identity\"" ] && break
      kill -0 "$knot_pid" 2>/dev/null || break
      sleep 0.2
    done
    if [ "$(kdig @127.0.0.1 -p "$port" +short +time=1 +retry=0 CH TXT id.server 2>/dev/null)" = "\"$identity\"" ]; then
      knot_port=$port; return 0
    fi
    kill "$knot_pid" 2>/dev/null; wait "$knot_pid" 2>/dev/null || true; knot_pid=
  done
  echo "knotd did not come up; its log:" >&2; cat "$knot_dir/knot.log" >&2
  return 1
}
knot_check() { # every record the bench's mail needs answers as written (a zone that failed to load answers nothing)
  local q=(kdig @127.0.0.1 -p "$knot_port" +short +time=1 +retry=1) bad=0
  expect() { local got; got=$("${q[@]}" "$1" "$2" 2>/dev/null | tr '\n' ' ' | sed 's/ $//')
    [ "$got" = "$3" ] || { echo "DNS check failed: $2 $1 answered '$got', expected '$3'" >&2; bad=1; }; }
  expect TXT client.example '"v=spf1 ip4:127.0.0.0/8 -all"'
  expect TXT _dmarc.client.example '"v=DMARC1; p=none"'
  expect TXT bench.client '"v=spf1 ip4:127.0.0.0/8 -all"'
  expect A bench.client 127.0.0.1
  expect PTR 1.0.0.127.in-addr.arpa bench.client.
  [ "$bad" = 0 ] || { tail -20 "$knot_dir/knot.log" >&2; return 1; }
}
dns_queries() { # queries Knot has answered so far (0 without Knot)
  [ -n "${knot_port:-}" ] || { echo 0; return; }
  knotc -s "$knot_dir/knot.sock" stats mod-stats.request-protocol 2>/dev/null | awk -F' = ' '{ n += $2 } END { print n + 0 }'
}
dns_codes() { # "NOERROR 12, NXDOMAIN 3" so far
  knotc -s "$knot_dir/knot.sock" stats mod-stats.response-code 2>/dev/null \
    | sed -E 's/.*\[([A-Z]+)\] = ([0-9]+)/\1 \2/' | paste -sd, | sed 's/,/, /g'
}

dns_args=()
if [ "$system_dns" = 1 ]; then
  dns_mode="system resolvers (--system-dns): $(awk '/^nameserver/ {print $2}' /etc/resolv.conf | paste -sd, -) from /etc/resolv.conf"
elif ! ./gatehouse serve --help 2>&1 | grep -q -- '--dns-server'; then
  dns_mode="not used by this gateway (its serve has no --dns-server: older than sender authentication)"
else
  command -v kdig >/dev/null && [ -x /usr/sbin/knotd ] \
    || { echo "the bench's DNS needs Knot: apt-get install knot knot-dnsutils (or pass --system-dns)" >&2; exit 1; }
  start_knot || exit 1
  knot_check || exit 1
  dns_args=(--dns-server "127.0.0.1:$knot_port")
  dns_mode="Knot $(/usr/sbin/knotd --version | awk '{print $NF}') on 127.0.0.1:$knot_port (zones client.example, bench.client, 127.in-addr.arpa and an empty root, TTL 3600; answers checked with kdig)"
fi

# --- the gateway ---------------------------------------------------------------------------------------------
slow_env=()
if [ "$fsync_rate" -gt 0 ]; then
  gcc -O2 -shared -fPIC -o "$work/slow-fsync.so" bench/slow-fsync.c -ldl -lpthread
  chmod 755 "$work" "$work/slow-fsync.so"
  slow_env=(SLOW_FSYNC_RATE="$fsync_rate" SLOW_FSYNC_LOCK="$work/slow-fsync.lock" SLOW_FSYNC_LOG="$work/slow-fsync.log"
            LD_PRELOAD="$work/slow-fsync.so")
fi
# `./gatehouse serve` ends in exec java (and env execs it), so $! is the JVM's pid once it is up
launched=$(date +%s.%N)
env ${slow_env[@]+"${slow_env[@]}"} ./gatehouse serve --data-dir "$work/data" --smtp-bind 127.0.0.1 --smtp-port $smtp_port --http-port $http_port \
  --hostname mx.bench.example --max-connections-per-ip 1000 ${dns_args[@]+"${dns_args[@]}"} > "$work/gateway.log" 2>&1 &
gw_pid=$!
for _ in $(seq 1 1200); do grep -q 'gatehouse ready' "$work/gateway.log" && break; sleep 0.05; done
grep -q 'gatehouse ready' "$work/gateway.log" || { cat "$work/gateway.log"; exit 1; }
# how long the gateway took to start, and the CPU it spent doing so (what an AOT cache saves; polled every 50 ms)
ready_line=$(printf 'start to ready: %.1f s, %.2f s CPU' "$(echo "$(date +%s.%N) - $launched" | bc -l)" \
  "$(echo "$(awk '{print $14 + $15}' "/proc/$gw_pid/stat") / $(getconf CLK_TCK)" | bc -l)")
[[ "$(readlink "/proc/$gw_pid/exe")" == */java ]] || { echo "pid $gw_pid is $(readlink "/proc/$gw_pid/exe"), not the gateway's JVM" >&2; exit 1; }

# --- Postfix (started now, so both servers run side by side for every round) --------------------------------
pf="$work/postfix"
start_postfix() {
  mkdir -p "$pf" "$work/postfix-queue" "$work/postfix-data"
  chmod 755 "$work"; chown postfix "$work/postfix-data"
  cp /etc/postfix/master.cf "$pf/master.cf"
  sed -i "s/^smtp      inet  n       -       y       -       -       smtpd\$/127.0.0.1:$pf_port inet n - n - - smtpd/" "$pf/master.cf"
  grep -q "^127.0.0.1:$pf_port " "$pf/master.cf" || { echo "could not set the Postfix listener in master.cf" >&2; exit 1; }
  cat > "$pf/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $work/postfix-queue
data_directory = $work/postfix-data
mail_owner = postfix
myhostname = mx.postfix.bench
mydestination =
relay_domains = bench.example
relayhost = [127.0.0.1]:$sink_port
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
  smtp-sink -u nobody -c "127.0.0.1:$sink_port" 256 >/dev/null 2>&1 & sink_pid=$!
  postfix -c "$pf" set-permissions >/dev/null 2>&1 || true
  postfix -c "$pf" check
  postfix -c "$pf" start >/dev/null
  for _ in $(seq 1 40); do (echo QUIT | nc -q1 127.0.0.1 "$pf_port" | grep -q 220) && break; sleep 0.5; done
}
[ "$with_postfix" = 1 ] && start_postfix

# --- what this was measured under, once ---------------------------------------------------------------------
fsync_probe() { # serial 4 KB writes, each flushed (O_DSYNC), on the file system that holds the data directory
  LC_ALL=C dd if=/dev/zero of="$work/fsync-probe" bs=4k count=500 oflag=dsync 2>&1 \
    | awk -F', ' '/copied/ { split($(NF - 1), s, " "); printf "%.0f", 500 / s[1] }'
  rm -f "$work/fsync-probe"
}
jvm_args() { # the JVM's own options: everything between the java binary and -jar
  tr '\0' '\n' < "/proc/$gw_pid/cmdline" | awk 'NR == 1 { next } $0 == "-jar" { exit } { printf "%s%s", sep, $0; sep = " " }'
}
gw_java=$(readlink "/proc/$gw_pid/exe")
aot=$(tr '\0' '\n' < "/proc/$gw_pid/cmdline" | sed -n 's/^-XX:AOTCache=//p' | tail -1)
if [ -z "$aot" ]; then aot_line="none"
elif [ -f "$aot" ]; then aot_line="used ($aot)"
else aot_line="named but missing, so not used ($aot)"; fi
dirty=$(git status --porcelain 2>/dev/null | wc -l)
echo "--- conditions"
echo "machine: $(nproc) cores, $(awk '/^MemTotal/ {t = $2} /^MemAvailable/ {a = $2} END {printf "%.1f GB memory (%.1f GB available)", t / 1048576, a / 1048576}' /proc/meminfo)"
echo "disk: $(fsync_probe) serial fsyncs/s (dd bs=4k oflag=dsync) on $(stat -f -c %T "$work") at $work$( [ "$fsync_rate" -gt 0 ] && echo "; emulated for both servers: $fsync_rate serial fsyncs/s (bench/slow-fsync.c)")"
echo "load average before the run: $load_before"
echo "page cache: $( [ -w /proc/sys/vm/drop_caches ] && echo "flushed and dropped before each warm-up and timed run" || echo "not dropped (needs root): a run right after one that deleted many files can spend twice the kernel time")"
echo "commit: $(git rev-parse --short HEAD)$( [ "$dirty" -gt 0 ] && echo " dirty (git status --porcelain: $dirty lines)")"
echo "java: ${gw_java%/bin/java} ($("$gw_java" -version 2>&1 | sed -n 2p))"
echo "gateway JVM (pid $gw_pid) flags: $(jvm_args)"
if [ -x "$(dirname "$gw_java")/jcmd" ]; then
  echo "gateway JVM ergonomics: $("$(dirname "$gw_java")/jcmd" "$gw_pid" VM.flags 2>/dev/null | tr ' ' '\n' \
    | awk -F= '/^-XX:\+Use[A-Za-z0-9]*GC$/ { gc = substr($1, 9) } /^-XX:MaxHeapSize=/ { heap = $2 / 1048576 }
               END { printf "%s, max heap %d MB", gc, heap }')"
fi
echo "AOT cache: $aot_line; $ready_line"
dns_logged=$(grep -o 'event=dns .*' "$work/gateway.log" | head -1 || true)
echo "DNS: $dns_mode${dns_logged:+; the gateway logged: $dns_logged}"
[ "$with_postfix" = 1 ] && echo "postfix: $(postconf -d -h mail_version)"
echo "run: $rounds round(s) of $messages msgs x $size B, $sessions sessions, after $warmup warm-up msgs per server"
echo "---"

# --- measuring --------------------------------------------------------------------------------------------------
# Recently deleted inodes: ext4 without a journal (this VM's file system) will not reuse an inode freed in the last
# 30 s while its inode-table block is cached, and it finds that out by scanning the free inodes one by one
# (recently_deleted, find_inode_bit in a profile). After a run deletes tens of thousands of files (this bench's data
# directory, or Postfix's queue files), the next run's Maildir files cost up to twice the kernel time (35-40 % ->
# 62-65 % of the gateway's CPU, at random). Before each warm-up and timed run, as root, the bench flushes and drops the
# page cache, so each run starts alike; otherwise the conditions block says it could not.
settle() {
  sync
  if [ -w /proc/sys/vm/drop_caches ]; then echo 3 > /proc/sys/vm/drop_caches; fi
}

warm_up() { # port: an untimed run of $warmup messages, then waiting for delivery to catch up
  [ "$warmup" -gt 0 ] || return 0
  settle
  smtp-source -s "$sessions" -m "$warmup" "${content[@]}" -M bench.client -f sender@client.example -t alice@bench.example "127.0.0.1:$1" >&2 \
    || { echo "warm-up against port $1 failed" >&2; return 1; }
  if [ "$1" = "$smtp_port" ]; then drain_gateway >/dev/null; else drain_postfix >/dev/null; fi
}

run_source() { # port -> prints seconds taken
  local start end
  start=$(date +%s.%N)
  smtp-source -s "$sessions" -m "$messages" "${content[@]}" -M bench.client -f sender@client.example -t alice@bench.example "127.0.0.1:$1" >&2 \
    || { echo "smtp-source against port $1 failed" >&2; return 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

metric() { curl -s "http://127.0.0.1:$http_port/metrics" | awk -v m="$1" '$1 == m {print int($2)}'; }
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

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # user + system time of the gateway JVM (all its threads, dead ones too)
sys_ticks() { awk '{print $15}' "/proc/$1/stat"; }          # system (kernel) time alone
io_count() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/io"; }   # syscr/syscw: read()/write()-family calls, whole process
ctx_snapshot() { # "tid voluntary involuntary" per thread alive now
  grep -H ctxt_switches "/proc/$1"/task/*/status 2>/dev/null \
    | awk -F':' '{ split($1, p, "/"); v = $3 + 0; if ($2 == "voluntary_ctxt_switches") vol[p[5]] = v; else inv[p[5]] = v }
                 END { for (t in vol) print t, vol[t], inv[t] }'
}
ctx_delta() { # start-snapshot end-snapshot -> "voluntary involuntary threads-at-end threads-exited". Counts are per
  # thread, so a thread that exited during the window takes its switches with it: this undercounts by whatever
  # threads that exited in between did (their number is printed). Threads born in between count whole.
  awk 'NR == FNR { v0[$1] = $2; i0[$1] = $3; next }
       { n++; dv += $2 - ($1 in v0 ? v0[$1] : 0); di += $3 - ($1 in i0 ? i0[$1] : 0); seen[$1] = 1 }
       END { for (t in v0) if (!(t in seen)) gone++; print dv, di, n, gone + 0 }' <(echo "$1") <(echo "$2")
}

queued() { metric gatehouse_queue_depth; }
drain_gateway() { # waits (at most 120 s) until the gateway's queue is empty; prints the seconds it took
  local start; start=$(date +%s.%N)
  while [ "$(queued)" != 0 ]; do
    if [ "$(echo "$(date +%s.%N) - $start > 120" | bc -l)" = 1 ]; then
      echo "delivery did not empty the queue within 120 s; the gateway log's last warnings:" >&2
      grep -E 'WARN|ERROR|Exception' "$work/gateway.log" | tail -5 >&2
      break
    fi
    sleep 0.2
  done
  echo "$(date +%s.%N) - $start" | bc -l
}
drain_postfix() { # waits until Postfix's queue is empty (it relays to smtp-sink); prints the seconds it took
  local start; start=$(date +%s.%N)
  while [ "$(find "$work/postfix-queue"/{maildrop,incoming,active,deferred,hold} -type f 2>/dev/null | wc -l)" != 0 ]; do
    [ "$(echo "$(date +%s.%N) - $start > 120" | bc -l)" = 1 ] && { echo "Postfix's queue did not empty within 120 s" >&2; break; }
    sleep 0.2
  done
  echo "$(date +%s.%N) - $start" | bc -l
}
in_maildir() { { find "$work/data/mail" -path '*/new/*' -type f 2>/dev/null || true; } | wc -l; }   # no mail/ before the first delivery

show_auth() { # the Authentication-Results the gateway stamped on the newest delivered message (the bench's mail should pass)
  local f; f=$({ find "$work/data/mail" -path '*/new/*' -type f -printf '%T@ %p\n' 2>/dev/null || true; } | sort -g | tail -1 | cut -d' ' -f2-)
  [ -n "$f" ] || { echo "authentication: no delivered message to look at"; return; }
  local ar; ar=$(awk '{ sub(/\r$/, "") } /^$/ { exit } /^Authentication-Results:/ { on = 1; printf "%s", $0; next }
                      on && /^[ \t]/ { sub(/^[ \t]+/, " "); printf "%s", $0; next } { on = 0 }' "$f")
  if [ -n "$ar" ]; then echo "authentication stamped on one delivered message: $ar"
  else echo "authentication: the delivered message has no Authentication-Results (this gateway does not authenticate senders)"; fi
}

gw_rates=(); pf_rates=(); ratios=()
gatehouse_round() { # label: one timed run against the gateway, its figures, delivery and per-message counters
  local label=$1 accepted0 cpu0 sys0 r0 w0 ctx0 dns0 maildir0 secs rate cpu_used sys_used p50 p99 accepted backlog drain
  settle
  accepted0=$(metric gatehouse_messages_accepted_total); buckets0=$(buckets gatehouse_end_of_data_to_reply_seconds)
  maildir0=$(in_maildir); dns0=$(dns_queries)
  r0=$(io_count "$gw_pid" syscr); w0=$(io_count "$gw_pid" syscw); ctx0=$(ctx_snapshot "$gw_pid")
  cpu0=$(cpu_ticks "$gw_pid"); sys0=$(sys_ticks "$gw_pid")
  secs=$(run_source $smtp_port) || exit 1
  cpu_used=$(( $(cpu_ticks "$gw_pid") - cpu0 )); sys_used=$(( $(sys_ticks "$gw_pid") - sys0 ))
  rate=$(echo "$messages / $secs" | bc -l)
  p50=$(quantile gatehouse_end_of_data_to_reply_seconds 0.5)
  p99=$(quantile gatehouse_end_of_data_to_reply_seconds 0.99)
  accepted=$(( $(metric gatehouse_messages_accepted_total) - accepted0 ))
  printf '%s gatehouse: %d msgs (%d accepted) x %d B, %d sessions: %.2f s, %.0f msg/s, end-of-data->250 p50 %s ms, p99 %s ms, %.2f ms CPU/msg (%.0f %% in the kernel)\n' \
    "$label" "$messages" "$accepted" "$size" "$sessions" "$secs" "$rate" "$p50" "$p99" \
    "$(echo "$cpu_used * 1000 / $(getconf CLK_TCK) / $messages" | bc -l)" "$(echo "100 * $sys_used / ($cpu_used + ($cpu_used == 0))" | bc -l)"
  # Delivery runs during the test; show it kept up: what was still queued at the last 250, and how long
  # after it the Maildir held every message.
  backlog=$(queued); drain=$(drain_gateway)
  printf '%s delivery: %d recipients still queued at the last 250; %d messages in the Maildir %.1f s later\n' \
    "$label" "$backlog" "$(( $(in_maildir) - maildir0 ))" "$drain"
  # per message from the run's start until the queue emptied: accept and delivery of exactly this run's mail
  local ctx r w
  ctx=$(ctx_delta "$ctx0" "$(ctx_snapshot "$gw_pid")")
  r=$(( $(io_count "$gw_pid" syscr) - r0 )); w=$(( $(io_count "$gw_pid" syscw) - w0 ))
  echo "$ctx" | awk -v l="$label" -v m="$messages" -v r="$r" -v w="$w" -v cpu=$(( $(cpu_ticks "$gw_pid") - cpu0 )) -v hz="$(getconf CLK_TCK)" \
      -v dns=$(( $(dns_queries) - dns0 )) -v knot="${knot_port:-}" '{
    printf "%s per message (run + delivery): %.1f write + %.1f read syscalls (/proc/pid/io syscw/syscr), %.1f context switches (%.1f voluntary + %.1f involuntary; %d threads, %d exited uncounted), %.2f ms CPU", \
      l, w / m, r / m, ($1 + $2) / m, $1 / m, $2 / m, $3, $4, cpu * 1000 / hz / m
    if (knot != "") printf ", %.3f DNS queries", dns / m
    printf "\n" }'
  gw_rate=$rate
}

postfix_round() { # label: one timed run against Postfix, then waiting for its queue to empty
  local label=$1 secs
  settle
  secs=$(run_source "$pf_port") || exit 1
  pf_rate=$(echo "$messages / $secs" | bc -l)
  printf '%s postfix:   %d msgs x %d B, %d sessions: %.2f s, %.0f msg/s; queue empty %.1f s after the last 250\n' \
    "$label" "$messages" "$size" "$sessions" "$secs" "$pf_rate" "$(drain_postfix)"
}

warm_up $smtp_port || exit 1
[ "$with_postfix" = 1 ] && { warm_up "$pf_port" || exit 1; }
for round in $(seq 1 "$rounds"); do
  label="round $round/$rounds"
  gatehouse_round "$label"; gw_rates+=("$gw_rate")
  [ "$round" = 1 ] && show_auth
  if [ "$with_postfix" = 1 ]; then
    postfix_round "$label"; pf_rates+=("$pf_rate")
    ratios+=("$(echo "$gw_rate / $pf_rate" | bc -l)")
    printf '%s ratio gatehouse/postfix: %.2f\n' "$label" "${ratios[-1]}"
  fi
done
if [ "$with_postfix" = 1 ] && [ "$fsync_rate" -gt 0 ]; then  # show that the shim is loaded in the daemons that fsync (cleanup writes the queue file)
  with=0; all=0
  for p in $(pgrep -x cleanup) $(pgrep -x smtpd); do
    all=$((all + 1)); grep -q slow-fsync "/proc/$p/maps" 2>/dev/null && with=$((with + 1))
  done
  echo "emulated disk: loaded in $with of $all Postfix cleanup/smtpd processes"
fi
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
each() { printf '%.0f, ' "$@" | sed 's/, $//'; }
if [ "$rounds" -gt 1 ] || [ "$with_postfix" = 1 ]; then
  gw_median=$(median "${gw_rates[@]}")
  printf 'summary: gatehouse median %.0f msg/s (rounds: %s)' "$gw_median" "$(each "${gw_rates[@]}")"
  if [ "$with_postfix" = 1 ]; then
    pf_median=$(median "${pf_rates[@]}")
    printf ', postfix median %.0f msg/s (rounds: %s); ratio of medians %.2f, per-round ratios %.2f to %.2f' \
      "$pf_median" "$(each "${pf_rates[@]}")" "$(echo "$gw_median / $pf_median" | bc -l)" \
      "$(printf '%s\n' "${ratios[@]}" | sort -g | head -1)" "$(printf '%s\n' "${ratios[@]}" | sort -g | tail -1)"
  fi
  printf '\n'
fi

if [ "$with_strace" = 1 ]; then # one more Gatehouse run, traced: load-independent counts of the calls that matter for durability
  traced=(pwrite64 pread64 futex fsync fdatasync syncfs)   # syncfs too: delivery may flush the Maildir's file system that way
  strace -f -c -e trace="$(IFS=,; echo "${traced[*]}")" -o "$work/strace.out" -p "$gw_pid" 2> "$work/strace.err" & strace_pid=$!
  sleep 2   # attaching to every thread of the JVM takes a moment
  start=$(date +%s.%N)
  smtp-source -s "$sessions" -m "$messages" "${content[@]}" -M bench.client -f sender@client.example -t alice@bench.example "127.0.0.1:$smtp_port" >&2 \
    || { echo "smtp-source against port $smtp_port failed (under strace)" >&2; exit 1; }
  secs=$(echo "$(date +%s.%N) - $start" | bc -l)
  drain_gateway >/dev/null
  kill -INT "$strace_pid"; wait "$strace_pid" 2>/dev/null || true; strace_pid=
  printf 'strace run (rate not comparable: strace stops every thread at each traced call): %d msgs, %.2f s, %.0f msg/s; per message, run + delivery:' \
    "$messages" "$secs" "$(echo "$messages / $secs" | bc -l)"
  for s in "${traced[@]}"; do
    printf ' %s %.2f' "$s" "$(awk -v s="$s" -v m="$messages" '$NF == s { n = $4 } END { print (n + 0) / m }' "$work/strace.out")"
  done
  printf ' (strace followed %d threads)\n' "$(awk '/attached with/ { n += $(NF - 1); next } /attached/ { n++ } END { print n + 0 }' "$work/strace.err")"
fi

[ -n "${knot_port:-}" ] && echo "DNS: Knot answered $(dns_queries) queries in all, the bench's own checks included ($(dns_codes))"
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$fsync_rate" -gt 0 ]; then
  kill "$gw_pid" 2>/dev/null && wait "$gw_pid" 2>/dev/null || true; gw_pid=
  [ "$with_postfix" = 1 ] && { postfix -c "$work/postfix" stop >/dev/null 2>&1 || true; sleep 2; }
  # one line per process that flushed: pid, flushes, total ms spent in them (queueing included), syncfs calls among them
  awk '{ n++; calls += $2; ms += $3; sfs += $4 } END { printf "emulated disk: %d processes made %d flushes (%d of them syncfs), %.0f ms waiting in them\n", n, calls, sfs, ms }' \
    "$work/slow-fsync.log" 2>/dev/null || echo "emulated disk: no flush was intercepted" >&2
fi
