#!/usr/bin/env bash
# The GPU path in one short run (about 5-8 minutes on a CUDA machine with Maven's cache filled):
#   1. nvidia-smi: which GPU, driver, CUDA; the CUDA 12 / cuDNN 9 libraries TensorFlow 2.18 loads;
#   2. builds the CUDA variant (mvn -B -Pgpu package -DskipTests) in a copy of the sources under the
#      work dir, so the CPU build in target/ stays as it is;
#   3. checks that --device gpu fails (exit 2, "error: --device gpu: ...") rather than falling back
#      to the CPU when no GPU is visible (CUDA_VISIBLE_DEVICES=""), with the CPU build too;
#   4. trains cnn and resnet-wide for a few epochs with --device gpu, logging the device of every op
#      (FMNIST_LOG_DEVICE_PLACEMENT=1) and sampling nvidia-smi (utilisation, memory) meanwhile, then
#      one epoch of each on this machine's CPU, and prints samples/s side by side.
# Without nvidia-smi it says "no GPU present", still does 2 and 3 (unless --no-build), and exits 3.
#
#   tools/bench/gpu.sh [--cnn-epochs 3] [--resnet-epochs 2] [--no-build] [--no-cpu] [--work DIR]
# Env: MAVEN_ARGS (e.g. -o where ~/.m2 already holds the CUDA natives), FMNIST_DATA.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
cnn_epochs=3; resnet_epochs=2; build=1; cpu=1; work=/tmp/fmnist-gpu
while [ $# -gt 0 ]; do
  case "$1" in
    --cnn-epochs) cnn_epochs=$2; shift ;;
    --resnet-epochs) resnet_epochs=$2; shift ;;
    --no-build) build=0 ;;
    --no-cpu) cpu=0 ;;
    --work) work=$2; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "error: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
t_start=$(date +%s)

echo "== 1. GPU and CUDA libraries"
gpu=0
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
  gpu=1
  nvidia-smi --query-gpu=index,name,driver_version,memory.total --format=csv
  nvidia-smi | grep -m1 -o 'CUDA Version: [0-9.]*' || true
else
  echo "no GPU present: nvidia-smi $(command -v nvidia-smi >/dev/null 2>&1 && echo 'lists no GPU' || echo 'not found')"
fi
for lib in libcuda.so.1 libcudart.so.12 libcublas.so.12 libcublasLt.so.12 libcudnn.so.9 libcufft.so.11 libcusolver.so.11 libcusparse.so.12 libnccl.so.2; do
  where=$(ldconfig -p 2>/dev/null | awk -v l="$lib" '$1 == l {print $NF; exit}')
  if [ -z "$where" ]; then
    ld=${LD_LIBRARY_PATH:-}
    for d in ${ld//:/ } /usr/local/cuda/lib64 /usr/lib/x86_64-linux-gnu; do
      [ -e "$d/$lib" ] && { where=$d/$lib; break; }
    done
  fi
  printf '  %-20s %s\n' "$lib" "${where:-missing (TensorFlow 2.18 wants CUDA 12 and cuDNN 9: add them to LD_LIBRARY_PATH)}"
done

echo "== 2. Build with -Pgpu"
src=$work/src
if [ "$build" = 1 ]; then
  rm -rf "$src"; mkdir -p "$src"
  cp -r pom.xml src bin "$src/"
  t0=$(date +%s)
  # shellcheck disable=SC2086
  if (cd "$src" && mvn -B -q -Pgpu package -DskipTests ${MAVEN_ARGS:-}) > "$work/build.log" 2>&1; then
    ok "mvn -Pgpu package: $(( $(date +%s) - t0 )) s"
  else
    tail -20 "$work/build.log"; fail "mvn -Pgpu package failed (log: $work/build.log)"
  fi
fi
gpujar=$src/target/fmnist.jar
if [ -f "$gpujar" ]; then
  if ls "$src/target/lib" | grep -q 'tensorflow-core-native-.*-linux-x86_64-gpu.jar' \
     && ! unzip -p "$gpujar" META-INF/MANIFEST.MF | tr -d '\r\n ' | grep -q 'native-1.1.0-linux-x86_64.jar'; then
    ok "the GPU build carries the CUDA natives ($(ls "$src/target/lib" | grep -- '-gpu.jar')) and not the CPU ones"
  else
    fail "the GPU build's classpath does not hold exactly the CUDA natives"
  fi
fi
fm_gpu() { TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-1} java -Xmx8g -Djava.awt.headless=true -jar "$gpujar" "$@"; }
fm_cpu() { TF_CPP_MIN_LOG_LEVEL=1 java -Xmx8g -Djava.awt.headless=true -jar "$root/target/fmnist.jar" "$@"; }

echo "== 3. --device gpu without a visible GPU must fail, not fall back to the CPU"
check_refusal() {  # $1: label, then the command
  local label=$1; shift
  local out rc
  out=$(CUDA_VISIBLE_DEVICES="" "$@" train --device gpu --config configs/mlp.yaml --epochs 1 \
        --run-dir "$work/refusal-$label" --out "$work/refusal-models" 2>&1); rc=$?
  if [ "$rc" = 2 ] && grep -q '^error: --device gpu: TensorFlow found no CUDA GPU' <<< "$out"; then
    ok "$label build, CUDA_VISIBLE_DEVICES=\"\": exit 2, $(grep -m1 '^error:' <<< "$out" | cut -c1-110)..."
  else
    fail "$label build with CUDA_VISIBLE_DEVICES=\"\": exit $rc, expected 2 and 'error: --device gpu: ...'"
    tail -5 <<< "$out"
  fi
  [ -d "$work/refusal-models/mlp" ] && fail "$label build exported a model although the GPU was missing"
}
[ -f "$gpujar" ] && check_refusal gpu fm_gpu
[ -f "$root/target/fmnist.jar" ] && check_refusal cpu fm_cpu

if [ "$gpu" = 0 ]; then
  echo "no GPU present: the GPU trainings were not run ($(( $(date +%s) - t_start )) s, $failures check(s) failed)"
  exit 3
fi
[ -f "$gpujar" ] || { echo "error: no GPU build to run ($gpujar)" >&2; exit 1; }

echo "== 4. Training on the GPU, then on this machine's CPU"
results=$work/results.tsv
: > "$results"
train_one() {  # device recipe epochs
  local device=$1 recipe=$2 epochs=$3 name rd
  name=$(basename "$recipe" .yaml)
  rd=$work/run-$name-$device
  rm -rf "$rd" "$work/models-$device"
  local sampler=""
  if [ "$device" = gpu ]; then
    nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader,nounits -lms 500 > "$rd.smi" 2>/dev/null &
    sampler=$!
    FMNIST_LOG_DEVICE_PLACEMENT=1 fm_gpu train --device gpu --config "$recipe" --epochs "$epochs" --run-dir "$rd" \
      --out "$work/models-$device" > "$rd.log" 2> "$rd.err"
  else
    fm_cpu train --device cpu --config "$recipe" --epochs "$epochs" --run-dir "$rd" --out "$work/models-$device" \
      > "$rd.log" 2> "$rd.err"
  fi
  local rc=$?
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null && wait "$sampler" 2>/dev/null
  if [ "$rc" != 0 ]; then
    fail "$name on $device: exit $rc"; tail -5 "$rd.err"; return
  fi
  local secs sps acc util mem placement=""
  secs=$(tail -n +2 "$rd/history.csv" | awk -F, '{print $NF}' | paste -sd' ')
  sps=$(python3 -c "
import statistics, sys
s = [float(x) for x in sys.argv[2].split()]
s = s[1:] or s
print(round(int(sys.argv[1]) / statistics.median(s)))" 60000 "$secs")
  acc=$(sed -n 's/^test accuracy \([0-9.]*\).*/\1/p' "$rd.log" | tail -1)
  if [ "$device" = gpu ]; then
    util=$(awk -F', ' '{u += $1; n++; if ($1 > m) m = $1; if ($2 > mm) mm = $2} END {if (n) printf "%d%% mean, %d%% max", u / n, m; else print "-"}' "$rd.smi")
    mem=$(awk -F', ' '{if ($2 > m) m = $2} END {print m + 0}' "$rd.smi")
    # ops of the training graph by device: every compute op should be on GPU:0
    placement=$(grep -E '^(train|gradients)/[^ ]*: \([A-Za-z0-9_]+\): /job:' "$rd.log" | sed -E 's/^[^ ]+: \(([A-Za-z0-9_]+)\): .*device:([A-Z]+):[0-9]+$/\2 \1/' \
      | sort | uniq -c | sort -rn)
    local on_cpu
    on_cpu=$(awk '$2 == "CPU" && $3 ~ /Conv|MatMul|BatchNorm|Relu|MaxPool|BiasAdd|Softmax/' <<< "$placement")
    echo "  $name: training-tower ops by device: $(awk '{a[$2] += $1} END {for (d in a) printf "%s %d  ", d, a[d]}' <<< "$placement")"
    if [ -n "$on_cpu" ]; then fail "$name: compute ops placed on the CPU: $(tr '\n' ' ' <<< "$on_cpu")"; else ok "$name: every conv/matmul/batch-norm op on the GPU"; fi
    awk '$1 + 0 > 0' "$rd.smi" | grep -q . && ok "$name: nvidia-smi saw the GPU busy ($util, up to $mem MiB)" || fail "$name: nvidia-smi never saw the GPU busy"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$device" "$epochs" "$secs" "$sps" "${util:--}" "${acc:--}" >> "$results"
}
train_one gpu configs/cnn.yaml "$cnn_epochs"
train_one gpu configs/resnet-wide.yaml "$resnet_epochs"
if [ "$cpu" = 1 ]; then
  train_one cpu configs/cnn.yaml 1
  train_one cpu configs/resnet-wide.yaml 1
fi
echo
echo "| recipe | device | epochs | train s per epoch | samples/s (median after the 1st epoch) | GPU utilisation | test accuracy after these epochs |"
echo "|---|---|---:|---|---:|---|---:|"
awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7}' "$results"
python3 - "$results" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
by = {(r[0], r[1]): float(r[4]) for r in rows}
for name in dict.fromkeys(r[0] for r in rows):
    if (name, "gpu") in by and (name, "cpu") in by:
        print(f"{name}: GPU {by[(name, 'gpu')]:,.0f} samples/s vs this machine's CPU {by[(name, 'cpu')]:,.0f}: "
              f"{by[(name, 'gpu')] / by[(name, 'cpu')]:.1f}x")
PY
echo "CPU figures of the 2-core development machine: tools/bench/RESULTS.md and tools/bench/time-to-95-log.md."
echo "done in $(( $(date +%s) - t_start )) s, $failures check(s) failed; logs in $work"
[ "$failures" = 0 ]
