#!/usr/bin/env bash
# The main job on a fresh machine: install what is missing, build, train the default model (cnn)
# on the real Fashion-MNIST, then evaluate the SavedModel it exported.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
mvn -B -q package -DskipTests
# Run again, it trains afresh (--overwrite replaces the earlier run in runs/cnn/), unless given --resume.
fresh=--overwrite
for a in "$@"; do case $a in --resume|--overwrite|--repeats|--repeats=*) fresh= ;; esac; done
bin/fmnist train --config configs/cnn.yaml $fresh "$@"
latest=$(ls -d savedmodels/cnn/[0-9]* | sort -t/ -k3 -n | tail -n1)
bin/fmnist evaluate "$latest"
