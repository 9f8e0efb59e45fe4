#!/usr/bin/env bash
# Disk full and read-only output while checkpointing and while exporting.
#
#   tools/faults/disk-full.sh [--keep]
#
# Puts the run directory (checkpoints) or the SavedModel directory on a small tmpfs and trains a
# tiny model into it, four ways: the tmpfs fills up while checkpointing, it is remounted read-only
# between two checkpoints, it is too small for the export, it is read-only for the export. Each
# must end in one `error:` line with exit code 3, leave every checkpoint already written intact
# (sha256sum -c, and its variables byte-identical to the uninterrupted run's) and nothing half-written; after the
# tmpfs is made larger or writable again, `--resume` must finish with the same history and test
# metrics as an uninterrupted run. Needs root and tmpfs mounts (skips with exit 0 and a message
# otherwise), python3 and a built target/fmnist.jar. FMNIST overrides the launcher.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
FMNIST=${FMNIST:-$root/bin/fmnist}
export JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
keep=0
[ "${1:-}" = "--keep" ] && keep=1

work=$(mktemp -d /tmp/fmnist-disk-full.XXXXXX)
mounts=()
cleanup() {
  for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done
  [ "$keep" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/probe"
if ! mount -t tmpfs -o size=64k tmpfs "$work/probe" 2>/dev/null; then
  echo "skipped: cannot mount a tmpfs here (needs root and mount permission)"
  exit 0
fi
umount "$work/probe"

python3 "$root/tools/faults/make-dataset.py" "$work/data" 600 200
cat > "$work/tiny.yaml" <<EOF
name: tiny
model:
  layers:
    - conv: {filters: 4, kernel: 3, padding: same, batch_norm: true}
    - maxpool: {size: 4}
    - flatten: {}
    - dense: {units: 16}
    - dropout: {rate: 0.3}
    - dense: {units: 10, activation: none}
training:
  epochs: 6
  batch_size: 25
  seed: 7
  validation_split: 100
  adam: {learning_rate: 0.01}
  checkpoints_kept: 10
EOF

train() { # RUN_DIR OUT_DIR [args]
  local run=$1 out=$2; shift 2
  # --no-tensorboard: an open TensorBoard event file keeps the tmpfs busy, so it could not be
  # remounted read-only between two checkpoints (scenario 2)
  "$FMNIST" train --config "$work/tiny.yaml" --data-dir "$work/data" --run-dir "$run" --out "$out" --threads 1 \
    --no-tensorboard "$@"
}

fingerprint() { # RUN_DIR OUT_DIR
  python3 - "$1" "$2" <<'EOF'
import json, os, sys
run, out = sys.argv[1], sys.argv[2]
h = json.load(open(os.path.join(run, "history.json")))
keys = ("epoch", "loss", "accuracy", "val_loss", "val_accuracy", "learning_rate")
hist = [[e[k] for k in keys] for e in h["epochs"]]
mdir = os.path.join(out, "tiny")
v = max(int(n) for n in os.listdir(mdir) if n.isdigit())
m = json.load(open(os.path.join(mdir, str(v), "assets.extra", "fmnist.json")))["metrics"]
print(json.dumps({"history": hist, "test_accuracy": m["test_accuracy"], "test_loss": m["test_loss"]}))
EOF
}

tmpfs() { # DIR SIZE: mounts a tmpfs of SIZE at DIR
  mkdir -p "$1" && mount -t tmpfs -o "size=$2" tmpfs "$1" && mounts+=("$1")
}

same_as_base() { # RUN_DIR: the variables of every checkpoint equal the uninterrupted run's of that epoch
  local c f ok=0
  for c in "$1"/checkpoints/epoch-*; do
    [ -d "$c" ] || continue
    for f in "$c"/model.*; do
      cmp -s "$f" "$work/base/run/checkpoints/$(basename "$c")/$(basename "$f")" || { echo "differs: $f"; ok=1; }
    done
  done
  return $ok
}

intact() { # RUN_DIR: every checkpoint passes its own sums
  local c ok=0
  for c in "$1"/checkpoints/epoch-*; do
    [ -d "$c" ] || continue
    (cd "$c" && sha256sum -c --quiet --strict SHA256SUMS >/dev/null 2>&1) || { echo "damaged: $c"; ok=1; }
  done
  return $ok
}

leftovers() { find "$@" -name '.*.tmp' 2>/dev/null; }

train "$work/base/run" "$work/base/models" > "$work/base.out" 2>&1 || { cat "$work/base.out"; exit 1; }
expected=$(fingerprint "$work/base/run" "$work/base/models")
echo "uninterrupted run: $(grep -o 'test accuracy [0-9.]*' "$work/base.out" | tail -n1)"

passed=0 failed=0
check() { # NAME OUT_FILE EXIT_CODE RUN_DIR [DIRS TO SCAN FOR LEFTOVERS...]
  local name=$1 out=$2 code=$3 run=$4; shift 4
  local problems=()
  [ "$code" -eq 3 ] || problems+=("exit code $code, expected 3")
  local errors
  errors=$(grep -c '^error: ' "$out")
  [ "$errors" -eq 1 ] || problems+=("$errors error lines")
  grep -q 'Exception\|^\s*at ' "$out" && problems+=("a stack trace")
  intact "$run" >/dev/null || problems+=("a damaged checkpoint")
  same_as_base "$run" >/dev/null || problems+=("a checkpoint differs from the uninterrupted run's")
  local n
  n=$(find "$run/checkpoints" -maxdepth 1 -name 'epoch-*' 2>/dev/null | wc -l)
  local lo
  lo=$(leftovers "$@")
  [ -z "$lo" ] || problems+=("leftovers: $lo")
  local v version
  for v in "$@"; do
    for version in "$v"/tiny/[0-9]*; do
      [ -d "$version" ] && [ ! -f "$version/assets.extra/fmnist.json" ] && problems+=("incomplete SavedModel $version")
    done
  done
  echo "$name: $(grep '^error: ' "$out")"
  if [ ${#problems[@]} -eq 0 ]; then
    echo "  exit 3, one line; the $n checkpoints written before are intact and equal the uninterrupted run's; nothing half-written"
    return 0
  fi
  printf '  PROBLEM: %s\n' "${problems[@]}"; return 1
}

resume_check() { # NAME RUN_DIR OUT_DIR
  local out="$work/$1.resumed.out"
  if train "$2" "$3" --resume > "$out" 2>&1 && [ "$(fingerprint "$2" "$3")" = "$expected" ]; then
    echo "  after making room: resumed ($(grep -o 'resuming from .*' "$out" | sed 's|.*/||')), identical to the uninterrupted run"
    return 0
  fi
  echo "  PROBLEM: the resume failed or differs:"; tail -n 3 "$out"; return 1
}

tally() { if [ "$1" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi; }

# 1. The run directory fills up while checkpointing: room for about three checkpoints.
d="$work/full-ckpt"; tmpfs "$d" 200k
train "$d/run" "$work/full-ckpt-models" > "$work/full-ckpt.out" 2>&1; code=$?
check "checkpoint, disk full" "$work/full-ckpt.out" $code "$d/run" "$d" "$work/full-ckpt-models"; r=$?
mount -o remount,size=16m "$d"
resume_check full-ckpt "$d/run" "$work/full-ckpt-models"; tally $((r + $?))

# 2. The run directory becomes read-only between two checkpoints.
d="$work/ro-ckpt"; tmpfs "$d" 16m
train "$d/run" "$work/ro-ckpt-models" --epochs 6 > "$work/ro-ckpt.out" 2>&1 &
pid=$!
until grep -q '^Epoch 2/' "$work/ro-ckpt.out" 2>/dev/null || ! kill -0 $pid 2>/dev/null; do sleep 0.002; done
kill -STOP $pid # hold it between two checkpoints while the file system turns read-only
mount -o remount,ro "$d"
kill -CONT $pid
wait $pid; code=$?
check "checkpoint, read-only" "$work/ro-ckpt.out" $code "$d/run" "$d" "$work/ro-ckpt-models"; r=$?
mount -o remount,rw "$d"
resume_check ro-ckpt "$d/run" "$work/ro-ckpt-models"; tally $((r + $?))

# 3. The SavedModel directory is too small for the export.
d="$work/full-export"; tmpfs "$d" 16k
train "$work/full-export-run" "$d" > "$work/full-export.out" 2>&1; code=$?
check "export, disk full" "$work/full-export.out" $code "$work/full-export-run" "$d" "$work/full-export-run"; r=$?
mount -o remount,size=16m "$d"
resume_check full-export "$work/full-export-run" "$d"; tally $((r + $?))

# 4. The SavedModel directory is read-only.
d="$work/ro-export"; tmpfs "$d" 16m
mount -o remount,ro "$d"
train "$work/ro-export-run" "$d" > "$work/ro-export.out" 2>&1; code=$?
check "export, read-only" "$work/ro-export.out" $code "$work/ro-export-run" "$d" "$work/ro-export-run"; r=$?
mount -o remount,rw "$d"
resume_check ro-export "$work/ro-export-run" "$d"; tally $((r + $?))

echo
echo "summary: $passed of $((passed + failed)) scenarios passed"
[ "$failed" -eq 0 ]
