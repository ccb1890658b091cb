"""AdaMerging (Yang et al., ICLR 2024) written from the paper for a MerganserMLP (layers.N, ReLU, head),
independently of core/search: theta = theta0 + sum_i lambda_i * tau_i (task-wise) or per tensor (layer-wise),
lambda from 0.3, torch.optim.Adam on the mean over tasks of the mean Shannon entropy of the softmax on all of
each task's inputs (full batch), lambda clipped to [0, 1] after every step.

usage: adamerging_reference.py BASE MODELS(comma-separated) INPUTS STEPS LR GRANULARITY OUT.json
INPUTS is a safetensors file with one tensor per task (its name is the task's), [N, features] float32.
Writes {"tensors": [...], "coefficients": [[...], ...], "entropy": [...]}."""

import json
import sys

import torch

import safetensors_io


def forward(weights, x):
    layer = 0
    while f"layers.{layer}.weight" in weights:
        x = torch.relu(x @ weights[f"layers.{layer}.weight"].T + weights[f"layers.{layer}.bias"])
        layer += 1
    return x @ weights["head.weight"].T + weights["head.bias"]


def main():
    base_path, model_paths, inputs_path, steps, lr, granularity, out = sys.argv[1:]
    base = safetensors_io.read(base_path)
    models = [safetensors_io.read(p) for p in model_paths.split(",")]
    tasks = safetensors_io.read(inputs_path)
    names = sorted(base)
    taus = {n: [m[n] - base[n] for m in models] for n in names}
    varying = [n for n in names if any(t.abs().max() > 0 for t in taus[n])]
    groups = len(varying) if granularity == "layer" else 1
    lam = torch.full((len(models), groups), 0.3, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([lam], lr=float(lr), betas=(0.9, 0.999), eps=1e-8)
    entropies = []
    for _ in range(int(steps)):
        merged = dict(base)
        coefficients = lam.float()
        for g, name in enumerate(varying):
            value = base[name]
            for i, tau in enumerate(taus[name]):
                value = value + coefficients[i, g if granularity == "layer" else 0] * tau
            merged[name] = value
        loss = 0
        for name in sorted(tasks):
            logp = torch.log_softmax(forward(merged, tasks[name]), dim=1)
            loss = loss + (-(logp.exp() * logp).sum(1).mean())
        loss = loss / len(tasks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            lam.clamp_(0.0, 1.0)
        entropies.append(loss.item())
    with open(out, "w") as f:
        json.dump({"tensors": varying if granularity == "layer" else [],
                   "coefficients": lam.detach().tolist(), "entropy": entropies}, f)


if __name__ == "__main__":
    main()
