#!/usr/bin/env bash
# Interop check of a model trained on an image folder: generates a small RGB folder dataset
# (tools/interop/make_colour_squares.py), trains a tiny CNN on it for 1 epoch with fmnist (a recipe with
# a data: section, format folder, 16x16x3), evaluates it with fmnist evaluate --images on the test
# folder, and checks with Python TensorFlow (tools/interop/check_savedmodel.py --images) that it loads
# with input [-1,16,16,3] and outputs [-1,3] (saved_model_cli, tf.saved_model.load, Keras TFSMLayer, TF1
# loader) and gives the same predictions as fmnist evaluate.
# Needs target/fmnist.jar (mvn -B package) and the Python venv (.venv, tools/install-python.sh).
# Environment: PYTHON (default .venv/bin/python), FMNIST (default bin/fmnist), INTEROP_WORK (default
# target/interop-folder). Exit 1 if a check fails, 2 if the venv is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-.venv/bin/python}
FMNIST=${FMNIST:-bin/fmnist}
WORK=${INTEROP_WORK:-target/interop-folder}
export TF_CPP_MIN_LOG_LEVEL=2

if [ ! -x "$PYTHON" ]; then
  echo "error: $PYTHON: no Python virtual environment; run tools/install-python.sh first" >&2
  exit 2
fi
quiet() { grep -v -e 'cpu_feature_guard' -e 'rebuild TensorFlow with' -e 'absl::InitializeLog' \
                  -e 'mlir_graph_optimization_pass' -e '^WARNING: All log messages before' || true; }
run_quiet() { "$@" 2>&1 | quiet; return "${PIPESTATUS[0]}"; }
rm -rf "$WORK"
mkdir -p "$WORK"

echo "== images: $WORK/photos"
run_quiet "$PYTHON" tools/interop/make_colour_squares.py "$WORK/photos"
cat > "$WORK/colours.yaml" <<'YAML'
name: colours
description: interop check of an image-folder model (generated RGB squares)
model:
  layers:
    - conv: {filters: 8, kernel: 3, padding: same}
    - maxpool: {size: 2}
    - flatten: {}
    - dense: {activation: none}
data:
  format: folder
  path: photos
  image_size: [16, 16]
  channels: 3
training:
  epochs: 1
  batch_size: 16
  seed: 1
  validation_split: 0
  adam: {learning_rate: 0.01}
YAML

echo "== fmnist train --config $WORK/colours.yaml (1 epoch)"
run_quiet "$FMNIST" train --config "$WORK/colours.yaml" --out "$WORK/savedmodels" --run-dir "$WORK/run"
model="$WORK/savedmodels/colours/1"

echo "== fmnist evaluate $model --images $WORK/photos/test"
run_quiet "$FMNIST" evaluate "$model" --images "$WORK/photos/test" --no-report \
    --json "$WORK/evaluation.json" --csv "$WORK/predictions.csv" | grep -E '^ +accuracy ' || true

echo "== Python TensorFlow: $model"
run_quiet "$PYTHON" tools/interop/check_savedmodel.py "$model" --images "$WORK/photos/test" --count 100000 \
    --java-csv "$WORK/predictions.csv" --summary "$WORK/python.json"
