"""TF Serving's side of an fmnist SavedModel, checked without the model server (which is not installed here).

    python tools/interop/tf_serving.py request [--index 0] [-o request.json]
        the REST predict body for one real test image: {"signature_name": "serving_default",
        "instances": [{"images": <28x28x1 pixel values in [0, 1]>}]}
    python tools/interop/tf_serving.py respond MODEL_DIR request.json [-o response.json]
        the response TF Serving would give: parses the body as its REST handler does (row "instances" or
        columnar "inputs" format, checked against the signature), loads MODEL_DIR the way its C++ loader does
        (TF1 loader, tag serve, variables restored by the saver), runs the signature's tensors and writes
        the JSON the way tensorflow_serving/util/json_tensor.cc does.
    python tools/interop/tf_serving.py layout SAVEDMODELS
        what TF Serving's file-system source relies on, for every SAVEDMODELS/<name>/: numeric version
        directories, each a SavedModel with tag serve whose serving_default signature has method
        tensorflow/serving/predict.
Exit 1 on any failure.
"""

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fmnist_data  # noqa: E402

SIGNATURE = "serving_default"
METHOD = "tensorflow/serving/predict"


def float32_text(v):
    """A float32 as TF Serving writes it: 6 significant digits, or 9 when 6 do not round-trip."""
    import numpy as np
    f = np.float32(v)
    if not np.isfinite(f):
        return "NaN" if np.isnan(f) else ("-Infinity" if f < 0 else "Infinity")
    s = "%g" % f
    if np.float32(float(s)) != f:
        s = "%.9g" % f
    if "." not in s and "e" not in s:
        s += ".0"
    return s


def request(args):
    images, labels = fmnist_data.load("test", args.data_dir)
    x = fmnist_data.scaled(images[args.index:args.index + 1])[0]
    # Shortest decimal that reads back as the same float32 (TF Serving refuses lossy numbers).
    rows = ",\n".join("      [" + ", ".join("[" + str(px[0]) + "]" for px in row) + "]" for row in x)
    body = ('{\n  "signature_name": "serving_default",\n  "instances": [\n    {"images": [\n'
            + rows + "\n    ]}\n  ]\n}\n")
    json.loads(body)
    write(args.output, body)
    print(f"request for test image {args.index} (label {labels[args.index]},"
          f" {fmnist_data.CLASS_NAMES[labels[args.index]]})", file=sys.stderr)
    return 0


class RequestError(Exception):
    pass


def tensors_from_body(doc, inputs):
    """TF Serving's FillPredictRequestFromJson, for float32/int64 inputs: name -> numpy array."""
    import numpy as np
    if not isinstance(doc, dict):
        raise RequestError("JSON Value is not object")
    if ("instances" in doc) == ("inputs" in doc):
        raise RequestError("expecting exactly one of 'inputs' or 'instances' keys")

    def array(value, name):
        dtype = {1: np.float32, 9: np.int64}[inputs[name].dtype]
        try:
            a = np.array(value, dtype=np.float64)
        except ValueError as e:
            raise RequestError(f"{name}: not a dense, rectangular list of numbers: {e}") from e
        # Like TF Serving, round each number to float32; only numbers out of float32's range are refused.
        if dtype == np.float32 and np.any(np.abs(a[np.isfinite(a)]) > np.finfo(np.float32).max):
            raise RequestError(f"{name}: cannot convert a number to float without loss of precision")
        return a.astype(dtype)

    if "instances" in doc:
        items = doc["instances"]
        if not isinstance(items, list) or not items:
            raise RequestError("'instances' must be a non-empty list")
        if isinstance(items[0], dict):
            for i, item in enumerate(items):
                if set(item) != set(inputs):
                    raise RequestError(f"element {i} of 'instances': keys must be equal to: {','.join(sorted(inputs))}")
            out = {name: [array(item[name], name) for item in items] for name in inputs}
        else:
            if len(inputs) > 1:
                raise RequestError("instances is a plain list, but the signature has several inputs")
            name = next(iter(inputs))
            out = {name: [array(item, name) for item in items]}
        for name, parts in out.items():
            if len({p.shape for p in parts}) != 1:
                raise RequestError(f"{name}: instances have different shapes {sorted({p.shape for p in parts})}")
        return {name: np.stack(parts) for name, parts in out.items()}
    value = doc["inputs"]
    if isinstance(value, dict):
        missing = set(inputs) - set(value)
        if missing:
            raise RequestError(f"Missing named input: {sorted(missing)[0]} in 'inputs' object.")
        return {name: array(value[name], name) for name in inputs}
    if len(inputs) > 1:
        raise RequestError("inputs is a plain list, but the signature has several inputs")
    return {next(iter(inputs)): array(value, next(iter(inputs)))}


def check_shape(name, array, info):
    """The placeholder's static shape: what the Session would refuse."""
    if info.tensor_shape.unknown_rank:
        return
    dims = [d.size for d in info.tensor_shape.dim]
    if len(dims) != array.ndim or any(d not in (-1, s) for d, s in zip(dims, array.shape)):
        raise RequestError(f"{name}: shape {list(array.shape)} does not match the signature's {dims}")


def response_json(outputs, row_format):
    """json_tensor.cc's MakeRowFormatJsonFromTensors / MakeColumnarFormatJsonFromTensors (PrettyWriter)."""
    import numpy as np

    def value(a):
        if a.ndim == 0:
            return float32_text(a) if a.dtype == np.float32 else str(int(a))
        return "[" + ", ".join(value(v) for v in a) + "]"

    names = sorted(outputs)
    if row_format:
        n = {outputs[k].shape[0] for k in names}
        if len(n) != 1:
            raise RequestError(f"outputs have inconsistent batch sizes {n}")
        rows = []
        for i in range(n.pop()):
            fields = ",\n".join(f'            "{k}": {value(outputs[k][i])}' for k in names)
            rows.append("        {\n" + fields + "\n        }")
        return '{\n    "predictions": [\n' + ",\n".join(rows) + "\n    ]\n}"
    fields = ",\n".join(f'        "{k}": {value(outputs[k])}' for k in names)
    return '{\n    "outputs": {\n' + fields + "\n    }\n}"


def serve(model_dir, body):
    """(response text, outputs) for one REST predict body, or RequestError."""
    import tensorflow as tf
    tf.get_logger().setLevel("ERROR")
    doc = json.loads(body)
    name = doc.get("signature_name", SIGNATURE) if isinstance(doc, dict) else SIGNATURE
    with tf.Graph().as_default() as graph, tf.compat.v1.Session(graph=graph) as sess:
        meta = tf.compat.v1.saved_model.loader.load(sess, ["serve"], str(model_dir))
        if name not in meta.signature_def:
            raise RequestError(f"Serving signature name: \"{name}\" not found in signature def")
        sig = meta.signature_def[name]
        if sig.method_name != METHOD:
            raise RequestError(f"Expected prediction signature method_name to be {METHOD}. Was: {sig.method_name}")
        feeds = tensors_from_body(doc, sig.inputs)
        for k, a in feeds.items():
            check_shape(k, a, sig.inputs[k])
        names = sorted(sig.outputs)
        values = sess.run([sig.outputs[k].name for k in names], {sig.inputs[k].name: a for k, a in feeds.items()})
    outputs = dict(zip(names, values))
    return response_json(outputs, "instances" in doc), outputs, feeds


def respond(args):
    try:
        text, outputs, feeds = serve(args.model_dir, args.request.read_text())
    except RequestError as e:
        write(args.output, json.dumps({"error": str(e)}, indent=4) + "\n")
        print(f"error: {args.request}: TF Serving would refuse this request: {e}", file=sys.stderr)
        return 1
    write(args.output, text + "\n")
    # Cross-check with the TF2 loader on the same input tensor.
    import numpy as np
    import tensorflow as tf
    fn = tf.saved_model.load(str(args.model_dir)).signatures[SIGNATURE]
    direct = {k: v.numpy() for k, v in fn(**{k: tf.constant(a) for k, a in feeds.items()}).items()}
    parsed = json.loads(text)
    rows = parsed["predictions"] if "predictions" in parsed else None
    worst = 0.0
    for k in outputs:
        from_json = np.array([r[k] for r in rows]) if rows is not None else np.array(parsed["outputs"][k])
        worst = max(worst, float(np.max(np.abs(from_json - direct[k]))))
    print(f"response for {args.request} from {args.model_dir}: classes {outputs['classes'].tolist()};"
          f" JSON values vs tf.saved_model.load max |diff| {worst:.2g}", file=sys.stderr)
    return 0 if worst <= 1e-5 else 1


def layout(args):
    import tensorflow as tf
    from tensorflow.python.saved_model import loader_impl
    tf.get_logger().setLevel("ERROR")
    root = args.savedmodels
    failures = 0
    names = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    if not names:
        print(f"{root}: no models")
    for model in names:
        versions = sorted((p for p in model.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name))
        others = sorted(p.name for p in model.iterdir() if not (p.is_dir() and p.name.isdigit()))
        if not versions:
            print(f"FAIL {model}: no numeric version directory (TF Serving would serve nothing)")
            failures += 1
        for v in versions:
            problems = []
            if not (v / "saved_model.pb").is_file():
                problems.append("no saved_model.pb")
            if not (v / "variables" / "variables.index").is_file():
                problems.append("no variables/variables.index")
            if not problems:
                sm = loader_impl.parse_saved_model(str(v))
                tags = [list(mg.meta_info_def.tags) for mg in sm.meta_graphs]
                if ["serve"] not in tags:
                    problems.append(f"no MetaGraphDef tagged serve (found {tags})")
                else:
                    mg = next(m for m in sm.meta_graphs if list(m.meta_info_def.tags) == ["serve"])
                    sig = mg.signature_def.get(SIGNATURE)
                    if sig is None:
                        problems.append(f"no {SIGNATURE} signature")
                    elif sig.method_name != METHOD:
                        problems.append(f"method name {sig.method_name!r}, not {METHOD}")
            print(("FAIL " if problems else "ok   ") + f"{v}: " + ("; ".join(problems) or f"tag serve, {SIGNATURE}, {METHOD}"))
            failures += bool(problems)
        if versions:
            print(f"     TF Serving serves {model.name} version {versions[-1].name} (the highest)"
                  + (f"; ignores {', '.join(others)}" if others else ""))
    return 1 if failures else 0


def write(path, text):
    if path is None or str(path) == "-":
        sys.stdout.write(text)
    else:
        Path(path).write_text(text)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    r = sub.add_parser("request")
    r.add_argument("--index", type=int, default=0, help="test image index (default 0)")
    r.add_argument("--data-dir")
    r.add_argument("-o", "--output")
    s = sub.add_parser("respond")
    s.add_argument("model_dir", type=Path)
    s.add_argument("request", type=Path)
    s.add_argument("-o", "--output")
    lay = sub.add_parser("layout")
    lay.add_argument("savedmodels", type=Path)
    args = ap.parse_args(argv)
    return {"request": request, "respond": respond, "layout": layout}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
