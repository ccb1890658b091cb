"""Independent reference for core/lm: tiny decoder-only language models written from the Hugging Face
modeling semantics (LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM, GPT2LMHeadModel) and PEFT's
unmerged LoRA (y = base(x) + scaling * lora_B(lora_A(x))), computed in float64.

Usage: lm_reference.py OUT_DIR
Writes, per case, OUT_DIR/<case>/ as a Hugging Face folder (config.json + safetensors, sharded or bf16 for
some cases, f16 for GPT-2), PEFT adapter folders OUT_DIR/<case>-<adapter>/, and OUT_DIR/<case>/expected.safetensors with
  ids [B, T] int64, logits [B, T, V] (float64 as float32... stored F64), and for adapter cases
  logits_<adapter> (that adapter alone, weight 1) and logits_mix (all adapters, per-sequence weights `mix`),
plus OUT_DIR/<case>/expected.json: scoring (continuation start, summed log-likelihood and token count per
sequence) and greedy generation (prompt, tokens, recomputing the whole sequence per step).
Exit 77 when torch is missing (the C++ test then skips)."""

import json
import math
import os
import sys

try:
    import torch
except ImportError:
    sys.stderr.write("python3-torch is not installed\n")
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402

torch.set_default_dtype(torch.float64)

# ---------------------------------------------------------------------------------------------------------
# The model (float64, written from the architectures' definitions)


def rms_norm(x, weight, eps):
    return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def layer_norm(x, weight, bias, eps):
    mean = x.mean(-1, keepdim=True)
    var = (x - mean).pow(2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * weight + bias


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x.pow(3))))


def inverse_frequencies(cfg, head_dim):
    inv = 1.0 / (cfg.get("rope_theta", 10000.0) ** (torch.arange(0, head_dim, 2).double() / head_dim))
    scaling = cfg.get("rope_scaling")
    if not scaling:
        return inv
    kind = scaling.get("rope_type", scaling.get("type"))
    factor = scaling["factor"]
    if kind == "linear":
        return inv / factor
    assert kind == "llama3"
    old = scaling["original_max_position_embeddings"]
    low, high = scaling["low_freq_factor"], scaling["high_freq_factor"]
    out = []
    for f in inv.tolist():
        wavelen = 2 * math.pi / f
        if wavelen < old / high:  # high frequencies: unchanged
            out.append(f)
        elif wavelen > old / low:  # low frequencies: interpolated
            out.append(f / factor)
        else:  # in between: a blend
            smooth = (old / wavelen - low) / (high - low)
            out.append((1 - smooth) * f / factor + smooth * f)
    return torch.tensor(out)


def rotate(x, positions, inv):
    angles = positions[:, None].double() * inv[None, :]  # [T, d/2]
    cos, sin = torch.cos(angles), torch.sin(angles)
    half = x.shape[-1] // 2
    x1, x2 = x[..., :half], x[..., half:]
    # Pairs (x1[i], x2[i]) rotated by angle i.
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)


class Lora:
    """Adapters on modules: name -> list of (k, A [r,in], B [out,r], scaling); mix [B, K]."""

    def __init__(self, adapters, mix):
        self.modules = {}
        for k, adapter in enumerate(adapters):
            for module, (a, b, s) in adapter.items():
                self.modules.setdefault(module, []).append((k, a, b, s))
        self.mix = mix

    def apply(self, module, x, y):
        for k, a, b, s in self.modules.get(module, []):
            w = self.mix[:, k].reshape([-1] + [1] * (x.dim() - 1))
            y = y + w * s * ((x @ a.T) @ b.T)
        return y


def attention(q, k, v, window, scale):
    # q [B, H, T, D], k/v [B, H, T, D] (already repeated for grouped-query attention)
    T = q.shape[2]
    i = torch.arange(T)[:, None]
    j = torch.arange(T)[None, :]
    allowed = j <= i
    if window is not None:
        allowed = allowed & (j > i - window)
    scores = (q @ k.transpose(-1, -2)) * scale
    scores = scores.masked_fill(~allowed, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def llama_forward(cfg, W, ids, lora):
    arch = cfg["architectures"][0]
    B, T = ids.shape
    d = cfg["hidden_size"]
    H = cfg["num_attention_heads"]
    KV = cfg.get("num_key_value_heads", H)
    D = cfg.get("head_dim", d // H)
    eps = cfg["rms_norm_eps"]
    inv = inverse_frequencies(cfg, D)
    positions = torch.arange(T)
    window = None
    window_from = 0
    if arch == "MistralForCausalLM":
        window = cfg.get("sliding_window")
    if arch == "Qwen2ForCausalLM" and cfg.get("use_sliding_window"):
        window = cfg.get("sliding_window")
        window_from = cfg.get("max_window_layers", 28)

    def linear(name, x):
        y = x @ W[name + ".weight"].T
        if name + ".bias" in W:
            y = y + W[name + ".bias"]
        return lora.apply(name, x, y)

    x = W["model.embed_tokens.weight"][ids]
    for layer in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{layer}."
        h = rms_norm(x, W[p + "input_layernorm.weight"], eps)
        q = linear(p + "self_attn.q_proj", h).view(B, T, H, D).transpose(1, 2)
        k = linear(p + "self_attn.k_proj", h).view(B, T, KV, D).transpose(1, 2)
        v = linear(p + "self_attn.v_proj", h).view(B, T, KV, D).transpose(1, 2)
        q, k = rotate(q, positions, inv), rotate(k, positions, inv)
        # Each key/value head serves H / KV consecutive query heads.
        k = k.repeat_interleave(H // KV, dim=1)
        v = v.repeat_interleave(H // KV, dim=1)
        layer_window = window if window is not None and layer >= window_from else None
        a = attention(q, k, v, layer_window, 1.0 / math.sqrt(D)).transpose(1, 2).reshape(B, T, H * D)
        x = x + linear(p + "self_attn.o_proj", a)
        h = rms_norm(x, W[p + "post_attention_layernorm.weight"], eps)
        gate, up = linear(p + "mlp.gate_proj", h), linear(p + "mlp.up_proj", h)
        x = x + linear(p + "mlp.down_proj", torch.nn.functional.silu(gate) * up)
    x = rms_norm(x, W["model.norm.weight"], eps)
    head = W["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings") else W["lm_head.weight"]
    return lora.apply("lm_head", x, x @ head.T)


def gpt2_forward(cfg, W, ids, lora):
    B, T = ids.shape
    d, H = cfg["n_embd"], cfg["n_head"]
    D = d // H
    eps = cfg["layer_norm_epsilon"]

    def conv1d(name, x):  # Conv1D: weight [in, out]
        return lora.apply(name, x, x @ W[name + ".weight"] + W[name + ".bias"])

    x = W["transformer.wte.weight"][ids] + W["transformer.wpe.weight"][torch.arange(T)]
    for layer in range(cfg["n_layer"]):
        p = f"transformer.h.{layer}."
        h = layer_norm(x, W[p + "ln_1.weight"], W[p + "ln_1.bias"], eps)
        q, k, v = conv1d(p + "attn.c_attn", h).split(d, dim=-1)
        q, k, v = (t.view(B, T, H, D).transpose(1, 2) for t in (q, k, v))
        a = attention(q, k, v, None, 1.0 / math.sqrt(D)).transpose(1, 2).reshape(B, T, d)
        x = x + conv1d(p + "attn.c_proj", a)
        h = layer_norm(x, W[p + "ln_2.weight"], W[p + "ln_2.bias"], eps)
        x = x + conv1d(p + "mlp.c_proj", gelu_new(conv1d(p + "mlp.c_fc", h)))
    x = layer_norm(x, W["transformer.ln_f.weight"], W["transformer.ln_f.bias"], eps)
    return lora.apply("lm_head", x, x @ W["transformer.wte.weight"].T)


def forward(cfg, W, ids, adapters=(), mix=None):
    if mix is None:
        mix = torch.ones(ids.shape[0], len(adapters))
    lora = Lora(adapters, mix)
    if cfg["architectures"][0] == "GPT2LMHeadModel":
        return gpt2_forward(cfg, W, ids, lora)
    return llama_forward(cfg, W, ids, lora)


def greedy(cfg, W, prompt, steps):
    seq = list(prompt)
    for _ in range(steps):
        logits = forward(cfg, W, torch.tensor([seq]))
        seq.append(int(logits[0, -1].argmax()))
    return seq[len(prompt):]


# ---------------------------------------------------------------------------------------------------------
# The tiny models made for the tests


def llama_shapes(cfg):
    d, ff, V = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    H = cfg["num_attention_heads"]
    KV = cfg.get("num_key_value_heads", H)
    D = cfg.get("head_dim", d // H)
    arch = cfg["architectures"][0]
    qkv_bias = arch == "Qwen2ForCausalLM" or cfg.get("attention_bias", False)
    o_bias = cfg.get("attention_bias", False)
    shapes = {"model.embed_tokens.weight": [V, d], "model.norm.weight": [d]}
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        shapes[p + "input_layernorm.weight"] = [d]
        shapes[p + "post_attention_layernorm.weight"] = [d]
        for name, out, inp, bias in [("self_attn.q_proj", H * D, d, qkv_bias), ("self_attn.k_proj", KV * D, d, qkv_bias),
                                     ("self_attn.v_proj", KV * D, d, qkv_bias), ("self_attn.o_proj", d, H * D, o_bias),
                                     ("mlp.gate_proj", ff, d, False), ("mlp.up_proj", ff, d, False),
                                     ("mlp.down_proj", d, ff, False)]:
            shapes[p + name + ".weight"] = [out, inp]
            if bias:
                shapes[p + name + ".bias"] = [out]
    if not cfg.get("tie_word_embeddings"):
        shapes["lm_head.weight"] = [V, d]
    return shapes


def gpt2_shapes(cfg):
    d, V, P = cfg["n_embd"], cfg["vocab_size"], cfg["n_positions"]
    shapes = {"transformer.wte.weight": [V, d], "transformer.wpe.weight": [P, d],
              "transformer.ln_f.weight": [d], "transformer.ln_f.bias": [d]}
    for i in range(cfg["n_layer"]):
        p = f"transformer.h.{i}."
        for ln in ("ln_1", "ln_2"):
            shapes[p + ln + ".weight"] = [d]
            shapes[p + ln + ".bias"] = [d]
        for name, inp, out in [("attn.c_attn", d, 3 * d), ("attn.c_proj", d, d), ("mlp.c_fc", d, 4 * d),
                               ("mlp.c_proj", 4 * d, d)]:
            shapes[p + name + ".weight"] = [inp, out]
            shapes[p + name + ".bias"] = [out]
    return shapes


def random_weights(shapes, generator, conv1d=False):
    W = {}
    for name, shape in shapes.items():
        if name.endswith("norm.weight") or name.endswith("ln_1.weight") or name.endswith("ln_2.weight") or \
                name.endswith("ln_f.weight"):
            W[name] = 1.0 + 0.1 * torch.randn(shape, generator=generator)
        elif len(shape) == 1:
            W[name] = 0.1 * torch.randn(shape, generator=generator)
        elif "embed" in name or "wte" in name or "wpe" in name:
            W[name] = torch.randn(shape, generator=generator)
        else:
            fan_in = shape[0] if conv1d else shape[1]
            W[name] = torch.randn(shape, generator=generator) / math.sqrt(fan_in)
    return W


def write_model(folder, cfg, W, dtype=torch.float32, shards=1):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    stored = {name: t.to(dtype) for name, t in W.items()}
    names = sorted(stored)
    if shards == 1:
        safetensors_io.write(os.path.join(folder, "model.safetensors"), stored)
    else:
        weight_map = {}
        for s in range(shards):
            file = f"model-{s + 1:05d}-of-{shards:05d}.safetensors"
            part = {n: stored[n] for n in names[s::shards]}
            safetensors_io.write(os.path.join(folder, file), part)
            weight_map.update({n: file for n in part})
        with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
            json.dump({"metadata": {}, "weight_map": weight_map}, f, indent=2)
    # What the model computes with: the stored values.
    return {name: t.double() for name, t in stored.items()}


def write_adapter(folder, W, modules, rank, alpha, generator, fan_in_fan_out=False, rslora=False):
    """A PEFT adapter of `modules` (module names in the model); returns {module: (A, B, scaling)}."""
    os.makedirs(folder, exist_ok=True)
    targets = sorted({m.split(".")[-1] for m in modules})
    config = {"peft_type": "LORA", "task_type": "CAUSAL_LM", "r": rank, "lora_alpha": alpha,
              "target_modules": targets, "fan_in_fan_out": fan_in_fan_out, "bias": "none",
              "use_rslora": rslora, "lora_dropout": 0.0, "base_model_name_or_path": "tiny"}
    with open(os.path.join(folder, "adapter_config.json"), "w") as f:
        json.dump(config, f, indent=2)
    scaling = alpha / math.sqrt(rank) if rslora else alpha / rank
    factors, tensors = {}, {}
    for m in modules:
        w = W[m + ".weight"]
        out, inp = (w.shape[1], w.shape[0]) if fan_in_fan_out else (w.shape[0], w.shape[1])
        a = (torch.randn(rank, inp, generator=generator) / math.sqrt(inp)).float().double()
        b = (0.5 * torch.randn(out, rank, generator=generator)).float().double()
        tensors[f"base_model.model.{m}.lora_A.weight"] = a.float()
        tensors[f"base_model.model.{m}.lora_B.weight"] = b.float()
        factors[m] = (a, b, scaling)
    safetensors_io.write(os.path.join(folder, "adapter_model.safetensors"), tensors)
    return factors


LLAMA_GQA = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 211, "hidden_size": 64,
             "intermediate_size": 96, "num_hidden_layers": 3, "num_attention_heads": 4, "num_key_value_heads": 2,
             "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "max_position_embeddings": 128,
             "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                              "original_max_position_embeddings": 64},
             "tie_word_embeddings": False, "bos_token_id": 1, "eos_token_id": 2}
LLAMA_LINEAR = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 160, "hidden_size": 64,
                "intermediate_size": 80, "num_hidden_layers": 2, "num_attention_heads": 8, "num_key_value_heads": 2,
                "rms_norm_eps": 1e-6, "rope_theta": 500.0, "max_position_embeddings": 64,
                "rope_scaling": {"type": "linear", "factor": 2.0}, "attention_bias": True,
                "tie_word_embeddings": True, "eos_token_id": [2, 3]}
MISTRAL = {"architectures": ["MistralForCausalLM"], "model_type": "mistral", "vocab_size": 150, "hidden_size": 32,
           "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 1,
           "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "max_position_embeddings": 64, "sliding_window": 5,
           "tie_word_embeddings": False}
QWEN2 = {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "vocab_size": 180, "hidden_size": 48,
         "intermediate_size": 72, "num_hidden_layers": 2, "num_attention_heads": 6, "num_key_value_heads": 2,
         "rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "max_position_embeddings": 64, "use_sliding_window": True,
         "sliding_window": 4, "max_window_layers": 1, "tie_word_embeddings": True}
GPT2 = {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": 170, "n_embd": 48, "n_head": 4,
        "n_layer": 2, "n_positions": 40, "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new",
        "eos_token_id": 5}


def make_case(out, name, cfg, seed, tokens=12, dtype=torch.float32, shards=1, adapters=()):
    g = torch.Generator().manual_seed(seed)
    gpt2 = cfg["architectures"][0] == "GPT2LMHeadModel"
    shapes = gpt2_shapes(cfg) if gpt2 else llama_shapes(cfg)
    W = write_model(os.path.join(out, name), cfg, random_weights(shapes, g, conv1d=gpt2), dtype, shards)
    V = cfg["vocab_size"]
    ids = torch.randint(6, V, (2, tokens), generator=g)
    expected = {"ids": ids, "logits": forward(cfg, W, ids)}
    factors = []
    for adapter_name, modules, rank, alpha, rslora in adapters:
        f = write_adapter(os.path.join(out, f"{name}-{adapter_name}"), W, modules, rank, alpha, g,
                          fan_in_fan_out=gpt2, rslora=rslora)
        factors.append(f)
        expected["logits_" + adapter_name] = forward(cfg, W, ids, [f])
    if len(factors) > 1:
        mix = torch.tensor([[0.7, -0.3], [0.2, 1.5]])[:, : len(factors)]
        expected["mix"] = mix
        expected["logits_mix"] = forward(cfg, W, ids, factors, mix)
    safetensors_io.write(os.path.join(out, name, "expected.safetensors"),
                         {k: (v if v.dtype == torch.int64 else v.double()) for k, v in expected.items()})
    # Scoring: tokens from `start` on, each predicted by the logits one position earlier.
    start = 5
    logp = torch.log_softmax(expected["logits"], dim=-1)
    scores = []
    for b in range(ids.shape[0]):
        ll = sum(float(logp[b, t - 1, ids[b, t]]) for t in range(start, tokens))
        scores.append({"log_likelihood": ll, "tokens": tokens - start})
    prompt = ids[0, :6].tolist()
    info = {"continuation_start": start, "scores": scores, "prompt": prompt,
            "greedy": greedy(cfg, W, prompt, 10)}
    with open(os.path.join(out, name, "expected.json"), "w") as f:
        json.dump(info, f, indent=2)


def llama_modules(cfg, names):
    return [f"model.layers.{i}.{n}" for i in range(cfg["num_hidden_layers"]) for n in names]


def main():
    out = sys.argv[1]
    every = ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj",
             "mlp.up_proj", "mlp.down_proj"]
    make_case(out, "llama_gqa", LLAMA_GQA, 1, shards=2,
              adapters=[("a", llama_modules(LLAMA_GQA, every), 4, 8, False),
                        ("b", llama_modules(LLAMA_GQA, ["self_attn.q_proj", "self_attn.v_proj"]), 2, 4, True)])
    make_case(out, "llama_linear_bf16", LLAMA_LINEAR, 2, dtype=torch.bfloat16)
    make_case(out, "mistral", MISTRAL, 3, tokens=14)
    make_case(out, "qwen2", QWEN2, 4, tokens=13)
    gpt2_modules = [f"transformer.h.{i}.{n}" for i in range(GPT2["n_layer"])
                    for n in ["attn.c_attn", "attn.c_proj", "mlp.c_fc"]]
    make_case(out, "gpt2", GPT2, 5, dtype=torch.float16, adapters=[("a", gpt2_modules, 4, 8, False)])


if __name__ == "__main__":
    main()
