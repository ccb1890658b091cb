#!/usr/bin/env python3
"""The PyTorch side of bench_lm: the same Llama-architecture model in Python (Debian's python3-torch), float32.

Reads the folder bench_lm wrote (config.json, model.safetensors mapped with numpy.memmap: no copy, as
Merganser maps it) and tokens.json, and runs what Merganser runs, written as Hugging Face's LlamaForCausalLM
computes it under inference_mode: teacher-forced scoring of every sequence in batches (summed log-likelihood
of tokens 1.., logits of every position), and greedy generation from a prompt with a key/value cache grown by
torch.cat per step (as transformers' DynamicCache). Prints one JSON line: scoring_tokens_per_s,
generation_tokens_per_s (best of --repeat), log_likelihoods, generated, peak_rss_bytes, threads.
"""
import argparse
import json
import math
import resource
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F


def read_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
    mapped = np.memmap(path, dtype=np.uint8, mode="r")
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", f"{name}: only F32 is expected"
        begin, end = info["data_offsets"]
        start = 8 + length + begin
        array = np.frombuffer(mapped, dtype=np.float32, count=(end - begin) // 4, offset=start)
        tensors[name] = torch.from_numpy(array).view(info["shape"])
    return tensors


class Llama:
    def __init__(self, cfg, w):
        self.cfg, self.w = cfg, w
        self.d = cfg["hidden_size"]
        self.H = cfg["num_attention_heads"]
        self.KV = cfg.get("num_key_value_heads", self.H)
        self.D = self.d // self.H
        self.eps = cfg["rms_norm_eps"]
        self.inv = 1.0 / (cfg.get("rope_theta", 10000.0) ** (torch.arange(0, self.D, 2).float() / self.D))
        self.head = w["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings") else w["lm_head.weight"]

    def norm(self, x, weight):
        return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))

    def rope(self, x, cos, sin):
        half = self.D // 2
        rotated = torch.cat([-x[..., half:], x[..., :half]], dim=-1)
        return x * cos + rotated * sin

    def hidden(self, ids, start=0, cache=None):
        B, T = ids.shape
        w = self.w
        x = F.embedding(ids, w["model.embed_tokens.weight"])
        freqs = torch.outer(torch.arange(start, start + T).float(), self.inv)
        emb = torch.cat([freqs, freqs], dim=-1)
        cos, sin = emb.cos(), emb.sin()
        for i in range(self.cfg["num_hidden_layers"]):
            p = f"model.layers.{i}."
            h = self.norm(x, w[p + "input_layernorm.weight"])
            q = F.linear(h, w[p + "self_attn.q_proj.weight"]).view(B, T, self.H, self.D).transpose(1, 2)
            k = F.linear(h, w[p + "self_attn.k_proj.weight"]).view(B, T, self.KV, self.D).transpose(1, 2)
            v = F.linear(h, w[p + "self_attn.v_proj.weight"]).view(B, T, self.KV, self.D).transpose(1, 2)
            q, k = self.rope(q, cos, sin), self.rope(k, cos, sin)
            if cache is not None:
                if i < len(cache):
                    k = torch.cat([cache[i][0], k], dim=2)
                    v = torch.cat([cache[i][1], v], dim=2)
                    cache[i] = (k, v)
                else:
                    cache.append((k, v))
            rep = self.H // self.KV
            k = k.repeat_interleave(rep, dim=1)
            v = v.repeat_interleave(rep, dim=1)
            S = k.shape[2]
            scores = (q @ k.transpose(-1, -2)) / math.sqrt(self.D)
            if T > 1:
                mask = torch.ones(T, S, dtype=torch.bool).tril(diagonal=S - T)
                scores = scores.masked_fill(~mask, float("-inf"))
            a = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(B, T, self.d)
            x = x + F.linear(a, w[p + "self_attn.o_proj.weight"])
            h = self.norm(x, w[p + "post_attention_layernorm.weight"])
            gate = F.linear(h, w[p + "mlp.gate_proj.weight"])
            up = F.linear(h, w[p + "mlp.up_proj.weight"])
            x = x + F.linear(F.silu(gate) * up, w[p + "mlp.down_proj.weight"])
        return self.norm(x, w["model.norm.weight"])

    def score(self, sequences, batch):
        out = []
        for b0 in range(0, len(sequences), batch):
            ids = torch.tensor(sequences[b0 : b0 + batch])
            logits = F.linear(self.hidden(ids), self.head)
            logp = torch.log_softmax(logits[:, :-1], dim=-1)
            picked = logp.gather(-1, ids[:, 1:].unsqueeze(-1)).squeeze(-1)
            out.extend(picked.double().sum(-1).tolist())
        return out

    def generate(self, prompt, steps):
        cache = []
        ids = torch.tensor([prompt])
        start, out = 0, []
        for _ in range(steps):
            h = self.hidden(ids, start, cache)
            start += ids.shape[1]
            nxt = int(F.linear(h[:, -1], self.head).argmax(-1))
            out.append(nxt)
            ids = torch.tensor([[nxt]])
        return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--prompt", type=int, default=32)
    ap.add_argument("--new-tokens", type=int, default=64)
    ap.add_argument("--repeat", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    with open(a.dir + "/model/config.json") as f:
        cfg = json.load(f)
    with open(a.dir + "/tokens.json") as f:
        sequences = json.load(f)
    model = Llama(cfg, read_safetensors(a.dir + "/model/model.safetensors"))
    scored = sum(len(s) - 1 for s in sequences)
    best_score = best_gen = 0.0
    with torch.inference_mode():
        for _ in range(a.repeat):
            t = time.perf_counter()
            lls = model.score(sequences, a.batch)
            best_score = max(best_score, scored / (time.perf_counter() - t))
        for _ in range(a.repeat):
            t = time.perf_counter()
            generated = model.generate(sequences[0][: a.prompt], a.new_tokens)
            best_gen = max(best_gen, a.new_tokens / (time.perf_counter() - t))
    print(json.dumps({"scoring_tokens_per_s": best_score, "generation_tokens_per_s": best_gen,
                      "log_likelihoods": lls, "generated": generated,
                      "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                      "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
