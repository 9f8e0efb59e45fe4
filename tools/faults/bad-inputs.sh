#!/usr/bin/env bash
# Every class of bad and hostile input of docs/reliability.md, tried against target/fmnist.jar:
# runs bad-inputs-outputs.sh (output paths, run directories), bad-inputs-limits.sh (limits before
# the work, one bad item in a batch) and bad-inputs-ambiguity.sh (saying what was used, wording).
# Each prints `ok|FAIL <class> <case>: exit N` per case and a count per class; this prints their
# counts together and exits non-zero when any of them failed. Needs python3 and a built
# target/fmnist.jar (mvn -B package -DskipTests).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
status=0
summary=()
for part in outputs limits ambiguity; do
  script=$here/bad-inputs-$part.sh
  [ -f "$script" ] || continue
  echo "== $part"
  log=$(mktemp)
  bash "$script" 2>&1 | tee "$log"
  code=${PIPESTATUS[0]}
  [ "$code" -eq 0 ] || status=1
  summary+=("$part: $(grep -cE '^ok ' "$log") ok, $(grep -cE '^FAIL ' "$log") failed (exit $code)")
  rm -f "$log"
done
echo
echo "== all bad inputs"
printf '%s\n' "${summary[@]}"
exit $status
