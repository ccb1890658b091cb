#!/usr/bin/env python3
"""The PyTorch side of bench_train: the same fine-tuning loop a user writes in PyTorch, on the same model and
data bench_train wrote.

The MLP (layers.N + head, ReLU) from the safetensors checkpoint, frozen; LoRA as PEFT computes it
(y = x·Wᵀ + b + s·(x·Aᵀ)·Bᵀ, A Kaiming-uniform, B zero, s = alpha / r) on layers.0 and layers.1, or IA³
(y = (x·Wᵀ + b) ⊙ l, l = 1); torch.optim.AdamW at a cosine schedule, cross-entropy, gradients clipped to norm
1, minibatches from shuffled epochs. Prints one JSON line: examples_per_s (the training loop only), loss (the
last step's), threads.
"""
import argparse
import json
import math
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    body = memoryview(data)[8 + length :]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        array = np.frombuffer(body[begin:end], dtype=np.float32).reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors


class Adapted(torch.nn.Module):
    """A frozen linear layer with a LoRA or an IA³ on it."""

    def __init__(self, weight, bias, method, rank, alpha):
        super().__init__()
        self.weight, self.bias, self.method = weight, bias, method
        out_features, in_features = weight.shape
        if method == "lora":
            self.a = torch.nn.Parameter(torch.empty(rank, in_features))
            torch.nn.init.kaiming_uniform_(self.a, a=math.sqrt(5))
            self.b = torch.nn.Parameter(torch.zeros(out_features, rank))
            self.scale = alpha / rank
        else:
            self.l = torch.nn.Parameter(torch.ones(out_features))

    def forward(self, x):
        y = F.linear(x, self.weight, self.bias)
        if self.method == "lora":
            return y + (x @ self.a.t()) @ self.b.t() * self.scale
        return y * self.l


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--method", choices=["lora", "ia3"], required=True)
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--threads", type=int, required=True)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    state = read_safetensors(f"{args.dir}/mlp.safetensors")
    inputs = torch.from_numpy(np.fromfile(f"{args.dir}/inputs.f32", dtype=np.float32).reshape(-1, 784))
    labels = torch.from_numpy(np.fromfile(f"{args.dir}/labels.i64", dtype=np.int64))
    layers = [Adapted(state[f"layers.{i}.weight"], state[f"layers.{i}.bias"], args.method, 8, 16.0) for i in range(2)]
    head_w, head_b = state["head.weight"], state["head.bias"]
    parameters = [p for layer in layers for p in layer.parameters()]
    optimizer = torch.optim.AdamW(parameters, lr=3e-3, weight_decay=0.0)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: 0.5 * (1 + math.cos(math.pi * step / args.steps)))

    order, position = torch.randperm(len(labels)), 0
    start = time.perf_counter()
    for step in range(args.steps):
        if position + args.batch > len(labels):
            order, position = torch.randperm(len(labels)), 0
        batch = order[position : position + args.batch]
        position += args.batch
        h = inputs[batch]
        for layer in layers:
            h = torch.relu(layer(h))
        loss = F.cross_entropy(F.linear(h, head_w, head_b), labels[batch])
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(parameters, 1.0)
        optimizer.step()
        schedule.step()
    seconds = time.perf_counter() - start
    print(json.dumps({"examples_per_s": args.steps * args.batch / seconds, "loss": loss.item(),
                      "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
