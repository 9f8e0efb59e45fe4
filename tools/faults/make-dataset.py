#!/usr/bin/env python3
"""Writes a tiny Fashion-MNIST-shaped dataset (four gzip IDX files) for the fault scripts.

Class c lights rows 2c+4..2c+6 over low noise, so a tiny model learns it in a few epochs.
Usage: make-dataset.py DIR [TRAIN_COUNT] [TEST_COUNT]
"""
import gzip
import os
import random
import struct
import sys


def images_and_labels(n, seed):
    rng = random.Random(seed)
    pixels = bytearray(n * 784)
    labels = bytearray(n)
    for i in range(n):
        c = i % 10
        labels[i] = c
        base = i * 784
        for k in range(784):
            row = k // 28
            v = rng.randrange(40)
            if 2 * c + 4 <= row < 2 * c + 7:
                v = 180 + rng.randrange(76)
            pixels[base + k] = v
    return bytes(pixels), bytes(labels)


def write(path, data):
    tmp = path + ".part"
    with open(tmp, "wb") as f:
        f.write(gzip.compress(data, mtime=0))
    os.replace(tmp, path)


def main():
    out = sys.argv[1]
    n_train = int(sys.argv[2]) if len(sys.argv) > 2 else 600
    n_test = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    os.makedirs(out, exist_ok=True)
    for prefix, n, seed in (("train", n_train, 1), ("t10k", n_test, 2)):
        pixels, labels = images_and_labels(n, seed)
        write(os.path.join(out, prefix + "-images-idx3-ubyte.gz"), struct.pack(">IIII", 0x803, n, 28, 28) + pixels)
        write(os.path.join(out, prefix + "-labels-idx1-ubyte.gz"), struct.pack(">II", 0x801, n) + labels)


if __name__ == "__main__":
    main()
