"""Writes ONNX models in the layouts a user may bring to fmnist evaluate, with onnxruntime's accuracy for each.

    python tools/interop/make_onnx_models.py OUT_DIR [--model savedmodels/mlp/1] [--count 10000]

From one fmnist SavedModel (default savedmodels/mlp/1), into OUT_DIR:
  nhwc.onnx           tf2onnx's conversion: input images float [N,28,28,1]; outputs classes, logits, probabilities
  nchw.onnx           as PyTorch exports: input "input" [N,1,28,28], a Transpose to NHWC in front of the same
                      network, one output "logits" [N,10]
  flat.onnx           input "pixels" [N,784], a Reshape in front; one output "logits" [N,10]
  probabilities.onnx  input images [N,28,28,1]; one output "probabilities" [N,10] (softmax)
  bad_shape.onnx      a valid model whose input is [N,3,32,32] (CIFAR-sized): fmnist must refuse it
  custom_op.onnx      the network with a com.example:TemperatureScale node on its logits: onnxruntime cannot
                      load it without that custom op
Every file but custom_op.onnx passes onnx.checker (full check). For the first four, onnxruntime runs the first
--count real test images; OUT_DIR/expected.json holds, per file, its input and outputs and, for those four,
accuracy and count (what fmnist evaluate must report for the file), or what onnxruntime says of it:
  {"nchw.onnx": {"source": "savedmodels/mlp/1", "inputs": [{"name": "input", "type": "float",
   "shape": ["N", 1, 28, 28]}], "outputs": [...], "accuracy": 0.9007, "count": 10000, "correct": 9007}, ...}
Exit 1 if a model fails onnx.checker, a layout's logits differ from nhwc.onnx's, or custom_op.onnx loads.
"""

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import onnx  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fmnist_data  # noqa: E402
from check_conversions import ConversionError, convert_onnx, onnx_session, version  # noqa: E402
from check_savedmodel import batched  # noqa: E402

BATCH_DIM = "N"
CUSTOM_DOMAIN = "com.example"


def sub_model(model, input_name, output_name):
    """The part of model that computes output_name from input_name (onnx.utils.Extractor)."""
    extracted = onnx.utils.Extractor(model).extract_model([input_name], [output_name])
    extracted.ir_version = model.ir_version
    extracted.producer_name, extracted.producer_version = model.producer_name, model.producer_version
    return extracted


def tensor(name, dims):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, [BATCH_DIM, *dims])


def name_batch_dim(model):
    """The graph's inputs and outputs call their first dimension N (tf2onnx writes unk__<n>)."""
    for v in [*model.graph.input, *model.graph.output]:
        v.type.tensor_type.shape.dim[0].Clear()
        v.type.tensor_type.shape.dim[0].dim_param = BATCH_DIM


def with_front(model, new_input, nodes, initializers=()):
    """model with new_input replacing its input "images"; nodes (computing "images" from it) go in front."""
    g = model.graph
    old = next(i for i in g.input if i.name == "images")
    g.input.remove(old)
    g.input.insert(0, new_input)
    for node in reversed(nodes):
        g.node.insert(0, node)
    g.initializer.extend(initializers)
    return model


def make_models(nhwc):
    """name -> ModelProto of every layout derived from tf2onnx's nhwc model."""
    logits = sub_model(nhwc, "images", "logits")
    models = {"nhwc.onnx": nhwc}

    nchw = with_front(onnx.ModelProto.FromString(logits.SerializeToString()), tensor("input", [1, 28, 28]),
                      [helper.make_node("Transpose", ["input"], ["images"], name="nchw_to_nhwc", perm=[0, 2, 3, 1])])
    nchw.doc_string = "fmnist classifier, NCHW input as PyTorch exports it: input [N,1,28,28] in [0,1] -> logits [N,10]"
    models["nchw.onnx"] = nchw

    shape = numpy_helper.from_array(np.array([-1, 28, 28, 1], dtype=np.int64), name="pixels_to_images_shape")
    flat = with_front(onnx.ModelProto.FromString(logits.SerializeToString()), tensor("pixels", [784]),
                      [helper.make_node("Reshape", ["pixels", shape.name], ["images"], name="pixels_to_images")],
                      [shape])
    flat.doc_string = "fmnist classifier, flat input: pixels [N,784] in [0,1], row-major -> logits [N,10]"
    models["flat.onnx"] = flat

    probabilities = sub_model(nhwc, "images", "probabilities")
    probabilities.doc_string = "fmnist classifier whose only output is softmax probabilities [N,10]"
    models["probabilities.onnx"] = probabilities

    rng = np.random.default_rng(0)
    weights = numpy_helper.from_array((rng.standard_normal((3 * 32 * 32, 10)) * 0.01).astype(np.float32), "weights")
    bias = numpy_helper.from_array(np.zeros(10, dtype=np.float32), "bias")
    graph = helper.make_graph(
        [helper.make_node("Flatten", ["input"], ["flat"], axis=1),
         helper.make_node("Gemm", ["flat", "weights", "bias"], ["logits"])],
        "cifar_sized_linear", [tensor("input", [3, 32, 32])], [tensor("logits", [10])], [weights, bias])
    bad = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)], ir_version=8,
                            producer_name="fmnist make_onnx_models.py")
    bad.doc_string = "a linear classifier of 3x32x32 images: not a Fashion-MNIST input"
    models["bad_shape.onnx"] = bad

    custom = onnx.ModelProto.FromString(logits.SerializeToString())
    last = next(n for n in custom.graph.node if "logits" in n.output)
    last.output[list(last.output).index("logits")] = "raw_logits"
    custom.graph.node.append(helper.make_node("TemperatureScale", ["raw_logits"], ["logits"], name="temperature",
                                              domain=CUSTOM_DOMAIN, temperature=1.5))
    custom.opset_import.append(helper.make_opsetid(CUSTOM_DOMAIN, 1))
    custom.doc_string = f"fmnist classifier with a {CUSTOM_DOMAIN}:TemperatureScale node that no runtime knows"
    models["custom_op.onnx"] = custom

    for name, model in models.items():
        if name != "nhwc.onnx":
            name_batch_dim(model)
    return models


def io_description(model):
    def one(v):
        dims = [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]
        return {"name": v.name, "type": TensorProto.DataType.Name(v.type.tensor_type.elem_type).lower(), "shape": dims}
    return {"inputs": [one(v) for v in model.graph.input], "outputs": [one(v) for v in model.graph.output]}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--model", type=Path, default=fmnist_data.REPO / "savedmodels" / "mlp" / "1",
                    help="the SavedModel to convert (default savedmodels/mlp/1)")
    ap.add_argument("--count", type=int, default=10000, help="test images to run (default 10000 = all)")
    ap.add_argument("--data-dir")
    args = ap.parse_args(argv)

    if not (args.model / "saved_model.pb").is_file():
        print(f"error: {args.model}: no saved_model.pb", file=sys.stderr)
        return 2
    out = args.out_dir
    if out.resolve().is_relative_to(args.model.resolve()):
        print(f"error: {out}: must not be inside the model {args.model}", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    log = out / "tf2onnx.log"
    log.unlink(missing_ok=True)
    try:
        convert_onnx(args.model, out / "nhwc.onnx", log)
    except ConversionError as e:
        print(f"error: {args.model}: tf2onnx {version('tf2onnx')} failed: {e}; log {log}", file=sys.stderr)
        return 1

    images, labels = fmnist_data.load("test", args.data_dir)
    n = min(args.count, len(images))
    x, y = fmnist_data.scaled(images[:n]), labels[:n].astype(np.int64)
    feeds = {"nhwc.onnx": x, "nchw.onnx": x.transpose(0, 3, 1, 2), "flat.onnx": x.reshape(n, 784),
             "probabilities.onnx": x}
    print(f"ONNX models from {args.model} in {out}: tf2onnx {version('tf2onnx')}, onnx {version('onnx')},"
          f" onnxruntime {version('onnxruntime')}; {n} test images")

    failures = []
    try:
        source = str(args.model.resolve().relative_to(fmnist_data.REPO))
    except ValueError:
        source = str(args.model)
    expected = {}
    reference = None
    for name, model in make_models(onnx.load(str(out / "nhwc.onnx"))).items():
        path = out / name
        if name != "nhwc.onnx":
            onnx.save(model, str(path))
        entry = {"source": source, **io_description(model)}
        expected[name] = entry
        shapes = "; ".join(f"{v['name']} {v['shape']}" for v in entry["inputs"]) + " -> " + \
            ", ".join(f"{v['name']} {v['shape']}" for v in entry["outputs"])
        if name != "custom_op.onnx":
            try:
                onnx.checker.check_model(str(path), full_check=True)
            except Exception as e:
                failures.append(f"{name}: onnx.checker: {str(e).splitlines()[0]}")
                print(f"  FAIL {failures[-1]}")
                continue
        try:
            session = onnx_session(path)
        except Exception as e:
            message = str(e).splitlines()[0]
            entry["onnxruntime_error"] = message
            good = name == "custom_op.onnx"
            print(f"  {'ok  ' if good else 'FAIL'} {name} ({shapes}): onnxruntime refuses it: {message}")
            if not good:
                failures.append(f"{name}: onnxruntime: {message}")
            continue
        if name == "custom_op.onnx":
            failures.append(f"{name}: onnxruntime loads it, though it has a {CUSTOM_DOMAIN} node")
            print(f"  FAIL {failures[-1]}")
            continue
        if name not in feeds:
            print(f"  ok   {name} ({shapes}): passes onnx.checker; loads in onnxruntime; not an fmnist input")
            continue
        outputs = [o.name for o in session.get_outputs()]
        input_name = session.get_inputs()[0].name
        result = batched(lambda b: dict(zip(outputs, session.run(outputs, {input_name: b}))), feeds[name])
        scores = result.get("logits", result.get("probabilities"))
        accuracy = float(np.mean(np.argmax(scores, axis=1) == y))
        entry.update(accuracy=accuracy, count=n, correct=int(np.sum(np.argmax(scores, axis=1) == y)))
        line = f"{name} ({shapes}): onnxruntime accuracy {accuracy:.4f} ({entry['correct']}/{n})"
        if reference is None:
            reference = result
            print(f"  ok   {line}")
            continue
        key = "logits" if "logits" in result else "probabilities"
        diff = float(np.max(np.abs(result[key] - reference[key])))
        good = diff <= 1e-5 and np.array_equal(np.argmax(result[key], axis=1), np.argmax(reference[key], axis=1))
        print(f"  {'ok  ' if good else 'FAIL'} {line}; {key} max |diff| vs nhwc.onnx {diff:.3g}")
        if not good:
            failures.append(f"{name}: {key} max |diff| vs nhwc.onnx {diff:.3g}")

    (out / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
    print(f"wrote {out / 'expected.json'}" + (f"; FAILED: {'; '.join(failures)}" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
