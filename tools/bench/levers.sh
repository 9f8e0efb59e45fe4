#!/usr/bin/env bash
# Session levers, compared in one JVM: each variant gets its own graph and session of RECIPE's
# training graph, all are warmed up, then timed in alternating rounds so that load from other
# processes falls on every variant alike (tools/bench/java/dev/fmnist/train/LeverBench.java).
#
#   tools/bench/levers.sh RECIPE [--batch 128] [--steps 10] [--rounds 7] VARIANT...
#   VARIANT = name:key=value,...  keys: precision=float32|bf16 fuse=on|off|bf16 intra=N inter=N
#             jit=off|on1|on2 remap=on|off|aggressive layout=on|off arith=on|off batch=N
#             recipe=PATH (that recipe's graph instead: compares architectures)
#   e.g. tools/bench/levers.sh configs/cnn.yaml base: jit:jit=on1 inter2:inter=2 bf16:precision=bf16
#
# Environment levers (read once per process: TF_XLA_FLAGS, ONEDNN_DEFAULT_FPMATH_MODE,
# TF_ONEDNN_THREADPOOL_USE_CALLER_THREAD, ...) need one process each: set them in front of the command.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -f target/fmnist.jar ]; then
  # shellcheck disable=SC2086
  mvn -B -q package -DskipTests ${MAVEN_ARGS:-}
fi
cls=target/lever-bench
if [ ! -f "$cls/dev/fmnist/train/LeverBench.class" ] || [ tools/bench/java/dev/fmnist/train/LeverBench.java -nt "$cls/dev/fmnist/train/LeverBench.class" ] \
   || [ target/fmnist.jar -nt "$cls/dev/fmnist/train/LeverBench.class" ]; then
  mkdir -p "$cls"
  javac -d "$cls" -cp "target/fmnist.jar:target/lib/*" tools/bench/java/dev/fmnist/train/LeverBench.java
fi
TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2} exec java -cp "$cls:target/fmnist.jar:target/lib/*" \
  dev.fmnist.train.LeverBench "$@"
