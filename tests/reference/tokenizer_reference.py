#!/usr/bin/python3
"""An independent PyTorch reading of mergekit's tokenizer merge (mergekit/tokenizer/build.py and embed.py):
the output vocabulary of `tokenizer_source` base / union / a model folder, and every model's embedding rows
permuted to it. Written from mergekit's code as a description (not from Merganser's C++ or spec), with a
plain dict-and-loop shape unlike the C++ one, so a shared misreading is less likely.

Usage: /usr/bin/python3 tokenizer_reference.py SPEC.json

SPEC.json: a list of cases (one python start for all), each
           {"out": OUT.safetensors,
            "folders": [base or first input, other inputs...], "source": "base" | "union" | FOLDER,
            "has_base": true, "pad_to_multiple_of": 0, "tensor": "model.embed_tokens.weight",
            "dtype": "float32" | "bfloat16" | "float16"}   the dtype mergekit loads and averages in
Each folder holds tokenizer.json, config.json (vocab_size) and model.safetensors.
OUT.safetensors: "model/<i>" the permuted rows of folders[i] (float32), and the output vocabulary as
OUT.safetensors + ".vocab.json" ({"token": id}). Exit 77 when torch is missing.
"""

import json
import os
import sys

try:
    import torch
except ImportError:
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def vocabulary(folder):
    """token -> id of a tokenizer.json (model vocabulary and added tokens), and its added tokens."""
    tok = read_json(os.path.join(folder, "tokenizer.json"))
    vocab = tok["model"]["vocab"]
    ids = dict(vocab) if isinstance(vocab, dict) else {entry[0]: i for i, entry in enumerate(vocab)}
    added = {}
    for entry in tok.get("added_tokens", []):
        ids[entry["content"]] = entry["id"]
        added[entry["content"]] = entry
    return ids, added


def vocab_size(folder, fallback):
    path = os.path.join(folder, "config.json")
    if os.path.exists(path):
        config = read_json(path)
        if "vocab_size" in config:
            return config["vocab_size"]
    return fallback


def output_vocabulary(folders, source):
    base_ids, _ = vocabulary(folders[0])
    base_size = vocab_size(folders[0], len(base_ids))
    base_ids = {t: i for t, i in base_ids.items() if i < base_size}  # the stripped base
    if source == "base":
        return base_ids
    if source != "union":
        return vocabulary(source)[0]
    out = dict(base_ids)
    plain, added_first = [], {}
    for folder in folders:
        ids, added = vocabulary(folder)
        size = vocab_size(folder, len(ids)) if folder != folders[0] else base_size
        for token, i in sorted(ids.items(), key=lambda kv: kv[1]):
            if i >= size:
                continue
            if token in added:
                added_first.setdefault(token, added[token])
            elif token not in plain:
                plain.append(token)
    following = max(out.values()) + 1
    # plain tokens first (those no model adds as an added token), then the added tokens, each once
    for token in [t for t in plain if t not in added_first] + list(added_first):
        if token not in out:
            out[token] = following
            following += 1
    return out


def permuted(folders, has_base, out_vocab, tensor_name, pad, dtype):
    tensors, model_ids = [], []
    for n, folder in enumerate(folders):
        ids, _ = vocabulary(folder)
        size = vocab_size(folder, len(ids))
        if n == 0:
            ids = {t: i for t, i in ids.items() if i < size}
        tensors.append(safetensors_io.read(os.path.join(folder, "model.safetensors"))[tensor_name].to(dtype))
        model_ids.append({t: i for t, i in ids.items() if i < size})
    width = tensors[0].shape[1]
    length = len(out_vocab)
    rows = length if not pad or length % pad == 0 else (length // pad + 1) * pad
    results = []
    for n in range(len(folders)):
        out = torch.zeros(rows, width, dtype=dtype)
        for token, new_id in out_vocab.items():
            if token in model_ids[n]:
                out[new_id] = tensors[n][model_ids[n][token]]
                continue
            holders = [m for m in range(len(folders)) if token in model_ids[m]]
            if len(holders) == 1:
                out[new_id] = tensors[holders[0]][model_ids[holders[0]][token]]
            elif has_base and 0 in holders:
                out[new_id] = tensors[0][model_ids[0][token]]
            elif holders:
                total = torch.zeros(width, dtype=dtype)
                for m in holders:
                    total += tensors[m][model_ids[m][token]]
                out[new_id] = total / len(holders)
        if rows > length:
            out[length:] = out[:length].mean(dim=0)
        results.append(out)
    return results


def main():
    for spec in read_json(sys.argv[1]):
        out_vocab = output_vocabulary(spec["folders"], spec["source"])
        dtype = getattr(torch, spec.get("dtype", "float32"))
        models = permuted(
            spec["folders"], spec["has_base"], out_vocab, spec["tensor"], spec.get("pad_to_multiple_of", 0), dtype
        )
        safetensors_io.write(spec["out"], {f"model/{n}": t.float() for n, t in enumerate(models)})
        with open(spec["out"] + ".vocab.json", "w", encoding="utf-8") as f:
            json.dump(out_vocab, f)


if __name__ == "__main__":
    main()
