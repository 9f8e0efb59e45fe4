#!/usr/bin/env python3
"""Trains an fmnist recipe's architecture with Keras 3 on TensorFlow, for the benchmarks.

Builds model.layers of the same YAML recipe fmnist trains (tools/bench/recipe.py reads it) with the
same layers and initializer family (He normal before ReLU, Glorot uniform otherwise). Two modes:

Speed (tools/bench/run.sh): Adam lr 0.001, batch 128, no schedule or augmentation, on the first N
training images; prints one JSON line with each epoch's training seconds (no validation).

    keras_bench.py RECIPE DATA_DIR --train N --epochs E --threads T [--batch 128] [--precision bf16]

Recipe (tools/bench/time_to_accuracy.sh, --recipe-training): the recipe's whole training section as
closely as Keras allows: epochs, batch size, Adam (learning rate, betas, epsilon), the schedule
(cosine with warm-up, step, constant: the same per-step formula as fmnist), augmentation (shift, flip,
erasing: the same distributions, drawn from NumPy instead of fmnist's generator), label smoothing,
weight decay (l2: kernel_regularizer; decoupled: AdamW with biases and batch norm excluded), dropout,
precision (bf16: the mixed_bfloat16 policy, logits in float32), a held-out validation split (a
seeded stratified sample, not fmnist's exact one) and test-time flip averaging at evaluation. After
each epoch it scores the 10,000 test images and prints one JSON line with the wall time at the end
of the epoch (seconds since --t0), the seconds spent evaluating so far (to subtract), and the test
accuracy (as the recipe serves it, and single-view); then it exports the model once with
model.export() and prints how long that took. Early stopping and the plateau schedule are not
replayed (the runs here use neither).

    keras_bench.py RECIPE DATA_DIR --recipe-training --threads T [--epochs E] [--precision P] [--t0 UNIX_TIME]
"""
import argparse
import gzip
import json
import math
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import recipe as recipes  # noqa: E402


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


def build(keras, layers, l2=0.0):
    L = keras.layers
    reg = keras.regularizers.L2(l2) if l2 else None

    def init(activation):
        return "he_normal" if activation == "relu" else "glorot_uniform"

    def act(a):
        return None if a in (None, "none") else a

    def conv(x, f, k, s, pad, bias, activation):
        return L.Conv2D(f, k, strides=s, padding=pad, use_bias=bias, kernel_initializer=init(activation),
                        kernel_regularizer=reg)(x)

    def bn(x, momentum=0.99, epsilon=1e-3):
        return L.BatchNormalization(momentum=momentum, epsilon=epsilon)(x)

    inputs = keras.Input((28, 28, 1))
    x = inputs
    for i, (kind, a) in enumerate(layers):
        last = i == len(layers) - 1
        if kind == "conv":
            activation = act(a.get("activation", "relu"))
            use_bn = a.get("batch_norm", False)
            x = conv(x, a["filters"], a.get("kernel", 3), a.get("stride", 1),
                     str(a.get("padding", "valid")).lower(), not use_bn, activation)
            if use_bn:
                x = bn(x)
            if activation:
                x = L.Activation(activation)(x)
        elif kind == "maxpool":
            size = a.get("size", 2)
            x = L.MaxPooling2D(size, strides=a.get("stride", size), padding=str(a.get("padding", "valid")).lower())(x)
        elif kind == "dense":
            activation = act(a.get("activation", "relu"))
            # the logits stay float32 under mixed precision (Keras's advice for the last layer)
            x = L.Dense(a["units"], activation=activation, kernel_initializer=init(activation),
                        kernel_regularizer=reg, dtype="float32" if last else None)(x)
        elif kind == "dropout":
            x = L.Dropout(a.get("rate", 0.5))(x)
        elif kind == "batchnorm":
            x = bn(x, a.get("momentum", 0.99), a.get("epsilon", 1e-3))
        elif kind == "flatten":
            x = L.Flatten()(x)
        elif kind == "global_avg_pool":
            x = L.GlobalAveragePooling2D()(x)
        elif kind == "residual":
            f, s = a["filters"], a.get("stride", 1)
            y = L.Activation("relu")(bn(conv(x, f, 3, s, "same", False, "relu")))
            y = bn(conv(y, f, 3, 1, "same", False, None))
            short = x
            if s != 1 or x.shape[-1] != f:
                short = bn(conv(x, f, 1, s, "same", False, None))
            x = L.Activation("relu")(L.Add()([y, short]))
        else:
            sys.exit(f"unsupported layer type: {kind}")
    return keras.Model(inputs, x)


def lr_schedule(keras, base, schedule, steps_per_epoch, epochs):
    """fmnist's LearningRateSchedule.at(step) as a Keras schedule (step = optimizer iterations, 0-based)."""
    from keras import ops
    kind = str((schedule or {}).get("type", "constant")).lower()
    s = schedule or {}

    class Schedule(keras.optimizers.schedules.LearningRateSchedule):
        def __call__(self, step):
            step = ops.cast(step, "float32")
            if kind == "cosine":
                warmup = float(round(s.get("warmup_epochs", 0) * steps_per_epoch))
                floor = float(s.get("min_learning_rate", 0.0))
                span = max(1.0, steps_per_epoch * epochs - warmup)
                progress = ops.minimum(1.0, (step - warmup) / span)
                cosine = floor + (base - floor) * 0.5 * (1.0 + ops.cos(math.pi * progress))
                if warmup <= 0:
                    return cosine
                return ops.where(step < warmup, base * (step + 1.0) / warmup, cosine)
            if kind == "step":
                epoch = ops.floor(step / steps_per_epoch)
                return base * ops.power(float(s.get("gamma", 0.1)), ops.floor(epoch / float(s.get("step_epochs", 10))))
            return base * ops.ones_like(step)

        def get_config(self):
            return {}

    if kind == "plateau":
        sys.exit("keras_bench.py: the plateau schedule is not replayed here")
    return Schedule()


def augment(x, rng, shift, flip, erasing):
    """fmnist's Augmentation on a uint8 batch [n, 28, 28]: shift over black, flip, erasing; floats in [0, 1]."""
    import numpy as np
    n = len(x)
    rows = np.arange(28)[None, :, None]
    cols = np.arange(28)[None, None, :]
    dx = rng.integers(-shift, shift + 1, n) if shift else np.zeros(n, int)
    dy = rng.integers(-shift, shift + 1, n) if shift else np.zeros(n, int)
    flips = rng.random(n) < 0.5 if flip else np.zeros(n, bool)
    sr = rows - dy[:, None, None]
    sc = np.where(flips[:, None, None], 27 - cols, cols) - dx[:, None, None]
    valid = (sr >= 0) & (sr < 28) & (sc >= 0) & (sc < 28)
    out = x[np.arange(n)[:, None, None], np.clip(sr, 0, 27), np.clip(sc, 0, 27)].astype("float32") / 255.0
    out *= valid
    if erasing > 0:
        erase = rng.random(n) < erasing
        area = 784 * (0.02 + rng.random(n) * 0.18)
        aspect = np.exp(rng.uniform(math.log(0.3), math.log(1 / 0.3), n))
        h = np.clip(np.round(np.sqrt(area * aspect)), 1, 28).astype(int)
        w = np.clip(np.round(np.sqrt(area / aspect)), 1, 28).astype(int)
        top = (rng.random(n) * (28 - h + 1)).astype(int)
        left = (rng.random(n) * (28 - w + 1)).astype(int)
        box = ((rows >= top[:, None, None]) & (rows < (top + h)[:, None, None])
               & (cols >= left[:, None, None]) & (cols < (left + w)[:, None, None]))
        out[erase[:, None, None] & box] = 0.0
    return out[..., None]


def stratified_holdout(y, count, seed):
    """Indices of a seeded class-stratified sample of `count` images (fmnist holds out a different one)."""
    import numpy as np
    rng = np.random.default_rng(seed)
    keep = []
    per = count // 10
    for c in range(10):
        idx = np.flatnonzero(y == c)
        keep.extend(rng.choice(idx, per, replace=False))
    return np.array(sorted(keep))


def speed(args, keras, tf):
    x = read_idx(find(args.data_dir, "train-images-idx3-ubyte"))[: args.train]
    y = read_idx(find(args.data_dir, "train-labels-idx1-ubyte"))[: args.train].astype("int32")
    x = (x.astype("float32") / 255.0)[..., None]
    model = build(keras, recipes.layers(args.recipe))
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
        "tool": "keras", "keras": keras.__version__, "tensorflow": tf.__version__, "precision": args.precision,
        "jit_compile": bool(getattr(model, "jit_compile", False)),
        "train_images": int(len(x)), "batch": args.batch, "epoch_seconds": times,
        "fit_seconds": time.perf_counter() - t0,
        "final_loss": float(hist.history["loss"][-1]), "final_accuracy": float(hist.history["accuracy"][-1]),
    }))


def recipe_training(args, keras, tf):
    import numpy as np
    r = recipes.read(args.recipe)
    t = r.get("training") or {}
    model_spec = r.get("model") or {}
    epochs = args.epochs or int(t.get("epochs", 10))
    batch = int(t.get("batch_size", 128))
    seed = int(t.get("seed", 42))
    adam = t.get("adam") or {}
    aug = t.get("augmentation") or {}
    smoothing = float(t.get("label_smoothing") or 0.0)
    decay = t.get("weight_decay") or {}
    flip_test = bool(model_spec.get("test_time_flip", False))
    keras.utils.set_random_seed(seed)

    x = read_idx(find(args.data_dir, "train-images-idx3-ubyte"))
    y = read_idx(find(args.data_dir, "train-labels-idx1-ubyte")).astype("int32")
    val = t.get("validation_split") or 0
    val = int(round(val * len(x))) if isinstance(val, float) and val < 1 else int(val)
    if val:
        held = stratified_holdout(y, val, seed)
        mask = np.ones(len(x), bool)
        mask[held] = False
        x, y = x[mask], y[mask]
    xt = (read_idx(find(args.data_dir, "t10k-images-idx3-ubyte")).astype("float32") / 255.0)[..., None]
    yt = read_idx(find(args.data_dir, "t10k-labels-idx1-ubyte")).astype("int32")
    steps = -(-len(x) // batch)

    class Batches(keras.utils.PyDataset):
        def __init__(self):
            super().__init__()
            self.rng = np.random.default_rng(seed)
            self.order = self.rng.permutation(len(x))

        def __len__(self):
            return steps

        def __getitem__(self, i):
            idx = self.order[i * batch:(i + 1) * batch]
            xb = augment(x[idx], self.rng, int(aug.get("shift", 0) or 0), bool(aug.get("flip", False)),
                         float(aug.get("erasing", 0) or 0))
            yb = keras.utils.to_categorical(y[idx], 10) if smoothing else y[idx]
            return xb, yb

        def on_epoch_end(self):
            self.order = self.rng.permutation(len(x))

    l2 = float(decay.get("rate", 0)) if str(decay.get("type", "")).lower() == "l2" else 0.0
    model = build(keras, recipes.layers(args.recipe), l2=l2)
    sgd = t.get("sgd")
    base_lr = float((sgd or {}).get("learning_rate", 0.1)) if sgd is not None else float(adam.get("learning_rate", 0.001))
    rate = lr_schedule(keras, base_lr, t.get("schedule"), steps, epochs)
    opt_args = dict(learning_rate=rate, beta_1=float(adam.get("beta1", 0.9)), beta_2=float(adam.get("beta2", 0.999)),
                    epsilon=float(adam.get("epsilon", 1e-7)))
    if sgd is not None:  # fmnist's prototype training.sgd (TF ApplyMomentum; Keras's SGD scales the velocity by lr itself)
        opt = keras.optimizers.SGD(learning_rate=rate, momentum=float(sgd.get("momentum", 0.9)),
                                   nesterov=bool(sgd.get("nesterov", True)))
    elif str(decay.get("type", "")).lower() == "decoupled":
        opt = keras.optimizers.AdamW(weight_decay=float(decay["rate"]), **opt_args)
        opt.exclude_from_weight_decay(var_names=["bias", "gamma", "beta"])
    else:
        opt = keras.optimizers.Adam(**opt_args)
    loss = (keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=smoothing) if smoothing
            else keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.compile(optimizer=opt, loss=loss, metrics=["accuracy"])
    mirrored = xt[:, :, ::-1, :].copy()
    eval_seconds = [0.0]

    class Score(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.begin = time.time()

        def on_epoch_end(self, epoch, logs=None):
            end = time.time()
            before = eval_seconds[0]
            logits = model.predict(xt, batch_size=500, verbose=0)
            single = float(np.mean(np.argmax(logits, 1) == yt))
            served = single
            if flip_test:
                both = (logits + model.predict(mirrored, batch_size=500, verbose=0)) * 0.5
                served = float(np.mean(np.argmax(both, 1) == yt))
            eval_seconds[0] += time.time() - end
            print(json.dumps({"epoch": epoch + 1, "begin": self.begin - args.t0, "end": end - args.t0, "eval_seconds_before": before,
                              "test_accuracy": served, "test_accuracy_single_view": single,
                              "loss": float(logs.get("loss", float("nan"))), "accuracy": float(logs.get("accuracy", float("nan")))}),
                  flush=True)

    print(json.dumps({"tool": "keras", "keras": keras.__version__, "tensorflow": tf.__version__,
                      "precision": args.precision, "epochs": epochs, "batch": batch, "train_images": int(len(x)),
                      "steps_per_epoch": steps, "test_time_flip": flip_test,
                      "jit_compile": bool(getattr(model, "jit_compile", False))}), flush=True)
    model.fit(Batches(), epochs=epochs, verbose=0, callbacks=[Score()])
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        t0 = time.time()
        model.export(os.path.join(d, "model"), verbose=False)
        print(json.dumps({"export_seconds": time.time() - t0}), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("recipe")
    ap.add_argument("data_dir")
    ap.add_argument("--train", type=int, help="speed mode: training images (the first N)")
    ap.add_argument("--epochs", type=int)
    ap.add_argument("--threads", type=int, required=True, help="intra-op threads (inter-op is 1)")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.001)
    ap.add_argument("--precision", choices=["float32", "bf16"], default=None,
                    help="bf16: Keras's mixed_bfloat16 policy (default: the recipe's, else float32)")
    ap.add_argument("--recipe-training", action="store_true", help="train as the recipe says and score each epoch")
    ap.add_argument("--t0", type=float, default=None, help="Unix time the command started (default: now)")
    args = ap.parse_args()
    if args.t0 is None:
        args.t0 = time.time()
    if args.precision is None:
        p = str(((recipes.read(args.recipe).get("training") or {}).get("precision")) or "float32").lower()
        args.precision = p if args.recipe_training else "float32"

    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    import keras
    if args.precision == "bf16":
        keras.mixed_precision.set_global_policy("mixed_bfloat16")
    if args.recipe_training:
        recipe_training(args, keras, tf)
    else:
        if not (args.train and args.epochs):
            sys.exit("speed mode needs --train and --epochs")
        keras.utils.set_random_seed(42)
        speed(args, keras, tf)


if __name__ == "__main__":
    main()
