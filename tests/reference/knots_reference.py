#!/usr/bin/python3
"""An independent PyTorch implementation of KnOTS (Stoica et al., ICLR 2025, "Model merging with SVD to tie
the KnOTS") on PEFT LoRA adapter folders, the reference Merganser's KnOTS tests compare against.

Usage: /usr/bin/python3 knots_reference.py CASES.json

CASES.json: {"cases": [{"base": "base.safetensors",
                        "adapters": [{"path": "adapter folder", "weight": 1.0, "density": 0.5}, ...],
                        "params": {"merge": "ties" | "task_arithmetic", "lambda": 1.0},
                        "out": "merged.safetensors"}, ...]}

Writes each case's merged model (every tensor of the base; adapted weights + the KnOTS update) as float32
to its "out", all in one process (torch's import is most of the time).
Exit status 77 when torch is missing (the caller skips).

Written from the paper and its code's definition (github.com/gstoica27/KnOTS, SVDMerger, s_on_V = true) and
TIES-Merging's (Yadav et al. 2023, as mergekit computes it), not from Merganser's C++: each update
Delta_i = s_i B_i A_i is formed densely, the updates are concatenated column-wise and decomposed by one full
float64 SVD (Merganser factors the low-rank product without forming it). Where Merganser's definition
(docs/spec/merge-methods.md, "knots") differs from the paper's code on purpose, this follows the definition:
singular values are kept above float32 rounding of the concatenated matrix (the code: above 1e-5), and TIES
prunes each module's coefficients on their own, keeping int(density * numel) entries (the code ranks the
whole model's coefficients at once).
"""

import json
import math
import os
import sys

try:
    import torch
except ImportError as error:
    print(f"torch is not available to {sys.executable}: {error}", file=sys.stderr)
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402


def read_adapter(folder):
    """{base weight name: (B A scaled, in B.A orientation [out, in], transposed for the weight?)}."""
    with open(os.path.join(folder, "adapter_config.json"), encoding="utf-8") as f:
        config = json.load(f)
    tensors = safetensors_io.read(os.path.join(folder, "adapter_model.safetensors"))
    updates = {}
    for key, a in tensors.items():
        for kind in ("lora_A", "lora_embedding_A"):
            marker = "." + kind
            if marker not in key:
                continue
            module = key[len("base_model.model.") : key.index(marker)]
            b_key = key.replace(kind, kind[:-1] + "B")
            b = tensors[b_key]
            r = a.shape[0]
            alpha = float(config["lora_alpha"])
            scaling = alpha / (math.sqrt(r) if config.get("use_rslora") else r)
            transposed = kind == "lora_embedding_A" or bool(config.get("fan_in_fan_out"))
            updates[module + ".weight"] = (scaling * (b.double().flatten(1) @ a.double().flatten(1)), transposed)
    return updates


def ties(coefficients, weights, densities, lam):
    kept = []
    for c, d in zip(coefficients, densities):
        k = int(d * c.numel())
        if k <= 0:
            raise ValueError("density keeps nothing")
        threshold = c.abs().flatten().sort(descending=True).values[k - 1]
        kept.append(c * (c.abs() >= threshold))
    weighted = [w * c for w, c in zip(weights, kept)]
    total = sum(weighted)
    sign = torch.where(total >= 0, 1.0, -1.0).double()
    mixed = torch.zeros_like(total)
    div = torch.zeros_like(total)
    for w, d in zip(weights, weighted):
        agree = torch.sign(d) == sign
        mixed += d * agree
        div += w * agree
    div[div == 0] = 1.0
    return lam * mixed / div


def knots_update(updates, weights, densities, params):
    m = updates[0].shape[0]
    n = updates[0].shape[1]
    u, s, vh = torch.linalg.svd(torch.cat(updates, dim=1), full_matrices=False)
    tolerance = s.max() * max(m, n * len(updates)) * 2.0**-23
    k = int((s > tolerance).sum())
    u, s, vh = u[:, :k], s[:k], vh[:k]
    coefficients = [torch.diag(s) @ vh[:, i * n : (i + 1) * n] for i in range(len(updates))]
    lam = float(params.get("lambda", 1.0))
    if params.get("merge", "ties") == "ties":
        merged = ties(coefficients, weights, densities, lam)
    else:
        merged = lam * sum(w * c for w, c in zip(weights, coefficients))
    return u @ merged


def merge(spec):
    base = safetensors_io.read(spec["base"])
    adapters = [read_adapter(a["path"]) for a in spec["adapters"]]
    out = {}
    for name, weight in base.items():
        present = [i for i, a in enumerate(adapters) if name in a]
        if not present:
            out[name] = weight.float()
            continue
        updates = [adapters[i][name][0] for i in present]
        weights = [float(spec["adapters"][i].get("weight", 1.0)) for i in present]
        densities = [float(spec["adapters"][i].get("density", 0.2)) for i in present]
        delta = knots_update(updates, weights, densities, spec.get("params") or {})
        if adapters[present[0]][name][1]:
            delta = delta.T
        out[name] = (weight.double() + delta.reshape(weight.shape)).float()
    safetensors_io.write(spec["out"], out)


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 1
    with open(argv[1], encoding="utf-8") as f:
        for spec in json.load(f)["cases"]:
            merge(spec)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
