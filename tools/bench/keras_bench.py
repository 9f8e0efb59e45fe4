#!/usr/bin/env python3
"""Trains an fmnist recipe's architecture with Keras 3 (TensorFlow 2.18, float32) for the benchmark.

Reads model.layers from the same YAML recipe fmnist trains (a small parser for the recipe format:
'- type: {key: value, ...}' lines, no PyYAML needed), builds the same layers with the same
initializer family (He normal before ReLU, Glorot uniform otherwise), trains with Adam, batch 128,
on the first N training images of the given Fashion-MNIST directory, and prints one JSON line with
each epoch's training seconds (validation is not run).

usage: keras_bench.py RECIPE DATA_DIR --train N --epochs E --threads T [--batch 128]
"""
import argparse
import gzip
import json
import os
import re
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def parse_layers(path):
    """The recipe's model.layers as [(type, {key: value})]."""
    layers, in_layers = [], False
    for raw in open(path, encoding="utf-8"):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if re.match(r"^\s*layers:\s*$", line):
            in_layers = True
            continue
        if in_layers:
            m = re.match(r"^\s*-\s*(\w+):\s*\{(.*)\}\s*$", line)
            if not m:
                if re.match(r"^\S", line) or not line.strip().startswith("-"):
                    in_layers = False
                continue
            args = {}
            for kv in filter(None, (s.strip() for s in m.group(2).split(","))):
                k, v = (s.strip() for s in kv.split(":", 1))
                if v in ("true", "false"):
                    v = v == "true"
                else:
                    try:
                        v = int(v)
                    except ValueError:
                        try:
                            v = float(v)
                        except ValueError:
                            pass
                args[k] = v
            layers.append((m.group(1), args))
    if not layers:
        sys.exit(f"{path}: no model.layers found")
    return layers


def read_idx(path):
    import numpy as np
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(data_dir, stem):
    for name in (stem + ".gz", stem):
        p = os.path.join(data_dir, name)
        if os.path.exists(p):
            return p
    sys.exit(f"{data_dir}: no {stem}[.gz]")


def build(keras, layers):
    L = keras.layers

    def init(activation):
        return "he_normal" if activation == "relu" else "glorot_uniform"

    def act(a):
        return None if a in (None, "none") else a

    inputs = keras.Input((28, 28, 1))
    x = inputs
    for kind, a in layers:
        if kind == "conv":
            activation = act(a.get("activation", "relu"))
            bn = a.get("batch_norm", False)
            x = L.Conv2D(a["filters"], a.get("kernel", 3), strides=a.get("stride", 1),
                         padding=str(a.get("padding", "valid")).lower(), use_bias=not bn,
                         kernel_initializer=init(activation))(x)
            if bn:
                x = L.BatchNormalization(momentum=0.99, epsilon=1e-3)(x)
            if activation:
                x = L.Activation(activation)(x)
        elif kind == "maxpool":
            size = a.get("size", 2)
            x = L.MaxPooling2D(size, strides=a.get("stride", size), padding=str(a.get("padding", "valid")).lower())(x)
        elif kind == "dense":
            activation = act(a.get("activation", "relu"))
            x = L.Dense(a["units"], activation=activation, kernel_initializer=init(activation))(x)
        elif kind == "dropout":
            x = L.Dropout(a.get("rate", 0.5))(x)
        elif kind == "batchnorm":
            x = L.BatchNormalization(momentum=a.get("momentum", 0.99), epsilon=a.get("epsilon", 1e-3))(x)
        elif kind == "flatten":
            x = L.Flatten()(x)
        elif kind == "global_avg_pool":
            x = L.GlobalAveragePooling2D()(x)
        elif kind == "residual":
            f, s = a["filters"], a.get("stride", 1)
            y = L.Conv2D(f, 3, strides=s, padding="same", use_bias=False, kernel_initializer="he_normal")(x)
            y = L.Activation("relu")(L.BatchNormalization(momentum=0.99, epsilon=1e-3)(y))
            y = L.Conv2D(f, 3, padding="same", use_bias=False, kernel_initializer="glorot_uniform")(y)
            y = L.BatchNormalization(momentum=0.99, epsilon=1e-3)(y)
            short = x
            if s != 1 or x.shape[-1] != f:
                short = L.Conv2D(f, 1, strides=s, padding="same", use_bias=False, kernel_initializer="glorot_uniform")(x)
                short = L.BatchNormalization(momentum=0.99, epsilon=1e-3)(short)
            x = L.Activation("relu")(L.Add()([y, short]))
        else:
            sys.exit(f"unsupported layer type: {kind}")
    return keras.Model(inputs, x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("recipe")
    ap.add_argument("data_dir")
    ap.add_argument("--train", type=int, required=True, help="training images (the first N)")
    ap.add_argument("--epochs", type=int, required=True)
    ap.add_argument("--threads", type=int, required=True, help="intra-op threads (inter-op is 1)")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.001)
    args = ap.parse_args()

    import numpy as np
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    import keras
    keras.utils.set_random_seed(42)

    x = read_idx(find(args.data_dir, "train-images-idx3-ubyte"))[: args.train]
    y = read_idx(find(args.data_dir, "train-labels-idx1-ubyte"))[: args.train].astype("int32")
    x = (x.astype("float32") / 255.0)[..., None]

    model = build(keras, parse_layers(args.recipe))
    model.compile(optimizer=keras.optimizers.Adam(args.lr),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])

    times = []

    class Timer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.t0 = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.t0)

    t0 = time.perf_counter()
    hist = model.fit(x, y, batch_size=args.batch, epochs=args.epochs, shuffle=True, verbose=0, callbacks=[Timer()])
    print(json.dumps({
        "tool": "keras", "keras": keras.__version__, "tensorflow": tf.__version__,
        "jit_compile": bool(getattr(model, "jit_compile", False)),
        "train_images": int(len(x)), "batch": args.batch, "epoch_seconds": times,
        "fit_seconds": time.perf_counter() - t0,
        "final_loss": float(hist.history["loss"][-1]), "final_accuracy": float(hist.history["accuracy"][-1]),
    }))


if __name__ == "__main__":
    main()
