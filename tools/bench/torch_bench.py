#!/usr/bin/env python3
"""Trains an fmnist recipe's architecture with PyTorch (CPU) for the peer benchmark (tools/bench/peers.sh).

The same layers as keras_bench.py builds (convolutions with He normal / Glorot uniform kernels and
zero biases, batch norm momentum 0.01 in PyTorch's convention = Keras's 0.99, epsilon 1e-3, residual
blocks with 1x1 projection shortcuts), Adam (lr 0.001, epsilon 1e-7 as Keras and fmnist), batch 128,
on the first N training images, channels-last memory format, T intra-op threads (1 inter-op). bf16:
torch.autocast("cpu", dtype=torch.bfloat16) around the forward pass and the loss, weights float32.
Batches are sliced from one shuffled float32 tensor per epoch (no DataLoader workers). Prints one JSON
line with each epoch's training seconds.

usage: torch_bench.py RECIPE DATA_DIR --train N --epochs E --threads T [--batch 128] [--precision bf16]
"""
import argparse
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import recipe as recipes  # noqa: E402
from keras_bench import find, read_idx  # noqa: E402


def build(torch, layers):
    nn = torch.nn

    def he(m):  # He normal truncated at two standard deviations, as fmnist and Keras
        std = math.sqrt(2.0 / m.weight[0].numel())
        nn.init.trunc_normal_(m.weight, std=std, a=-2 * std, b=2 * std)

    def glorot(m):
        nn.init.xavier_uniform_(m.weight)

    def conv(cin, f, k, s, pad, bias, relu):
        padding = (k // 2) if pad == "same" else 0
        m = nn.Conv2d(cin, f, k, stride=s, padding=padding, bias=bias)
        (he if relu else glorot)(m)
        if bias:
            nn.init.zeros_(m.bias)
        return m

    def bn(c):
        return nn.BatchNorm2d(c, momentum=0.01, eps=1e-3)

    class Residual(nn.Module):
        def __init__(self, cin, f, s):
            super().__init__()
            self.body = nn.Sequential(conv(cin, f, 3, s, "same", False, True), bn(f), nn.ReLU(),
                                      conv(f, f, 3, 1, "same", False, False), bn(f))
            self.short = (nn.Sequential(conv(cin, f, 1, s, "same", False, False), bn(f))
                          if s != 1 or cin != f else nn.Identity())

        def forward(self, x):
            return torch.relu(self.body(x) + self.short(x))

    mods = []
    c, h, w, flat = 1, 28, 28, None
    for kind, a in layers:
        if kind == "conv":
            relu = str(a.get("activation", "relu")).lower() != "none"
            k, s, pad = a.get("kernel", 3), a.get("stride", 1), str(a.get("padding", "valid")).lower()
            if pad == "same" and (k % 2 == 0 or s != 1):
                sys.exit("torch_bench.py: SAME padding is only replayed for odd kernels with stride 1")
            use_bn = a.get("batch_norm", False)
            mods.append(conv(c, a["filters"], k, s, pad, not use_bn, relu))
            if use_bn:
                mods.append(bn(a["filters"]))
            if relu:
                mods.append(nn.ReLU())
            c = a["filters"]
            h = h if pad == "same" else (h - k) // s + 1
            w = w if pad == "same" else (w - k) // s + 1
        elif kind == "maxpool":
            size = a.get("size", 2)
            stride = a.get("stride", size)
            mods.append(nn.MaxPool2d(size, stride))
            h, w = (h - size) // stride + 1, (w - size) // stride + 1
        elif kind == "flatten":
            mods.append(nn.Flatten())
            flat = c * h * w
        elif kind == "dense":
            relu = str(a.get("activation", "relu")).lower() != "none"
            n_in = flat if flat is not None else c
            m = nn.Linear(n_in, a["units"])
            (he if relu else glorot)(m)
            nn.init.zeros_(m.bias)
            mods.append(m)
            if relu:
                mods.append(nn.ReLU())
            flat = a["units"]
        elif kind == "dropout":
            mods.append(nn.Dropout(a.get("rate", 0.5)))
        elif kind == "residual":
            f, s = a["filters"], a.get("stride", 1)
            mods.append(Residual(c, f, s))
            c, h, w = f, -(-h // s), -(-w // s)
        elif kind == "global_avg_pool":
            mods.append(nn.AdaptiveAvgPool2d(1))
            mods.append(nn.Flatten())
            flat = c
        elif kind == "batchnorm":
            mods.append(nn.BatchNorm1d(flat, momentum=0.01, eps=1e-3) if flat else bn(c))
        else:
            sys.exit(f"unsupported layer type: {kind}")
    return nn.Sequential(*mods)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("recipe")
    ap.add_argument("data_dir")
    ap.add_argument("--train", type=int, required=True)
    ap.add_argument("--epochs", type=int, required=True)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.001)
    ap.add_argument("--precision", choices=["float32", "bf16"], default="float32")
    args = ap.parse_args()

    import torch
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(42)
    x = read_idx(find(args.data_dir, "train-images-idx3-ubyte"))[: args.train]
    y = read_idx(find(args.data_dir, "train-labels-idx1-ubyte"))[: args.train]
    x = torch.from_numpy((x.astype("float32") / 255.0)[:, None, :, :].copy())
    y = torch.from_numpy(y.astype("int64"))
    model = build(torch, recipes.layers(args.recipe)).to(memory_format=torch.channels_last)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()
    bf16 = args.precision == "bf16"
    times, losses = [], []
    gen = torch.Generator().manual_seed(42)
    model.train()
    for _ in range(args.epochs):
        t0 = time.perf_counter()
        order = torch.randperm(len(x), generator=gen)
        xs, ys = x[order].contiguous(memory_format=torch.channels_last), y[order]
        total = 0.0
        for i in range(0, len(xs), args.batch):
            xb, yb = xs[i:i + args.batch], ys[i:i + args.batch]
            opt.zero_grad(set_to_none=True)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(xb)
        times.append(time.perf_counter() - t0)
        losses.append(total / len(xs))
    print(json.dumps({"tool": "pytorch", "torch": torch.__version__, "precision": args.precision,
                      "threads": torch.get_num_threads(), "mkldnn": bool(torch.backends.mkldnn.is_available()),
                      "train_images": int(len(x)), "batch": args.batch, "epoch_seconds": times,
                      "final_loss": losses[-1]}))


if __name__ == "__main__":
    main()
