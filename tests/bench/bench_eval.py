#!/usr/bin/env python3
"""The PyTorch side of bench_eval: the same model on the same data, in Python.

Reads the safetensors checkpoint and the raw arrays bench_eval wrote, builds the same network as Merganser's
built-in classifier (MLP: layers.N + head; CNN: convs.N 3x3 padding 1, ReLU, 2x2 max-pool, flatten, head),
and runs the same loop: logits, summed cross-entropy, argmax, confusion matrix, in batches. Prints one JSON
line: examples_per_s (best of --repeat passes; for the CNN, of oneDNN on and off), accuracy, threads
(intra-op, as set by --threads), mkldnn (whether the best pass used oneDNN).
"""
import argparse
import json
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
        assert info["dtype"] == "F32", f"{name}: only F32 is expected"
        begin, end = info["data_offsets"]
        array = np.frombuffer(body[begin:end], dtype=np.float32).reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors


class Mlp(torch.nn.Module):
    def __init__(self, state):
        super().__init__()
        count = sum(1 for k in state if k.startswith("layers.") and k.endswith(".weight"))
        self.layers = torch.nn.ModuleList(
            torch.nn.Linear(state[f"layers.{i}.weight"].shape[1], state[f"layers.{i}.weight"].shape[0])
            for i in range(count)
        )
        self.head = torch.nn.Linear(state["head.weight"].shape[1], state["head.weight"].shape[0])

    def forward(self, x):
        h = x.flatten(1)
        for layer in self.layers:
            h = torch.relu(layer(h))
        return self.head(h)


class Cnn(torch.nn.Module):
    def __init__(self, state):
        super().__init__()
        count = sum(1 for k in state if k.startswith("convs.") and k.endswith(".weight"))
        self.convs = torch.nn.ModuleList()
        for i in range(count):
            out_c, in_c, k, _ = state[f"convs.{i}.weight"].shape
            self.convs.append(torch.nn.Conv2d(in_c, out_c, k, padding=k // 2))
        self.head = torch.nn.Linear(state["head.weight"].shape[1], state["head.weight"].shape[0])

    def forward(self, x):
        for conv in self.convs:
            x = F.max_pool2d(torch.relu(conv(x)), 2)
        return self.head(x.flatten(1))


def evaluate(model, inputs, labels, classes, batch):
    confusion = torch.zeros(classes * classes, dtype=torch.int64)
    loss = 0.0
    correct = 0
    for begin in range(0, inputs.shape[0], batch):
        x = inputs[begin : begin + batch]
        y = labels[begin : begin + batch]
        logits = model(x)[:, :classes]
        loss += F.cross_entropy(logits, y, reduction="sum").item()
        predicted = logits.argmax(1)
        correct += (predicted == y).sum().item()
        confusion.index_add_(0, y * classes + predicted, torch.ones_like(y))
    return correct / inputs.shape[0], loss / inputs.shape[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--arch", choices=["mlp", "cnn"], required=True)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0, help="intra-op threads (0: torch's default)")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)  # as many as Merganser uses (Debian's build may default to 1)

    state = read_safetensors(f"{args.dir}/{args.arch}.safetensors")
    model = (Mlp if args.arch == "mlp" else Cnn)(state)
    model.load_state_dict(state)
    model.eval()
    model.requires_grad_(False)  # plain tensors, as Merganser holds them
    labels = torch.from_numpy(np.fromfile(f"{args.dir}/labels.i64", dtype=np.int64))
    inputs = torch.from_numpy(np.fromfile(f"{args.dir}/inputs.f32", dtype=np.float32)).reshape(-1, 1, 28, 28)
    assert inputs.shape[0] == labels.shape[0]

    # PyTorch at its best on this machine: convolutions are timed with oneDNN (mkldnn) on and off, since
    # which is faster depends on the build and the CPU.
    best = 0.0
    accuracy = 0.0
    best_mkldnn = torch.backends.mkldnn.enabled
    for mkldnn in [True, False] if args.arch == "cnn" else [torch.backends.mkldnn.enabled]:
        torch.backends.mkldnn.enabled = mkldnn
        with torch.inference_mode():
            for _ in range(args.repeat):
                start = time.perf_counter()
                accuracy, _ = evaluate(model, inputs, labels, 10, args.batch)
                rate = inputs.shape[0] / (time.perf_counter() - start)
                if rate > best:
                    best, best_mkldnn = rate, mkldnn
    print(json.dumps({"examples_per_s": best, "accuracy": accuracy, "threads": torch.get_num_threads(),
                      "mkldnn": best_mkldnn, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
