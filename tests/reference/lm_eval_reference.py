"""Independent reference for `merganser-cli eval` on text tasks: lm-evaluation-harness's scoring, written from
the harness's definitions (lm_eval/utils.py get_rolling_token_windows and make_disjoint_window; HFLM's
_encode_pair, loglikelihood and generate_until; the acc / acc_norm and exact-match metrics), on a tiny
float64 Llama model of lm_reference.py with a character-level tokenizer.

Usage: lm_eval_reference.py OUT_DIR
Writes OUT_DIR/model/ (config.json, model.safetensors, tokenizer.json, tokenizer_config.json), PEFT LoRA
adapters of it OUT_DIR/adapter/ (q and v of every layer) and OUT_DIR/adapter2/ (gate and down), OUT_DIR/tasks/
(one JSON Lines file per kind) and OUT_DIR/expected.json: per task the harness's numbers, and with each adapter
applied (`*_adapter`, `*_adapter2`). Exit 77 when torch is missing."""

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
import lm_reference  # noqa: E402

ALPHABET = " abcdefghijklmnopqrstuvwxyz.:\n"
BOS, EOS = 0, 1
CONTEXT = 12  # max_position_embeddings: long texts need several rolling windows

CONFIG = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": len(ALPHABET) + 2,
          "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
          "num_key_value_heads": 2, "max_position_embeddings": CONTEXT, "rms_norm_eps": 1e-6,
          "rope_theta": 10000.0, "tie_word_embeddings": False, "bos_token_id": BOS, "eos_token_id": EOS,
          "hidden_act": "silu"}


def encode(text):
    return [ALPHABET.index(c) + 2 for c in text]


def decode(ids):
    return "".join(ALPHABET[i - 2] for i in ids if i >= 2)


def write_tokenizer(folder):
    special = {"single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True}
    vocab = {"<s>": BOS, "</s>": EOS}
    vocab.update({c: i + 2 for i, c in enumerate(ALPHABET)})
    tokenizer = {"version": "1.0", "truncation": None, "padding": None,
                 "added_tokens": [dict(id=BOS, content="<s>", **special), dict(id=EOS, content="</s>", **special)],
                 "normalizer": None, "pre_tokenizer": None, "post_processor": None, "decoder": {"type": "Fuse"},
                 "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                           "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False,
                           "vocab": vocab, "merges": []}}
    with open(os.path.join(folder, "tokenizer.json"), "w") as f:
        json.dump(tokenizer, f)
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump({"bos_token": "<s>", "eos_token": "</s>"}, f)


class Model:
    def __init__(self, W, adapters=()):
        self.W = W
        self.adapters = list(adapters)  # PEFT factors, applied unmerged with weight 1

    def logprobs(self, inp):
        return torch.log_softmax(lm_reference.forward(CONFIG, self.W, torch.tensor([inp]), self.adapters)[0], dim=-1)

    # The harness's loglikelihood of (context, continuation): the input is (context + continuation)[-(max+1):][:-1],
    # the continuation's tokens are the last len(continuation) positions.
    def loglikelihood(self, context, continuation):
        whole = (context + continuation)[-(CONTEXT + 1):]
        inp = whole[:-1]
        logp = self.logprobs(inp)
        n = len(continuation)
        positions = range(len(inp) - n, len(inp))
        ll = sum(float(logp[p, whole[p + 1]]) for p in positions)
        greedy = all(int(logp[p].argmax()) == whole[p + 1] for p in positions)
        return ll, greedy

    # HFLM.generate_until: the prompt keeps its last max_length - max_gen_toks tokens, then greedy decoding
    # until EOS, a stop text or max_gen_toks; the text is cut at the first stop text.
    def greedy_until(self, prompt, max_new, stops):
        seq, out = list(prompt)[-(CONTEXT - max_new):], []
        for _ in range(max_new):
            token = int(self.logprobs(seq)[-1].argmax())
            if token == EOS:
                break
            out.append(token)
            seq.append(token)
            if any(s in decode(out) for s in stops):
                break
        text = decode(out)
        for s in stops:
            text = text.split(s)[0]
        return text


def rolling_windows(tokens, prefix, max_len):
    # lm_eval.utils.get_rolling_token_windows with context_len=1, then make_disjoint_window.
    pred_len = max_len
    predicted = 0
    first = min(max_len, len(tokens))
    windows = [([prefix] + tokens[:first - 1], tokens[:first])]
    predicted += first
    while predicted < len(tokens):
        window_pred_len = min(len(tokens) - predicted, pred_len)
        window_end = predicted + window_pred_len
        windows.append((tokens[window_end - max_len - 1:window_end - 1], tokens[window_end - window_pred_len:window_end]))
        predicted += window_pred_len
    return [(a[:len(a) - (len(b) - 1)], b) for a, b in windows]


def encode_pair(context, continuation):
    n_spaces = len(context) - len(context.rstrip())
    if n_spaces > 0:
        continuation = context[-n_spaces:] + continuation
        context = context[:-n_spaces]
    whole = encode(context + continuation)
    context_enc = encode(context)
    return context_enc, whole[len(context_enc):]


def perplexity(model, texts):
    total_ll, total_tokens = 0.0, 0
    for t in texts:
        tokens = encode(t)
        for context, continuation in rolling_windows(tokens, BOS, CONTEXT):
            total_ll += model.loglikelihood(context, continuation)[0]
        total_tokens += len(tokens)
    return {"perplexity": math.exp(-total_ll / total_tokens), "log_likelihood": total_ll, "tokens": total_tokens}


def multiple_choice(model, items):
    acc = acc_norm = 0
    for context, choices, label in items:
        lls = []
        for choice in choices:
            context_enc, continuation_enc = encode_pair(context, choice)
            if context == "":
                context_enc = [BOS]
                continuation_enc = encode(choice)
            lls.append(model.loglikelihood(context_enc, continuation_enc)[0])
        best = max(range(len(lls)), key=lambda i: (lls[i], -i))
        best_norm = max(range(len(lls)), key=lambda i: (lls[i] / len(choices[i]), -i))
        acc += best == label
        acc_norm += best_norm == label
    return {"accuracy": acc / len(items), "accuracy_norm": acc_norm / len(items)}


def main():
    out = sys.argv[1]
    g = torch.Generator().manual_seed(11)
    W = lm_reference.write_model(os.path.join(out, "model"), CONFIG,
                                 lm_reference.random_weights(lm_reference.llama_shapes(CONFIG), g))
    write_tokenizer(os.path.join(out, "model"))
    model = Model(W)
    tasks_dir = os.path.join(out, "tasks")
    os.makedirs(tasks_dir, exist_ok=True)
    expected = {}

    texts = ["the quick brown fox jumps over the lazy dog.", "abc", "hello world\nsecond line of text here."]
    with open(os.path.join(tasks_dir, "prose.jsonl"), "w") as f:
        f.write(json.dumps({"merganser_task": {"kind": "perplexity", "name": "prose"}}) + "\n")
        for t in texts:
            f.write(json.dumps({"text": t}) + "\n")
    expected["prose"] = perplexity(model, texts)

    items = [("the cat sat on the ", ["mat", "dog", "hat on the table"], 0),
             ("abc", [" def", "d", " xyz."], 1), ("", ["hello", "zzz"], 0),
             ("a long context that does not fit in the window at all and ", ["ends", "stops here"], 1),
             ("q: two plus two\na:", [" four", " five", " twenty two"], 2)]
    with open(os.path.join(tasks_dir, "choose.jsonl"), "w") as f:
        f.write(json.dumps({"merganser_task": {"kind": "multiple_choice", "name": "choose"}}) + "\n")
        for context, choices, label in items:
            f.write(json.dumps({"context": context, "choices": choices, "label": label}) + "\n")
    expected["choose"] = multiple_choice(model, items)
    modules = [f"model.layers.{i}.self_attn.{n}" for i in range(CONFIG["num_hidden_layers"]) for n in ("q_proj", "v_proj")]
    adapter = lm_reference.write_adapter(os.path.join(out, "adapter"), W, modules, 4, 8, g)
    expected["choose_adapter"] = multiple_choice(Model(W, [adapter]), items)
    expected["prose_adapter"] = perplexity(Model(W, [adapter]), texts)

    stops, max_new = ["."], 8
    prompts = ["the quick", "hello", "", "abc def ghi jkl mno"]
    answers = [model.greedy_until(encode(p) if p else [BOS], max_new, stops) for p in prompts]
    # Half of the answers are what the model says (stripped differently), half are not: exact match 1/2.
    given = [" " + answers[0].strip() + "  ", answers[1] + "x", answers[2], "not this"]
    with open(os.path.join(tasks_dir, "say.jsonl"), "w") as f:
        f.write(json.dumps({"merganser_task": {"kind": "generation", "name": "say", "max_new_tokens": max_new,
                                               "stop": stops}}) + "\n")
        for p, a in zip(prompts, given):
            f.write(json.dumps({"prompt": p, "answer": a}) + "\n")
    matches = sum(model_answer.strip() == a.strip() for model_answer, a in zip(answers, given))
    expected["say"] = {"exact_match": matches / len(prompts), "answers": answers}

    # A second adapter, of the MLP, for the routers over LLM adapters (tests/engine/test_text_routing.cpp);
    # written last so that the numbers above do not depend on it.
    mlp = [f"model.layers.{i}.mlp.{n}" for i in range(CONFIG["num_hidden_layers"]) for n in ("gate_proj", "down_proj")]
    adapter2 = lm_reference.write_adapter(os.path.join(out, "adapter2"), W, mlp, 4, 8, g)
    expected["choose_adapter2"] = multiple_choice(Model(W, [adapter2]), items)
    expected["prose_adapter2"] = perplexity(Model(W, [adapter2]), texts)

    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2)


if __name__ == "__main__":
    main()
