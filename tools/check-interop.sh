#!/usr/bin/env bash
# Interoperability checks with the real Python TensorFlow (tools/requirements.txt in .venv/, made by
# tools/install-python.sh), run by .ci/run after the Java tests:
#   Java -> Python: every savedmodels/<name>/<version>/ plus a model freshly trained here
#     (tools/interop/interop-tiny.yaml, 1 epoch) is loaded with tf.saved_model.load, Keras 3's TFSMLayer
#     and TF Serving's TF1 loader, checked with saved_model_cli, and compared with what fmnist evaluate
#     computed for the same test images (tools/interop/check_savedmodel.py).
#   TF Serving: versioned layout, tag, method name, and a REST predict request built from a real
#     test image, answered as TF Serving would (tools/interop/tf_serving.py).
#   Python -> Java: a Keras CNN trained for one epoch and exported with model.export() is evaluated
#     by fmnist evaluate; the accuracy must equal Keras's own evaluate() to 4 decimals.
# Needs target/fmnist.jar (mvn -B package). Environment: PYTHON (default .venv/bin/python),
# FMNIST (default bin/fmnist), INTEROP_COUNT test images per model (default 10000 = all),
# INTEROP_WORK (default target/interop). Exit 1 if any check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
FMNIST=${FMNIST:-bin/fmnist}
COUNT=${INTEROP_COUNT:-10000}
WORK=${INTEROP_WORK:-target/interop}
export TF_CPP_MIN_LOG_LEVEL=2

if [ ! -x "$PYTHON" ]; then
  echo "error: $PYTHON: no Python virtual environment; run tools/install-python.sh first" >&2
  exit 2
fi
# TensorFlow's C++ start-up lines (CPU features, absl, MLIR) say nothing about the checks.
quiet() { grep -v -e 'cpu_feature_guard' -e 'rebuild TensorFlow with' -e 'absl::InitializeLog' \
                  -e 'mlir_graph_optimization_pass' -e '^WARNING: All log messages before' || true; }
rm -rf "$WORK"
mkdir -p "$WORK"
failed=()
run_quiet() { "$@" 2>&1 | quiet; return "${PIPESTATUS[0]}"; }
step() { echo; echo "== $*"; }

step "fresh model: fmnist train --config tools/interop/interop-tiny.yaml (1 epoch)"
run_quiet "$FMNIST" train --config tools/interop/interop-tiny.yaml --out "$WORK/savedmodels" --run-dir "$WORK/run"
models=("$WORK"/savedmodels/interop-tiny/1)
for d in savedmodels/*/[0-9]*/; do
  [ -f "$d/saved_model.pb" ] && models+=("${d%/}")
done

step "Java -> Python: ${#models[@]} model(s), $COUNT test images each"
for m in "${models[@]}"; do
  id=$(echo "$m" | tr '/' '_')
  report="$WORK/java/$id"
  echo "-- $m: fmnist evaluate"
  if "$FMNIST" evaluate "$m" --report-dir "$report" --json "$report/evaluation.json" --csv "$report/predictions.csv" \
      > "$WORK/java-$id.log" 2>&1; then
    grep -E '^ +accuracy ' "$WORK/java-$id.log" || true
  else
    cat "$WORK/java-$id.log"; failed+=("fmnist evaluate $m"); continue
  fi
  run_quiet "$PYTHON" tools/interop/check_savedmodel.py "$m" --count "$COUNT" \
      --java-csv "$report/predictions.csv" --summary "$WORK/python-$id.json" || failed+=("check_savedmodel $m")
done

step "TF Serving: layout, request from test image 0, response"
for root in "$WORK/savedmodels" savedmodels; do
  [ -d "$root" ] || continue
  run_quiet "$PYTHON" tools/interop/tf_serving.py layout "$root" || failed+=("layout $root")
done
run_quiet "$PYTHON" tools/interop/tf_serving.py request --index 0 -o "$WORK/request.json"
for m in "${models[@]}"; do
  id=$(echo "$m" | tr '/' '_')
  run_quiet "$PYTHON" tools/interop/tf_serving.py respond "$m" "$WORK/request.json" -o "$WORK/response-$id.json" \
      || failed+=("TF Serving response $m")
done

step "Python -> Java: Keras CNN, 1 epoch, model.export(), fmnist evaluate"
run_quiet "$PYTHON" tools/interop/keras_roundtrip.py train --out "$WORK/keras" || failed+=("Keras training/export")
keras_model="$WORK/keras/keras-cnn/1"
if [ -d "$keras_model" ]; then
  if "$FMNIST" evaluate "$keras_model" --report-dir "$WORK/java/keras" --json "$WORK/java/keras/evaluation.json" \
      > "$WORK/java-keras.log" 2>&1; then
    grep -E '^(signature|predicted) |^ +accuracy ' "$WORK/java-keras.log" || true
    "$PYTHON" tools/interop/keras_roundtrip.py compare "$keras_model/assets.extra/keras_evaluate.json" \
        "$WORK/java/keras/evaluation.json" || failed+=("Keras vs fmnist accuracy")
  else
    cat "$WORK/java-keras.log"; failed+=("fmnist evaluate $keras_model")
  fi
fi

step "summary"
"$PYTHON" - "$WORK" <<'EOF'
import json, sys
from pathlib import Path
work = Path(sys.argv[1])
print(f"{'model':44} {'images':>6} {'accuracy':>8}  max |diff| vs tf.saved_model.load: logits / probabilities / classes differing")
for f in sorted(work.glob("python-*.json")):
    s = json.loads(f.read_text())
    for key, label in (("tfsm_layer", "Keras TFSMLayer"), ("tf1_session", "TF1 Session (TF Serving)"), ("java_csv", "fmnist evaluate (Java)")):
        d = s.get(key)
        if d:
            logits = "n/a" if d["logits"] is None else f"{d['logits']:.2g}"
            print(f"{s['model']:44} {s['count']:>6} {s['accuracy']:>8.4f}  {label:26} {logits:>8} / {d['probabilities']:.2g} / {d['classes']}")
EOF
if [ "${#failed[@]}" -gt 0 ]; then
  echo "interop checks FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "interop checks passed"
