#!/usr/bin/env python3
"""Multiply-adds and FLOPs per image of an fmnist recipe's network, counted layer by layer.

usage: flops.py RECIPE [RECIPE...] [--per-layer]

Counts the multiply-adds (MACs) of convolutions (output positions x kernel area x input channels x
filters) and dense layers (inputs x units), from the output shapes the recipe implies for a 28x28x1
image (SAME padding: ceil(in/stride); VALID: floor((in-k)/stride)+1). FLOPs = 2 x MACs. A training
step costs, per image, the forward pass plus two products of the same size in the backward pass
(gradient with respect to the input and with respect to the weights), so training FLOPs = 3 x
forward FLOPs, less the input gradient of the first layer (the image needs none). Batch norm, ReLU,
pooling, the loss and the Adam update are left out: they are linear in the activations, not in the
weights, and were under 15% of a step's op time in tools/bench/profile.sh. test_time_flip doubles
the inference cost (two views).
"""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from recipe import layers as parse_layers  # noqa: E402  (the recipe reader the Keras benchmark uses)


def out_size(n, k, stride, padding):
    return math.ceil(n / stride) if padding == "same" else (n - k) // stride + 1


def count(layers):
    """[(name, output shape, MACs, params)] for a 28x28x1 input."""
    h = w = 28
    c = 1
    flat = None
    rows = []

    def conv(name, f, k, s, pad, bias):
        nonlocal h, w, c
        h2, w2 = out_size(h, k, s, pad), out_size(w, k, s, pad)
        macs = h2 * w2 * k * k * c * f
        params = k * k * c * f + (f if bias else 0)
        rows.append((name, (h2, w2, f), macs, params))
        return h2, w2

    for i, (kind, a) in enumerate(layers):
        name = f"{i:02d} {kind}"
        if kind == "conv":
            bn = a.get("batch_norm", False)
            h2, w2 = conv(name, a["filters"], a.get("kernel", 3), a.get("stride", 1),
                          str(a.get("padding", "valid")).lower(), not bn)
            h, w, c = h2, w2, a["filters"]
        elif kind == "maxpool":
            size = a.get("size", 2)
            pad = str(a.get("padding", "valid")).lower()
            h, w = out_size(h, size, a.get("stride", size), pad), out_size(w, size, a.get("stride", size), pad)
            rows.append((name, (h, w, c), 0, 0))
        elif kind == "residual":
            f, s = a["filters"], a.get("stride", 1)
            h0, w0, c0 = h, w, c
            h2, w2 = conv(name + " conv1", f, 3, s, "same", False)
            h, w, c = h2, w2, f
            conv(name + " conv2", f, 3, 1, "same", False)
            if s != 1 or c0 != f:
                h, w, c = h0, w0, c0
                conv(name + " proj", f, 1, s, "same", False)
            h, w, c = h2, w2, f
        elif kind == "flatten":
            flat = h * w * c
            rows.append((name, (flat,), 0, 0))
        elif kind == "global_avg_pool":
            flat = c
            rows.append((name, (flat,), 0, 0))
        elif kind == "dense":
            n_in = flat if flat is not None else h * w * c
            rows.append((name, (a["units"],), n_in * a["units"], n_in * a["units"] + a["units"]))
            flat = a["units"]
        elif kind in ("dropout", "batchnorm"):
            pass
        else:
            sys.exit(f"unsupported layer type: {kind}")
    return rows


def summary(path):
    layers = parse_layers(path)
    rows = count(layers)
    macs = sum(r[2] for r in rows)
    first = next((r[2] for r in rows if r[2] > 0), 0)
    fwd = 2 * macs
    train = 3 * fwd - 2 * first
    flip = any(True for line in open(path, encoding="utf-8") if line.strip().startswith("test_time_flip: true"))
    return rows, dict(recipe=path, macs=macs, params=sum(r[3] for r in rows), forward_flops=fwd,
                      train_flops=train, serve_flops=fwd * (2 if flip else 1), flip=flip)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    per_layer = "--per-layer" in sys.argv
    if not args:
        sys.exit(__doc__)
    print("| recipe | params | forward MFLOP/image | training MFLOP/image | training TFLOP per 60,000-image epoch | served MFLOP/image |")
    print("|---|---:|---:|---:|---:|---:|")
    for path in args:
        rows, s = summary(path)
        print(f"| {os.path.basename(path)} | {s['params']:,} | {s['forward_flops'] / 1e6:.1f} | {s['train_flops'] / 1e6:.1f} "
              f"| {s['train_flops'] * 60000 / 1e12:.2f} | {s['serve_flops'] / 1e6:.1f}{' (flip)' if s['flip'] else ''} |")
        if per_layer:
            for name, shape, m, p in rows:
                print(f"|   {name} | {p:,} | {2 * m / 1e6:.2f} | | | out {'x'.join(map(str, shape))} |")


if __name__ == "__main__":
    main()
