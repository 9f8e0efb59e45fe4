#!/usr/bin/env python3
"""The table of tools/bench/peers.sh: samples/s per tool (median and best measured epoch), the
fmnist / Keras (median and best) and fmnist / PyTorch ratios, the load average, and the fraction of
the CPU's float32 peak.

Peak float32 FLOP/s = cores x clock x FLOPs per cycle and core. FLOPs per cycle and core: an
Intel core with AVX-512 and two 512-bit FMA units does 2 units x 16 floats x 2 (multiply + add) = 64;
AMD Zen 4 runs AVX-512 on two 256-bit FMA pipes, 2 x 8 x 2 = 32; other x86 with AVX2 + FMA: 32.
The clock is PEAK_GHZ if set, else lscpu's "CPU max MHz", else the TSC rate (BogoMIPS / 2) that a
virtual machine reports. PEAK_FLOP_PER_CYCLE overrides the per-core figure.

usage: peers_report.py RUNS_TSV --warmup W --command CMD --threads N --recipes DIR [--out FILE] [--notes TEXT]
"""
import argparse
import datetime
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flops  # noqa: E402


def lscpu():
    out = {}
    for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            out[k.strip()] = v.strip()
    return out


def peak():
    """(FLOP/s, formula text) of float32 on every core."""
    info = lscpu()
    flags = info.get("Flags", "").split()
    cores = os.cpu_count()
    vendor = info.get("Vendor ID", "")
    if os.environ.get("PEAK_FLOP_PER_CYCLE"):
        per = float(os.environ["PEAK_FLOP_PER_CYCLE"])
        why = "PEAK_FLOP_PER_CYCLE"
    elif "avx512f" in flags and vendor == "GenuineIntel":
        per, why = 64, "2 AVX-512 FMA units x 16 floats x 2"
    elif "avx512f" in flags and vendor == "AuthenticAMD":
        per, why = 32, "AVX-512 on 2 x 256-bit FMA pipes (Zen 4): 2 x 8 floats x 2"
    elif "fma" in flags:
        per, why = 32, "2 AVX2 FMA units x 8 floats x 2"
    else:
        per, why = 8, "SSE: 4 floats x 2"
    if os.environ.get("PEAK_GHZ"):
        ghz, src = float(os.environ["PEAK_GHZ"]), "PEAK_GHZ"
    elif info.get("CPU max MHz"):
        ghz, src = float(info["CPU max MHz"]) / 1000, "lscpu CPU max MHz"
    else:
        ghz, src = float(info.get("BogoMIPS", "0")) / 2000, "BogoMIPS / 2 (TSC rate)"
    value = cores * ghz * 1e9 * per
    return value, (f"{cores} cores x {ghz:.2f} GHz ({src}) x {per:g} FLOP/cycle ({why}) = "
                   f"{value / 1e9:,.0f} GFLOP/s")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("runs")
    ap.add_argument("--warmup", type=int, required=True)
    ap.add_argument("--command", required=True)
    ap.add_argument("--threads", required=True)
    ap.add_argument("--recipes", required=True)
    ap.add_argument("--out")
    ap.add_argument("--notes", default="")
    a = ap.parse_args()
    rows = []
    for line in open(a.runs, encoding="utf-8"):
        tool, model, prec, n, secs, load, ver, rnd = line.rstrip("\n").split("\t")
        s = [float(x) for x in secs.split()][a.warmup:]
        rows.append(dict(tool=tool, model=model, prec=prec, n=int(n), secs=s, med=statistics.median(s), best=min(s),
                         load=load, ver=ver, round=rnd))
    pk, formula = peak()
    info = lscpu()
    lines = ["| model | precision | tool | round | samples/s median epoch | samples/s best epoch | s/epoch (measured) "
             "| fmnist / Keras median | fmnist / Keras best | fmnist / PyTorch | training GFLOP/s | % of float32 peak | load avg before |",
             "|---|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---|"]
    summary = []
    for model in dict.fromkeys(r["model"] for r in rows):
        f = flops.summary(os.path.join(a.recipes, model + ".yaml"))[1]["train_flops"]
        for prec in dict.fromkeys(r["prec"] for r in rows if r["model"] == model):
            group = [r for r in rows if r["model"] == model and r["prec"] == prec]

            def sps(tool, key):
                vals = [r["n"] / r[key] for r in group if r["tool"] == tool]
                return statistics.median(vals) if vals else None

            fm, km, kb, pt = sps("fmnist", "med"), sps("keras", "med"), sps("keras", "best"), sps("pytorch", "med")
            for r in group:
                med_sps, best_sps = r["n"] / r["med"], r["n"] / r["best"]
                is_fm = r["tool"] == "fmnist"
                ratio = (lambda other: f"{med_sps / other:.2f}x" if is_fm and other else "")
                gf = f * med_sps / 1e9
                lines.append(f"| {model} | {prec} | {r['ver']} | {r['round']} | {med_sps:,.0f} | {best_sps:,.0f} | "
                             + ", ".join(f"{x:.2f}" for x in r["secs"])
                             + f" | {ratio(km)} | {ratio(kb)} | {ratio(pt)} | {gf:.0f} | {100 * gf * 1e9 / pk:.0f}% | {r['load']} |")
            if fm:
                summary.append(f"- {model} {prec}: fmnist {fm:,.0f} samples/s (median epoch, median over rounds)"
                               + (f"; Keras median {km:,.0f} ({fm / km:.2f}x), Keras best epoch {kb:,.0f} ({fm / kb:.2f}x)" if km else "")
                               + (f"; PyTorch {pt:,.0f} ({fm / pt:.2f}x)" if pt else "")
                               + f"; {100 * f * fm / pk:.0f}% of float32 peak")
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = (f"\n### Peers, {now}: {info.get('Model name', '?')}, {os.cpu_count()} CPUs, {a.threads} intra-op threads\n\n"
            f"Command: `{a.command}`. Float32 peak: {formula}. Training FLOPs per image from tools/bench/flops.py "
            f"(3 x the forward multiply-adds x 2, less the first layer's input gradient).\n\n"
            + "\n".join(lines) + "\n\n" + "\n".join(summary) + "\n"
            + ("".join(f"\n{n}" for n in a.notes.splitlines() if n.strip()) + "\n" if a.notes.strip() else ""))
    print(text)
    if a.out:
        with open(a.out, "a", encoding="utf-8") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
