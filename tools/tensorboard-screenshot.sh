#!/usr/bin/env bash
# Screenshot of TensorBoard's scalars page for an fmnist run:
#   tools/tensorboard-screenshot.sh RUN_DIR OUT.png
# Starts `tensorboard --logdir RUN_DIR/tensorboard` from the Python venv on 127.0.0.1 and a free port,
# waits until it serves the run's scalars, takes a headless Chromium screenshot of the page, stops
# TensorBoard and exits. Environment: PYTHON (default .venv/bin/python, with tensorboard installed,
# tools/install-python.sh), CHROMIUM (default chromium; Debian: apt-get install -y chromium),
# TB_PAGE (default scalars; timeseries is TensorBoard's other scalar view), TB_TAGS (tag filter, a regular
# expression; default epoch_, the charts where train and validation meet), TB_SMOOTHING (default 0: the
# values as logged), TB_WINDOW (default 1400,1000),
# TB_RENDER_MS (virtual time the page gets to render, default 20000).
# Exit codes: 0 written, 2 bad arguments or missing tools, 3 TensorBoard or Chromium failed.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 RUN_DIR OUT.png" >&2
  exit 2
fi
RUN_DIR=$1
OUT=$2
PYTHON=${PYTHON:-.venv/bin/python}
CHROMIUM=${CHROMIUM:-chromium}
PAGE=${TB_PAGE:-scalars}
TAGS=${TB_TAGS-epoch_}
SMOOTHING=${TB_SMOOTHING:-0}
WINDOW=${TB_WINDOW:-1400,1000}
RENDER_MS=${TB_RENDER_MS:-20000}
LOGDIR="$RUN_DIR/tensorboard"

if [ ! -d "$LOGDIR/train" ]; then
  echo "error: $LOGDIR/train: not found (was the run trained with TensorBoard logging on?)" >&2
  exit 2
fi
if [ ! -x "$PYTHON" ] || ! "$PYTHON" -c 'import tensorboard' 2>/dev/null; then
  echo "error: $PYTHON: no Python with tensorboard; run tools/install-python.sh first" >&2
  exit 2
fi
if ! command -v "$CHROMIUM" >/dev/null; then
  echo "error: $CHROMIUM: not found; install it (Debian: apt-get install -y chromium)" >&2
  exit 2
fi
TENSORBOARD="$(dirname "$PYTHON")/tensorboard"
PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
FRAGMENT="#$PAGE${TAGS:+&tagFilter=$TAGS}&_smoothingWeight=$SMOOTHING"
WORK=$(mktemp -d)
TB_PID=
cleanup() {
  if [ -n "$TB_PID" ]; then
    kill "$TB_PID" 2>/dev/null || true
    wait "$TB_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

"$TENSORBOARD" --logdir "$LOGDIR" --host 127.0.0.1 --port "$PORT" >"$WORK/tensorboard.log" 2>&1 &
TB_PID=$!

# Ready when the scalars plugin lists a tag of the train run (TensorBoard loads event files in the background).
if ! "$PYTHON" - "$URL" "$TB_PID" <<'EOF'
import json, os, sys, time, urllib.request
url, pid = sys.argv[1], int(sys.argv[2])
deadline = time.time() + 120
while time.time() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("tensorboard exited")
    try:
        with urllib.request.urlopen(url + "/data/plugin/scalars/tags", timeout=5) as r:
            tags = json.load(r)
        if tags.get("train"):
            sys.exit(0)
    except (OSError, ValueError):
        pass
    time.sleep(0.5)
sys.exit("tensorboard did not serve the train run's scalars within 120 s")
EOF
then
  echo "error: $URL: TensorBoard did not come up; its log:" >&2
  cat "$WORK/tensorboard.log" >&2
  exit 3
fi

mkdir -p "$(dirname "$OUT")"
rm -f "$OUT"
if ! "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$WORK/chromium" --window-size="$WINDOW" --virtual-time-budget="$RENDER_MS" \
    --screenshot="$OUT" "$URL/$FRAGMENT" >"$WORK/chromium.log" 2>&1 || [ ! -s "$OUT" ]; then
  echo "error: $CHROMIUM: no screenshot; its log:" >&2
  cat "$WORK/chromium.log" >&2
  exit 3
fi
echo "wrote $OUT ($URL/$FRAGMENT of $LOGDIR)"
