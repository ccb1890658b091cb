"""Independent reference for a language model's data-aware merge statistics on text tasks
(docs/spec/language-models.md "Fisher information and Gram matrices"), written from the definitions on the
tiny float64 Llama of lm_eval_reference.py:
- the diagonal Fisher, mean over the scored tokens of (∂ log p(y_t|ctx_t)/∂θ)² with y_t drawn from the model by
  the documented splitmix64 inverse-CDF sampler, estimated per sequence as (Σ_t g_t)²: here every token's
  gradient g_t is its own backward pass and the sum is formed explicitly;
- RegMean's Gram matrices XᵀX/N of every linear module's inputs over the tokens the model reads.
The adapted model's Fisher is taken with respect to the merged weights W + s·B·A.

Usage: lm_statistics_reference.py DIR, DIR written by lm_eval_reference.py. Writes DIR/statistics.json:
{"fisher": {case: {name: [values]}}, "grams": {case: {name: [values]}}, "tokens": {case: n}}.
Exit 77 when torch is missing."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import torch
except ImportError:
    sys.stderr.write("python3-torch is not installed\n")
    sys.exit(77)
import lm_eval_reference as ref  # noqa: E402
import lm_reference  # noqa: E402
import safetensors_io  # noqa: E402

MASK = (1 << 64) - 1
MAX_SCORED = 256


def splitmix64(x):
    z = (x + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def sampled_token(p, seed, sample, example, position):
    P = 1000003
    key = ((((seed * P + sample) & MASK) * P + example) & MASK) * P + position
    key &= MASK
    p = p.tolist()
    u = (splitmix64(key) >> 11) * 2.0 ** -53 * sum(p)
    c = 0.0
    for i, q in enumerate(p):
        c += q
        if c > u:
            return i
    return len(p) - 1


def read_task(path):
    with open(path) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    return [line for line in lines if "merganser_task" not in line]


def sequences(kind, examples):
    """(tokens, first scored index) per sequence, as the harness reads each example."""
    out = []
    for e in examples:
        if kind == "perplexity":
            tokens = ref.encode(e["text"])[:MAX_SCORED]
            for a, b in ref.rolling_windows(tokens, ref.BOS, ref.CONTEXT):
                out.append((a + b, len(a)))
            continue
        context, answer = (e["context"], e["choices"][e["label"]]) if kind == "choice" else (e["prompt"], e["answer"])
        context_enc, continuation = ref.encode_pair(context, answer)
        if context == "":
            context_enc, continuation = [ref.BOS], ref.encode(answer)
        continuation = continuation[:MAX_SCORED]
        whole = (context_enc + continuation)[-(ref.CONTEXT + 1):]
        out.append((whole, max(1, len(whole) - len(continuation))))
    return out


def merged(W, adapters):
    W = dict(W)
    for adapter in adapters:
        for module, (a, b, s) in adapter.items():
            W[module + ".weight"] = W[module + ".weight"] + s * (b @ a)
    return W


def fisher(W, seqs, seed=0):
    names = sorted(W)
    params = {n: W[n].clone().requires_grad_(True) for n in names}
    total = {n: torch.zeros_like(W[n]) for n in names}
    tokens = 0
    for e, (seq, first) in enumerate(seqs):
        logp = torch.log_softmax(lm_reference.forward(ref.CONFIG, params, torch.tensor([seq[:-1]]))[0], dim=-1)
        g = {n: torch.zeros_like(W[n]) for n in names}
        for t, position in enumerate(range(first - 1, len(seq) - 1)):
            y = sampled_token(logp[position].detach().exp(), seed, 0, e, t)
            grads = torch.autograd.grad(logp[position, y], [params[n] for n in names], retain_graph=True,
                                        allow_unused=True)
            for n, grad in zip(names, grads):
                if grad is not None:
                    g[n] += grad
            tokens += 1
        for n in names:
            total[n] += g[n] ** 2
    return {n: (total[n] / tokens).flatten().tolist() for n in names}, tokens


def grams(W, seqs):
    sums, rows = {}, 0
    original = lm_reference.Lora.apply

    def record(self, module, x, y):
        flat = x.detach().reshape(-1, x.shape[-1])
        sums[module] = sums.get(module, 0) + flat.T @ flat
        return original(self, module, x, y)

    lm_reference.Lora.apply = record
    try:
        with torch.no_grad():
            for seq, _ in seqs:
                lm_reference.forward(ref.CONFIG, W, torch.tensor([seq[:-1]]))
                rows += len(seq) - 1
    finally:
        lm_reference.Lora.apply = original
    return {m + ".weight": (s / rows).flatten().tolist() for m, s in sums.items()}


def main():
    out = sys.argv[1]
    W = {n: t.double() for n, t in safetensors_io.read(os.path.join(out, "model", "model.safetensors")).items()}
    adapter = {}
    tensors = safetensors_io.read(os.path.join(out, "adapter", "adapter_model.safetensors"))
    with open(os.path.join(out, "adapter", "adapter_config.json")) as f:
        config = json.load(f)
    scaling = config["lora_alpha"] / config["r"]
    for name, a in tensors.items():
        if name.endswith(".lora_A.weight"):
            module = name[len("base_model.model."):-len(".lora_A.weight")]
            b = tensors[name.replace("lora_A", "lora_B")]
            adapter[module] = (a.double(), b.double(), scaling)
    choose = sequences("choice", read_task(os.path.join(out, "tasks", "choose.jsonl")))
    prose = sequences("perplexity", read_task(os.path.join(out, "tasks", "prose.jsonl")))
    result = {"fisher": {}, "grams": {}, "tokens": {}}
    for case, weights, seqs in (("choose", W, choose), ("prose", W, prose),
                                ("choose_adapter", merged(W, [adapter]), choose)):
        result["fisher"][case], result["tokens"][case] = fisher(weights, seqs)
    result["grams"]["choose"] = grams(W, choose)
    result["grams"]["prose_adapter"] = grams(merged(W, [adapter]), prose)
    with open(os.path.join(out, "statistics.json"), "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
