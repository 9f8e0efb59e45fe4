#!/usr/bin/env bash
# Where a training step's time goes: plain step timings, then TensorFlow's step stats per op type and
# per node for a recipe's training graph (one random batch; no data needed).
#
#   tools/bench/profile.sh [RECIPE] [--precision float32|bf16] [--batch N] [--intra N] [--inter N]
#                          [--no-fuse] [--steps N]
#
# RECIPE defaults to configs/cnn.yaml. Builds the jar first if it is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -f target/fmnist.jar ]; then
  # shellcheck disable=SC2086
  mvn -B -q package -DskipTests ${MAVEN_ARGS:-}
fi
recipe=configs/cnn.yaml
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then recipe=$1; shift; fi
TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2} exec java -cp "target/fmnist.jar:target/lib/*" \
  dev.fmnist.train.StepProfiler "$recipe" "$@"
