#!/usr/bin/env python3
"""Turns tools/bench/run.sh's runs.tsv into the Markdown table it prints and writes to RESULTS.md."""
import datetime
import os
import platform
import statistics
import subprocess
import sys

runs_file, out, cmd, threads, warm, measured, evalline = sys.argv[1:8]


def lscpu(key):
    for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
        if line.startswith(key + ":"):
            return line.split(":", 1)[1].strip()
    return "?"


rows = []
for line in open(runs_file, encoding="utf-8"):
    tool, model, prec, n, secs, rss, first, load = line.rstrip("\n").split("\t")
    s = [float(x) for x in secs.split()]
    med = statistics.median(s)
    rows.append(dict(tool=tool, model=model, prec=prec, n=int(n), secs=s, med=med, sps=int(n) / med,
                     rss=rss, first=first, load=load))
keras = {r["model"]: r for r in rows if r["tool"] == "keras"}
lines = ["| model | tool | precision | samples/s (median) | s/epoch (median; measured epochs) | peak RSS MB"
         " | vs Keras float32 | JVM start to 1st step | load avg 1/5/15 before the run |",
         "|---|---|---|---:|---|---:|---:|---:|---|"]
for r in rows:
    k = keras.get(r["model"])
    ratio = f"{r['sps'] / k['sps']:.2f}x" if k else "-"
    lines.append(f"| {r['model']} | {r['tool']} | {r['prec']} | {r['sps']:,.0f} | {r['med']:.2f} ("
                 + ", ".join(f"{x:.2f}" for x in r["secs"]) + f") | {r['rss']} | {ratio} | "
                 + (f"{r['first']} s" if r["first"] else "-") + f" | {r['load']} |")
table = "\n".join(lines)
ev = ""
if evalline:
    wall, rss, load, predicted, model, timing = (evalline.split("\t") + [""] * 6)[:6]
    which = "the shipped cnn" if model.startswith("savedmodels/") else "the benchmark's cnn"
    ev = (f"\n`fmnist evaluate {model}` ({which}) on the 10,000 test images: **{float(wall):.2f} s wall** "
          f"(JVM start to exit, from the shell), peak RSS {rss} MB, load before: {load}.  \n"
          f"Its own lines: `{predicted.strip()}`; `{timing.strip()}`\n")
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
n = rows[0]["n"] if rows else 0
text = f"""# fmnist vs Keras: training benchmark

Measured {now} on {lscpu('Model name')}, {os.cpu_count()} logical CPUs ({lscpu('Thread(s) per core')} thread(s) per core),
{platform.system()} {platform.release()}; no GPU. Command: `{cmd}`

Each tool trains the recipe's architecture for {int(warm) + int(measured)} epochs ({warm} warm-up, then the median of
{measured} measured epochs; validation excluded) on {n:,} training images, batch 128, Adam, float32 (bf16 row:
fmnist `--precision bf16`), {threads} intra-op thread(s), 1 inter-op thread. Samples/s = training images /
median epoch seconds. fmnist: `train_seconds` of history.csv; Keras: `model.fit` epoch callbacks (Keras 3
defaults, see keras_bench.py). Peak RSS from `/usr/bin/time -v` (whole process).
"others=N" in the load column counts other `fmnist.jar train` processes still running when the run started
(the harness waits up to BENCH_WAIT seconds for them).

{table}
{ev}"""
print(text)
with open(out, "w", encoding="utf-8") as f:
    f.write(text)
