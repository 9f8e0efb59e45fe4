"""Converts an fmnist SavedModel to LiteRT/TFLite and to ONNX and checks that both compute what TensorFlow does.

    python tools/interop/check_conversions.py MODEL_DIR [--count N] [--work DIR] [--summary FILE]

For MODEL_DIR (a version directory such as savedmodels/cnn/1):
  1. tf.saved_model.load(...).signatures["serving_default"] on the first N real test images: the reference.
  2. LiteRT/TFLite: tf.lite.TFLiteConverter.from_saved_model (signature serving_default, tag serve, no
     optimizations) writes WORK/model.tflite, run with the LiteRT interpreter (ai_edge_litert.interpreter)
     when that package is installed, else tf.lite.Interpreter, through its serving_default signature runner.
  3. ONNX: `python -m tf2onnx.convert --saved-model MODEL_DIR --signature_def serving_default --tag serve`
     writes WORK/model.onnx (checked with onnx.checker), run with onnxruntime's CPU execution provider.
Each converted model must take images float32 [N,28,28,1] and give logits, probabilities and classes; its
logits must be within --tolerance (1e-4) of TensorFlow's (max |diff|) and its classes equal TensorFlow's on
every image. A conversion that fails is reported in one line: the model and the converter's first error
line (the whole log stays in WORK). Prints max |diff| and accuracy per format; exits 1 on any failure.
Converted files go to WORK (default target/conversions/<MODEL_DIR with / as _>), never into MODEL_DIR.
"""

import argparse
import contextlib
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.get_logger().setLevel("ERROR")

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fmnist_data  # noqa: E402
from check_savedmodel import SIGNATURE, Check, batched, max_diffs  # noqa: E402

OUTPUTS = ("logits", "probabilities", "classes")


def version(package):
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


@contextlib.contextmanager
def stderr_to(path):
    """Sends file descriptor 2 (Python's and the converters' C++ messages) to path for the block."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "ab") as f:
        os.dup2(f.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


class ConversionError(Exception):
    """A converter refused the model; the message is its first relevant error line."""


def matching_line(text, pattern):
    """The message (group 1) of the first line of text matching pattern, or None."""
    for line in text.splitlines():
        m = re.search(pattern, line)
        if m:
            return m.group(1).strip()
    return None


def mlir_message(line):
    """'loc(fused["MaxPoolV2:", "l01_maxpool"]): msg' -> "msg (at l01_maxpool)"."""
    if line.startswith("loc(") and "): " in line:
        loc, msg = line.split("): ", 1)
        names = re.findall(r'"([^"]+)"', loc)
        return f"{msg} (at {names[-1]})" if names else msg
    return line


def error_summary(e):
    """The informative line of a TensorFlow exception (not its 'Detected at node' traceback lines)."""
    return informative_line(str(e)) or type(e).__name__


def informative_line(message):
    for line in message.splitlines():
        line = line.strip()
        if line and not line.startswith(("File ", "Detected at node", "[[", "Graph execution error")):
            return line
    return None


def traceback_error(text):
    """'Name: message' of the exception that ended the Python traceback in text, or None."""
    lines = text.splitlines()
    ends = [i for i, line in enumerate(lines) if re.match(r"^[\w.]*(?:Error|Exception): ", line)]
    if not ends:
        return None
    name, first = lines[ends[-1]].split(": ", 1)
    message = informative_line("\n".join([first, *lines[ends[-1] + 1:]]))
    return f"{name.rsplit('.', 1)[-1]}: {message or first}"


def tf_reference(model_dir, x):
    try:
        fn = tf.saved_model.load(str(model_dir)).signatures[SIGNATURE]
    except Exception as e:  # a damaged or foreign SavedModel: NotFoundError, KeyError, ...
        raise SystemExit(f"error: {model_dir}: tf.saved_model.load: {type(e).__name__}: {error_summary(e)}") from None
    return batched(lambda b: {k: v.numpy() for k, v in fn(images=tf.constant(b)).items()}, x)


def convert_tflite(model_dir, out, log):
    """tf.lite.TFLiteConverter.from_saved_model -> out; ConversionError with the first error line."""
    try:
        with stderr_to(log):
            converter = tf.lite.TFLiteConverter.from_saved_model(str(model_dir), signature_keys=[SIGNATURE],
                                                                 tags={"serve"})
            flatbuffer = converter.convert()
    except Exception as e:  # the converter raises ConverterError, ValueError, ...
        with open(log, "a") as f:
            f.write(f"\n{type(e).__name__}: {e}\n")
        line = matching_line(str(e) + "\n" + log.read_text(errors="replace"), r"error: (.+)$")
        raise ConversionError(mlir_message(line) if line else f"{type(e).__name__}: {error_summary(e)}") from e
    out.write_bytes(flatbuffer)
    return "float32"


def tflite_interpreter():
    """(Interpreter class, description): the LiteRT package's when installed, else TensorFlow's."""
    try:
        from ai_edge_litert.interpreter import Interpreter
        return Interpreter, f"LiteRT interpreter (ai_edge_litert {version('ai-edge-litert')})"
    except ImportError:
        return tf.lite.Interpreter, f"tf.lite.Interpreter (TensorFlow {tf.__version__})"


def run_tflite(path, x):
    interpreter_class, _ = tflite_interpreter()
    with warnings.catch_warnings():
        # tf.lite.Interpreter warns that it moves to ai_edge_litert; which one ran is printed instead.
        warnings.simplefilter("ignore")
        interpreter = interpreter_class(model_path=str(path))
    runner = interpreter.get_signature_runner(SIGNATURE)
    inputs, outputs = runner.get_input_details(), runner.get_output_details()
    if list(inputs) != ["images"] or inputs["images"]["dtype"] != np.float32 \
            or list(inputs["images"]["shape_signature"]) != [-1, 28, 28, 1]:
        raise ConversionError(f"TFLite signature input is {_details(inputs)}, not images float32 [-1, 28, 28, 1]")
    if sorted(outputs) != sorted(OUTPUTS):
        raise ConversionError(f"TFLite signature outputs are {_details(outputs)}, not {', '.join(OUTPUTS)}")
    return batched(lambda b: {k: np.array(v) for k, v in runner(images=b).items()}, x)


def _details(d):
    return ", ".join(f"{k} {np.dtype(v['dtype']).name} {list(v['shape_signature'])}" for k, v in d.items())


def convert_onnx(model_dir, out, log):
    """tf2onnx's command line -> out (checked with onnx.checker); ConversionError with the first error line."""
    cmd = [sys.executable, "-m", "tf2onnx.convert", "--saved-model", str(model_dir),
           "--signature_def", SIGNATURE, "--tag", "serve", "--output", str(out)]
    with open(log, "a") as f:
        f.write("$ " + " ".join(cmd) + "\n")
        f.flush()
        proc = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT)
    text = log.read_text(errors="replace")
    if proc.returncode != 0 or not out.is_file():
        # tf2onnx logs unsupported ops as ERROR lines; else the exception that ended its traceback
        raise ConversionError(matching_line(text, r" - ERROR - (.+)$") or traceback_error(text)
                              or f"exit code {proc.returncode}")
    import onnx
    try:
        onnx.checker.check_model(str(out), full_check=True)
    except Exception as e:
        raise ConversionError(f"onnx.checker: {str(e).splitlines()[0]}") from e
    model = onnx.load(str(out), load_external_data=False)
    return f"tf2onnx {version('tf2onnx')}, opset " + ", ".join(str(o.version) for o in model.opset_import if not o.domain)


def onnx_session(path):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.log_severity_level = 3
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def run_onnx(path, x):
    session = onnx_session(path)
    inputs = [(i.name, i.type, i.shape) for i in session.get_inputs()]
    if len(inputs) != 1 or inputs[0][0] != "images" or inputs[0][1] != "tensor(float)" or inputs[0][2][1:] != [28, 28, 1]:
        raise ConversionError(f"ONNX input is {inputs}, not images float [N, 28, 28, 1]")
    names = [o.name for o in session.get_outputs()]
    if sorted(names) != sorted(OUTPUTS):
        raise ConversionError(f"ONNX outputs are {names}, not {', '.join(OUTPUTS)}")
    return batched(lambda b: dict(zip(names, session.run(names, {"images": b}))), x)


def check_format(fmt, converter, runtime, convert, run, model_dir, path, log, x, ref, y, tolerance, check):
    """Converts, runs and compares one format (fmt: TFLite or ONNX); returns its summary."""
    result = {"converter": converter, "runtime": runtime, "file": str(path), "log": str(log)}
    start = time.monotonic()
    try:
        detail = convert(model_dir, path, log)
    except ConversionError as e:
        result["error"] = str(e)
        check.fail(f"{model_dir}: {fmt} conversion ({converter}) failed: {e}; log {log}")
        return result
    converted = time.monotonic()
    try:
        out = run(path, x)
    except Exception as e:  # ConversionError (signature), or the runtime refusing the converted model
        result["error"] = str(e)
        check.fail(f"{model_dir}: {fmt} model on {runtime} failed: {error_summary(e)}")
        return result
    ran = time.monotonic()
    if out["classes"].dtype != np.int64 or out["logits"].dtype != np.float32 or out["logits"].shape != ref["logits"].shape:
        check.fail(f"{fmt}: logits {out['logits'].dtype} {out['logits'].shape}, classes {out['classes'].dtype};"
                   f" TensorFlow: logits float32 {ref['logits'].shape}, classes int64")
    d = max_diffs({k: ref[k] for k in OUTPUTS}, out)
    accuracy = float(np.mean(out["classes"] == y))
    result.update(detail=detail, max_diff=d, accuracy=accuracy, size_bytes=path.stat().st_size,
                  convert_s=round(converted - start, 2), run_s=round(ran - converted, 2))
    check.expect(d["logits"] <= tolerance and d["classes"] == 0,
                 f"{fmt} ({detail}, {path.stat().st_size / 1e6:.2f} MB) on {runtime}: vs TensorFlow logits max |diff|"
                 f" {d['logits']:.3g}, probabilities {d['probabilities']:.3g}, classes differing {d['classes']}/{len(y)};"
                 f" accuracy {accuracy:.4f}; {converted - start:.1f} s to convert, {ran - converted:.1f} s to run")
    return result


def default_work(model_dir):
    return fmnist_data.REPO / "target" / "conversions" / str(model_dir).strip("/").replace("/", "_")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model_dir", type=Path)
    ap.add_argument("--count", type=int, default=1000, help="test images to run (default 1000; 10000 = all)")
    ap.add_argument("--data-dir")
    ap.add_argument("--work", type=Path, help="directory for the converted models and the converters' logs")
    ap.add_argument("--tolerance", type=float, default=1e-4, help="max |diff| of logits allowed (default 1e-4)")
    ap.add_argument("--summary", type=Path, help="write the numbers as JSON here")
    args = ap.parse_args(argv)

    model_dir = args.model_dir
    if not (model_dir / "saved_model.pb").is_file():
        print(f"error: {model_dir}: no saved_model.pb", file=sys.stderr)
        return 2
    work = args.work or default_work(model_dir)
    if work.resolve().is_relative_to(model_dir.resolve()):
        print(f"error: {work}: the work directory must not be inside the model {model_dir}", file=sys.stderr)
        return 2
    work.mkdir(parents=True, exist_ok=True)
    for f in ("model.tflite", "model.onnx", "tflite-convert.log", "tf2onnx.log"):
        (work / f).unlink(missing_ok=True)

    check = Check()
    images, labels = fmnist_data.load("test", args.data_dir)
    n = min(args.count, len(images))
    x, y = fmnist_data.scaled(images[:n]), labels[:n].astype(np.int64)
    _, interpreter = tflite_interpreter()
    print(f"conversions of {model_dir}: {n} test images; TensorFlow {tf.__version__}, {interpreter},"
          f" tf2onnx {version('tf2onnx')}, onnxruntime {version('onnxruntime')}")
    ref = tf_reference(model_dir, x)
    accuracy = float(np.mean(ref["classes"] == y))
    print(f"  tf.saved_model.load: accuracy {accuracy:.4f} ({int(np.sum(ref['classes'] == y))}/{n})")
    summary = {"model": str(model_dir), "count": n, "accuracy": accuracy, "tensorflow": tf.__version__,
               "keras": version("keras"), "tf2onnx": version("tf2onnx"), "onnxruntime": version("onnxruntime"),
               "tflite_interpreter": interpreter}

    summary["tflite"] = check_format(
        "TFLite", "tf.lite.TFLiteConverter.from_saved_model", interpreter, convert_tflite, run_tflite, model_dir,
        work / "model.tflite", work / "tflite-convert.log", x, ref, y, args.tolerance, check)
    summary["onnx"] = check_format(
        "ONNX", f"tf2onnx {version('tf2onnx')}", f"onnxruntime {version('onnxruntime')} (CPU)", convert_onnx,
        run_onnx, model_dir, work / "model.onnx", work / "tf2onnx.log", x, ref, y, args.tolerance, check)

    if args.summary:
        summary["failures"] = check.failures
        args.summary.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"{model_dir}: " + ("TFLite and ONNX conversions passed" if not check.failures
                              else f"{len(check.failures)} conversion check(s) FAILED"))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
