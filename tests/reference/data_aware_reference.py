#!/usr/bin/python3
"""Independent reference of the data-aware merges (docs/spec/merge-methods.md, "fisher, regmean"), written
from the papers' definitions, for a MerganserMLP (layers.K.weight/bias with ReLU, then head.weight/bias).

Usage: /usr/bin/python3 data_aware_reference.py SPEC.json

SPEC.json: {"models": ["a.safetensors", ...], "inputs": "x.safetensors" (tensors x0, x1, ...: model i's
task inputs [N, features], all of them used), "weights": [λ_i...], "epsilon": ε, "out": "out.safetensors"}

Writes to "out":
  fisher/<i>/<tensor>   model i's diagonal Fisher: (1/N) Σ_n Σ_y p(y|x_n) (∂ log p(y|x_n)/∂θ)², by autograd
                        of log p(y|x_n) for every single example n and class y (no closed form, no identity)
  fisher_merge/<tensor> Σ λ_i max(F_i, ε) θ_i / Σ λ_i max(F_i, ε)   (Matena & Raffel 2022)
  regmean/<tensor>      for each dense weight: argmin_W Σ_i ‖X_i Wᵀ − X_i W_iᵀ‖² (RegMean, alpha = 1) as the
                        least-squares solution of the stacked system (torch.linalg.lstsq), X_i the layer's
                        inputs in model i on its task; biases: the mean
Exit status 77 when torch cannot be imported.
"""

import json
import os
import sys

try:
    import torch
except ImportError as error:
    print(f"torch is not available to {sys.executable}: {error}", file=sys.stderr)
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402


def layer_count(params):
    k = 0
    while f"layers.{k}.weight" in params:
        k += 1
    return k


def forward(params, x):
    """Logits, and the input each dense layer reads (its name -> [N, in])."""
    reads = {}
    h = x
    for k in range(layer_count(params)):
        reads[f"layers.{k}.weight"] = h
        h = torch.relu(h @ params[f"layers.{k}.weight"].T + params[f"layers.{k}.bias"])
    reads["head.weight"] = h
    return h @ params["head.weight"].T + params["head.bias"], reads


def fisher(params, inputs):
    leaves = {name: t.clone().double().requires_grad_(True) for name, t in params.items()}
    total = {name: torch.zeros_like(t) for name, t in leaves.items()}
    for n in range(inputs.shape[0]):
        logits, _ = forward(leaves, inputs[n : n + 1].double())
        logp = torch.log_softmax(logits, dim=1)[0]
        p = logp.exp().detach()
        for y in range(logp.shape[0]):
            grads = torch.autograd.grad(logp[y], list(leaves.values()), retain_graph=True, allow_unused=True)
            for (name, _), g in zip(leaves.items(), grads):
                if g is not None:
                    total[name] += p[y] * g * g
    return {name: (t / inputs.shape[0]).float() for name, t in total.items()}


def main(argv):
    with open(argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    models = [{k: v.double() for k, v in safetensors_io.read(path).items()} for path in spec["models"]]
    xs = safetensors_io.read(spec["inputs"])
    inputs = [xs[f"x{i}"].double() for i in range(len(models))]
    out = {}
    fishers = []
    for i, (model, x) in enumerate(zip(models, inputs)):
        fishers.append(fisher(model, x))
        for name, f in fishers[-1].items():
            out[f"fisher/{i}/{name}"] = f
    for name in models[0]:
        num = sum(w * fi[name].double().clamp_min(spec["epsilon"]) * m[name]
                  for w, fi, m in zip(spec["weights"], fishers, models))
        den = sum(w * fi[name].double().clamp_min(spec["epsilon"]) for w, fi in zip(spec["weights"], fishers))
        out[f"fisher_merge/{name}"] = (num / den).float()
    reads = [forward(m, x)[1] for m, x in zip(models, inputs)]
    for name in models[0]:
        if name in reads[0]:
            a = torch.cat([r[name] for r in reads])  # [Σ N_i, in]
            b = torch.cat([r[name] @ m[name].T for r, m in zip(reads, models)])  # [Σ N_i, out]
            out[f"regmean/{name}"] = torch.linalg.lstsq(a, b).solution.T.contiguous().float()
        else:
            out[f"regmean/{name}"] = (sum(m[name] for m in models) / len(models)).float()
    safetensors_io.write(spec["out"], {k: v.contiguous() for k, v in out.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
