#!/usr/bin/env bash
# Creates the two Python virtual environments (git-ignored) of tools/check-interop.sh:
#   .venv/         tools/requirements.txt: tensorflow-cpu 2.18.1 (the TensorFlow of the Java side) with
#                  its Keras 3, tf2onnx and onnxruntime
#   .venv-latest/  tools/requirements-latest.txt: the newest tensorflow-cpu, keras, tf2onnx, onnxruntime
#                  and ai-edge-litert that passed the checks
# Both from PyPI. Idempotent: a venv whose packages already match its file is kept. On Debian it installs
# python3-venv if the venv module is missing (needs root or sudo). The pins need Python 3.11 or 3.12
# (tensorflow-cpu 2.18.1: 3.9-3.12; onnxruntime 1.32: 3.11 and later); PYTHON3 picks the interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON3:-python3}
if ! command -v "$PY" >/dev/null 2>&1; then
  echo "error: $PY: not found; install Python 3.11 or 3.12 (Debian: apt-get install python3 python3-venv)" >&2
  exit 2
fi
if ! "$PY" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 12) else 1)'; then
  echo "error: $PY: Python $("$PY" -c 'import platform; print(platform.python_version())'):" \
       "tools/requirements*.txt need Python 3.11 or 3.12 (tensorflow-cpu 2.18.1 has wheels up to 3.12," \
       "onnxruntime 1.32 from 3.11); set PYTHON3 to one of those" >&2
  exit 2
fi
if ! "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  ver=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
  echo "installing: python${ver}-venv"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "python${ver}-venv" >/dev/null
fi

# make_venv DIR REQUIREMENTS: DIR/bin/python with exactly the pins of REQUIREMENTS (PyPI).
make_venv() {
  local dir=$1 requirements=$2
  if [ ! -x "$dir/bin/python" ]; then
    "$PY" -m venv "$dir"
  fi
  if "$dir/bin/python" -m pip freeze 2>/dev/null | sort | diff -q - <(grep -v '^#' "$requirements" | sort) >/dev/null; then
    echo "python: $dir already has $requirements"
  else
    "$dir/bin/python" -m pip install -q --upgrade pip
    "$dir/bin/python" -m pip install -q -r "$requirements"
  fi
  echo "python: $dir: Python $("$dir/bin/python" -c 'import platform; print(platform.python_version())');" \
       "$("$dir/bin/python" -c 'import os; os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"; import importlib.metadata as m; print(", ".join(f"{p} {m.version(p)}" for p in ("tensorflow-cpu", "keras", "tf2onnx", "onnxruntime")))')"
}

make_venv .venv tools/requirements.txt
make_venv .venv-latest tools/requirements-latest.txt
