#!/usr/bin/env bash
# Creates .venv/ (git-ignored) with the pinned Python TensorFlow of tools/requirements.txt (PyPI's
# tensorflow-cpu 2.18.1 with its Keras 3), for tools/check-interop.sh. Idempotent: an existing .venv
# whose packages already match is kept. On Debian it installs python3-venv if the venv module is missing
# (needs root or sudo). TensorFlow 2.18 needs Python 3.9 to 3.12; PYTHON3 picks the interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON3:-python3}
if ! command -v "$PY" >/dev/null 2>&1; then
  echo "error: $PY: not found; install Python 3.9-3.12 (Debian: apt-get install python3 python3-venv)" >&2
  exit 2
fi
if ! "$PY" -c 'import sys; sys.exit(0 if (3, 9) <= sys.version_info[:2] <= (3, 12) else 1)'; then
  echo "error: $PY: Python $("$PY" -c 'import platform; print(platform.python_version())'):" \
       "tensorflow-cpu 2.18.1 has wheels for Python 3.9-3.12 only; set PYTHON3 to one of those" >&2
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
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
if .venv/bin/python -m pip freeze 2>/dev/null | sort | diff -q - <(grep -v '^#' tools/requirements.txt | sort) >/dev/null; then
  echo "python: .venv already has tools/requirements.txt"
else
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r tools/requirements.txt
fi
echo "python: $(.venv/bin/python -c 'import platform; print(platform.python_version())');" \
     "$(.venv/bin/python -c 'import os; os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"; import tensorflow as tf, keras; print("tensorflow", tf.__version__ + ", keras", keras.__version__)' 2>/dev/null)"
