"""Checks that Python TensorFlow, Keras and TF Serving's loader see an fmnist SavedModel as docs/contracts.md says.

    python tools/interop/check_savedmodel.py MODEL_DIR [--count N] [--java-csv predictions.csv]
                                             [--summary FILE] [--images DIR]

For MODEL_DIR (a version directory such as savedmodels/cnn/1), whose input is H x W x C and which scores K
classes as its manifest records (input, class_names; without them Fashion-MNIST's 28 x 28 x 1 and 10):
  1. `saved_model_cli show --all`: tag serve, signature serving_default, method tensorflow/serving/predict,
     input images DT_FLOAT (-1, H, W, C), outputs logits/probabilities DT_FLOAT (-1, K), classes DT_INT64 (-1).
  2. tf.saved_model.load(...).signatures["serving_default"] on the first N real test images: output
     dtypes and shapes, probabilities = softmax(logits), classes = argmax(logits); .variables are the
     checkpoint's variables with its values.
  3. keras.layers.TFSMLayer(MODEL_DIR, call_endpoint="serving_default") inside a Keras model: its weights
     are the model's variables, and it gives the same numbers.
  4. A TF1 Session with tf.compat.v1.saved_model.loader.load(tags=["serve"]) running the signature's
     tensors by name, the way TF Serving's C++ loader does: all variables listed, same numbers.
  5. What the Java side computed for the same images (fmnist evaluate's predictions.csv: probabilities,
     and logits when it has logit_* columns): classes identical, values within --tolerance (1e-5).
  6. With all 10,000 test images: accuracy and loss equal to what the exporter wrote in
     assets.extra/fmnist.json.
With --images DIR the images are DIR/<class>/*.png (fmnist's labelled-folder layout: a folder per class
named by the class name with '/' as '_'), read in fmnist's order (folders, then files, sorted), each
already H x W x C so that both sides see the same pixels; fmnist evaluate --images DIR gives the CSV.
Prints the maximum absolute difference per output and comparison; exits 1 on any failure.
"""

import argparse
import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.get_logger().setLevel("ERROR")

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fmnist_data  # noqa: E402

SIGNATURE = "serving_default"
METHOD = "tensorflow/serving/predict"
BATCH = 500


class Shape:
    """What the model takes and gives: input height, width, channels and the number of classes."""

    def __init__(self, model_dir):
        manifest = model_dir / "assets.extra" / "fmnist.json"
        m = json.loads(manifest.read_text()) if manifest.is_file() else {}
        inp = m.get("input") or {"height": 28, "width": 28, "channels": 1}
        self.height, self.width, self.channels = inp["height"], inp["width"], inp["channels"]
        self.class_names = m.get("class_names") or fmnist_data.CLASS_NAMES
        self.classes = len(self.class_names)

    def cli_input(self):
        return f"(-1, {self.height}, {self.width}, {self.channels})"

    def outputs(self):
        return {"logits": ("DT_FLOAT", f"(-1, {self.classes})"),
                "probabilities": ("DT_FLOAT", f"(-1, {self.classes})"),
                "classes": ("DT_INT64", "(-1)")}


class Check:
    """Collects failures; prints one line per check."""

    def __init__(self):
        self.failures = []

    def ok(self, what):
        print(f"  ok   {what}")

    def fail(self, what):
        print(f"  FAIL {what}")
        self.failures.append(what)

    def expect(self, condition, what):
        (self.ok if condition else self.fail)(what)
        return condition


def saved_model_cli_show(model_dir, shape, check):
    """Runs the real saved_model_cli and checks what it prints."""
    cli = Path(sys.executable).with_name("saved_model_cli")
    proc = subprocess.run([str(cli), "show", "--all", "--dir", str(model_dir)],
                          capture_output=True, text=True)
    text = proc.stdout
    if not check.expect(proc.returncode == 0, f"saved_model_cli show --all exits 0 (got {proc.returncode})"):
        print(proc.stderr[-2000:])
        return
    tag_sets = re.findall(r"MetaGraphDef with tag-set: '([^']*)'", text)
    check.expect(tag_sets == ["serve"], f"one MetaGraphDef, tag-set 'serve' (found {tag_sets})")
    sigs = re.findall(r"signature_def\['([^']+)'\]", text)
    check.expect(sigs == [SIGNATURE], f"one signature, {SIGNATURE} (found {sigs})")
    methods = re.findall(r"Method name is: (\S+)", text)
    check.expect(methods == [METHOD], f"method name {METHOD} (found {methods})")
    tensors = {}
    for kind, name, dtype, dims, tensor in re.findall(
            r"(inputs|outputs)\['([^']+)'\] tensor_info:\s+dtype: (\S+)\s+shape: (\([^)]*\))\s+name: (\S+)", text):
        tensors[(kind, name)] = (dtype, dims, tensor)
    inputs = {n: v for (k, n), v in tensors.items() if k == "inputs"}
    outputs = {n: v for (k, n), v in tensors.items() if k == "outputs"}
    check.expect(list(inputs) == ["images"] and inputs["images"][:2] == ("DT_FLOAT", shape.cli_input()),
                 f"input images DT_FLOAT {shape.cli_input()} (found {inputs})")
    want = shape.outputs()
    check.expect({n: v[:2] for n, v in outputs.items()} == want,
                 f"outputs logits, probabilities DT_FLOAT (-1, {shape.classes}); classes DT_INT64 (-1)"
                 + ("" if {n: v[:2] for n, v in outputs.items()} == want else f" (found {outputs})"))


def run_loaded(model_dir, x, shape, check):
    """tf.saved_model.load and its serving_default signature, in batches."""
    loaded = tf.saved_model.load(str(model_dir))
    fn = loaded.signatures[SIGNATURE]
    _, kwargs = fn.structured_input_signature
    spec = kwargs.get("images")
    dims = [None, shape.height, shape.width, shape.channels]
    check.expect(list(kwargs) == ["images"] and spec.dtype == tf.float32 and spec.shape.as_list() == dims,
                 f"tf.saved_model.load: signature input images float32 {tuple(dims)} (found {kwargs})")
    outs = {k: (v.dtype.name, v.shape.as_list()) for k, v in fn.structured_outputs.items()}
    k = shape.classes
    want = {"logits": ("float32", [None, k]), "probabilities": ("float32", [None, k]), "classes": ("int64", [None])}
    check.expect(outs == want, f"tf.saved_model.load: outputs {want}" + ("" if outs == want else f" (found {outs})"))
    checkpoint = {name: tf.train.load_variable(str(model_dir / "variables" / "variables"), name)
                  for name, _ in tf.train.list_variables(str(model_dir / "variables" / "variables"))}
    seen = {v.name.split(":")[0]: v.numpy() for v in loaded.variables}
    same = sorted(seen) == sorted(checkpoint) and all(np.array_equal(seen[k], checkpoint[k]) for k in seen)
    check.expect(same, f"tf.saved_model.load: .variables are the {len(checkpoint)} variables of the checkpoint,"
                 f" with its values (found {len(seen)})")
    check.expect(bool(loaded.tensorflow_version), f"tf.saved_model.load: .tensorflow_version {loaded.tensorflow_version!r}")
    return batched(lambda b: {k: v.numpy() for k, v in fn(images=tf.constant(b)).items()}, x), checkpoint


def run_tfsm_layer(model_dir, x, checkpoint, shape, check):
    """Keras 3: TFSMLayer wrapped in a functional model, as a Keras user would."""
    import keras
    inputs = keras.Input(shape=(shape.height, shape.width, shape.channels), dtype="float32", name="images")
    layer = keras.layers.TFSMLayer(str(model_dir), call_endpoint=SIGNATURE)
    model = keras.Model(inputs, layer(inputs))
    params = sum(int(np.prod(v.shape)) for v in checkpoint.values())
    check.expect(len(layer.weights) == len(checkpoint) and model.count_params() == params,
                 f"Keras TFSMLayer: {len(layer.weights)} weights ({len(layer.trainable_weights)} trainable),"
                 f" {model.count_params()} parameters; the checkpoint has {len(checkpoint)} variables, {params} values")
    return batched(lambda b: {k: np.asarray(v) for k, v in model(b, training=False).items()}, x)


def run_tf1_session(model_dir, x, checkpoint, check):
    """The TF Serving way: TF1 loader with tag serve, then Session.run on the signature's tensor names."""
    with tf.Graph().as_default() as graph, tf.compat.v1.Session(graph=graph) as sess:
        meta = tf.compat.v1.saved_model.loader.load(sess, ["serve"], str(model_dir))
        found = len(tf.compat.v1.global_variables())
        check.expect(found == len(checkpoint), f"TF1 loader: tf.compat.v1.global_variables() lists {found} variables")
        sig = meta.signature_def[SIGNATURE]
        assert sig.method_name == METHOD, sig.method_name
        feed_name = sig.inputs["images"].name
        names = {k: v.name for k, v in sig.outputs.items()}
        return batched(lambda b: dict(zip(names, sess.run(list(names.values()), {feed_name: b}))), x)


def batched(call, x):
    parts = [call(x[i:i + BATCH]) for i in range(0, len(x), BATCH)]
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def max_diffs(a, b):
    """Max |diff| of logits and probabilities, and the number of differing classes."""
    return {"logits": float(np.max(np.abs(a["logits"].astype(np.float64) - b["logits"]))) if "logits" in b else None,
            "probabilities": float(np.max(np.abs(a["probabilities"].astype(np.float64) - b["probabilities"]))),
            "classes": int(np.sum(a["classes"] != b["classes"]))}


def compare(name, ref, other, tolerance, check):
    d = max_diffs(ref, other)
    logits = "n/a" if d["logits"] is None else f"{d['logits']:.3g}"
    line = (f"{name}: max |diff| logits {logits}, probabilities {d['probabilities']:.3g};"
            f" classes differing {d['classes']}/{len(ref['classes'])}")
    good = d["classes"] == 0 and d["probabilities"] <= tolerance and (d["logits"] is None or d["logits"] <= tolerance)
    check.expect(good, line)
    return d


def java_csv(path, n, classes):
    """fmnist evaluate's predictions.csv: predicted_label, p_0..p_K-1 and, when present, logit_0..logit_K-1."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    rows = [r for r in rows if int(r["index"]) < n]
    rows.sort(key=lambda r: int(r["index"]))
    if len(rows) < n:
        raise SystemExit(f"error: {path}: {len(rows)} rows for the first {n} test images")
    out = {"probabilities": np.array([[float(r[f"p_{c}"]) for c in range(classes)] for r in rows]),
           "classes": np.array([int(r["predicted_label"]) for r in rows], dtype=np.int64)}
    if rows and "logit_0" in rows[0]:
        # the CSV writes each float32 logit as the shortest decimal that reads back as that float32:
        # read it as float32 (as float64 "51.13167" is 1.9e-06 away from the float32 it stands for)
        out["logits"] = np.array([[np.float32(r[f"logit_{c}"]) for c in range(classes)] for r in rows],
                                 dtype=np.float32).astype(np.float64)
    return out


def labelled_folder(root, shape):
    """(images uint8 [n,H,W,C], labels [n]) of root/<class>/*.png in fmnist's order, as fmnist reads them."""
    by_folder = {name.replace("/", "_").lower(): label for label, name in enumerate(shape.class_names)}
    images, labels = [], []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if folder.name.lower() not in by_folder:
            raise SystemExit(f"error: {folder}: not a class of the model ({', '.join(shape.class_names)})")
        files = sorted(f for f in folder.iterdir() if f.suffix.lower() == ".png" and not f.name.startswith("."))
        for f in files:
            img = tf.io.decode_png(tf.io.read_file(str(f)), channels=shape.channels).numpy()
            if img.shape != (shape.height, shape.width, shape.channels):
                raise SystemExit(f"error: {f}: {img.shape}, expected the model's input"
                                 f" {(shape.height, shape.width, shape.channels)} (no resizing here)")
            images.append(img)
            labels.append(by_folder[folder.name.lower()])
    return np.stack(images), np.array(labels)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model_dir", type=Path)
    ap.add_argument("--count", type=int, default=1000, help="test images to run (default 1000; 10000 = all)")
    ap.add_argument("--data-dir")
    ap.add_argument("--java-csv", type=Path, help="fmnist evaluate --csv output for this model")
    ap.add_argument("--tolerance", type=float, default=1e-5)
    ap.add_argument("--summary", type=Path, help="write the numbers as JSON here")
    ap.add_argument("--images", type=Path, help="a labelled folder DIR/<class>/*.png instead of the test set")
    args = ap.parse_args(argv)

    check = Check()
    model_dir = args.model_dir
    shape = Shape(model_dir)
    if args.images:
        images, labels = labelled_folder(args.images, shape)
        scaled = images.astype(np.float32) / np.float32(255.0)
    else:
        images, labels = fmnist_data.load("test", args.data_dir)
        scaled = fmnist_data.scaled(images)
    n = min(args.count, len(images))
    x, y = scaled[:n], labels[:n].astype(np.int64)
    print(f"check {model_dir}: {n} {'images of ' + str(args.images) if args.images else 'test images'},"
          f" input {shape.height}x{shape.width}x{shape.channels}, {shape.classes} classes, TensorFlow {tf.__version__}")

    saved_model_cli_show(model_dir, shape, check)
    ref, checkpoint = run_loaded(model_dir, x, shape, check)
    summary = {"model": str(model_dir), "count": n, "tensorflow": tf.__version__}
    for k, (dtype, dims) in {"logits": ("float32", 2), "probabilities": ("float32", 2), "classes": ("int64", 1)}.items():
        check.expect(ref[k].dtype == np.dtype(dtype) and ref[k].shape[0] == n and ref[k].ndim == dims,
                     f"{k}: {dtype}, {n} rows (found {ref[k].dtype} {ref[k].shape})")
    softmax = tf.nn.softmax(ref["logits"].astype(np.float64)).numpy()
    internal = {"probabilities": float(np.max(np.abs(softmax - ref["probabilities"]))),
                "classes": int(np.sum(np.argmax(ref["logits"], axis=1) != ref["classes"]))}
    check.expect(internal["probabilities"] <= 1e-6 and internal["classes"] == 0,
                 f"probabilities = softmax(logits) (max |diff| {internal['probabilities']:.3g}),"
                 f" classes = argmax(logits) ({internal['classes']} differ)")
    accuracy = float(np.mean(ref["classes"] == y))
    logp = tf.nn.log_softmax(ref["logits"].astype(np.float64)).numpy()
    loss = float(-np.mean(logp[np.arange(n), y]))
    print(f"  tf.saved_model.load: accuracy {accuracy:.4f} ({int(np.sum(ref['classes'] == y))}/{n}), loss {loss:.4f}")
    summary.update(accuracy=accuracy, loss=loss)

    summary["tfsm_layer"] = compare("Keras TFSMLayer vs tf.saved_model.load", ref,
                                    run_tfsm_layer(model_dir, x, checkpoint, shape, check),
                                    args.tolerance, check)
    summary["tf1_session"] = compare("TF1 Session (TF Serving's loader) vs tf.saved_model.load", ref,
                                     run_tf1_session(model_dir, x, checkpoint, check), args.tolerance, check)
    if args.java_csv:
        summary["java_csv"] = compare(f"fmnist evaluate ({args.java_csv.name}, 6 decimals) vs Python", ref,
                                      java_csv(args.java_csv, n, shape.classes), args.tolerance, check)

    manifest = model_dir / "assets.extra" / "fmnist.json"
    if manifest.is_file() and n == len(images) and not args.images:
        m = json.loads(manifest.read_text())["metrics"]
        correct = int(np.sum(ref["classes"] == y))
        check.expect(correct == m["test_correct"] and abs(loss - m["test_loss"]) <= 1e-4,
                     f"fmnist.json (Java exporter): test accuracy {m['test_accuracy']:.4f} ({m['test_correct']}),"
                     f" loss {m['test_loss']:.4f}; Python {accuracy:.4f} ({correct}), {loss:.4f}")
    if args.summary:
        summary["failures"] = check.failures
        args.summary.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"{model_dir}: " + ("all checks passed" if not check.failures else f"{len(check.failures)} check(s) FAILED"))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
