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
python3 - "$out" "$log" <<'PY'
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

# Per message, by part, kernel and user: the shares of the samples times the bench's own CPU per message (the
# profiler's samples undercount CPU time; their shares are what it gives). A sample is kernel when any of its frames
# is ([k]); a part is the first of these its frames name, in this order.
import re
m = re.search(r'^round 1/1 gatehouse: .* ([0-9.]+) ms CPU/msg', open(sys.argv[2]).read(), re.M)
if m:
    cpu = float(m.group(1))
    def part(frames):
        def has(*prefixes): return any(f.startswith(prefixes) for f in frames)
        if any('CompileBroker' in f for f in frames): return 'JIT compiler'
        if frames[0].startswith('clone3') and not any('/' in f for f in frames): return 'GC and other VM threads'
        if has('dev/gatehouse/store/', 'org/sqlite/', 'dev/gatehouse/queue/'): return 'store: SQLite writes and reads'
        if has('dev/gatehouse/delivery/'): return 'delivery: Maildir files, renames, syncfs'
        if has('dev/gatehouse/hunting/'): return 'hunting tables'
        if has('dev/gatehouse/smtp/') and not has('dev/gatehouse/server/', 'dev/gatehouse/pipeline/'):
            return 'SMTP sessions: sockets (kernel), protocol (user)'
        if has('dev/gatehouse/'): return 'message: parse, authenticate, rules, stamps'
        if has('java/util/concurrent/ForkJoin', 'jdk/internal/misc/InnocuousThread', 'sun/nio/ch/Poller', 'java/lang/VirtualThread'):
            return 'virtual-thread scheduling, pollers'
        return 'other'
    parts = collections.Counter()
    for line in open(sys.argv[1]):
        stack, _, n = line.rstrip().rpartition(' '); frames = stack.split(';')
        parts[(part(frames), any(f.endswith('_[k]') for f in frames))] += int(n)
    print(f'--- per accepted and delivered message, {cpu} ms of CPU in all: ms in the kernel / in user space, by part')
    names = sorted({k for k, _ in parts}, key=lambda k: -(parts[(k, True)] + parts[(k, False)]))
    for k in names: print(f'{cpu * parts[(k, True)] / total:6.3f} / {cpu * parts[(k, False)] / total:6.3f}  {k}')
    kernel = sum(v for (k, kern), v in parts.items() if kern)
    print(f'{cpu * kernel / total:6.3f} / {cpu * (total - kernel) / total:6.3f}  all')
PY
