#!/usr/bin/python3
"""Runs merge cases through the reference implementations (mergekit_reference.py) in one process.

Usage: /usr/bin/python3 run_cases.py CASES.json INPUTS.safetensors OUTPUTS.safetensors

CASES.json:
  {"cases": [
     {"id": "ties/2d/density=0.5",          unique; also the name of the case's output tensor
      "method": "ties",                     a key of mergekit_reference.METHODS or svd_merges_reference.METHODS
      "base": "ties/2d/density=0.5/base",   a tensor of INPUTS, or null
      "inputs": ["…/in0", "…/in1"],         tensors of INPUTS, the models other than the base, in order
      "params": {"lambda": 0.5, "rescale": true},          global parameters, mergekit's names and types
      "tensor_params": [{"weight": 1, "density": 0.5}, …], one dict per input (mergekit's per-model ones)
      "info": {"name": "model.layers.0.mlp.weight", "is_embed": false}   optional
      "dtype": "bfloat16"                   optional, default float32: the dtype mergekit loads the
     }, …]}                                 tensors in and computes in (its `dtype`)

Writes OUTPUTS.safetensors with one float32 tensor per case (the output in the case's dtype, widened) that succeeded, named by its id, and
OUTPUTS.safetensors + ".errors.json": {"id": "error message", …} for the cases whose method raised (a
case that mergekit refuses is then expected to be refused by Merganser too).

Exit status: 0 when every case ran (succeeded or raised), 77 when torch cannot be imported (the caller
skips), 1 on a malformed case file.
"""

import json
import os
import sys

try:
    import torch
except ImportError as error:  # the C++ test skips on this exit status
    print(f"torch is not available to {sys.executable}: {error}", file=sys.stderr)
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mergekit_reference  # noqa: E402
import svd_merges_reference  # noqa: E402  (iso_c, iso_cts, tsv: not mergekit methods)
import wudi_reference  # noqa: E402  (wudi: not a mergekit method)
import safetensors_io  # noqa: E402

METHODS = {**mergekit_reference.METHODS, **svd_merges_reference.METHODS, **wudi_reference.METHODS}


def run(case, tensors):
    fn = METHODS.get(case["method"])
    if fn is None:
        raise KeyError(f"the reference has no method '{case['method']}'")
    dtype = getattr(torch, case.get("dtype", "float32"))
    if dtype not in (torch.float32, torch.bfloat16, torch.float16):
        raise ValueError(f"unsupported dtype {case['dtype']}")
    inputs = [tensors[name].float().to(dtype) for name in case["inputs"]]
    base = tensors[case["base"]].float().to(dtype) if case.get("base") else None
    tensor_params = case.get("tensor_params") or [{} for _ in inputs]
    if len(tensor_params) != len(inputs):
        raise ValueError(f"{len(tensor_params)} tensor_params for {len(inputs)} inputs")
    info = {"name": case["id"], "is_embed": False}
    info.update(case.get("info", {}))
    with torch.no_grad():
        out = fn(inputs, base, dict(case.get("params", {})), tensor_params, info)
    return out.to(dtype).float().contiguous()  # mergekit writes the output in the compute dtype


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 1
    with open(argv[1], encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    tensors = safetensors_io.read(argv[2])
    torch.manual_seed(0)
    outputs, errors = {}, {}
    for case in cases:
        try:
            outputs[case["id"]] = run(case, tensors)
        except KeyError as error:
            if "no method" in str(error):
                errors[case["id"]] = str(error)
            else:
                raise
        except (ValueError, RuntimeError, AssertionError, ZeroDivisionError) as error:
            errors[case["id"]] = f"{type(error).__name__}: {error}"
    safetensors_io.write(argv[3], outputs)
    with open(argv[3] + ".errors.json", "w", encoding="utf-8") as f:
        json.dump(errors, f, indent=1)
    print(f"{len(outputs)} cases computed, {len(errors)} raised")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
