"""Writes the first N training images (and all test images) of a Fashion-MNIST directory as a new
gzipped IDX dataset, for benchmarks on a part of the training set.

    python3 tools/bench/subset_idx.py SRC_DIR DST_DIR N
"""
import gzip
import os
import sys

src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(dst, exist_ok=True)
for stem, item in (("train-images-idx3-ubyte", 784), ("train-labels-idx1-ubyte", 1),
                   ("t10k-images-idx3-ubyte", None), ("t10k-labels-idx1-ubyte", None)):
    p = os.path.join(src, stem + ".gz")
    raw = gzip.open(p).read() if os.path.exists(p) else open(os.path.join(src, stem), "rb").read()
    if item is not None:
        head = 8 if item == 1 else 16
        raw = raw[:4] + n.to_bytes(4, "big") + raw[8:head] + raw[head:head + n * item]
    with gzip.open(os.path.join(dst, stem + ".gz"), "wb", compresslevel=1) as f:
        f.write(raw)
