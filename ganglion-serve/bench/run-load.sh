#!/usr/bin/env bash
# Load benchmark of `ganglion serve` with wrk on loopback (see docs/performance.md, "Serving").
#
# Builds two models (the 3-3-1 font model and a 784-256-128-10 MNIST model trained briefly on the
# t10k file), starts one server with both, and runs wrk with one-row POST requests at each
# concurrency, RUNS times; prints requests/s and p50/p99 latency (medians over the runs), errors,
# and the mean number of requests per forward pass (from /metrics).
#
#   ganglion-serve/bench/run-load.sh                 # 3 runs of 10 s at concurrency 1, 16, 64
#   RUNS=1 DURATION=3 CONCURRENCY="1 16" ganglion-serve/bench/run-load.sh
#
# Needs wrk (Debian: apt-get install wrk) and curl; MNIST from ../shared/data/mnist.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
RUNS="${RUNS:-3}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-10}"
CONCURRENCY="${CONCURRENCY:-1 16 64}"
MNIST="${MNIST:-$root/../shared/data/mnist}"
work="${WORK:-$(mktemp -d)}"
command -v wrk >/dev/null || { echo "run-load: wrk is needed (apt-get install wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "run-load: curl is needed" >&2; exit 1; }

echo "building the models in $work ..." >&2
./ganglion --version >/dev/null  # builds the jar when the sources changed
if [ ! -f "$work/mnist/config.json" ]; then  # WORK=DIR reuses the models of an earlier run
./ganglion generate font --samples 1500 --seed 1 --out "$work/font.csv" >/dev/null
./ganglion train --data "$work/font.csv" --label light_font --layers 3:relu,1:sigmoid --scale 255 \
    --lr 0.05 --epochs 60 --seed 1 --quiet --out "$work/font" >/dev/null
./ganglion train --data "$MNIST/t10k-images-idx3-ubyte.gz" --labels "$MNIST/t10k-labels-idx1-ubyte.gz" \
    --layers 256:relu,128:relu,10:softmax --scale 255 --epochs 2 --batch 64 --lr 0.001 --seed 7 --quiet \
    --out "$work/mnist" >/dev/null
fi

# Request bodies: one row each (the first MNIST test image's 784 pixels).
echo '{"inputs": [[12, 200, 34]]}' > "$work/font.json"
pixels="$(set +o pipefail; zcat "$MNIST/t10k-images-idx3-ubyte.gz" | tail -c +17 | head -c 784 | od -An -v -tu1 | tr -s ' \n' ' ' | sed 's/^ //; s/ $//; s/ /,/g')"
echo "{\"inputs\": [[$pixels]]}" > "$work/mnist.json"

# java directly, not ./ganglion: the launcher's pipeline would keep SIGTERM from reaching the JVM.
. scripts/find-jdk.sh
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -XX:MaxNewSize=128m \
    -jar ganglion-cli/target/ganglion.jar serve --model font="$work/font" --model mnist="$work/mnist" --port 0 \
    >"$work/serve.out" 2>"$work/serve.err" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  grep -q 'listening on' "$work/serve.out" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.err" >&2; exit 1; }
  sleep 0.1
done
base="$(sed -n 's/^listening on \(http[^ ]*\).*/\1/p' "$work/serve.out")"
echo "server at $base" >&2

# wrk script: POST the body file; at the end print one machine-readable line.
cat > "$work/post.lua" <<'LUA'
local f = assert(io.open(os.getenv("BODY"), "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %.1f %.3f %.3f\n", summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA

metric() { curl -s "$base/metrics" | awk -v n="$1" -v m="$2" '$1 == n "{model=\"" m "\"}" { print $2 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '%-6s %5s %10s %9s %9s %7s %12s\n' model conc "req/s" "p50 ms" "p99 ms" errors "req/batch"
for model in font mnist; do
  url="$base/v1/models/$model/predict"
  export BODY="$work/$model.json"
  curl -sf "$url" -H 'Content-Type: application/json' --data-binary @"$BODY" >/dev/null
  BODY="$BODY" wrk -t2 -c16 -d"${WARMUP}s" -s "$work/post.lua" "$url" >/dev/null  # warm-up (JIT)
  for c in $CONCURRENCY; do
    threads=$(( c < 2 ? 1 : 2 ))
    : > "$work/runs.txt"
    s0="$(metric ganglion_batch_requests_sum "$model")"; n0="$(metric ganglion_batch_requests_count "$model")"
    for _ in $(seq 1 "$RUNS"); do
      wrk -t"$threads" -c"$c" -d"${DURATION}s" --latency -s "$work/post.lua" "$url" | grep '^RESULT' >> "$work/runs.txt"
    done
    s1="$(metric ganglion_batch_requests_sum "$model")"; n1="$(metric ganglion_batch_requests_count "$model")"
    rps="$(awk '{print $4}' "$work/runs.txt" | median)"
    p50="$(awk '{print $5}' "$work/runs.txt" | median)"
    p99="$(awk '{print $6}' "$work/runs.txt" | median)"
    errors="$(awk '{s += $3} END {print s}' "$work/runs.txt")"
    per="$(awk -v a="$s0" -v b="$s1" -v x="$n0" -v y="$n1" 'BEGIN { printf "%.2f", (b - a) / (y - x) }')"
    printf '%-6s %5d %10.0f %9.2f %9.2f %7d %12s\n' "$model" "$c" "$rps" "$p50" "$p99" "$errors" "$per"
  done
done
echo "runs: $RUNS x ${DURATION}s per cell (medians); raw wrk lines in $work/runs.txt (last cell)" >&2
