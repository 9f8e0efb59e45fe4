#!/usr/bin/env bash
# Kill -9 a short training at random moments, resume it, and check that nothing was lost.
#
#   tools/faults/kill-resume.sh [--runs N] [--epochs E] [--keep]
#
# Trains a tiny model on a tiny generated dataset once without interruption, then again and again
# with a SIGKILL at a chosen moment followed by `fmnist train --resume`, until N (default 20) runs
# were killed (a run that finishes before its moment is resumed and checked too). The moments cycle through:
#   random     a random time during training or the export
#   checkpoint the moment a checkpoint's temporary directory appears (inside the write)
#   export     when the export reaches one of its stages, chosen at random (inside the export)
#   delete     the moment an old checkpoint is being deleted (inside the prune)
# After each kill it checks that every checkpoint passes `sha256sum -c SHA256SUMS` and that every
# savedmodels/<name>/<version>/ is complete; after each resume, that it restored the newest
# checkpoint written (no completed epoch lost), left no temporary file behind, and that the
# history and the exported model's test metrics equal the uninterrupted run's, bit for bit.
# Needs a built target/fmnist.jar (mvn -B package -DskipTests) and python3. Exit 0 when all
# runs pass. FMNIST overrides the launcher (default: bin/fmnist).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
FMNIST=${FMNIST:-$root/bin/fmnist}
export JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
runs=20
epochs=6
keep=0
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--runs N] [--epochs E] [--keep]" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d /tmp/fmnist-kill-resume.XXXXXX)
[ "$keep" = 1 ] || trap 'rm -rf "$work"' EXIT
python3 "$root/tools/faults/make-dataset.py" "$work/data" 1200 200
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
  epochs: $epochs
  batch_size: 25
  seed: 7
  validation_split: 100
  adam: {learning_rate: 0.01}
  checkpoints_kept: 2
EOF

train() { # DIR [--resume]: trains into DIR/run and DIR/models
  local d=$1; shift
  "$FMNIST" train --config "$work/tiny.yaml" --data-dir "$work/data" --run-dir "$d/run" \
    --out "$d/models" --threads 1 "$@"
}

train_in_background() { # DIR: call with &; the JVM replaces the subshell, so $! is its pid
  exec "$FMNIST" train --config "$work/tiny.yaml" --data-dir "$work/data" --run-dir "$1/run" \
    --out "$1/models" --threads 1
}

# The numbers a run must reproduce: per-epoch metrics (not times) and the exported model's test metrics.
fingerprint() { # DIR
  python3 - "$1" <<'EOF'
import json, os, sys
d = sys.argv[1]
h = json.load(open(os.path.join(d, "run", "history.json")))
keys = ("epoch", "loss", "accuracy", "val_loss", "val_accuracy", "learning_rate")
hist = [[e[k] for k in keys] for e in h["epochs"]]
mdir = os.path.join(d, "models", "tiny")
versions = sorted(int(v) for v in os.listdir(mdir) if v.isdigit())
m = json.load(open(os.path.join(mdir, str(versions[-1]), "assets.extra", "fmnist.json")))["metrics"]
print(json.dumps({"history": hist, "test_accuracy": m["test_accuracy"], "test_loss": m["test_loss"]}))
EOF
}

# Problems with what a killed run left on disk: damaged checkpoints, incomplete versions.
check_on_disk() { # DIR
  local d=$1 bad=0 c v
  for c in "$d"/run/checkpoints/epoch-*; do
    [ -d "$c" ] || continue
    if ! (cd "$c" && sha256sum -c --quiet --strict SHA256SUMS >/dev/null 2>&1); then
      echo "damaged checkpoint $c"; bad=1
    fi
  done
  for v in "$d"/models/tiny/[0-9]*; do
    [ -d "$v" ] || continue
    for f in saved_model.pb variables/variables.index assets.extra/fmnist.json; do
      [ -f "$v/$f" ] || { echo "incomplete SavedModel $v (no $f)"; bad=1; }
    done
  done
  return $bad
}

leftovers() { # DIR: temporary files and directories of interrupted writes
  find "$1/run" "$1/models" -name '.*.tmp' 2>/dev/null
}

echo "fmnist kill-and-resume: $runs killed runs of $epochs epochs (tiny CNN, 1100 training images, --threads 1) in $work"
t0=$(date +%s)
now() { date +%s.%N; }
# The uninterrupted run, timed from outside: first step, export start, export published (to aim the kills).
train_in_background "$work/base" > "$work/base.out" 2>&1 &
pid=$!
until grep -q "first training step" "$work/base.out" 2>/dev/null || ! kill -0 $pid 2>/dev/null; do sleep 0.005; done
t_first=$(now)
until compgen -G "$work/base/models/tiny/.export-*.tmp" >/dev/null || ! kill -0 $pid 2>/dev/null; do sleep 0.002; done
t_export=$(now)
until [ -d "$work/base/models/tiny/1" ] || ! kill -0 $pid 2>/dev/null; do sleep 0.002; done
t_published=$(now)
if ! wait $pid; then
  echo "the uninterrupted run failed:"; cat "$work/base.out"; exit 1
fi
train_seconds=$(awk "BEGIN{printf \"%.3f\", $t_published - $t_first}")
export_seconds=$(awk "BEGIN{printf \"%.3f\", $t_published - $t_export}")
expected=$(fingerprint "$work/base")
echo "uninterrupted run: $(grep -o 'test accuracy [0-9.]*' "$work/base.out" | tail -n1);" \
  "${train_seconds}s from the first step to the published export, of which ${export_seconds}s export"
uniform() { awk -v max="$1" -v r=$RANDOM 'BEGIN{printf "%.3f", max * r / 32767}'; } # fast: no interpreter start

modes=(random checkpoint export delete)
declare -A landed=()
killed=0 resumed=0 identical=0 lost=0 damaged=0 incomplete=0 left=0 failures=0
attempts=0
while [ "$killed" -lt "$runs" ] && [ "$attempts" -lt $((2 * runs)) ]; do
  attempts=$((attempts + 1)); i=$attempts
  mode=${modes[$(( (i - 1) % ${#modes[@]} ))]}
  d="$work/run$i"
  mkdir -p "$d"
  train_in_background "$d" > "$d/killed.out" 2>&1 &
  pid=$!
  target_epoch=$(( RANDOM % epochs + 1 ))
  ck="$d/run/checkpoints"
  out="$d/killed.out"
  # Wait with sleeps until just before the moment, then spin (a checkpoint write lasts milliseconds).
  wait_line() { until grep -q "$1" "$out" 2>/dev/null || ! kill -0 $pid 2>/dev/null; do sleep 0.005; done; }
  spin_until() { until compgen -G "$1" >/dev/null || ! kill -0 $pid 2>/dev/null; do :; done; }
  case $mode in
    random)
      wait_line "first training step"
      sleep "$(uniform "$train_seconds")"
      ;;
    checkpoint)
      if [ "$target_epoch" -gt 1 ]; then wait_line "^Epoch $((target_epoch - 1))/"; else wait_line "first training step"; fi
      spin_until "$ck/.epoch-$(printf %04d "$target_epoch")-[0-9]*[0-9].tmp"
      ;;
    export) # at one of the export's stages: staging created, variables written, graph written, reloaded and scored
      stages=("" variables saved_model.pb assets.extra)
      wait_line "^Epoch $epochs/"
      spin_until "$d/models/tiny/.export-*.tmp/${stages[$(( RANDOM % ${#stages[@]} ))]}"
      ;;
    delete) # the first prune comes with the checkpoint of epoch 3 (two are kept)
      wait_line "^Epoch 2/"
      spin_until "$ck/.epoch-*-deleted.tmp"
      ;;
  esac
  if kill -9 $pid 2>/dev/null; then
    killed=$((killed + 1))
  fi
  wait $pid 2>/dev/null
  # where the kill landed, from what it left
  if compgen -G "$ck/.epoch-*-deleted.tmp" >/dev/null; then where="inside a checkpoint deletion"
  elif compgen -G "$ck/.epoch-*.tmp" >/dev/null; then where="inside a checkpoint write"
  elif compgen -G "$d/models/tiny/.export-*.tmp" >/dev/null; then where="inside the export"
  elif [ -f "$d/run/exported.json" ]; then where="after the run finished"
  elif compgen -G "$d/models/tiny/[0-9]*" >/dev/null; then where="after the export's rename, before its marker"
  elif ! grep -q "first training step" "$d/killed.out"; then where="before training started"
  else where="during training, between writes"
  fi
  landed[$where]=$(( ${landed[$where]:-0} + 1 ))
  done_epochs=$(grep -c '^Epoch [0-9]*/' "$d/killed.out")
  problems=$(check_on_disk "$d")
  [ -n "$problems" ] && echo "$problems"
  damaged=$((damaged + $(grep -c '^damaged' <<< "$problems")))
  incomplete=$((incomplete + $(grep -c '^incomplete' <<< "$problems")))

  if ! train "$d" --resume > "$d/resumed.out" 2>&1; then
    echo "run $i ($mode, $where): resume failed:"; tail -n 5 "$d/resumed.out"; failures=$((failures + 1)); continue
  fi
  resumed=$((resumed + 1))
  from=$(sed -n 's/^resuming from .* (epoch \([0-9]*\))$/\1/p' "$d/resumed.out")
  from=${from:-0}
  if [ "$from" -lt "$done_epochs" ]; then
    lost=$((lost + done_epochs - from))
    echo "run $i: $done_epochs epochs were reported done before the kill, resumed from epoch $from"
  fi
  all_done=$(( from + $(grep -c '^Epoch [0-9]*/' "$d/resumed.out") ))
  if grep -q "damaged checkpoint" "$d/resumed.out"; then
    echo "run $i: the resume met a damaged checkpoint"; damaged=$((damaged + 1))
  fi
  lo=$(leftovers "$d")
  if [ -n "$lo" ]; then echo "run $i: leftovers after resume: $lo"; left=$((left + 1)); fi
  got=$(fingerprint "$d")
  if [ "$got" = "$expected" ] && [ "$all_done" -eq "$epochs" ]; then
    identical=$((identical + 1)); verdict=identical
  else
    verdict="DIFFERENT"; failures=$((failures + 1))
  fi
  printf 'run %2d  %-10s killed %-44s after %d epochs; resumed from epoch %d; %s\n' \
    "$i" "$mode" "$where" "$done_epochs" "$from" "$verdict"
done

echo
echo "summary ($(( $(date +%s) - t0 ))s):"
echo "  runs: $attempts, killed: $killed (the others had finished first), resumed: $resumed," \
  "identical to the uninterrupted run: $identical"
for w in "${!landed[@]}"; do echo "  kills $w: ${landed[$w]}"; done | sort
echo "  completed epochs lost: $lost (only the epoch in progress at the kill is trained again)"
echo "  damaged checkpoints: $damaged; incomplete SavedModel versions: $incomplete; runs with leftovers after resume: $left"
[ $((failures + lost + damaged + incomplete + left)) -eq 0 ] && [ "$resumed" -eq "$attempts" ] && [ "$killed" -ge "$runs" ]
