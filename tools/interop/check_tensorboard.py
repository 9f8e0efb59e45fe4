"""Checks an fmnist run's TensorBoard event files with TensorBoard's own reader.

    python tools/interop/check_tensorboard.py RUN_DIR [--no-histograms] [--no-graph]

Reads RUN_DIR/tensorboard/train and RUN_DIR/tensorboard/validation with
tensorboard.backend.event_processing.event_accumulator (every event kept, and TensorBoard's purge of
events orphaned by a restart turned off, so what the files hold is checked, not what TensorBoard would
hide), and RUN_DIR/history.csv:
  1. every history.csv metric column (loss, accuracy, learning_rate, user metrics) is train/'s
     epoch_<column>, and every val_<metric> column is validation/'s epoch_<metric>: one value per epoch
     at step epoch - 1 (Keras's 0-based epoch index), equal to the CSV's value to the digits the CSV
     prints plus float32 rounding; no tag has a value the history does not;
  2. each tag's steps are unique (a resumed run wrote nothing twice), batch_* steps increasing;
  3. train/ has weight histograms (<variable>/histogram) for the last epoch, and each histogram tag
     (gradients, <variable>/gradient, too) has unique steps within the history's epochs;
  4. train/ holds exactly one graph, and it parses;
  5. read with TensorBoard's default restart handling (SessionLog START purges), the scalars are the same.
Prints one line per check; exits 0 when all pass, 1 when one fails, 2 when RUN_DIR lacks the files.
"""

import argparse
import csv
import glob
import math
import os
import sys
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from tensorboard.backend.event_processing import event_accumulator  # noqa: E402
from tensorboard.backend.event_processing import event_file_loader  # noqa: E402

NOT_METRICS = {"epoch", "seconds", "train_seconds"}
KEEP_ALL = {event_accumulator.COMPRESSED_HISTOGRAMS: 0, event_accumulator.IMAGES: 0,
            event_accumulator.AUDIO: 0, event_accumulator.SCALARS: 0,
            event_accumulator.HISTOGRAMS: 0, event_accumulator.TENSORS: 0}


class Check:
    """Collects failures; prints one line per check."""

    def __init__(self):
        self.failures = []

    def ok(self, what):
        print(f"  ok   {what}")

    def fail(self, what):
        print(f"  FAIL {what}")
        self.failures.append(what)

    def expect(self, condition, what, detail=""):
        if condition:
            self.ok(what)
        else:
            self.fail(what + (f": {detail}" if detail else ""))
        return condition


def load(run_dir, purge):
    acc = event_accumulator.EventAccumulator(str(run_dir), size_guidance=KEEP_ALL, purge_orphaned_data=purge)
    acc.Reload()
    return acc


def read_history(path):
    """history.csv as {column: [(epoch, text), ...]} for the metric columns, empty cells left out."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    columns = {}
    for row in rows:
        epoch = int(row["epoch"])
        for name, text in row.items():
            if name in NOT_METRICS or text is None or text.strip() == "":
                continue
            columns.setdefault(name, []).append((epoch, text.strip()))
    return rows, columns


def tolerance(text):
    """Half a unit in the last printed digit of a CSV number, plus float32 rounding."""
    d = Decimal(text)
    printed = 0.5 * 10.0 ** d.as_tuple().exponent if d.is_finite() else 0.0
    return printed + abs(float(d)) * 2.0 ** -23


def check_scalars(check, acc, run, tag, expected):
    """expected: [(epoch, csv text)]; the tag's events must be exactly one per epoch at step epoch - 1."""
    if tag not in acc.Tags()["scalars"]:
        check.fail(f"{run}/{tag}: missing")
        return
    events = acc.Scalars(tag)
    steps = [e.step for e in events]
    want_steps = [epoch - 1 for epoch, _ in expected]
    if not check.expect(sorted(steps) == want_steps and len(set(steps)) == len(steps),
                        f"{run}/{tag}: steps {_span(steps)} (one per history.csv epoch, unique)",
                        f"expected {_span(want_steps)}, found {steps}"):
        return
    by_step = {e.step: e.value for e in events}
    worst = 0.0
    bad = []
    for epoch, text in expected:
        got = float(np.float32(by_step[epoch - 1]))
        want = float(text)
        diff = abs(got - want) if not (math.isinf(got) and got == want) else 0.0
        if not diff <= tolerance(text):
            bad.append(f"epoch {epoch}: event {got!r}, history.csv {text}")
        worst = max(worst, diff)
    check.expect(not bad, f"{run}/{tag}: values equal history.csv (max difference {worst:.3g})", "; ".join(bad[:5]))


def _span(steps):
    if not steps:
        return "[]"
    return f"{min(steps)}..{max(steps)}" if len(steps) > 3 else str(list(steps))


def graph_events(run_dir):
    n = 0
    for f in sorted(glob.glob(str(run_dir / "*tfevents*"))):
        for event in event_file_loader.LegacyEventFileLoader(f).Load():
            if event.HasField("graph_def"):
                n += 1
    return n


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--no-histograms", action="store_true", help="the run wrote no histograms")
    parser.add_argument("--no-graph", action="store_true", help="the run wrote no graph")
    args = parser.parse_args()
    logs = args.run_dir / "tensorboard"
    train_dir, val_dir = logs / "train", logs / "validation"
    history_csv = args.run_dir / "history.csv"
    for p in (history_csv, train_dir):
        if not p.exists():
            print(f"error: {p}: not found", file=sys.stderr)
            return 2
    if not glob.glob(str(train_dir / "*tfevents*")):
        print(f"error: {train_dir}: no event files", file=sys.stderr)
        return 2

    check = Check()
    rows, columns = read_history(history_csv)
    print(f"{args.run_dir}: {len(rows)} epochs in history.csv; metric columns {sorted(columns)}")
    train = load(train_dir, purge=False)
    val = load(val_dir, purge=False) if val_dir.exists() else None
    train_purged = load(train_dir, purge=True)
    val_purged = load(val_dir, purge=True) if val_dir.exists() else None

    print("epoch scalars against history.csv:")
    expected = {"train": {}, "validation": {}}
    for name, values in sorted(columns.items()):
        if name.startswith("val_"):
            expected["validation"]["epoch_" + name[4:]] = values
        else:
            expected["train"]["epoch_" + name] = values
    for run, acc in (("train", train), ("validation", val)):
        if expected[run] and acc is None:
            check.fail(f"{run}: history.csv has {sorted(expected[run])} but {val_dir} does not exist")
            continue
        for tag, values in sorted(expected[run].items()):
            check_scalars(check, acc, run, tag, values)
        if acc is not None:
            extra = [t for t in acc.Tags()["scalars"] if t.startswith("epoch_") and t not in expected[run]]
            check.expect(not extra, f"{run}: no epoch scalar without a history.csv column", str(extra))

    print("steps:")
    for run, acc in (("train", train), ("validation", val)):
        if acc is None:
            continue
        dupes = {}
        for tag in acc.Tags()["scalars"]:
            steps = [e.step for e in acc.Scalars(tag)]
            if len(set(steps)) != len(steps):
                dupes[tag] = sorted({s for s in steps if steps.count(s) > 1})[:5]
        check.expect(not dupes, f"{run}: every scalar tag's steps are unique", str(dupes))
        for tag in sorted(t for t in acc.Tags()["scalars"] if t.startswith("batch_")):
            steps = [e.step for e in acc.Scalars(tag)]
            check.expect(all(a < b for a, b in zip(steps, steps[1:])),
                         f"{run}/{tag}: {len(steps)} batch values at steps {_span(steps)}, increasing")

    epochs = {int(r["epoch"]) - 1 for r in rows}
    last = max(epochs) if epochs else None
    if not args.no_histograms:
        print("histograms:")
        tags = train.Tags()["histograms"]
        weights = [t for t in tags if t.endswith("/histogram")]
        gradients = [t for t in tags if t.endswith("/gradient")]
        check.expect(weights and all(last in {h.step for h in train.Histograms(t)} for t in weights),
                     f"train: {len(weights)} weight histograms, each at the last epoch (step {last})",
                     f"tags {sorted(tags)}")
        print(f"  ({len(gradients)} gradient histograms)")
        bad = {}
        for t in tags:
            steps = [h.step for h in train.Histograms(t)]
            if len(set(steps)) != len(steps) or not set(steps) <= epochs:
                bad[t] = steps
        check.expect(not bad, "train: histogram steps unique and within the history's epochs", str(bad)[:300])

    if not args.no_graph:
        print("graph:")
        n = graph_events(train_dir)
        if check.expect(n == 1, f"train: {n} graph event(s), one expected"):
            try:
                nodes = len(train.Graph().node)
                check.expect(nodes > 0, f"train: the graph parses ({nodes} nodes)")
            except ValueError as e:
                check.fail(f"train: graph does not parse: {e}")

    print("with TensorBoard's restart handling (SessionLog START):")
    starts = sum(1 for f in sorted(glob.glob(str(train_dir / "*tfevents*")))
                 for e in event_file_loader.LegacyEventFileLoader(f).Load() if e.HasField("session_log"))
    print(f"  ({starts} START events in train/)")
    for run, raw, purged in (("train", train, train_purged), ("validation", val, val_purged)):
        if raw is None:
            continue
        same = all([(e.step, e.value) for e in raw.Scalars(t)] == [(e.step, e.value) for e in purged.Scalars(t)]
                   for t in raw.Tags()["scalars"]) and raw.Tags()["scalars"] == purged.Tags()["scalars"]
        check.expect(same, f"{run}: TensorBoard's view shows the same scalars")

    if check.failures:
        print(f"{len(check.failures)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
