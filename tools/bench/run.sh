#!/usr/bin/env bash
# Side-by-side training benchmark, fmnist (TensorFlow Java) vs Keras 3 (Python tensorflow-cpu 2.18.1),
# same architecture from the same recipe, batch 128, Adam, float32, same intra-op threads, 1 inter-op.
#
#   tools/bench/run.sh [--quick] [--models "mlp cnn resnet"] [--no-bf16]
#
# Full: 2 warm-up + 3 measured epochs on the 55,000-image training split (5,000 held out).
# --quick: 1 warm-up + 3 measured epochs on the first 10,000 training images.
# For each model: fmnist then Keras (alternating), plus fmnist cnn with --precision bf16, then
# 'fmnist evaluate' of the benchmark's cnn on the 10,000 test images. Prints the table and writes it
# to tools/bench/RESULTS.md. Before each measured run it waits (up to BENCH_WAIT seconds, default 600)
# for other 'fmnist.jar train' processes to end, and records the load average.
# Env: BENCH_THREADS (default: all cores), BENCH_WAIT, MAVEN_ARGS (e.g. -o), BENCH_OUT (results file).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
quick=0; models="mlp cnn resnet"; bf16=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --models) models=$2; shift ;;
    --no-bf16) bf16=0 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "error: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
threads=${BENCH_THREADS:-$(nproc)}
wait_max=${BENCH_WAIT:-600}
results=${BENCH_OUT:-tools/bench/RESULTS.md}
if [ "$quick" = 1 ]; then warm=1; measured=3; subset=11000; val=1000; else warm=2; measured=3; subset=0; val=5000; fi
epochs=$((warm + measured))

# 1. Build (once) and copy the jar, so a rebuild during the benchmark cannot change what runs.
if [ ! -f target/fmnist.jar ]; then
  # shellcheck disable=SC2086
  mvn -B -q package -DskipTests ${MAVEN_ARGS:-}
fi
work=$(mktemp -d /tmp/fmnist-bench.XXXXXX)
mkdir -p "$work/jar"
cp target/fmnist.jar "$work/jar/"
[ -d target/lib ] && cp -r target/lib "$work/jar/"
# 2. Python.
tools/install-python.sh
py=.venv/bin/python
# 3. Data: the usual lookup order, downloading when nothing is there.
data=""
for d in "${FMNIST_DATA:-}" data/fashion-mnist /usr/share/datasets/fashion-mnist; do
  if [ -n "$d" ] && ls "$d"/train-images-idx3-ubyte* >/dev/null 2>&1; then data=$d; break; fi
done
fm() { TF_CPP_MIN_LOG_LEVEL=2 java -Xmx4g -Djava.awt.headless=true -jar "$work/jar/fmnist.jar" "$@"; }
if [ -z "$data" ]; then fm data download; data=data/fashion-mnist; fi
if [ "$subset" -gt 0 ]; then  # the first $subset training images, all test images
  "$py" tools/bench/subset_idx.py "$data" "$work/data" "$subset"
  data=$work/data
fi
ntrain=$(( (subset > 0 ? subset : 60000) - val ))

quiet() {  # wait for other trainings to end; print the load average
  local waited=0
  while pgrep -f "fmnist.jar train" >/dev/null 2>&1 && [ "$waited" -lt "$wait_max" ]; do
    sleep 20; waited=$((waited + 20))
  done
  local others; others=$(pgrep -fc "fmnist.jar train" || true)
  echo "$(cut -d' ' -f1-3 /proc/loadavg) others=${others:-0} waited=${waited}s"
}
rss() { awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$1"; }

runs=$work/runs.tsv
: > "$runs"
echo "bench: $epochs epochs ($warm warm-up) on $ntrain training images, $threads intra-op threads; work dir $work"
for m in $models; do
  recipe=$work/$m.yaml
  { echo "name: bench-$m"; sed -n '/^model:/,/^[a-z_]*:/p' "configs/$m.yaml" | sed '$d'
    printf 'training:\n  epochs: %d\n  batch_size: 128\n  seed: 42\n  validation_split: %d\n' "$epochs" "$val"
    printf '  adam: {learning_rate: 0.001}\n  checkpoints_kept: 1\n'; } > "$recipe"
  variants="float32"; [ "$m" = cnn ] && [ "$bf16" = 1 ] && variants="float32 bf16"
  for prec in $variants; do
    load=$(quiet)
    echo "fmnist $m $prec (load: $load)"
    rd=$work/run-$m-$prec
    /usr/bin/time -v -o "$rd.time" java -Xmx4g -Djava.awt.headless=true -jar "$work/jar/fmnist.jar" train \
      --config "$recipe" --data-dir "$data" --run-dir "$rd" --out "$work/models-$m-$prec" \
      --threads "$threads" --precision "$prec" > "$rd.log" 2>&1 || { cat "$rd.log" >&2; exit 1; }
    first=$(sed -n 's/.*first training step done \([0-9.]*\)s.*/\1/p' "$rd.log" | head -1)
    secs=$(tail -n +2 "$rd/history.csv" | awk -F, '{print $NF}' | tail -n "$measured" | paste -sd' ')
    printf 'fmnist\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$m" "$prec" "$ntrain" "$secs" "$(rss "$rd.time")" "$first" "$load" >> "$runs"
  done
  load=$(quiet)
  echo "keras  $m float32 (load: $load)"
  /usr/bin/time -v -o "$work/keras-$m.time" "$py" tools/bench/keras_bench.py "$recipe" "$data" \
    --train "$ntrain" --epochs "$epochs" --threads "$threads" > "$work/keras-$m.json" 2> "$work/keras-$m.log" \
    || { cat "$work/keras-$m.log" >&2; exit 1; }
  secs=$("$py" -c "import json,sys; d=json.load(open(sys.argv[1])); print(' '.join('%.3f' % s for s in d['epoch_seconds'][-$measured:]))" "$work/keras-$m.json")
  printf 'keras\t%s\tfloat32\t%s\t%s\t%s\t\t%s\n' "$m" "$ntrain" "$secs" "$(rss "$work/keras-$m.time")" "$load" >> "$runs"
done

# Evaluate: the shipped cnn (else the benchmark's) on the 10,000 test images, wall time from the shell
# and fmnist's own "timing:" line (seconds after the JVM started).
evalline=""
model=$(dirname "$(find "$work/models-cnn-float32" -name saved_model.pb 2>/dev/null | head -1)" 2>/dev/null || true)
if [ -f savedmodels/cnn/1/saved_model.pb ]; then model=savedmodels/cnn/1; fi
if [ -n "$model" ] && [ "$model" != . ]; then
  load=$(quiet)
  t0=$(date +%s.%N)
  /usr/bin/time -v -o "$work/eval.time" java -Xmx4g -Djava.awt.headless=true -jar "$work/jar/fmnist.jar" evaluate \
    "$model" --data-dir "$data" --report-dir "$work/eval-report" > "$work/eval.log" 2>&1 || { cat "$work/eval.log" >&2; exit 1; }
  t1=$(date +%s.%N)
  evalline="$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')	$(rss "$work/eval.time")	$load	$(grep -m1 'predicted ' "$work/eval.log" | tr '\t' ' ' || true)	$model	$(grep -m1 '^timing:' "$work/eval.log" | tr '\t' ' ' || true)"
fi
cmd="tools/bench/run.sh"
if [ "$quick" = 1 ]; then cmd="$cmd --quick"; fi
if [ "$models" != "mlp cnn resnet" ]; then cmd="$cmd --models \"$models\""; fi
if [ "$bf16" = 0 ]; then cmd="$cmd --no-bf16"; fi
"$py" tools/bench/summarize.py "$runs" "$results" "$cmd" "$threads" "$warm" "$measured" "$evalline"
echo "work dir (logs, models): $work"
