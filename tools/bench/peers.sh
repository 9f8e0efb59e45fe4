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
  python3 - "$data" "$work/data" "$train" <<'PY'
import gzip, os, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(dst, exist_ok=True)
for stem, item in (("train-images-idx3-ubyte", 784), ("train-labels-idx1-ubyte", 1),
                   ("t10k-images-idx3-ubyte", None), ("t10k-labels-idx1-ubyte", None)):
    p = os.path.join(src, stem + ".gz")
    raw = gzip.open(p).read() if os.path.exists(p) else open(os.path.join(src, stem), "rb").read()
    if item is not None:
        head = 8 if item == 1 else 16
        raw = raw[:4] + n.to_bytes(4, "big") + raw[8:head] + raw[head:head + n * item]
    with gzip.open(os.path.join(dst, stem + ".gz"), "wb", compresslevel=1) as f:
        f.write(raw)
PY
  data=$work/data
fi
load() { cut -d' ' -f1-3 /proc/loadavg; }
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
      if [ -n "$kpy" ]; then
        l=$(load); echo "round $round: keras  $m $prec (load $l)"
        "$kpy" tools/bench/keras_bench.py "$recipe" "$data" --train "$train" --epochs "$epochs" --threads "$threads" \
          --precision "$prec" > "$work/keras-$m-$prec-$round.json" 2> "$work/keras-$m-$prec-$round.log" \
          || { tail "$work/keras-$m-$prec-$round.log" >&2; exit 1; }
        secs=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(' '.join('%.3f' % s for s in d['epoch_seconds']))" "$work/keras-$m-$prec-$round.json")
        ver=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('Keras', d['keras'], '/ TensorFlow', d['tensorflow'])" "$work/keras-$m-$prec-$round.json")
        printf 'keras\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$m" "$prec" "$train" "$secs" "$l" "$ver" "$round" >> "$runs"
      fi
      if [ -n "$tpy" ]; then
        l=$(load); echo "round $round: torch  $m $prec (load $l)"
        "$tpy" tools/bench/torch_bench.py "$recipe" "$data" --train "$train" --epochs "$epochs" --threads "$threads" \
          --precision "$prec" > "$work/torch-$m-$prec-$round.json" 2> "$work/torch-$m-$prec-$round.log" \
          || { tail "$work/torch-$m-$prec-$round.log" >&2; exit 1; }
        secs=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(' '.join('%.3f' % s for s in d['epoch_seconds']))" "$work/torch-$m-$prec-$round.json")
        ver=$(python3 -c "import json,sys; print('PyTorch', json.load(open(sys.argv[1]))['torch'])" "$work/torch-$m-$prec-$round.json")
        printf 'pytorch\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$m" "$prec" "$train" "$secs" "$l" "$ver" "$round" >> "$runs"
      fi
    done
  done
done
cmd="tools/bench/peers.sh --models \"$models\" --warmup $warm --measured $measured --rounds $rounds --train $train"
python3 tools/bench/peers_report.py "$runs" --warmup "$warm" --command "$cmd" --threads "$threads" \
  --recipes "$work" ${out:+--out "$out"} --notes "$(printf '%s\n' "${notes[@]+"${notes[@]}"}")"
echo "work dir (logs): $work"
