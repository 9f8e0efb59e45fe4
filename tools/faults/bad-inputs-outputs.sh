#!/usr/bin/env bash
# Bad output paths and run-directory misuse, tried against target/fmnist.jar.
#
#   tools/faults/bad-inputs-outputs.sh [--keep]
#
# Everything happens on copies in a temporary directory: the shipped savedmodels/mlp/1, a tiny
# generated dataset (make-dataset.py) and a tiny recipe. Each case must end with the expected exit
# code (never 1), at most one `error:` line and no stack trace, and must leave what was there as it
# was: the model's files keep their SHA-256, a FIFO stays a FIFO, a link stays a link, an earlier
# run's checkpoints are neither mixed with nor replaced by a refused run's. /dev/full is tried only
# after a FIFO and a character-device check show that fmnist refuses special files, and is checked
# to be a character device afterwards. Prints `ok|FAIL <class> <case>: exit N` per case and a count
# per class; exits non-zero on any FAIL. Needs python3 and a built target/fmnist.jar; FMNIST
# overrides the launcher.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
FMNIST=${FMNIST:-$root/bin/fmnist}
export JAVA_OPTS=${JAVA_OPTS:--Xmx1g}
work=$(mktemp -d /tmp/fmnist-bad-outputs.XXXXXX)
if [ "${1:-}" = "--keep" ]; then echo "work directory: $work"; else trap 'rm -rf "$work"' EXIT; fi

python3 "$root/tools/faults/make-dataset.py" "$work/data" 300 100 > /dev/null
cp -r "$root/savedmodels/mlp" "$work/mlp"
model=$work/mlp/1
# The logistic recipe, made tiny: 2 epochs of batch 25, 50 validation images.
sed -e 's/epochs: 20/epochs: 2/' -e 's/batch_size: 128/batch_size: 25/' -e 's/validation_split: 5000/validation_split: 50/' \
  "$root/configs/logistic.yaml" > "$work/tiny.yaml"
sed 's/learning_rate: 0.001/learning_rate: 0.002/' "$work/tiny.yaml" > "$work/tiny-lr.yaml"

declare -A passed failed
classes=()
out=$work/case.out
err=$work/case.err

tree_sum() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-64; find . | wc -l); }
kind() { stat -c %F "$1" 2>/dev/null || echo absent; }

# CLASS CASE EXPECTED_EXIT CHECK_COMMAND -- FMNIST_ARGS...: runs fmnist, then judges it.
try() {
  local class=$1 name=$2 expected=$3 check=$4; shift 4
  [ "$1" = "--" ] && shift
  [[ " ${classes[*]} " == *" $class "* ]] || { classes+=("$class"); passed[$class]=0; failed[$class]=0; }
  "$FMNIST" "$@" > "$out" 2> "$err"
  local code=$? problems=()
  [ "$code" = "$expected" ] || problems+=("expected exit $expected")
  [ "$code" = 1 ] && problems+=("internal error")
  grep -q 'Exception\|at dev\.\|^\s*at ' "$err" && problems+=("a stack trace")
  [ "$(grep -c '^error: ' "$err")" -le 1 ] || problems+=("more than one error line")
  if [ "$expected" != 0 ] && [ "$(grep -c '^error: ' "$err")" != 1 ]; then problems+=("no error line"); fi
  if [ -n "$check" ] && ! eval "$check"; then problems+=("check failed: $check"); fi
  if [ ${#problems[@]} -eq 0 ]; then
    echo "ok $class $name: exit $code"
    passed[$class]=$((passed[$class] + 1))
  else
    echo "FAIL $class $name: exit $code ($(IFS=';'; echo "${problems[*]}"))"
    sed 's/^/    /' "$err" | head -5
    failed[$class]=$((failed[$class] + 1))
  fi
}

model_sum=$(tree_sum "$model")
model_intact='[ "$(tree_sum "$model")" = "$model_sum" ]'
eval_args=(evaluate "$model" --data-dir "$work/data" --no-report)

# ---- class 1: outputs ----
mkfifo "$work/fifo"
python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$work/sock"
mkdir -p "$work/dir" && echo mine > "$work/dir/keep.txt"
echo "precious" > "$work/precious.txt"
ln -s "$work/precious.txt" "$work/link.json"
ln -s "$work/nowhere.json" "$work/dangling.json"
echo x > "$work/file"
ds_file=$(ls "$work"/data/t10k-labels-idx1-ubyte*)
ds_sum=$(sha256sum "$ds_file")

try outputs json-fifo 3 '[ "$(kind "$work/fifo")" = fifo ]' -- "${eval_args[@]}" --json "$work/fifo" --csv "$work/c1.csv"
try outputs csv-fifo 3 '[ "$(kind "$work/fifo")" = fifo ] && [ ! -e "$work/j2.json" ]' -- "${eval_args[@]}" --csv "$work/fifo" --json "$work/j2.json"
try outputs json-socket 3 '[ "$(kind "$work/sock")" = socket ]' -- "${eval_args[@]}" --json "$work/sock"
try outputs json-directory 3 '[ "$(cat "$work/dir/keep.txt")" = mine ]' -- "${eval_args[@]}" --json "$work/dir"
try outputs json-symlink 3 '[ -L "$work/link.json" ] && [ "$(cat "$work/precious.txt")" = precious ]' -- "${eval_args[@]}" --json "$work/link.json"
try outputs csv-dangling-symlink 3 '[ -L "$work/dangling.json" ] && [ ! -e "$work/nowhere.json" ]' -- "${eval_args[@]}" --csv "$work/dangling.json"
try outputs json-model-saved_model.pb 3 "$model_intact" -- "${eval_args[@]}" --json "$model/saved_model.pb"
try outputs csv-model-variables 3 "$model_intact" -- "${eval_args[@]}" --csv "$model/variables/variables.index"
try outputs report-dir-model 3 "$model_intact" -- evaluate "$model" --data-dir "$work/data" --report-dir "$model"
try outputs json-model-via-versions-dir 3 "$model_intact" -- evaluate "$work/mlp" --data-dir "$work/data" --no-report --json "$model/assets.extra/fmnist.json"
try outputs json-dataset-file 3 '[ "$(sha256sum "$ds_file")" = "$ds_sum" ]' -- "${eval_args[@]}" --json "$ds_file"
try outputs json-below-a-file 3 '[ "$(cat "$work/file")" = x ]' -- "${eval_args[@]}" --json "$work/file/e.json"
try outputs report-dir-proc 3 '' -- evaluate "$model" --data-dir "$work/data" --report-dir /proc/fmnist-report
try outputs compare-report-dir-model 3 "$model_intact" -- compare "$model" "$work/mlp" --data-dir "$work/data" --report-dir "$model/variables"
try outputs explain-out-fifo 3 '[ "$(kind "$work/fifo")" = fifo ]' -- explain "$model" --test-index 0 --data-dir "$work/data" --out "$work/fifo"
try outputs explain-out-model 3 "$model_intact" -- explain "$model" --test-index 0 --data-dir "$work/data" --out "$model/assets.extra"
try outputs predict-save-inputs-file 3 '[ "$(cat "$work/file")" = x ]' -- predict "$model" "$root/tools/interop/interop-tiny.yaml" --save-inputs "$work/file"
try outputs data-samples-out-proc 3 '' -- data samples --data-dir "$work/data" --out /proc/fmnist-samples
try outputs data-images-out-file 3 '[ "$(cat "$work/file")" = x ]' -- data images --data-dir "$work/data" --split test --out "$work/file"
try outputs export-out-file 3 '[ "$(cat "$work/file")" = x ]' -- export --from-savedmodel "$model" --data-dir "$work/data" --out "$work/file"
try outputs regular-file-still-replaced 0 '[ "$(head -c1 "$work/old.json")" = "{" ]' -- "${eval_args[@]}" --json "$(echo old > "$work/old.json"; echo "$work/old.json")" --csv "$work/new.csv"
# /dev/full last, and only once special files are known to be refused: the old code replaced it.
if [ "$(kind /dev/full)" = "character special file" ] && [ "${failed[outputs]}" = 0 ]; then
  try outputs json-dev-full 3 '[ "$(kind /dev/full)" = "character special file" ]' -- "${eval_args[@]}" --json /dev/full
fi

# ---- class 2: run directories and resume ----
run=$work/run
tr_args=(train --data-dir "$work/data" --threads 1 --no-tensorboard)
"$FMNIST" "${tr_args[@]}" --config "$work/tiny.yaml" --run-dir "$run" --out "$work/models" > "$work/first.out" 2>&1 \
  || { echo "the first training failed:"; cat "$work/first.out"; exit 1; }
echo mine > "$run/notes.txt"
run_sum() { (cd "$run" && find checkpoints -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-64); }
first_run=$(run_sum)
run_intact='[ "$(run_sum)" = "$first_run" ] && [ ! -d "$work/models/logistic/2" ]'

try rundirs fresh-train-into-used-run 2 "$run_intact" -- "${tr_args[@]}" --config "$work/tiny.yaml" --epochs 1 --run-dir "$run" --out "$work/models"
try rundirs resume-changed-learning-rate 2 "$run_intact && grep -q 'training.adam.learning_rate 0.001 -> 0.002' '$err'" -- "${tr_args[@]}" --config "$work/tiny-lr.yaml" --epochs 3 --resume --run-dir "$run" --out "$work/models"
try rundirs resume-changed-batch-size 2 "$run_intact && grep -q 'training.batch_size 25 -> 20' '$err'" -- "${tr_args[@]}" --config "$work/tiny.yaml" --batch-size 20 --epochs 3 --resume --run-dir "$run" --out "$work/models"
try rundirs resume-changed-seed 2 "$run_intact && grep -q 'training.seed 42 -> 43' '$err'" -- "${tr_args[@]}" --config "$work/tiny.yaml" --seed 43 --resume --run-dir "$run" --out "$work/models"
try rundirs resume-and-overwrite 2 "$run_intact" -- "${tr_args[@]}" --config "$work/tiny.yaml" --resume --overwrite --run-dir "$run" --out "$work/models"
try rundirs overwrite-with-repeats 2 "$run_intact" -- "${tr_args[@]}" --config "$work/tiny.yaml" --repeats 2 --overwrite --run-dir "$run" --out "$work/models"
try rundirs run-dir-is-a-file 3 '[ "$(cat "$work/file")" = x ]' -- "${tr_args[@]}" --config "$work/tiny.yaml" --run-dir "$work/file" --out "$work/models"
try rundirs run-dir-under-proc 3 '' -- "${tr_args[@]}" --config "$work/tiny.yaml" --run-dir /proc/fmnist-run --out "$work/models"
try rundirs out-under-proc 3 '[ ! -d "$work/run-proc/checkpoints" ]' -- "${tr_args[@]}" --config "$work/tiny.yaml" --run-dir "$work/run-proc" --out /proc/fmnist-models
try rundirs out-is-a-file 3 '[ ! -d "$work/run-file/checkpoints" ] && [ "$(cat "$work/file")" = x ]' -- "${tr_args[@]}" --config "$work/tiny.yaml" --run-dir "$work/run-file" --out "$work/file"
try rundirs sweep-run-dir-is-a-file 3 '[ "$(cat "$work/file")" = x ]' -- sweep "$root/configs/sweep-cnn.yaml" --data-dir "$work/data" --run-dir "$work/file"
try rundirs export-out-below-a-file 3 '[ "$(cat "$work/file")" = x ]' -- export --run-dir "$run" --data-dir "$work/data" --out "$work/file/models"
try rundirs resume-more-epochs 0 '[ -d "$run/checkpoints/epoch-0003" ] && grep -q "\"learning_rate\" : 0.001" "$work/models/logistic/2/assets.extra/fmnist.json"' -- "${tr_args[@]}" --config "$work/tiny.yaml" --epochs 3 --resume --run-dir "$run" --out "$work/models"
try rundirs overwrite-leaves-no-stale-checkpoint 0 '[ -d "$run/checkpoints/epoch-0001" ] && [ ! -d "$run/checkpoints/epoch-0002" ] && [ ! -d "$run/checkpoints/epoch-0003" ] && [ "$(cat "$run/notes.txt")" = mine ]' -- "${tr_args[@]}" --config "$work/tiny.yaml" --epochs 1 --overwrite --run-dir "$run" --out "$work/models"
try rundirs export-after-overwrite-takes-the-new-run 0 'grep -q "\"epochs_run\" : 1" "$work/models/logistic/4/assets.extra/fmnist.json"' -- export --run-dir "$run" --data-dir "$work/data" --out "$work/models"

echo
total_failed=0
for c in "${classes[@]}"; do
  echo "$c: ${passed[$c]} ok, ${failed[$c]} failed"
  total_failed=$((total_failed + failed[$c]))
done
[ "$total_failed" -eq 0 ]
