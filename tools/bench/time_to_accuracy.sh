#!/usr/bin/env bash
# Time to accuracy: wall time from the training command's start to a model whose test accuracy, as
# exported and served, reaches each target, and the accuracy of the newest model ready at 15/30/60
# minutes; for fmnist and for Keras training the same recipe (tools/bench/keras_bench.py).
#
#   tools/bench/time_to_accuracy.sh [--tools "fmnist keras"] [--epochs N] [--precision float32|bf16]
#       [--threads N] [--targets "92 94 95"] [--minutes "15 30 60"] [--single-view] [--python PY]
#       [--final-only] [--work DIR] [--out FILE] RECIPE [RECIPE...]
#
# fmnist: `fmnist train` runs the recipe as written (a copy with checkpoints_kept raised so that every
# epoch's checkpoint survives; training is the same), its output time-stamped as it arrives. After
# training ends (so that nothing competes with it for the cores) every epoch k is exported with
# `fmnist export --epoch k` and scored with `fmnist evaluate`. Model k is ready at
#   (stamp of the "Epoch k/E" line, printed after checkpoint k was written) + (wall time of that export),
# the last epoch at the end of the train command itself (which exports). Evaluation is never counted.
# Keras: keras_bench.py --recipe-training scores the test set after each epoch inside a callback and
# reports how long that took; model k is ready at (end of epoch k - evaluation time before it) +
# (the time of one model.export() at the end). Both clocks start before the process starts (JVM or
# Python start-up, imports and data loading included).
# --single-view: for recipes with model.test_time_flip, also export and score each epoch single-view.
# --final-only: score only the last epoch (for recipe searches: a cosine schedule's earlier epochs say
# little); the times to the targets then only count the final model.
# Output: a Markdown table (printed, and appended to --out if given) and one JSON per run in the work dir.
# Env: MAVEN_ARGS (for the build when target/fmnist.jar is missing), FMNIST_DATA.
set -euo pipefail
cd "$(dirname "$0")/../.."
tools="fmnist keras"; epochs=""; precision=""; threads=$(nproc); targets="92 94 95"; minutes="15 30 60"
single=0; final_only=0; py=${KERAS_PYTHON:-.venv/bin/python}; work=""; out=""; recipes=()
while [ $# -gt 0 ]; do
  case "$1" in
    --tools) tools=$2; shift ;;
    --epochs) epochs=$2; shift ;;
    --precision) precision=$2; shift ;;
    --threads) threads=$2; shift ;;
    --targets) targets=$2; shift ;;
    --minutes) minutes=$2; shift ;;
    --single-view) single=1 ;;
    --final-only) final_only=1 ;;
    --python) py=$2; shift ;;
    --work) work=$2; shift ;;
    --out) out=$2; shift ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    -*) echo "error: unknown option $1" >&2; exit 2 ;;
    *) recipes+=("$1") ;;
  esac
  shift
done
[ ${#recipes[@]} -gt 0 ] || { echo "error: no recipe given (try --help)" >&2; exit 2; }
for r in "${recipes[@]}"; do [ -f "$r" ] || { echo "error: $r: no such recipe" >&2; exit 2; }; done

if [ ! -f target/fmnist.jar ]; then
  # shellcheck disable=SC2086
  mvn -B -q package -DskipTests ${MAVEN_ARGS:-}
fi
work=${work:-$(mktemp -d /tmp/fmnist-tta.XXXXXX)}
mkdir -p "$work/jar"
cp target/fmnist.jar "$work/jar/"  # a rebuild during the benchmark cannot change what runs
[ -d target/lib ] && cp -r target/lib "$work/jar/"
fm() { TF_CPP_MIN_LOG_LEVEL=2 java -Xmx4g -Djava.awt.headless=true -jar "$work/jar/fmnist.jar" "$@"; }
data=""
for d in "${FMNIST_DATA:-}" data/fashion-mnist /usr/share/datasets/fashion-mnist; do
  if [ -n "$d" ] && ls "$d"/train-images-idx3-ubyte* >/dev/null 2>&1; then data=$d; break; fi
done
[ -n "$data" ] || { fm data download; data=data/fashion-mnist; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.3f", b - a}'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "time to accuracy: work dir $work, $threads threads, data $data"

results=()
for r in "${recipes[@]}"; do
  name=$(sed -n 's/^name: *//p' "$r" | head -1 | tr -d '"')
  for tool in $tools; do
    tag="$name-$tool${precision:+-$precision}${epochs:+-e$epochs}"
    rd=$work/$tag
    rm -rf "$rd"; mkdir -p "$rd"
    echo "$tool $name (load before: $(load))"
    start_load=$(load)
    if [ "$tool" = fmnist ]; then
      # the same recipe, every checkpoint kept (checkpoints_kept only prunes files)
      awk '/^  checkpoints_kept:/ {next} {print} /^training:/ {print "  checkpoints_kept: 100000"}' "$r" > "$rd/recipe.yaml"
      args=(train --config "$rd/recipe.yaml" --run-dir "$rd/run" --out "$rd/models" --data-dir "$data" --threads "$threads")
      [ -n "$epochs" ] && args+=(--epochs "$epochs")
      [ -n "$precision" ] && args+=(--precision "$precision")
      t0=$(now)
      set +e
      fm "${args[@]}" 2>&1 | python3 tools/bench/stamp.py "$t0" > "$rd/train.log"
      rc=${PIPESTATUS[0]}
      set -e
      total=$(since "$t0")
      [ "$rc" = 0 ] || { tail -20 "$rd/train.log" >&2; echo "error: fmnist train $r failed (exit $rc)" >&2; exit 1; }
      end_load=$(load)
      last=$(sed -n 's/^ *[0-9.]* Epoch \([0-9]*\)\/\([0-9]*\) .*/\2/p' "$rd/train.log" | head -1)
      : > "$rd/epochs.tsv"
      for k in $(seq 1 "$last"); do
        [ "$final_only" = 1 ] && [ "$k" != "$last" ] && continue
        stamp=$(awk -v k="$k" '$2 == "Epoch" && index($3, k "/") == 1 {print $1; exit}' "$rd/train.log")
        if [ "$k" = "$last" ]; then
          model=$(dirname "$(find "$rd/models" -name saved_model.pb | head -1)"); ready=$total; exp_s=0
        else
          e0=$(now)
          fm export --run-dir "$rd/run" --epoch "$k" --out "$rd/export-$k" --data-dir "$data" > "$rd/export-$k.log" 2>&1
          exp_s=$(since "$e0")
          model=$(dirname "$(find "$rd/export-$k" -name saved_model.pb | head -1)")
          ready=$(awk -v a="$stamp" -v b="$exp_s" 'BEGIN {printf "%.3f", a + b}')
        fi
        fm evaluate "$model" --data-dir "$data" --no-report --json "$rd/eval-$k.json" --report-dir "$rd/report-$k" > /dev/null 2>&1
        acc=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['accuracy'])" "$rd/eval-$k.json")
        acc1=""
        if [ "$single" = 1 ] && grep -q 'test_time_flip: true' "$r"; then
          fm export --run-dir "$rd/run" --epoch "$k" --no-test-time-flip --out "$rd/single-$k" --data-dir "$data" > /dev/null 2>&1
          fm evaluate "$(dirname "$(find "$rd/single-$k" -name saved_model.pb | head -1)")" --data-dir "$data" --no-report \
            --json "$rd/eval1-$k.json" --report-dir "$rd/report1-$k" > /dev/null 2>&1
          acc1=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['accuracy'])" "$rd/eval1-$k.json")
        fi
        train_s=$(awk -F, -v k="$k" '$1 == k {print $NF}' "$rd/run/history.csv")
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$k" "$stamp" "$exp_s" "$ready" "$acc" "$acc1" "$train_s" >> "$rd/epochs.tsv"
        [ "$k" != "$last" ] && rm -rf "$rd/export-$k" "$rd/single-$k"
      done
      ver="$(fm --version 2>/dev/null | paste -sd' ' | sed 's/ Java.*//; s/TensorFlow/on TF Java, TensorFlow/')"
    else
      t0=$(now)
      kargs=("$r" "$data" --recipe-training --threads "$threads" --t0 "$t0")
      [ -n "$epochs" ] && kargs+=(--epochs "$epochs")
      [ -n "$precision" ] && kargs+=(--precision "$precision")
      "$py" tools/bench/keras_bench.py "${kargs[@]}" > "$rd/keras.jsonl" 2> "$rd/keras.log" \
        || { tail -20 "$rd/keras.log" >&2; echo "error: keras_bench.py $r failed" >&2; exit 1; }
      total=$(since "$t0")
      end_load=$(load)
      python3 - "$rd/keras.jsonl" > "$rd/epochs.tsv" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
export = next(l["export_seconds"] for l in lines if "export_seconds" in l)
for l in (l for l in lines if "epoch" in l):
    train_end = l["end"] - l["eval_seconds_before"]
    single = l["test_accuracy_single_view"] if lines[0]["test_time_flip"] else ""
    print(f"{l['epoch']}\t{train_end:.3f}\t{export:.3f}\t{train_end + export:.3f}\t{l['test_accuracy']}"
          f"\t{single}\t{l['end'] - l['begin']:.3f}")
PY
      ver=$(head -1 "$rd/keras.jsonl" | python3 -c "import json,sys; d=json.load(sys.stdin); print(f\"Keras {d['keras']} / TensorFlow {d['tensorflow']}, {d['precision']}\")")
    fi
    python3 tools/bench/tta_report.py run "$rd/epochs.tsv" "$rd/result.json" --recipe "$r" --tool "$tool" \
      --version "$ver" --precision "${precision:-$(sed -n 's/^ *precision: *//p' "$r" | head -1)}" --total "$total" \
      --load-start "$start_load" --load-end "$end_load" --targets "$targets" --minutes "$minutes" \
      $([ "$tool" = fmnist ] && echo "--history $rd/run/history.csv")
    results+=("$rd/result.json")
  done
done
cmd="tools/bench/time_to_accuracy.sh${epochs:+ --epochs $epochs}${precision:+ --precision $precision} --tools \"$tools\" ${recipes[*]}"
python3 tools/bench/tta_report.py table "${results[@]}" --command "$cmd" --threads "$threads" ${out:+--out "$out"}
echo "work dir (logs, models): $work"
