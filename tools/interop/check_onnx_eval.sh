#!/usr/bin/env bash
# fmnist evaluate on ONNX models made in Python, against onnxruntime's own accuracy:
#   tools/interop/check_onnx_eval.sh ONNX_DIR [--data-dir DIR]
# ONNX_DIR is what tools/interop/make_onnx_models.py ONNX_DIR writes: nhwc.onnx, nchw.onnx, flat.onnx,
# probabilities.onnx, bad_shape.onnx, custom_op.onnx and expected.json (per file its inputs, outputs and,
# for the models fmnist must take, onnxruntime's accuracy and count on the test set).
# For each model with an accuracy: fmnist evaluate must exit 0 with the same accuracy to 4 decimals on as
# many images. For each without (bad_shape.onnx: a 3x32x32 input; custom_op.onnx: a com.example op): exit
# 2 with one error line, and custom_op.onnx still exit 2 with --trust-model (no runtime knows the op).
# Needs target/fmnist.jar (mvn -B package) and python3. Environment: FMNIST (default bin/fmnist), PYTHON
# (default python3, only to read JSON), ONNX_EVAL_WORK (default target/onnx-eval). Exit 1 if a check fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ $# -lt 1 ] || [ ! -f "$1/expected.json" ]; then
  echo "usage: $0 ONNX_DIR [--data-dir DIR]  (ONNX_DIR from tools/interop/make_onnx_models.py, with expected.json)" >&2
  exit 2
fi
DIR=$1
shift
EXTRA=("$@")
FMNIST=${FMNIST:-bin/fmnist}
PYTHON=${PYTHON:-python3}
WORK=${ONNX_EVAL_WORK:-target/onnx-eval}
rm -rf "$WORK"
mkdir -p "$WORK"
passed=0
failed=()

# name <TAB> expected accuracy (empty for a model fmnist must refuse) <TAB> expected count
"$PYTHON" -c '
import json, sys
for name, e in json.load(open(sys.argv[1])).items():
    print(name, e.get("accuracy", ""), e.get("count", ""), sep="\t")
' "$DIR/expected.json" > "$WORK/models.tsv"

check_refused() { # file log [options...]
  local file=$1 log=$2 code=0
  shift 2
  "$FMNIST" evaluate "$file" --no-report --report-dir "$WORK/refused" "${EXTRA[@]}" "$@" > "$log.out" 2> "$log" \
    || code=$?
  if [ "$code" -eq 2 ] && [ "$(wc -l < "$log")" -eq 1 ] && grep -q '^error: ' "$log"; then
    echo "ok    $(basename "$file") ${*:+$* }refused, exit 2: $(cut -c1-160 "$log")"
    passed=$((passed + 1))
  else
    echo "FAIL  $(basename "$file") ${*:+$* }: expected exit 2 and one error line, got exit $code:"
    cat "$log"
    failed+=("$(basename "$file") $*")
  fi
}

while IFS=$'\t' read -r name accuracy count; do
  file="$DIR/$name"
  log="$WORK/${name%.onnx}.log"
  if [ -z "$accuracy" ]; then
    check_refused "$file" "$log"
    if [ "$name" = custom_op.onnx ]; then
      check_refused "$file" "$WORK/custom_op-trusted.log" --trust-model
    fi
    continue
  fi
  json="$WORK/${name%.onnx}.json"
  if ! "$FMNIST" evaluate "$file" --no-report --report-dir "$WORK/${name%.onnx}" --json "$json" "${EXTRA[@]}" \
      > "$log" 2>&1; then
    echo "FAIL  $name: fmnist evaluate failed:"
    tail -3 "$log"
    failed+=("$name")
    continue
  fi
  verdict=$("$PYTHON" -c '
import json, sys
j = json.load(open(sys.argv[1]))
expected, count = float(sys.argv[2]), int(sys.argv[3])
acc, correct, n, fmt, kind = (j[k] for k in ("accuracy", "correct", "count", "model_format", "output_kind"))
same = round(acc, 4) == round(expected, 4) and n == count
print(("ok   " if same else "FAIL ") + f" {sys.argv[4]}: fmnist {acc:.4f} ({correct}/{n}, {fmt}, {kind}),"
      f" onnxruntime {expected:.4f} ({count} images)")
' "$json" "$accuracy" "$count" "$name")
  echo "$verdict"
  if [[ $verdict == ok* ]]; then
    passed=$((passed + 1))
  else
    failed+=("$name")
  fi
done < "$WORK/models.tsv"

echo
echo "check_onnx_eval: $passed passed, ${#failed[@]} failed"
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}"
  exit 1
fi
