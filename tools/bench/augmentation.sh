#!/usr/bin/env bash
# What augmentation costs: milliseconds per epoch spent filling training batches without and with
# shift/flip/erasing (Java side, where augmentation runs). Compare with a training step
# (tools/bench/profile.sh) or an epoch (tools/bench/run.sh).
#
#   tools/bench/augmentation.sh [DATA_DIR] [BATCH]
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -f target/fmnist.jar ]; then
  # shellcheck disable=SC2086
  mvn -B -q package -DskipTests ${MAVEN_ARGS:-}
fi
exec java -cp "target/fmnist.jar:target/lib/*" dev.fmnist.data.AugmentationCost "$@"
