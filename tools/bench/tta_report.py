#!/usr/bin/env python3
"""Summaries for tools/bench/time_to_accuracy.sh.

  tta_report.py run EPOCHS_TSV OUT_JSON --recipe R --tool T --version V --precision P --total S
                    --load-start L --load-end L --targets "92 94 95" --minutes "15 30 60"
  tta_report.py table RESULT_JSON... --command CMD --threads N [--out FILE]

EPOCHS_TSV rows: epoch, end of the epoch's training (s since the command started), export seconds,
model ready (s), served test accuracy, single-view test accuracy (or empty), training seconds of the epoch.
Time to a target: when the first model (in the order they became ready) whose served accuracy
reaches it was ready. Accuracy at T minutes: that of the newest model ready by then (no choice by
test accuracy).
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def run(a):
    rows = []
    for line in open(a.epochs_tsv, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        rows.append(dict(epoch=int(f[0]), train_end=float(f[1]), export_s=float(f[2]), ready=float(f[3]),
                         acc=float(f[4]), acc_single=float(f[5]) if f[5] else None,
                         train_s=float(f[6]) if len(f) > 6 and f[6] else None))
    rows.sort(key=lambda r: r["epoch"])
    to_target = {}
    for t in a.targets.split():
        hits = [r for r in rows if r["acc"] * 100 >= float(t) - 1e-9]
        hit = min(hits, key=lambda r: r["ready"]) if hits else None
        to_target[t] = None if hit is None else dict(seconds=hit["ready"], epoch=hit["epoch"])
    at_minutes = {}
    for m in a.minutes.split():
        ready = [r for r in rows if r["ready"] <= float(m) * 60]  # the newest epoch exported by then
        at_minutes[m] = None if not ready else dict(acc=ready[-1]["acc"], epoch=ready[-1]["epoch"])
    secs = [r["train_s"] for r in rows if r["train_s"] is not None]
    epochs = max((r["epoch"] for r in rows), default=0)
    if a.history and os.path.exists(a.history):  # every epoch's training time, also the unscored ones
        import csv
        hist = list(csv.DictReader(open(a.history, encoding="utf-8")))
        secs = [float(h["train_seconds"]) for h in hist]
        epochs = len(hist)
    flops = None
    try:
        import flops as fl
        flops = fl.summary(a.recipe)[1]
    except SystemExit:
        pass
    final = rows[-1] if rows else None
    import recipe as recipes
    val = (recipes.read(a.recipe).get("training") or {}).get("validation_split") or 0
    train_images = 60000 - (round(val * 60000) if isinstance(val, float) and val < 1 else int(val))
    out = dict(recipe=a.recipe, tool=a.tool, version=a.version, precision=a.precision or "float32",
               epochs=epochs, scored_epochs=len(rows), train_images=train_images, total_seconds=float(a.total), load_start=a.load_start, load_end=a.load_end,
               median_epoch_train_seconds=statistics.median(secs[1:] or secs) if secs else None,
               final_accuracy=final["acc"] if final else None,
               final_accuracy_single_view=final["acc_single"] if final else None,
               to_target=to_target, at_minutes=at_minutes, epochs_detail=rows, flops=flops,
               cpu=cpu_model(), measured=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    with open(a.out_json, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)
    print(f"  {a.tool} {os.path.basename(a.recipe)}: {epochs} epochs, final {fmt_acc(out['final_accuracy'])}, "
          f"total {float(a.total):.0f} s; " + ", ".join(f"{t}%: {fmt_time(v)}" for t, v in to_target.items()))


def cpu_model():
    for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
        if line.startswith("Model name:"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "?"


def fmt_time(v):
    if v is None:
        return "not reached"
    s = v["seconds"]
    return f"{s:,.0f} s ({s / 60:.1f} min, epoch {v['epoch']})"


def fmt_acc(x):
    return "-" if x is None else f"{100 * x:.2f}%"


def table(a):
    res = [json.load(open(p, encoding="utf-8")) for p in a.results]
    targets = list(res[0]["to_target"]) if res else []
    minutes = list(res[0]["at_minutes"]) if res else []
    head = (["recipe", "tool", "precision", "epochs", "training s/epoch (median)", "training GFLOP/s"]
            + [f"time to {t}%" for t in reversed(targets)] + [f"accuracy at {m} min" for m in minutes]
            + ["final accuracy (served)", "single-view", "whole command", "load avg before / after"])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * 3 + "---:|" * (len(head) - 4) + "---|"]
    for r in res:
        med = r["median_epoch_train_seconds"]
        gflops = "-"
        if med and r.get("flops"):
            gflops = f"{r['flops']['train_flops'] * r['train_images'] / med / 1e9:.0f}"
        cells = [os.path.basename(r["recipe"]), r["version"], r["precision"], str(r["epochs"]),
                 f"{med:.1f}" if med else "-", gflops]
        cells += [fmt_time(r["to_target"][t]) for t in reversed(targets)]
        for m in minutes:
            v = r["at_minutes"][m]
            cells.append("-" if v is None else f"{fmt_acc(v['acc'])} (epoch {v['epoch']})")
        cells += [fmt_acc(r["final_accuracy"]), fmt_acc(r["final_accuracy_single_view"]),
                  f"{r['total_seconds']:,.0f} s", f"{r['load_start']} / {r['load_end']}"]
        lines.append("| " + " | ".join(cells) + " |")
    cpu = res[0]["cpu"] if res else "?"
    when = res[-1]["measured"] if res else ""
    text = (f"\n### Time to accuracy, {when} on {cpu} ({os.cpu_count()} CPUs), {a.threads} intra-op threads\n\n"
            f"Command: `{a.command}`\n\n" + "\n".join(lines) + "\n")
    print(text)
    if a.out:
        with open(a.out, "a", encoding="utf-8") as f:
            f.write(text)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("epochs_tsv")
    r.add_argument("out_json")
    for k in ("--recipe", "--tool", "--version", "--precision", "--total", "--load-start", "--load-end",
              "--targets", "--minutes"):
        r.add_argument(k, required=k != "--precision", default="")
    r.add_argument("--history", help="fmnist's history.csv (training seconds of every epoch)")
    t = sub.add_parser("table")
    t.add_argument("results", nargs="+")
    t.add_argument("--command", required=True)
    t.add_argument("--threads", required=True)
    t.add_argument("--out")
    a = ap.parse_args()
    run(a) if a.cmd == "run" else table(a)


if __name__ == "__main__":
    main()
