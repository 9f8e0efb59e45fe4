"""Writes a small RGB image-folder dataset of coloured squares for the folder-model interop check.

    python tools/interop/make_colour_squares.py DIR [--size 16] [--train 40] [--test 15] [--seed 1]

DIR/train/<colour>/NNN.png: photos of 12 to 40 pixels a side (fmnist resizes them), a square of the class's
colour on a noisy gray background; DIR/test/<colour>/NNN.png: the same at exactly --size x --size, so that
Python and fmnist feed the model the same pixels. Classes: blue, green, red.
"""

import argparse
import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

COLOURS = {"blue": (40, 60, 210), "green": (40, 190, 60), "red": (210, 40, 40)}


def square(rng, colour, w, h):
    img = np.repeat(rng.integers(70, 130, size=(h, w, 1)), 3, axis=2).astype(np.uint8)
    side = max(5, int(min(w, h) * rng.uniform(0.5, 0.8)))
    y, x = rng.integers(0, h - side + 1), rng.integers(0, w - side + 1)
    img[y:y + side, x:x + side] = colour
    return img


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--size", type=int, default=16)
    ap.add_argument("--train", type=int, default=40)
    ap.add_argument("--test", type=int, default=15)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    for part, n in (("train", args.train), ("test", args.test)):
        for name, colour in COLOURS.items():
            d = args.dir / part / name
            d.mkdir(parents=True, exist_ok=True)
            for i in range(n):
                w, h = (args.size, args.size) if part == "test" else rng.integers(12, 41, size=2)
                (d / f"{i:03d}.png").write_bytes(tf.io.encode_png(square(rng, colour, int(w), int(h))).numpy())
    print(f"wrote {len(COLOURS) * (args.train + args.test)} images to {args.dir}")


if __name__ == "__main__":
    main()
