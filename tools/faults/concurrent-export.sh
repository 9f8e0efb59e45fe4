#!/usr/bin/env bash
# Several processes export to the same savedmodels/<name>/ at once.
#
#   tools/faults/concurrent-export.sh [--writers N]
#
# Trains a tiny model once, then starts N (default 4) `fmnist export` processes together against
# one --out directory. Each must succeed with its own version number; every version must be
# complete, the version of another run already there must be untouched, and no staging directory
# may be left. Needs python3 and a built target/fmnist.jar; FMNIST overrides the launcher.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
FMNIST=${FMNIST:-$root/bin/fmnist}
export JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
writers=4
[ "${1:-}" = "--writers" ] && writers=$2

work=$(mktemp -d /tmp/fmnist-concurrent-export.XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 "$root/tools/faults/make-dataset.py" "$work/data" 300 100
cat > "$work/tiny.yaml" <<'YAML'
name: tiny
model:
  layers:
    - conv: {filters: 4, kernel: 3, padding: same}
    - maxpool: {size: 4}
    - flatten: {}
    - dense: {units: 10, activation: none}
training: {epochs: 1, batch_size: 25, seed: 7, validation_split: 50}
YAML
"$FMNIST" train --config "$work/tiny.yaml" --data-dir "$work/data" --run-dir "$work/run" --out "$work/models" \
  --threads 1 > "$work/train.out" 2>&1 || { cat "$work/train.out"; exit 1; }
echo "another run's model" > "$work/models/tiny/1/NOTE" # version 1 is taken; it must stay as it is

pids=()
for i in $(seq 1 "$writers"); do
  "$FMNIST" export --run-dir "$work/run" --data-dir "$work/data" --out "$work/models" > "$work/export$i.out" 2>&1 &
  pids+=($!)
done
failed=0
for i in $(seq 1 "$writers"); do
  wait "${pids[$((i - 1))]}" || { echo "export $i failed:"; cat "$work/export$i.out"; failed=1; }
done
versions=$(sed -n 's|^exported epoch .* to .*/tiny/\([0-9]*\)$|\1|p' "$work"/export*.out | sort -n | tr '\n' ' ')
distinct=$(tr ' ' '\n' <<< "$versions" | grep -c . )
unique=$(tr ' ' '\n' <<< "$versions" | grep . | sort -u | wc -l)
complete=0
for v in $versions; do
  [ -f "$work/models/tiny/$v/saved_model.pb" ] && [ -f "$work/models/tiny/$v/assets.extra/fmnist.json" ] && complete=$((complete + 1))
done
leftovers=$(find "$work/models" -name '.*.tmp' | wc -l)
untouched=$([ -f "$work/models/tiny/1/NOTE" ] && echo yes || echo no)
echo "$writers concurrent exports: versions $versions($unique distinct, $complete complete);" \
  "version 1 untouched: $untouched; staging leftovers: $leftovers"
[ "$failed" -eq 0 ] && [ "$distinct" -eq "$writers" ] && [ "$unique" -eq "$writers" ] && [ "$complete" -eq "$writers" ] \
  && [ "$leftovers" -eq 0 ] && [ "$untouched" = yes ] && ! grep -qx 1 <<< "$(tr ' ' '\n' <<< "$versions")"
