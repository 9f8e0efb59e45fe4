#!/usr/bin/env bash
# Every timing of issue "Time to 95%" in one batch, for a quiet machine (nothing else running):
#   1. levers.sh: bf16 vs float32, batch 64/128/256, inter-op 1 vs 2 (resnet-wide and cnn)   ~6 min
#   2. peers.sh: fmnist vs newest Keras vs PyTorch on cnn, float32 and bf16, 2 rounds         ~15 min
#   3. time_to_accuracy.sh: fmnist and Keras on configs/cnn.yaml and on FAST_RECIPE            ~60 min
#   4. with --long: fmnist alone on configs/resnet-wide.yaml (30 epochs)                      ~60 min
# Appends to tools/bench/QUIET-WINDOW.md (with the load average before each step).
#
#   tools/bench/quiet-window.sh FAST_RECIPE [--long] [--skip-levers] [--skip-peers]
set -euo pipefail
cd "$(dirname "$0")/../.."
fast=""; long=0; levers=1; peers=1
while [ $# -gt 0 ]; do
  case "$1" in
    --long) long=1 ;;
    --skip-levers) levers=0 ;;
    --skip-peers) peers=0 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) fast=$1 ;;
  esac
  shift
done
[ -f "$fast" ] || { echo "error: give the fast recipe (e.g. configs/fast.yaml)" >&2; exit 2; }
out=tools/bench/QUIET-WINDOW.md
note() { printf '\n%s\n' "$*" | tee -a "$out"; }
note "## Quiet window $(date -u '+%Y-%m-%d %H:%M UTC'), $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$levers" = 1 ]; then
  for spec in "configs/resnet-wide.yaml --steps 5 --rounds 7 bf16:precision=bf16 fp32:precision=float32 bf16-b64:precision=bf16,batch=64 bf16-b256:precision=bf16,batch=256 bf16-inter2:precision=bf16,inter=2" \
              "configs/cnn.yaml --steps 20 --rounds 9 fp32:precision=float32 bf16:precision=bf16 fp32-inter2:inter=2 fp32-nofuse:fuse=off fp32-b64:batch=64 bf16-b64:precision=bf16,batch=64"; do
    note "### levers.sh $spec (load $(cut -d' ' -f1-3 /proc/loadavg))"
    # shellcheck disable=SC2086
    { echo '```'; tools/bench/levers.sh $spec 2>&1 | grep -v -E '^(WARNING|I0000)'; echo '```'; } | tee -a "$out"
  done
fi
if [ "$peers" = 1 ]; then
  tools/bench/peers.sh --models cnn --warmup 1 --measured 4 --rounds 2 --out "$out"
fi
tools/bench/time_to_accuracy.sh --tools "fmnist keras" --threads "$(nproc)" --single-view --out "$out" configs/cnn.yaml "$fast"
if [ "$long" = 1 ]; then
  tools/bench/time_to_accuracy.sh --tools fmnist --threads "$(nproc)" --single-view --out "$out" configs/resnet-wide.yaml
fi
note "Quiet window done $(date -u '+%H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
