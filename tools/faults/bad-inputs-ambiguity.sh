#!/usr/bin/env bash
# Ambiguous input and wording (issue 17, classes 5 and 6) against the built jar.
#
#   tools/faults/bad-inputs-ambiguity.sh
#
# Makes its own tiny dataset and models in a temporary directory, then runs bin/fmnist on each
# case: a raw dataset file beside a different .gz copy, test sets named and judged official or not,
# model directories of several versions, explain inputs of one name, names with control
# characters, `compare A A`, recipe type and shape errors, one-epoch wording. Each case must not
# exit 1, must print no stack trace ("Exception", "at dev.") on stderr, and must print the
# expected line. Prints `ok|FAIL <class> <case>: exit N` per case, a count per class, and exits
# non-zero on any FAIL. Needs python3 and target/fmnist.jar; FMNIST overrides the launcher.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
FMNIST=${FMNIST:-$root/bin/fmnist}
export JAVA_OPTS=${JAVA_OPTS:--Xmx1g}
work=$(mktemp -d /tmp/fmnist-bad-inputs-ambiguity.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

declare -A ok_count fail_count
failures=0

# check CLASS CASE WANT STREAM PATTERN [ABSENT] -- COMMAND...
#   WANT: the exit code expected (a number), or "any" (anything but 1)
#   STREAM: out or err, where PATTERN (fixed text) must appear; ABSENT, if given, must not
check() {
  local cls=$1 name=$2 want=$3 stream=$4 pattern=$5 absent=""
  shift 5
  if [ "$1" != "--" ]; then absent=$1; shift; fi
  shift
  "$FMNIST" "$@" > "$work/out" 2> "$work/err"
  local code=$? why=""
  if [ "$code" = 1 ]; then why="internal error"
  elif [ "$want" != any ] && [ "$code" != "$want" ]; then why="expected exit $want"
  elif grep -q -e "Exception" -e "at dev\." "$work/err"; then why="stack trace on stderr"
  elif ! grep -qF -- "$pattern" "$work/$stream"; then why="no '$pattern' on std$stream"
  elif [ -n "$absent" ] && grep -qF -- "$absent" "$work/out" "$work/err"; then why="'$absent' printed"
  fi
  if [ -z "$why" ]; then
    echo "ok   $cls $name: exit $code"
    ok_count[$cls]=$(( ${ok_count[$cls]:-0} + 1 ))
  else
    echo "FAIL $cls $name: exit $code ($why)"
    sed 's/^/    | /' "$work/err" | grep -v "absl::InitializeLog\|mlir_graph_optimization" | head -5
    fail_count[$cls]=$(( ${fail_count[$cls]:-0} + 1 ))
    failures=$((failures + 1))
  fi
}

# A further condition on the last run (a file written, a line count): CLASS CASE DESCRIPTION TEST...
expect() {
  local cls=$1 name=$2 what=$3
  shift 3
  if "$@"; then
    echo "ok   $cls $name: $what"
    ok_count[$cls]=$(( ${ok_count[$cls]:-0} + 1 ))
  else
    echo "FAIL $cls $name: not $what"
    fail_count[$cls]=$(( ${fail_count[$cls]:-0} + 1 ))
    failures=$((failures + 1))
  fi
}

python3 "$root/tools/faults/make-dataset.py" data 200 60 > /dev/null
cat > tiny.yaml <<'YAML'
name: tiny
model:
  layers:
    - flatten: {}
    - dense: {units: 8}
    - dense: {units: 10, activation: none}
training: {epochs: 1, batch_size: 25, seed: 7, validation_split: 0}
YAML
"$FMNIST" train --config tiny.yaml --data-dir data --run-dir run --out models --threads 1 --no-tensorboard \
  > train.out 2>&1 || { echo "the tiny training failed:"; cat train.out; exit 1; }
cp -r models/tiny/1 models/tiny/2
m1=models/tiny/1
m=models/tiny

raw() { python3 -c "import gzip,sys; sys.stdout.buffer.write(gzip.open(sys.argv[1]).read())" "$1"; }
flip() { python3 -c "
import sys; p=sys.argv[1]; d=bytearray(open(p,'rb').read()); d[int(sys.argv[2])]^=0x40; open(p,'wb').write(d)" "$@"; }

# ---- class 5: ambiguity -------------------------------------------------------------------------
c=ambiguity
cp -r data differ && raw data/t10k-images-idx3-ubyte.gz > differ/t10k-images-idx3-ubyte && flip differ/t10k-images-idx3-ubyte 900
check $c raw-vs-gz-differ-evaluate 2 err "differs from t10k-images-idx3-ubyte.gz beside it" -- \
  evaluate $m1 --data-dir differ --no-report --report-dir r1
expect $c raw-vs-gz-differ-evaluate "nothing written" test ! -e r1
cp -r data differ-train && raw data/train-labels-idx1-ubyte.gz > differ-train/train-labels-idx1-ubyte \
  && flip differ-train/train-labels-idx1-ubyte 20
check $c raw-vs-gz-differ-train 2 err "differs from train-labels-idx1-ubyte.gz" -- \
  train --config tiny.yaml --data-dir differ-train --run-dir run-x --out models-x --no-tensorboard
expect $c raw-vs-gz-differ-train "no run directory made" test ! -e run-x/checkpoints/epoch-0001
check $c raw-vs-gz-differ-verify 2 out "INVALID" -- data verify --data-dir differ
check $c raw-vs-gz-differ-info 2 err "differs from" -- data info --data-dir differ
cp -r data equal && raw data/t10k-images-idx3-ubyte.gz > equal/t10k-images-idx3-ubyte
check $c raw-vs-gz-equal 0 out "test set: equal/t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte.gz" -- \
  evaluate $m1 --data-dir equal --no-report --report-dir r2
cp -r data badgz && raw data/t10k-labels-idx1-ubyte.gz > badgz/t10k-labels-idx1-ubyte \
  && printf 'not gzip' > badgz/t10k-labels-idx1-ubyte.gz
check $c raw-beside-broken-gz 2 err "t10k-labels-idx1-ubyte.gz: not in gzip format" -- \
  evaluate $m1 --data-dir badgz --no-report --report-dir r3
check $c evaluate-not-official 0 out "t10k-labels-idx1-ubyte.gz (not the official test set: checksums differ)" -- \
  evaluate $m1 --data-dir data --no-report --report-dir r4
if [ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ]; then
  check $c evaluate-official 0 out "(the official Fashion-MNIST test set)" -- \
    evaluate "$root/savedmodels/mlp" --data-dir /usr/share/datasets/fashion-mnist --no-report --report-dir r5
fi
check $c compare-names-test-set 0 out "test set: data/t10k-images-idx3-ubyte.gz" -- \
  compare $m1 $m/2 --data-dir data --resamples 10 --report-dir r6
"$FMNIST" data images --split test --data-dir data --out folder > /dev/null 2>&1
check $c evaluate-images-folder 0 out "test set: folder/test/ (60 image files) (a labelled image folder" -- \
  evaluate $m1 --images folder/test --no-report --report-dir r7
check $c evaluate-versions 0 out "model: models/tiny/2 (newest of 2 versions)" -- \
  evaluate $m --data-dir data --no-report --report-dir r8
check $c compare-versions 0 out "model: models/tiny/2 (newest of 2 versions)" -- \
  compare $m1 $m --data-dir data --resamples 10 --report-dir r9
cp folder/test/Trouser/"$(ls folder/test/Trouser | head -1)" trouser.png
check $c predict-versions 0 err "model: models/tiny/2 (newest of 2 versions)" -- predict $m trouser.png
expect $c predict-versions "stdout one result line" test "$(wc -l < out)" = 1
check $c explain-versions 0 out "model: models/tiny/2 (newest of 2 versions)" -- explain $m trouser.png --out ex0
mkdir -p a b && cp trouser.png a/shirt.png && cp folder/test/Shirt/"$(ls folder/test/Shirt | head -1)" b/shirt.png
check $c explain-same-file-name 0 out "-> ex1/shirt-2.png" -- explain $m1 a/shirt.png b/shirt.png --out ex1
expect $c explain-same-file-name "two pictures" test -f ex1/shirt.png -a -f ex1/shirt-2.png
check $c explain-same-test-index 0 out "-> ex2/test-3-2.png" -- explain $m1 --test-index 3,3 --data-dir data --out ex2
check $c predict-save-inputs-same-name 0 out "shirt.png: " -- predict $m1 a/shirt.png b/shirt.png --save-inputs si
expect $c predict-save-inputs-same-name "two inputs saved" test "$(ls si | wc -l)" = 2
evil=$'x.png\rtrouser.png: Sandal 1.000\n\e[2K.png'
cp trouser.png "$evil"
check $c control-chars-predict 0 out 'x.png\rtrouser.png: Sandal 1.000\n\x1b[2K.png: ' -- predict $m1 "$evil"
expect $c control-chars-predict "one line, no raw CR or ESC" \
  python3 -c "import sys; d=open('$work/out','rb').read(); sys.exit(not (d.count(b'\n') == 1 and b'\r' not in d and b'\x1b' not in d))"
check $c control-chars-json 0 out '\r' -- predict $m1 "$evil" --json
check $c control-chars-missing-file 2 err 'gone\x1b[1A.png' -- predict $m1 $'gone\e[1A.png'
expect $c control-chars-missing-file "no raw ESC" python3 -c "import sys; sys.exit(b'\x1b' in open('$work/err','rb').read())"
check $c control-chars-model-path 2 err 'no\rsuch' -- evaluate $'no\rsuch' --data-dir data
mkdir -p evilfolder/$'Coat\rTrouser' && cp trouser.png evilfolder/$'Coat\rTrouser'/
check $c control-chars-class-folder 2 err 'Coat\rTrouser' -- evaluate $m1 --images evilfolder --no-report --report-dir r10
expect $c control-chars-class-folder "no raw CR" python3 -c "import sys; sys.exit(b'\r' in open('$work/err','rb').read())"
check $c compare-same-path 0 err "are the same model" -- compare $m1 $m1 --data-dir data --resamples 10 --report-dir r11
ln -s "$work/$m1" link1
check $c compare-symlink 0 err "are the same model" -- compare $m1 link1 --data-dir data --resamples 10 --report-dir r12
check $c compare-dir-and-version 0 err "are the same model" -- compare $m $m/2 --data-dir data --resamples 10 --report-dir r13
check $c compare-different-models 0 out "compared on 60 test images" "are the same model" -- \
  compare $m1 $m/2 --data-dir data --resamples 10 --report-dir r14

# ---- class 6: wording ---------------------------------------------------------------------------
c=wording
check $c train-one-epoch 0 out "trained 1 epoch in" " 1 epochs" -- \
  train --config tiny.yaml --data-dir data --run-dir run1 --out models1 --threads 1 --no-tensorboard
check $c resume-finished-run 0 out "the 1 epoch of run1 was trained before; nothing to train" "NaN" -- \
  train --config tiny.yaml --data-dir data --run-dir run1 --out models1 --threads 1 --no-tensorboard --resume
recipe() { sed "s/units: 8/units: $1/" tiny.yaml > "$2"; }
recipe abc units-text.yaml
check $c recipe-units-text 2 err "error: units-text.yaml: model.layers[1].units: expected a whole number, found 'abc'" \
  CoercionConfig -- train --config units-text.yaml --data-dir data --run-dir run-u
recipe '"8"' units-quoted.yaml
check $c recipe-units-quoted 2 err "expected a whole number, found '8'" CoercionConfig -- \
  train --config units-quoted.yaml --data-dir data --run-dir run-u
recipe true units-bool.yaml
check $c recipe-units-bool 2 err "expected a whole number, found true" JsonToken -- \
  train --config units-bool.yaml --data-dir data --run-dir run-u
recipe '[8]' units-list.yaml
check $c recipe-units-list 2 err "expected a whole number, found a list" JsonToken -- \
  train --config units-list.yaml --data-dir data --run-dir run-u
recipe 99999999999 units-big.yaml
check $c recipe-units-out-of-range 2 err "expected a whole number from -2147483648 to 2147483647, found 99999999999" \
  "Numeric value" -- train --config units-big.yaml --data-dir data --run-dir run-u
sed 's/model:/model: 3\nx:/' tiny.yaml | head -2 > model-scalar.yaml
check $c recipe-model-scalar 2 err "model: expected a map of keys and values, found 3" "modelspec" -- \
  train --config model-scalar.yaml --data-dir data --run-dir run-u
printf 'name: caf\xe9\n' > latin1.yaml
check $c recipe-not-utf8 2 err "latin1.yaml: not UTF-8 text" "Input length" -- \
  train --config latin1.yaml --data-dir data --run-dir run-u
sed 's/- flatten: {}/- conv: {filters: 2, kernel: 3}/' tiny.yaml > no-flatten.yaml
check $c shape-dense-after-conv 2 err "error: no-flatten.yaml: model.layers[1] (dense, units 8): needs a flat input" -- \
  train --config no-flatten.yaml --data-dir data --run-dir run-s --no-tensorboard
sed 's/- flatten: {}/- conv: {filters: 2, kernel: 40}\n    - flatten: {}/' tiny.yaml > big-kernel.yaml
check $c shape-kernel-larger-than-image 2 err "error: big-kernel.yaml: model.layers[0] (conv, filters 2, kernel 40): the kernel (40x40) is larger than its 28x28 input" "{{node" -- \
  train --config big-kernel.yaml --data-dir data --run-dir run-k --no-tensorboard
check $c one-epoch-report 0 out "wrote " -- evaluate models1/tiny/1 --data-dir data --report-dir rep1
expect $c one-epoch-report "caption without validation" grep -q "No validation split" rep1/learning-curves.svg
expect $c one-epoch-report "no validation caption" sh -c "! grep -q 'Validation: measured' rep1/learning-curves.svg"
mkdir -p one/Trouser && cp trouser.png one/Trouser/
# (the leading space: "(41 images/s" in the timing line is not the wording fault looked for)
check $c one-image 0 out "predicted  1 image of one" " 1 images" -- evaluate $m1 --images one --no-report --report-dir r15

echo
for cls in ambiguity wording; do
  echo "$cls: ${ok_count[$cls]:-0} ok, ${fail_count[$cls]:-0} failed"
done
[ "$failures" = 0 ]
