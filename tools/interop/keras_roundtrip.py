"""Python -> Java: a Keras model trained in Python, exported with model.export(), evaluated by fmnist.

    python tools/interop/keras_roundtrip.py train --out DIR [--epochs 1] [--seed 42]
        trains a small Keras CNN on the 60,000 training images, prints Keras's own evaluate() on the
        10,000 test images, exports DIR/keras-cnn/1 with model.export(...) and writes
        DIR/keras-cnn/1/assets.extra/keras_evaluate.json ({"accuracy": .., "loss": ..}).
    python tools/interop/keras_roundtrip.py compare KERAS_JSON EVALUATION_JSON
        compares Keras's test accuracy with fmnist evaluate's evaluation.json (to 4 decimals); exit 1 if not equal.
"""

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fmnist_data  # noqa: E402

NAME = "keras-cnn"


def train(args):
    import keras
    import numpy as np
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")
    keras.utils.set_random_seed(args.seed)
    train_images, train_labels = fmnist_data.load("train", args.data_dir)
    test_images, test_labels = fmnist_data.load("test", args.data_dir)
    x_train, x_test = fmnist_data.scaled(train_images), fmnist_data.scaled(test_images)

    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1), name="images"),
        keras.layers.Conv2D(16, 3, activation="relu"),
        keras.layers.BatchNormalization(),
        keras.layers.MaxPooling2D(2),
        keras.layers.Flatten(),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ], name=NAME.replace("-", "_"))
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_train, train_labels, epochs=args.epochs, batch_size=128, verbose=2)
    print("Keras model.evaluate on the 10,000 test images:")
    loss, accuracy = model.evaluate(x_test, test_labels, batch_size=500, verbose=2)

    out = args.out / NAME / "1"
    if out.exists():
        raise SystemExit(f"error: {out}: already exists")
    model.export(str(out), verbose=False)
    result = {"model": str(out), "accuracy": float(accuracy), "loss": float(loss),
              "correct": int(np.sum(np.argmax(model.predict(x_test, batch_size=500, verbose=0), axis=1) == test_labels)),
              "count": int(len(test_labels)), "keras": keras.__version__, "tensorflow": tf.__version__}
    (out / "assets.extra").mkdir(exist_ok=True)
    (out / "assets.extra" / "keras_evaluate.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"exported {out} with model.export(); Keras test accuracy {accuracy:.4f}, loss {loss:.4f}")
    return 0


def compare(args):
    keras_result = json.loads(args.keras_json.read_text())
    fmnist_result = json.loads(args.evaluation_json.read_text())
    k, f = keras_result["accuracy"], fmnist_result["accuracy"]
    same = round(k, 4) == round(f, 4) and fmnist_result.get("count") == keras_result["count"]
    print(f"Keras evaluate accuracy {k:.4f} vs fmnist evaluate accuracy {f:.4f}"
          f" ({fmnist_result.get('count')} images): {'equal' if same else 'DIFFERENT'} to 4 decimals")
    return 0 if same else 1


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    t.add_argument("--out", type=Path, required=True)
    t.add_argument("--epochs", type=int, default=1)
    t.add_argument("--seed", type=int, default=42)
    t.add_argument("--data-dir")
    c = sub.add_parser("compare")
    c.add_argument("keras_json", type=Path)
    c.add_argument("evaluation_json", type=Path)
    args = ap.parse_args(argv)
    return train(args) if args.command == "train" else compare(args)


if __name__ == "__main__":
    sys.exit(main())
