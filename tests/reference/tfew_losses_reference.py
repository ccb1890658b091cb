"""Independent reference for the losses a language model fine-tunes with (core/train/lm_losses.h), written
from Liu et al. 2022, "Few-Shot Parameter-Efficient Fine-Tuning is Better and Cheaper than In-Context
Learning" (T-Few), §3.2, per example, on the tiny float64 Llama and the text tasks of lm_eval_reference.py:
  L_LM = -(1/T) sum_t log p(y_t | x, y_<t)                        (the correct choice's tokens)
  L_UL = -sum_n sum_t log(1 - p(yhat^n_t | x, yhat^n_<t)) / sum_n T^n   (the N wrong choices' tokens)
  L_LN = -log(exp(beta(x, y)) / (exp(beta(x, y)) + sum_n exp(beta(x, yhat^n)))),
         beta(x, y) = (1/T) sum_t log p(y_t | x, y_<t)
Token log-probabilities are the harness's (lm_eval_reference.py: encode_pair, the window cut from the left).
The cross-entropy of the other kinds, as Merganser defines it: generation, -(1/T) sum over the answer's
tokens followed by the task's first stop text, read after the prompt; perplexity, -(1/T) over every token of
the text, scored in the harness's rolling windows.

Usage: tfew_losses_reference.py DIR, DIR written by lm_eval_reference.py. Writes DIR/tfew_losses.json:
{"choose": [{"lm": .., "ul": .., "ln": ..} per example], "say": [lm per example], "prose": [lm per example]}.
Exit 77 when torch is missing."""

import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import torch
except ImportError:
    sys.stderr.write("python3-torch is not installed\n")
    sys.exit(77)
import lm_eval_reference as ref  # noqa: E402
import safetensors_io  # noqa: E402

torch.set_default_dtype(torch.float64)


def read_task(path):
    with open(path) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    header = next((line["merganser_task"] for line in lines if "merganser_task" in line), {})
    return header, [line for line in lines if "merganser_task" not in line]


def token_logprobs(model, context, continuation):
    """log p of each continuation token after the context, the input cut to the window from the left."""
    whole = (context + continuation)[-(ref.CONTEXT + 1):]
    inp = whole[:-1]
    logp = model.logprobs(inp)
    n = min(len(continuation), len(inp))
    return [float(logp[p, whole[p + 1]]) for p in range(len(inp) - n, len(inp))]


def choice_tokens(context, choice):
    if context == "":
        return [ref.BOS], ref.encode(choice)
    return ref.encode_pair(context, choice)


def multiple_choice_losses(model, example):
    per_choice = [token_logprobs(model, *choice_tokens(example["context"], c)) for c in example["choices"]]
    label = example["label"]
    right = per_choice[label]
    lm = -sum(right) / len(right)
    wrong = [lp for n, choice in enumerate(per_choice) if n != label for lp in choice]
    ul = -sum(math.log(1.0 - math.exp(lp)) for lp in wrong) / len(wrong)
    beta = [sum(choice) / len(choice) for choice in per_choice]
    ln = -(beta[label] - math.log(sum(math.exp(b) for b in beta)))
    return {"lm": lm, "ul": ul, "ln": ln}


def generation_loss(model, example, stops):
    prompt = ref.encode(example["prompt"]) if example["prompt"] else [ref.BOS]
    answer = ref.encode(example["answer"] + (stops[0] if stops else ""))
    lps = token_logprobs(model, prompt, answer)
    return -sum(lps) / len(lps)


def perplexity_loss(model, example):
    lps = []
    for context, continuation in ref.rolling_windows(ref.encode(example["text"]), ref.BOS, ref.CONTEXT):
        lps += token_logprobs(model, context, continuation)
    return -sum(lps) / len(lps)


def main():
    out = sys.argv[1]
    W = {k: v.double() for k, v in safetensors_io.read(os.path.join(out, "model", "model.safetensors")).items()}
    model = ref.Model(W)
    _, choose = read_task(os.path.join(out, "tasks", "choose.jsonl"))
    say_header, say = read_task(os.path.join(out, "tasks", "say.jsonl"))
    _, prose = read_task(os.path.join(out, "tasks", "prose.jsonl"))
    result = {"choose": [multiple_choice_losses(model, e) for e in choose],
              "say": [generation_loss(model, e, say_header.get("stop", ["\n"])) for e in say],
              "prose": [perplexity_loss(model, e) for e in prose]}
    with open(os.path.join(out, "tfew_losses.json"), "w") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
