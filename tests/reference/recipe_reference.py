#!/usr/bin/python3
"""Merges whole models from a recipe in mergekit's form, resolving every parameter per tensor the way
mergekit's configuration does, with the methods of mergekit_reference.py. The reference for per-model
parameters, per-layer gradients and filtered values (Merganser's weights/param_rules).

Usage: /usr/bin/python3 recipe_reference.py RECIPE.json OUT.safetensors

RECIPE.json, mergekit's YAML as JSON, models given as safetensors files:
  {"merge_method": "ties",
   "base_model": "base.safetensors",                        or null
   "models": [{"model": "a.safetensors", "parameters": {"weight": [0, 1], "density": 0.5}}, ...],
   "parameters": {"lambda": 0.9, "density": [{"filter": "mlp", "value": 0.3}, {"value": 0.7}]}}

A setting is a value, a list of numbers (a gradient over the layers), a list of other values (stepped), or
a list of {"filter", "value"} conditions: the first whose filter is a substring of the tensor name (no filter
or "*": every tensor) gives the value; when none matches, the next level is read. Per-model parameters
(weight, density, gamma, epsilon, scale) are read from the model, then from "parameters"; the others from
"parameters". A tensor's position t is i/(n−1) for layer i of the n layers (1 when n = 1), 0 outside the
layers; a layer is the first dot-separated number of the name. Exit 77 without torch.
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
import mergekit_reference  # noqa: E402
import safetensors_io  # noqa: E402

PER_MODEL = ("weight", "density", "gamma", "epsilon", "scale")


def is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def setting_at(setting, name, t):
    """The value a setting gives tensor `name` at position t, or None when its conditions all miss."""
    if not isinstance(setting, list):
        return setting
    if all(is_number(v) for v in setting):
        position = t * (len(setting) - 1)
        lower = int(position)
        upper = min(lower + 1, len(setting) - 1)
        part = position - lower
        return setting[lower] * (1 - part) + setting[upper] * part
    if all(not isinstance(v, dict) for v in setting):
        return setting[int(t * (len(setting) - 1))]
    for condition in setting:
        pattern = condition.get("filter")
        if pattern is None or pattern == "*" or pattern in name:
            return setting_at(condition["value"], name, t)
    return None


def first_of(levels, key, name, t):
    for level in levels:
        if level and key in level:
            value = setting_at(level[key], name, t)
            if value is not None:
                return value
    return None


def layer_of(name):
    for part in name.split("."):
        if part.isdigit():
            return int(part)
    return None


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 1
    folder = os.path.dirname(os.path.abspath(argv[1]))
    with open(argv[1], encoding="utf-8") as f:
        recipe = json.load(f)
    fn = mergekit_reference.METHODS[recipe["merge_method"]]
    load = lambda path: safetensors_io.read(os.path.join(folder, path))  # noqa: E731
    base = load(recipe["base_model"]) if recipe.get("base_model") else None
    models = [load(m["model"]) for m in recipe["models"]]
    recipe_params = recipe.get("parameters") or {}
    reference = base if base is not None else models[0]
    layers = 1 + max((layer_of(n) for n in reference if layer_of(n) is not None), default=-1)
    outputs = {}
    for name, base_tensor in reference.items():
        layer = layer_of(name)
        t = 0.0 if layer is None else (layer / (layers - 1) if layers > 1 else 1.0)
        params = {}
        for key in recipe_params:
            if key not in PER_MODEL:
                value = first_of([recipe_params], key, name, t)
                if value is not None:
                    params[key] = value
        tensor_params = []
        for model in recipe["models"]:
            own = {}
            for key in PER_MODEL:
                value = first_of([model.get("parameters"), recipe_params], key, name, t)
                if value is not None:
                    own[key] = value
            tensor_params.append(own)
        inputs = [m[name].float() for m in models]
        with torch.no_grad():
            out = fn(inputs, base[name].float() if base is not None else None, params, tensor_params,
                     {"name": name, "is_embed": False})
        outputs[name] = out.float().contiguous()
    safetensors_io.write(argv[2], outputs)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
