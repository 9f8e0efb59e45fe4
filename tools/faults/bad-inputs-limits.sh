#!/usr/bin/env bash
# Bad inputs of two classes of issue #17, tried against target/fmnist.jar through bin/fmnist:
#   limits  - values over a limit, which must be refused before any work (exit 2, one line, quickly)
#   items   - one bad item among good ones, or one oversized part of a model, which must not sink
#             the rest (the bad item gets its own error; the others their answer)
# Each case must end with the expected exit code (never 1), print no "Exception" and no "at dev."
# stack line on stderr, and leave no run directory or model behind where it was refused. The seconds
# each case took are printed (not asserted). Prints `ok|FAIL <class> <case>: exit N (S s)` per case, a
# count per class, and exits non-zero on any FAIL.
#
#   mvn -B -o -q -DskipTests package && tools/faults/bad-inputs-limits.sh
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
fmnist="$here/bin/fmnist"
if [ ! -f "$here/target/fmnist.jar" ]; then
  echo "error: $here/target/fmnist.jar: not built; run 'mvn -B -o -q -DskipTests package' first" >&2
  exit 2
fi
export JAVA_OPTS=${JAVA_OPTS:--Xmx1g}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
declare -A passed failed
fail_any=0

# check CLASS NAME EXPECTED_EXIT STDOUT_PATTERN STDERR_PATTERN -- COMMAND...
# (an empty pattern checks nothing; the stderr pattern is what the refusal must say, so that a
# refusal for another reason, such as the missing dataset, does not pass)
check() {
  local cls=$1 name=$2 want=$3 grep_out=$4 grep_err=$5
  shift 6
  local t0 t1 code secs why=""
  t0=$(date +%s.%N)
  "$@" >"$tmp/out" 2>"$tmp/err"
  code=$?
  t1=$(date +%s.%N)
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  [ "$code" = "$want" ] || why="expected exit $want"
  [ "$code" = 1 ] && why="internal error"
  if grep -q -e 'Exception' -e 'at dev\.' "$tmp/err"; then why="stack trace or exception on stderr"; fi
  if [ -n "$grep_out" ] && ! grep -q -- "$grep_out" "$tmp/out"; then why="stdout lacks '$grep_out'"; fi
  if [ -n "$grep_err" ] && ! grep -q -- "$grep_err" "$tmp/err"; then why="stderr lacks '$grep_err'"; fi
  if [ -e "$tmp/run" ] || [ -e "$tmp/models" ]; then why="left a run directory or model"; rm -rf "$tmp/run" "$tmp/models"; fi
  if [ -z "$why" ]; then
    passed[$cls]=$((${passed[$cls]:-0} + 1))
    echo "ok $cls $name: exit $code (${secs} s)"
  else
    failed[$cls]=$((${failed[$cls]:-0} + 1))
    fail_any=1
    echo "FAIL $cls $name: exit $code (${secs} s): $why"
    sed 's/^/    /' "$tmp/err" | head -5
  fi
}

train() { "$fmnist" train --run-dir "$tmp/run" --out "$tmp/models" --data-dir "$tmp/no-data" "$@"; }
recipe() { # recipe NAME LAYERS...
  local f="$tmp/$1.yaml"; shift
  { echo "name: x"; echo "model:"; echo "  layers:"; for l in "$@"; do echo "    - $l"; done
    echo "training: {epochs: 1, batch_size: 64, validation_split: 0}"; } >"$f"
  echo "$f"
}

# ---- limits, checked before the work ----
small=$(recipe small "flatten: {}" "dense: {activation: none}")
check limits "train --threads 100000" 2 "" "threads: 100000 is more than" -- train --config "$small" --threads 100000
check limits "train --threads -1" 2 "" "threads: must be >= 0" -- train --config "$small" --threads -1
check limits "train --batch-size 100000000" 2 "" "batch-size: must be <= 65536" -- train --config "$small" --batch-size 100000000
check limits "dense units 2000000000" 2 "" "model.layers\[1\] (dense, units 2000000000): 1.6e+12 parameters" -- train --config "$(recipe dense "flatten: {}" "dense: {units: 2000000000}" "dense: {activation: none}")"
check limits "conv filters 1000000000" 2 "" "model.layers\[.\] .*this machine has" -- train --config "$(recipe filters "conv: {filters: 1000000000}" "flatten: {}" "dense: {activation: none}")"
check limits "residual filters 100000" 2 "" "model.layers\[0\] (residual, filters 100000)" -- train --config "$(recipe residual "residual: {filters: 100000}" "global_avg_pool: {}" "dense: {activation: none}")"
check limits "conv kernel 40 on 28x28" 2 "" "kernel (40x40) is larger than its 28x28 input" -- train --config "$(recipe k40 "conv: {filters: 4, kernel: 40}" "flatten: {}" "dense: {activation: none}")"
check limits "maxpool shrinking to nothing" 2 "" "model.layers\[4\] (maxpool, size 2): the pooling window" -- train --config "$(recipe pools "maxpool: {size: 2}" "maxpool: {size: 2}" "maxpool: {size: 2}" "maxpool: {size: 2}" "maxpool: {size: 2}" "flatten: {}" "dense: {activation: none}")"
check limits "dense on an image" 2 "" "model.layers\[0\] (dense, units 8): needs a flat input" -- train --config "$(recipe denseimg "dense: {units: 8}" "flatten: {}" "dense: {activation: none}")"
cat >"$tmp/random.yaml" <<EOF
recipe: small.yaml
mode: random
trials: 1000000
parameters:
  learning_rate: [0.001, 0.01, 0.1]
  batch_size: [32, 64, 128]
EOF
check limits "sweep random trials 1000000" 2 "" "trials: 1000000 is more than 10000" -- "$fmnist" sweep "$tmp/random.yaml" --run-dir "$tmp/run" --data-dir "$tmp/no-data"
sed 's/trials: 1000000/trials: 1000000000000/' "$tmp/random.yaml" >"$tmp/random2.yaml"
check limits "sweep random trials 10^12" 2 "" "trials:" -- "$fmnist" sweep "$tmp/random2.yaml" --run-dir "$tmp/run" --data-dir "$tmp/no-data"
{ echo "recipe: small.yaml"; echo "mode: grid"; echo "parameters:"
  for k in learning_rate seed epochs; do echo "  $k: [$(seq -s, 1 30)]"; done; } >"$tmp/grid.yaml"
check limits "sweep grid of 27000" 2 "" "more than 10000" -- "$fmnist" sweep "$tmp/grid.yaml" --run-dir "$tmp/run" --data-dir "$tmp/no-data"
cp "$tmp/dense.yaml" "$tmp/wide.yaml"
printf 'recipe: wide.yaml\nmode: grid\nparameters:\n  learning_rate: [0.001, 0.01]\n' >"$tmp/sweepwide.yaml"
check limits "sweep of a model too big" 2 "" "trial 1 (learning_rate=0.001): model.layers\[1\]" -- "$fmnist" sweep "$tmp/sweepwide.yaml" --run-dir "$tmp/run" --data-dir "$tmp/no-data"
check limits "sweep --parallel 100000" 2 "" "parallel: 100000 is more than" -- "$fmnist" sweep "$tmp/random.yaml" --parallel 100000 --run-dir "$tmp/run"
check limits "sweep --threads 100000" 2 "" "threads: 100000 is more than" -- "$fmnist" sweep "$tmp/random.yaml" --threads 100000 --run-dir "$tmp/run"
m="$here/savedmodels/mlp/1"
check limits "compare --resamples 2000000000" 2 "" "resamples: must be 1 to 100000" -- "$fmnist" compare "$m" "$m" --resamples 2000000000 --report-dir "$tmp/models"
check limits "compare --resamples 0" 2 "" "resamples" -- "$fmnist" compare "$m" "$m" --resamples 0 --report-dir "$tmp/models"
check limits "compare --batch-size 2000000000" 2 "" "batch-size: must be 1 to 65536" -- "$fmnist" compare "$m" "$m" --batch-size 2000000000 --report-dir "$tmp/models"
check limits "evaluate --batch-size 2000000000" 2 "" "batch-size: must be 1 to 65536" -- "$fmnist" evaluate "$m" --batch-size 2000000000 --report-dir "$tmp/models"
check limits "predict --top 0" 2 "" "top" -- "$fmnist" predict "$m" "$tmp/none.png" --top 0
check limits "data samples --per-class 1000000" 2 "" "per-class" -- "$fmnist" data samples --per-class 1000000 --out "$tmp/models"

# ---- one bad item in a batch ----
cat >"$tmp/TinyPng.java" <<'EOF'
import java.io.*;
import java.nio.file.*;
import java.util.zip.*;
/** Writes a 1-bit grayscale PNG of WIDTH x HEIGHT zero pixels (a few hundred KB for 30000x30000). */
public class TinyPng {
  public static void main(String[] a) throws IOException {
    int w = Integer.parseInt(a[1]), h = Integer.parseInt(a[2]);
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9))) {
      byte[] row = new byte[1 + (w + 7) / 8];
      for (int y = 0; y < h; y++) z.write(row);
    }
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(ihdr);
    d.writeInt(w); d.writeInt(h); d.write(new byte[] {1, 0, 0, 0, 0});
    try (DataOutputStream out = new DataOutputStream(new FileOutputStream(a[0]))) {
      out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
      chunk(out, "IHDR", ihdr.toByteArray()); chunk(out, "IDAT", idat.toByteArray()); chunk(out, "IEND", new byte[0]);
    }
  }
  static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
    CRC32 crc = new CRC32(); crc.update(type.getBytes()); crc.update(data);
    out.writeInt(data.length); out.write(type.getBytes()); out.write(data); out.writeInt((int) crc.getValue());
  }
}
EOF
java "$tmp/TinyPng.java" "$tmp/huge.png" 30000 30000
java "$tmp/TinyPng.java" "$tmp/wide.png" 16385 1
java "$tmp/TinyPng.java" "$tmp/good.png" 28 28
head -c $(( $(wc -c <"$tmp/good.png") / 2 )) "$tmp/good.png" >"$tmp/truncated.png"
printf 'not an image' >"$tmp/text.png"
check items "predict 30000x30000 PNG beside a good one" 2 "good.png:" "huge.png: image is 30000x30000" -- "$fmnist" predict "$m" "$tmp/huge.png" "$tmp/good.png"
check items "predict 16385x1 PNG beside a good one" 2 "good.png:" "wide.png: image is 16385x1" -- "$fmnist" predict "$m" "$tmp/wide.png" "$tmp/good.png"
check items "predict truncated PNG beside a good one" 2 "good.png:" "truncated.png" -- "$fmnist" predict "$m" "$tmp/truncated.png" "$tmp/good.png"
check items "predict text file beside a good one" 2 "good.png:" "text.png: not a PNG or JPEG" -- "$fmnist" predict "$m" "$tmp/text.png" "$tmp/good.png"
check items "predict missing file beside a good one" 2 "good.png:" "missing.png: no such file" -- "$fmnist" predict "$m" "$tmp/missing.png" "$tmp/good.png"
check items "predict --json, huge PNG beside a good one" 2 '"error"' "huge.png" -- "$fmnist" predict "$m" "$tmp/huge.png" "$tmp/good.png" --json
check items "explain 30000x30000 PNG beside a good one" 2 "good.png: predicted" "huge.png: image is 30000x30000" -- "$fmnist" explain "$m" "$tmp/huge.png" "$tmp/good.png" --out "$tmp/explained"

cp -r "$m" "$tmp/bighistory"
{ printf '{"epochs": []'; head -c $((17 << 20)) /dev/zero | tr '\0' ' '; printf '}'; } >"$tmp/bighistory/assets.extra/history.json"
check items "evaluate with a 17 MB history.json" 0 "accuracy" "history.json: .*learning curves left out" -- "$fmnist" evaluate "$tmp/bighistory" --no-report --json "$tmp/h.json" --csv "$tmp/h.csv"
cp -r "$m" "$tmp/bigmanifest"
{ printf '{"name": "x"'; head -c $((17 << 20)) /dev/zero | tr '\0' ' '; printf '}'; } >"$tmp/bigmanifest/assets.extra/fmnist.json"
check items "predict with a 17 MB fmnist.json" 2 "" "fmnist.json: .*larger than the 16 MB" -- "$fmnist" predict "$tmp/bigmanifest" "$tmp/good.png"

# a SavedModel whose allowlisted ops Fill a 200000x200000 shape, and one chaining big products,
# built with TensorFlow Java in jshell from the jar's own classpath
cat >"$tmp/hostile.jsh" <<EOF
import org.tensorflow.*;
import org.tensorflow.op.*;
import org.tensorflow.op.core.*;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.*;
void export(String dir, boolean fill) throws Exception {
  try (Graph g = new Graph()) {
    Ops tf = Ops.create(g);
    Placeholder<TFloat32> images = tf.withName("images").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28, 1)));
    Operand<TFloat32> flat = tf.reshape(images, tf.constant(new long[] {-1, 784}));
    Operand<TFloat32> extra;
    if (fill) {
      extra = tf.sum(tf.withName("hostile_fill").fill(tf.constant(new long[] {200000, 200000}), tf.constant(1f)), tf.constant(new int[] {0, 1}));
    } else {
      Operand<TFloat32> a = tf.fill(tf.constant(new long[] {2000, 2000}), tf.math.mean(images, tf.constant(new int[] {0, 1, 2, 3})));
      Operand<TFloat32> x = a;
      for (int i = 0; i < 100; i++) x = tf.linalg.matMul(x, a);
      extra = tf.sum(x, tf.constant(new int[] {0, 1}));
    }
    Operand<TFloat32> logits = tf.withName("logits").math.add(tf.linalg.matMul(flat, tf.constant(new float[784][10])), tf.math.mul(tf.constant(0f), extra));
    Signature sig = Signature.builder().key("serving_default").methodName("tensorflow/serving/predict").input("images", images)
        .output("logits", logits).output("probabilities", tf.withName("probabilities").nn.softmax(logits)).build();
    try (Session s = new Session(g)) {
      java.nio.file.Files.createDirectories(java.nio.file.Path.of(dir));
      SavedModelBundle.exporter(dir).withFunction(SessionFunction.create(sig, s)).export();
    }
  }
}
export("$tmp/fill", true);
export("$tmp/chain", false);
/exit
EOF
if TF_CPP_MIN_LOG_LEVEL=2 jshell --class-path "$here/target/fmnist.jar:$(ls "$here"/target/lib/*.jar | tr '\n' ':')" \
    -R-Djava.awt.headless=true "$tmp/hostile.jsh" >"$tmp/jshell.log" 2>&1 && [ -f "$tmp/fill/saved_model.pb" ]; then
  check items "predict a model filling 200000x200000" 2 "" "refused: op .hostile_fill. (Fill) makes float \[200000, 200000\]" -- "$fmnist" predict "$tmp/fill" "$tmp/good.png"
  check items "evaluate a model filling 200000x200000" 2 "" "refused: op .hostile_fill. (Fill)" -- "$fmnist" evaluate "$tmp/fill" --no-report --json "$tmp/f.json" --csv "$tmp/f.csv"
  check items "predict a model of 100 chained 2000x2000 products" 2 "" "floating-point operations" -- "$fmnist" predict "$tmp/chain" "$tmp/good.png"
else
  echo "FAIL items hostile models: jshell could not build them"; sed 's/^/    /' "$tmp/jshell.log" | tail -5; fail_any=1
fi

echo
for cls in limits items; do
  echo "$cls: ${passed[$cls]:-0} ok, ${failed[$cls]:-0} failed"
done
exit $fail_any
