#!/usr/bin/env bash
# Where the gateway's CPU goes during bench/smtp-throughput.sh's timed run (not its warm-up): async-profiler 4.2
# (Maven Central, tools.profiler:async-profiler) as an agent in loop mode, 5 s files, those inside the timed run
# summed. Prints the share of the JIT, the JDK's DelayScheduler (virtual-thread timers), GC threads, and the
# deepest Gatehouse frame of every other sample; writes the collapsed stacks to OUT for flame graphs.
#   bench/cpu-profile.sh OUT.collapsed --messages 20000 --warmup 10000 [other smtp-throughput.sh options]
# The gateway runs with --no-aot (its JVM options differ from the cached ones anyway).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$1; shift
warmup=0; prev=
for a in "$@"; do [ "$prev" = --warmup ] && warmup=$a; prev=$a; done
[ "$warmup" -gt 0 ] || { echo "cpu-profile: give --warmup N (the profile covers the timed run after it)" >&2; exit 2; }
jar=~/.m2/repository/tools/profiler/async-profiler/4.2/async-profiler-4.2.jar
[ -f "$jar" ] || ./mvnw -B -q dependency:get -Dartifact=tools.profiler:async-profiler:4.2 >&2
lib=$(mktemp -d); loop=$(mktemp -d); chmod 755 "$loop"
trap 'rm -rf "$lib" "$loop"' EXIT
(cd "$lib" && unzip -q -o "$jar" 'linux-x64/libasyncProfiler.so')
log=$out.bench.txt
GATEHOUSE_JAVA_OPTS="-agentpath:$lib/linux-x64/libasyncProfiler.so=start,event=cpu,interval=1ms,loop=5s,collapsed,file=$loop/p-%t.collapsed" \
  bench/smtp-throughput.sh "$@" --no-aot > "$log" 2>&1 &
bench=$!
until grep -q '^run:' "$log"; do sleep 0.5; kill -0 $bench 2>/dev/null || { cat "$log" >&2; exit 1; }; done
sleep 1
while pgrep -f "smtp-source.* -m $warmup " >/dev/null; do sleep 0.2; done
t0=$(date +%s)
until grep -q '^round 1/1 gatehouse' "$log"; do sleep 0.2; kill -0 $bench 2>/dev/null || break; done
t1=$(date +%s)
wait $bench || true
: > "$out"
for f in "$loop"/*.collapsed; do   # files written wholly inside the timed run (each covers the 5 s before its mtime)
  m=$(stat -c %Y "$f"); if [ $((m - 5)) -ge "$t0" ] && [ "$m" -le $((t1 + 1)) ]; then cat "$f" >> "$out"; fi
done
grep '^round 1/1' "$log"
[ -s "$out" ] || { echo "cpu-profile: the timed run was shorter than one 5 s profile file; give more --messages" >&2; exit 1; }
python3 - "$out" <<'PY'
import collections, sys
total = 0; top = collections.Counter(); deep = collections.Counter()
for line in open(sys.argv[1]):
    stack, _, n = line.rstrip().rpartition(' '); n = int(n); total += n; frames = stack.split(';')
    if any('CompileBroker' in f or 'C2Compiler' in f for f in frames): top['JIT compiler threads'] += n
    elif frames[0].startswith('java/util/concurrent/DelayScheduler'): top['DelayScheduler thread (virtual-thread timers)'] += n
    elif frames[0].startswith('clone3') and not any('/' in f for f in frames): top['GC and other VM threads'] += n
    g = [f for f in frames if 'dev/gatehouse' in f and 'Lambda' not in f]
    deep[g[-1] if g else frames[0][:70]] += n
print(f'{total} samples (1 ms of CPU each) in the timed run')
for k, v in top.most_common(): print(f'{100 * v / total:5.1f}% {k}')
print('--- deepest Gatehouse frame (or the thread root)')
for k, v in deep.most_common(25): print(f'{100 * v / total:5.1f}% {k}')
PY
