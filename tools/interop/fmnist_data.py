"""Fashion-MNIST test images for the interop checks, found where fmnist finds them.

Lookup order (as in fmnist): --data-dir, $FMNIST_DATA, data/fashion-mnist/ in the repository,
/usr/share/datasets/fashion-mnist/. Files may be .gz or raw. The IDX headers are checked.
"""

import gzip
import os
import struct
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
SYSTEM_DIR = Path("/usr/share/datasets/fashion-mnist")
CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def locate(data_dir=None):
    """The first directory holding the test images, in fmnist's lookup order."""
    candidates = [Path(data_dir)] if data_dir else [
        *([Path(os.environ["FMNIST_DATA"])] if os.environ.get("FMNIST_DATA") else []),
        REPO / "data" / "fashion-mnist",
        SYSTEM_DIR,
    ]
    for d in candidates:
        if _find(d, "t10k-images-idx3-ubyte"):
            return d
    raise SystemExit(f"error: Fashion-MNIST: no t10k-images-idx3-ubyte(.gz) in {', '.join(map(str, candidates))}")


def _find(d, name):
    for f in (d / name, d / (name + ".gz")):
        if f.is_file():
            return f
    return None


def _read_idx(path, magic, dims):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        data = f.read()
    found = struct.unpack(">I", data[:4])[0]
    if found != magic:
        raise SystemExit(f"error: {path}: IDX magic 0x{found:08x}, expected 0x{magic:08x}")
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    payload = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims)
    if payload.size != int(np.prod(shape)):
        raise SystemExit(f"error: {path}: {payload.size} bytes of data, header says {shape}")
    return payload.reshape(shape)


def load(split="test", data_dir=None):
    """(images uint8 [n,28,28], labels uint8 [n]) of the 'test' or 'train' split."""
    d = locate(data_dir)
    prefix = "t10k" if split == "test" else "train"
    images = _read_idx(_find(d, f"{prefix}-images-idx3-ubyte"), 0x803, 3)
    labels = _read_idx(_find(d, f"{prefix}-labels-idx1-ubyte"), 0x801, 1)
    if images.shape[0] != labels.shape[0]:
        raise SystemExit(f"error: {d}: {images.shape[0]} {split} images but {labels.shape[0]} labels")
    return images, labels


def scaled(images):
    """What the SavedModels take: float32 [n,28,28,1], raw byte / 255."""
    return (images.astype(np.float32) / np.float32(255.0))[..., np.newaxis]
