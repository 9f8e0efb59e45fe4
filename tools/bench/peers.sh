#!/usr/bin/env bash
# Peer benchmark in one run: fmnist vs Keras (the newest from PyPI, in its own venv) vs PyTorch (CPU),
# same architecture from the same recipe, batch 128, Adam lr 0.001, float32 and bf16 (fmnist
# --precision bf16, Keras mixed_bfloat16, torch.autocast bfloat16), the same intra-op threads and one
# inter-op thread, full 60,000-image epochs.
#
#   tools/bench/peers.sh [--models "cnn"] [--warmup 1] [--measured 4] [--rounds 1] [--train 60000]
#                        [--precisions "float32 bf16"] [--out FILE]
#
# Per (model, precision) the tools run one after the other (fmnist, Keras, PyTorch), --rounds times.
# Samples/s: training images / epoch seconds of the measured epochs (after --warmup epochs);
# reported as the median and the best epoch. fmnist: train_seconds of history.csv; Keras: epoch
# callbacks; PyTorch: the epoch loop. % of peak = training FLOPs per image (tools/bench/flops.py) x
# samples/s / the CPU's float32 peak (printed with its formula; PEAK_GHZ and PEAK_FLOP_PER_CYCLE
# override the detected clock and FLOPs per cycle and core).
# Env: KERAS_PYTHON (default /tmp/venv-latest/bin/python: tensorflow-cpu + keras, newest),
#      TORCH_PYTHON (default /tmp/venv-torch/bin/python: torch), BENCH_THREADS (default: all cores),
#      MAVEN_ARGS. A missing Python is skipped with a note, not an error.
set -euo pipefail
cd "$(dirname "$0")/../.."
models="cnn"; warm=1; measured=4; rounds=1; train=60000; precisions="float32 bf16"; out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --models) models=$2; shift ;;
    --warmup) warm=$2; shift ;;
    --measured) measured=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --train) train=$2; shift ;;
    --precisions) precisions=$2; shift ;;
    --out) out=$2; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "error: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
threads=${BENCH_THREADS:-$(nproc)}
kpy=${KERAS_PYTHON:-/tmp/venv-latest/bin/python}
tpy=${TORCH_PYTHON:-/tmp/venv-torch/bin/python}
epochs=$((warm + measured))
if [ ! -f target/fmnist.jar ]; then
  # shellcheck disable=SC2086
  mvn -B -q package -DskipTests ${MAVEN_ARGS:-}
fi
work=$(mktemp -d /tmp/fmnist-peers.XXXXXX)
mkdir -p "$work/jar"
cp target/fmnist.jar "$work/jar/"
[ -d target/lib ] && cp -r target/lib "$work/jar/"
data=""
for d in "${FMNIST_DATA:-}" data/fashion-mnist /usr/share/datasets/fashion-mnist; do
  if [ -n "$d" ] && ls "$d"/train-images-idx3-ubyte* >/dev/null 2>&1; then data=$d; break; fi
done
[ -n "$data" ] || { echo "error: no Fashion-MNIST data (run 'bin/fmnist data download')" >&2; exit 2; }
if [ "$train" -lt 60000 ]; then  # the first $train training images
  python3 tools/bench/subset_idx.py "$data" "$work/data" "$train"
  data=$work/data
fi
load() { cut -d' ' -f1-3 /proc/loadavg; }
# python_peer TOOL PYTHON SCRIPT VERSION_FIELDS: one run of a Python peer's harness for $m/$prec/$round,
# its epoch seconds and version (VERSION_FIELDS: a Python expression list over its JSON d) appended to $runs.
python_peer() {
  local tool=$1 py=$2 script=$3 version=$4 l secs ver
  local out=$work/$tool-$m-$prec-$round
  l=$(load); echo "round $round: $tool $m $prec (load $l)"
  "$py" "tools/bench/$script" "$recipe" "$data" --train "$train" --epochs "$epochs" --threads "$threads" \
    --precision "$prec" > "$out.json" 2> "$out.log" || { tail "$out.log" >&2; exit 1; }
  secs=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(' '.join('%.3f' % s for s in d['epoch_seconds']))" "$out.json")
  ver=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($version)" "$out.json")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$m" "$prec" "$train" "$secs" "$l" "$ver" "$round" >> "$runs"
}
have() { [ -x "$1" ] && "$1" -c "import $2" >/dev/null 2>&1; }
notes=()
have "$kpy" keras || { notes+=("Keras skipped: $kpy cannot import keras (python3 -m venv /tmp/venv-latest && /tmp/venv-latest/bin/pip install tensorflow-cpu keras)"); kpy=""; }
have "$tpy" torch || { notes+=("PyTorch skipped: $tpy cannot import torch (python3 -m venv /tmp/venv-torch && /tmp/venv-torch/bin/pip install torch numpy)"); tpy=""; }
runs=$work/runs.tsv
: > "$runs"
echo "peers: $epochs epochs ($warm warm-up) on $train images, batch 128, $threads threads; work dir $work"
for m in $models; do
  recipe=$work/$m.yaml
  { echo "name: peers-$m"; sed -n '/^model:/,/^[a-z_]*:/p' "configs/$m.yaml" | sed '$d'
    printf 'training:\n  epochs: %d\n  batch_size: 128\n  seed: 42\n  validation_split: 0\n' "$epochs"
    printf '  adam: {learning_rate: 0.001}\n  checkpoints_kept: 1\n'; } > "$recipe"
  for round in $(seq 1 "$rounds"); do
    for prec in $precisions; do
      l=$(load); echo "round $round: fmnist $m $prec (load $l)"
      rd=$work/fmnist-$m-$prec-$round
      TF_CPP_MIN_LOG_LEVEL=2 java -Xmx4g -Djava.awt.headless=true -jar "$work/jar/fmnist.jar" train --config "$recipe" \
        --data-dir "$data" --run-dir "$rd" --out "$work/models" --threads "$threads" --precision "$prec" > "$rd.log" 2>&1 \
        || { tail "$rd.log" >&2; exit 1; }
      secs=$(tail -n +2 "$rd/history.csv" | awk -F, '{print $NF}' | paste -sd' ')
      ver=$(TF_CPP_MIN_LOG_LEVEL=2 java -jar "$work/jar/fmnist.jar" --version 2>/dev/null | sed -n 's/^TensorFlow /fmnist, TensorFlow /p')
      printf 'fmnist\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$m" "$prec" "$train" "$secs" "$l" "$ver" "$round" >> "$runs"
      [ -z "$kpy" ] || python_peer keras "$kpy" keras_bench.py "'Keras', d['keras'], '/ TensorFlow', d['tensorflow']"
      [ -z "$tpy" ] || python_peer pytorch "$tpy" torch_bench.py "'PyTorch', d['torch']"
    done
  done
done
cmd="tools/bench/peers.sh --models \"$models\" --warmup $warm --measured $measured --rounds $rounds --train $train"
python3 tools/bench/peers_report.py "$runs" --warmup "$warm" --command "$cmd" --threads "$threads" \
  --recipes "$work" ${out:+--out "$out"} --notes "$(printf '%s\n' "${notes[@]+"${notes[@]}"}")"
echo "work dir (logs): $work"
