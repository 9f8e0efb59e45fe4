#!/usr/bin/env bash
# Interoperability checks with the real Python TensorFlow, run by .ci/run after the Java tests, with two
# virtual environments made by tools/install-python.sh: .venv (tools/requirements.txt: TensorFlow 2.18.1,
# the Java side's) and .venv-latest (tools/requirements-latest.txt: the newest TensorFlow, Keras, tf2onnx,
# onnxruntime and LiteRT). Every savedmodels/<name>/<version>/ plus a model freshly trained here
# (tools/interop/interop-tiny.yaml, 1 epoch) is evaluated once by fmnist evaluate, then each venv runs:
#   Java -> Python: each model loaded with tf.saved_model.load, Keras 3's TFSMLayer and TF Serving's TF1
#     loader, checked with saved_model_cli, and compared with fmnist evaluate's predictions
#     (tools/interop/check_savedmodel.py).
#   Conversions: each model converted to LiteRT/TFLite and to ONNX (tf2onnx), run with the LiteRT
#     interpreter and onnxruntime; logits within 1e-4 of TensorFlow's, same classes
#     (tools/interop/check_conversions.py).
#   TF Serving: versioned layout, tag, method name, and a REST predict request built from a real
#     test image, answered as TF Serving would (tools/interop/tf_serving.py).
#   Python -> Java: a Keras CNN trained for one epoch and exported with model.export() is evaluated
#     by fmnist evaluate; the accuracy must equal Keras's own evaluate() to 4 decimals.
#   ONNX layouts: tools/interop/make_onnx_models.py writes NHWC, NCHW, flat, probabilities-only,
#     wrong-shape and custom-op ONNX models with onnxruntime's accuracy (expected.json); fmnist evaluate
#     reads each through ONNX Runtime's Java API and must give the same accuracy, or refuse the bad ones
#     (tools/interop/check_onnx_eval.sh).
#   Own images: a tiny CNN trained on a generated RGB image folder loads in Python with [-1,16,16,3] and
#     predicts as fmnist evaluate --images does (tools/interop/check_folder_model.sh).
#   TensorBoard: the fresh run's event files, read with TensorBoard's event_accumulator, equal its
#     history.csv (tools/interop/check_tensorboard.py).
# Needs target/fmnist.jar (mvn -B package). Environment: PYTHON (default .venv/bin/python), PYTHON_LATEST
# (default .venv-latest/bin/python; "none" skips that block), FMNIST (default bin/fmnist), INTEROP_COUNT
# test images per model (default 10000 = all), INTEROP_WORK (default target/interop). Exit 1 if any check
# fails in either venv.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
PYTHON_LATEST=${PYTHON_LATEST:-.venv-latest/bin/python}
FMNIST=${FMNIST:-bin/fmnist}
COUNT=${INTEROP_COUNT:-10000}
WORK=${INTEROP_WORK:-target/interop}
export TF_CPP_MIN_LOG_LEVEL=2

venvs=("pinned:$PYTHON")
if [ "$PYTHON_LATEST" != none ]; then
  venvs+=("latest:$PYTHON_LATEST")
fi
for v in "${venvs[@]}"; do
  if [ ! -x "${v#*:}" ]; then
    echo "error: ${v#*:}: no Python virtual environment; run tools/install-python.sh first" >&2
    exit 2
  fi
done
# TensorFlow's and LiteRT's C++ start-up lines (CPU features, oneDNN, absl, MLIR, XNNPACK) say nothing
# about the checks.
quiet() { grep -v -e 'cpu_feature_guard' -e 'rebuild TensorFlow with' -e 'absl::InitializeLog' \
                  -e 'mlir_graph_optimization_pass' -e '^WARNING: All log messages before' \
                  -e 'oneDNN custom operations are on' -e 'Created TensorFlow Lite XNNPACK delegate' || true; }
rm -rf "$WORK"
mkdir -p "$WORK"
failed=()
run_quiet() { "$@" 2>&1 | quiet; return "${PIPESTATUS[0]}"; }
step_start=
# step TITLE: ends the previous step with its duration, starts the next.
step() {
  if [ -n "$step_start" ]; then echo "   ($((SECONDS - step_start)) s)"; fi
  step_start=$SECONDS; echo; echo "== $*"
}
model_id() { echo "$1" | tr '/' '_'; }

step "fresh model: fmnist train --config tools/interop/interop-tiny.yaml (1 epoch)"
run_quiet "$FMNIST" train --config tools/interop/interop-tiny.yaml --out "$WORK/savedmodels" --run-dir "$WORK/run"
models=("$WORK"/savedmodels/interop-tiny/1)
step "TensorBoard: the fresh run's event files read by TensorBoard's own reader equal its history.csv"
run_quiet "$PYTHON" tools/interop/check_tensorboard.py "$WORK/run" || failed+=("TensorBoard events of the fresh run")
step "a model trained on an RGB image folder (16x16x3, 3 classes): Python TensorFlow loads it and agrees"
INTEROP_WORK="$WORK/folder" PYTHON="$PYTHON" FMNIST="$FMNIST" run_quiet tools/interop/check_folder_model.sh \
    || failed+=("folder-trained RGB model")
for d in savedmodels/*/[0-9]*/; do
  [ -f "$d/saved_model.pb" ] && models+=("${d%/}")
done

step "fmnist evaluate: ${#models[@]} model(s)"
evaluated=()
for m in "${models[@]}"; do
  id=$(model_id "$m")
  report="$WORK/java/$id"
  echo "-- $m: fmnist evaluate"
  if "$FMNIST" evaluate "$m" --report-dir "$report" --json "$report/evaluation.json" --csv "$report/predictions.csv" \
      > "$WORK/java-$id.log" 2>&1; then
    grep -E '^ +accuracy ' "$WORK/java-$id.log" || true
    evaluated+=("$m")
  else
    cat "$WORK/java-$id.log"; failed+=("fmnist evaluate $m")
  fi
done

# python_block LABEL PYTHON: every Python-side check with that venv; results under $WORK/LABEL/.
python_block() {
  local label=$1 py=$2 out="$WORK/$1" start=$SECONDS m id
  mkdir -p "$out"
  step "Python block '$label' ($py): $("$py" -c 'import importlib.metadata as m; print(", ".join(f"{p} {m.version(p)}" for p in ("tensorflow-cpu", "keras", "tf2onnx", "onnxruntime")))')"

  step "[$label] Java -> Python: ${#evaluated[@]} model(s), $COUNT test images each"
  for m in "${evaluated[@]}"; do
    id=$(model_id "$m")
    run_quiet "$py" tools/interop/check_savedmodel.py "$m" --count "$COUNT" \
        --java-csv "$WORK/java/$id/predictions.csv" --summary "$out/python-$id.json" || failed+=("[$label] check_savedmodel $m")
  done

  step "[$label] conversions: LiteRT/TFLite and ONNX, $COUNT test images each"
  for m in "${models[@]}"; do
    id=$(model_id "$m")
    run_quiet "$py" tools/interop/check_conversions.py "$m" --count "$COUNT" --work "$out/conversions/$id" \
        --summary "$out/conversions-$id.json" || failed+=("[$label] check_conversions $m")
  done

  step "[$label] TF Serving: layout, request from test image 0, response"
  for root in "$WORK/savedmodels" savedmodels; do
    [ -d "$root" ] || continue
    run_quiet "$py" tools/interop/tf_serving.py layout "$root" || failed+=("[$label] layout $root")
  done
  run_quiet "$py" tools/interop/tf_serving.py request --index 0 -o "$out/request.json"
  for m in "${models[@]}"; do
    id=$(model_id "$m")
    run_quiet "$py" tools/interop/tf_serving.py respond "$m" "$out/request.json" -o "$out/response-$id.json" \
        || failed+=("[$label] TF Serving response $m")
  done

  step "[$label] Python -> Java: Keras CNN, 1 epoch, model.export(), fmnist evaluate"
  run_quiet "$py" tools/interop/keras_roundtrip.py train --out "$out/keras" || failed+=("[$label] Keras training/export")
  local keras_model="$out/keras/keras-cnn/1"
  if [ -d "$keras_model" ]; then
    if "$FMNIST" evaluate "$keras_model" --report-dir "$out/java-keras" --json "$out/java-keras/evaluation.json" \
        > "$out/java-keras.log" 2>&1; then
      grep -E '^(signature|predicted) |^ +accuracy ' "$out/java-keras.log" || true
      "$py" tools/interop/keras_roundtrip.py compare "$keras_model/assets.extra/keras_evaluate.json" \
          "$out/java-keras/evaluation.json" || failed+=("[$label] Keras vs fmnist accuracy")
    else
      cat "$out/java-keras.log"; failed+=("[$label] fmnist evaluate $keras_model")
    fi
  fi

  step "[$label] ONNX layouts for fmnist evaluate: make_onnx_models.py (savedmodels/mlp/1)"
  run_quiet "$py" tools/interop/make_onnx_models.py "$out/onnx-models" --count "$COUNT" \
      || failed+=("[$label] make_onnx_models")
  step "[$label] fmnist evaluate on those ONNX files (ONNX Runtime's Java API) vs onnxruntime in Python"
  ONNX_EVAL_WORK="$out/java-onnx" PYTHON="$py" run_quiet tools/interop/check_onnx_eval.sh "$out/onnx-models" \
      || failed+=("[$label] fmnist evaluate on ONNX files")

  step "[$label] summary: TensorFlow $("$py" -c 'import importlib.metadata as m; print(m.version("tensorflow-cpu"))'), block took $((SECONDS - start)) s"
  "$py" - "$out" <<'EOF'
import json, sys
from pathlib import Path
out = Path(sys.argv[1])
print(f"{'model':44} {'images':>6} {'accuracy':>8}  max |diff| vs tf.saved_model.load: logits / probabilities / classes differing")
for f in sorted(out.glob("python-*.json")):
    s = json.loads(f.read_text())
    for key, label in (("tfsm_layer", "Keras TFSMLayer"), ("tf1_session", "TF1 Session (TF Serving)"), ("java_csv", "fmnist evaluate (Java)")):
        d = s.get(key)
        if d:
            logits = "n/a" if d["logits"] is None else f"{d['logits']:.2g}"
            print(f"{s['model']:44} {s['count']:>6} {s['accuracy']:>8.4f}  {label:26} {logits:>8} / {d['probabilities']:.2g} / {d['classes']}")
print()
print(f"{'model':44} {'images':>6} {'accuracy':>8}  {'TFLite logits max |diff|':>24}  {'ONNX logits max |diff|':>22}")
for f in sorted(out.glob("conversions-*.json")):
    s = json.loads(f.read_text())
    cells = []
    for key in ("tflite", "onnx"):
        d = s.get(key, {})
        cells.append(f"{d['max_diff']['logits']:.2g} ({d['max_diff']['classes']} differ)" if "max_diff" in d
                     else "conversion FAILED")
    print(f"{s['model']:44} {s['count']:>6} {s['accuracy']:>8.4f}  {cells[0]:>24}  {cells[1]:>22}")
    for key, label in (("tflite", "TFLite"), ("onnx", "ONNX")):
        if "error" in s.get(key, {}):
            print(f"    {label}: {s[key]['error']}")
EOF
}

for v in "${venvs[@]}"; do
  python_block "${v%%:*}" "${v#*:}"
done

echo "   ($((SECONDS - step_start)) s); all interop checks took $SECONDS s"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "interop checks FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "interop checks passed"
