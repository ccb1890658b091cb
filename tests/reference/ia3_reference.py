"""Independent reference for IA³ (Liu et al. 2022, T-Few; PEFT's IA3 layout), written from the equations:
a module with weight W, bias b and vector l computes
  y = (W x + b) * l          (not feed-forward: l scales the output, stored [out, 1])
  y = W (x * l) + b          (feed-forward: l scales the input, stored [1, in])
With per-sequence mixing weights w over several adapters the scaling is s = 1 + sum_k w_k (l_k - 1) (PEFT's
weighted merge sum_k w_k l_k when the weights sum to 1). LoRA adapters loaded beside them add their update
computed from the unscaled x.

Usage: ia3_reference.py lm OUT_DIR
  Tiny Llama (GQA) and GPT-2 models from lm_reference.py (the model code there, written from the Hugging Face
  definitions), PEFT IA³ folders OUT_DIR/<case>-<adapter>/ and OUT_DIR/<case>/expected.safetensors with ids,
  logits_<adapter> (alone), mix and logits_mix (two IA³ adapters, per-sequence weights), and for Llama
  logits_with_lora (IA³ "i" and LoRA "a" at weight 1).
Usage: ia3_reference.py weights OUT_DIR
  A small classifier base OUT_DIR/base.safetensors (layers.0 [16, 8] + bias, layers.1 [12, 16] + bias, head
  [4, 12] + bias), IA³ folders OUT_DIR/x (layers.0 output-scaled, layers.1 feed-forward) and OUT_DIR/y
  (layers.0 output-scaled, head feed-forward), and OUT_DIR/expected.safetensors with
  merged_x.<tensor> / merged_y.<tensor>: PEFT's merge into the base (W * l on the output rows, or on the
  input columns of a feed-forward module; the bias * l for output-scaled modules only), and
  weighted.<module>: PEFT's add_weighted_adapter([x, y], [0.7, -0.2]), sum of w_i l_i over the adapters
  that have the module.
Exit 77 when torch is missing."""

import json
import os
import sys

try:
    import torch
except ImportError:
    sys.stderr.write("python3-torch is not installed\n")
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lm_reference as lm  # noqa: E402
import safetensors_io  # noqa: E402

torch.set_default_dtype(torch.float64)


class Hooks:
    """IA³ vectors and LoRA factors on modules; mix [B, K] over the IA³ adapters, then the LoRA ones."""

    def __init__(self, W, conv1d, ia3, loras, mix):
        self.W, self.conv1d, self.mix = W, conv1d, mix
        self.ia3 = {}  # module -> [(k, l [n], feedforward)]
        for k, adapter in enumerate(ia3):
            for module, (l, ff) in adapter.items():
                self.ia3.setdefault(module, []).append((k, l, ff))
        self.lora = lm.Lora(loras, mix[:, len(ia3):])

    def apply(self, module, x, y):
        vectors = self.ia3.get(module, [])
        if vectors:
            shape = [-1] + [1] * (x.dim() - 1)
            s = 1.0
            for k, l, _ in vectors:
                s = s + self.mix[:, k].reshape(shape) * (l - 1.0)
            W = self.W[module + ".weight"] if module + ".weight" in self.W else None
            if vectors[0][2]:  # feed-forward: W (x * s) + b = (W x + b) + W (x * (s - 1))
                dx = x * (s - 1.0)
                y = y + (dx @ W if self.conv1d else dx @ W.T)
            else:
                y = y * s
        return self.lora.apply(module, x, y)


def forward(cfg, W, ids, ia3=(), loras=(), mix=None):
    gpt2 = cfg["architectures"][0] == "GPT2LMHeadModel"
    if mix is None:
        mix = torch.ones(ids.shape[0], len(ia3) + len(loras))
    hooks = Hooks(W, gpt2, ia3, loras, mix)
    return lm.gpt2_forward(cfg, W, ids, hooks) if gpt2 else lm.llama_forward(cfg, W, ids, hooks)


def write_ia3(folder, W, modules, feedforward, generator, fan_in_fan_out=False):
    """A PEFT IA³ folder for `modules` (names in the model), `feedforward` the suffixes scaling inputs;
    returns {module: (l [n], feedforward)}."""
    os.makedirs(folder, exist_ok=True)
    targets = sorted({".".join(m.split(".")[-2:]) if fan_in_fan_out else m.split(".")[-1] for m in modules})
    config = {"peft_type": "IA3", "task_type": "CAUSAL_LM", "target_modules": targets,
              "feedforward_modules": feedforward, "fan_in_fan_out": fan_in_fan_out, "modules_to_save": None,
              "init_ia3_weights": True, "base_model_name_or_path": "tiny", "inference_mode": True}
    with open(os.path.join(folder, "adapter_config.json"), "w") as f:
        json.dump(config, f, indent=2)
    vectors, tensors = {}, {}
    for m in modules:
        ff = any(m.endswith(f) for f in feedforward)  # PEFT's list rule: the module name ends with an entry
        w = W[m + ".weight"]
        out, inp = (w.shape[1], w.shape[0]) if fan_in_fan_out else (w.shape[0], w.shape[1])
        n = inp if ff else out
        l = (0.5 + torch.rand(n, generator=generator)).float().double()  # in [0.5, 1.5)
        tensors[f"base_model.model.{m}.ia3_l"] = l.float().reshape([1, n] if ff else [n, 1])
        vectors[m] = (l, ff)
    safetensors_io.write(os.path.join(folder, "adapter_model.safetensors"), tensors)
    return vectors


def make_lm_case(out, name, cfg, seed, adapters, lora_modules=None):
    g = torch.Generator().manual_seed(seed)
    gpt2 = cfg["architectures"][0] == "GPT2LMHeadModel"
    shapes = lm.gpt2_shapes(cfg) if gpt2 else lm.llama_shapes(cfg)
    W = lm.write_model(os.path.join(out, name), cfg, lm.random_weights(shapes, g, conv1d=gpt2))
    ids = torch.randint(6, cfg["vocab_size"], (2, 10), generator=g)
    expected = {"ids": ids}
    vectors = []
    for adapter_name, modules, feedforward in adapters:
        v = write_ia3(os.path.join(out, f"{name}-{adapter_name}"), W, modules, feedforward, g, fan_in_fan_out=gpt2)
        vectors.append(v)
        expected["logits_" + adapter_name] = forward(cfg, W, ids, [v])
    if len(vectors) > 1:
        mix = torch.tensor([[0.7, 0.3], [-0.4, 1.6]])
        expected["mix"] = mix
        expected["logits_mix"] = forward(cfg, W, ids, vectors, mix=mix)
    if lora_modules:
        f = lm.write_adapter(os.path.join(out, f"{name}-lora"), W, lora_modules, 4, 8, g)
        expected["logits_with_lora"] = forward(cfg, W, ids, [vectors[0]], [f])
    safetensors_io.write(os.path.join(out, name, "expected.safetensors"),
                         {k: (v if v.dtype == torch.int64 else v.double()) for k, v in expected.items()})


def make_weights_case(out):
    g = torch.Generator().manual_seed(31)
    base = {"layers.0.weight": torch.randn(16, 8, generator=g), "layers.0.bias": torch.randn(16, generator=g),
            "layers.1.weight": torch.randn(12, 16, generator=g), "layers.1.bias": torch.randn(12, generator=g),
            "head.weight": torch.randn(4, 12, generator=g), "head.bias": torch.randn(4, generator=g)}
    base = {k: v.float().double() for k, v in base.items()}
    safetensors_io.write(os.path.join(out, "base.safetensors"), {k: v.float() for k, v in base.items()})
    expected = {}
    adapters = {"x": (["layers.0", "layers.1"], ["layers.1"]), "y": (["layers.0", "head"], ["head"])}
    vectors = {}
    for name, (modules, feedforward) in adapters.items():
        folder = os.path.join(out, name)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "adapter_config.json"), "w") as f:
            json.dump({"peft_type": "IA3", "target_modules": modules, "feedforward_modules": feedforward,
                       "fan_in_fan_out": False, "modules_to_save": None}, f)
        tensors = {}
        merged = dict(base)
        for m in modules:
            ff = m in feedforward
            w = base[m + ".weight"]
            n = w.shape[1] if ff else w.shape[0]
            l = (0.5 + torch.rand(n, generator=g)).float().double()
            tensors[f"base_model.model.{m}.ia3_l"] = l.float().reshape([1, n] if ff else [n, 1])
            vectors[(name, m)] = l
            if ff:  # y = W (x * l) + b: column j of W times l_j
                merged[m + ".weight"] = w * l[None, :]
            else:  # y = (W x + b) * l: row i of W and b_i times l_i
                merged[m + ".weight"] = w * l[:, None]
                merged[m + ".bias"] = base[m + ".bias"] * l
        safetensors_io.write(os.path.join(folder, "adapter_model.safetensors"), tensors)
        for k, v in merged.items():
            expected[f"merged_{name}.{k}"] = v
    weights = {"x": 0.7, "y": -0.2}
    for m in ["layers.0", "layers.1", "head"]:
        total = 0
        for name in ["x", "y"]:
            if (name, m) in vectors:
                total = total + weights[name] * vectors[(name, m)]
        expected["weighted." + m] = total
    safetensors_io.write(os.path.join(out, "expected.safetensors"), {k: v.double() for k, v in expected.items()})


def main():
    mode, out = sys.argv[1], sys.argv[2]
    if mode == "weights":
        make_weights_case(out)
        return
    if mode != "lm":
        sys.stderr.write(f"unknown mode {mode}\n")
        sys.exit(2)
    cfg = lm.LLAMA_GQA
    llama = lambda names: lm.llama_modules(cfg, names)  # noqa: E731
    make_lm_case(out, "llama", cfg, 21,
                 [("i", llama(["self_attn.k_proj", "self_attn.v_proj", "mlp.down_proj"]), ["down_proj"]),
                  ("j", llama(["self_attn.q_proj", "self_attn.v_proj", "mlp.up_proj", "mlp.down_proj"]),
                   ["up_proj", "down_proj"])],
                 lora_modules=llama(["self_attn.v_proj", "mlp.down_proj", "mlp.gate_proj"]))
    gpt2 = [f"transformer.h.{i}.{n}" for i in range(lm.GPT2["n_layer"]) for n in ["attn.c_attn", "mlp.c_proj"]]
    make_lm_case(out, "gpt2", lm.GPT2, 22, [("i", gpt2, ["mlp.c_proj"])])


if __name__ == "__main__":
    main()
