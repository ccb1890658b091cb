#!/usr/bin/env python3
"""Writes the small tokenizer.json files of tests/data/tokenizers/, one per format people merge: GPT-2
(byte-level BPE), Llama 3 (byte-level, its Split regex, ignore_merges), Qwen2 (NFC, its regex), Llama 2
(Prepend + Replace normalizer, byte fallback to <0xNN>) and Mistral (Metaspace, byte fallback), each with
added and special tokens and a tokenizer_config.json, and texts.json: the texts the tests encode.

Python standard library only: the vocabularies are learned by a plain BPE count on CORPUS below (not by
Merganser's trainer), so the files do not depend on the code they test.

Regenerate everything (the expected ids come from Hugging Face's tokenizers.js, see make_fixtures.mjs):
    cd tests/reference/tokenizers_js && npm ci && python3 make_tokenizers.py && node make_fixtures.mjs
"""

import collections
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "data", "tokenizers")

CORPUS = """
Merging models is cheap: take a base model, fine-tune it on a task, and average the weights.
The specialists were trained on reversing, upper-casing, sorting letters and counting digits.
I'm sure you'll like it, we've tested it and they're happy. Don't worry, it's fine!
Numbers: 1234567890, 3.14159, 2024-12-04, 42 and 1000000 tokens per second.
Café, naïve, résumé, Ärger, über, façade, São Paulo, Zürich, crème brûlée.
def merge(models, weights):
    return sum(w * m for w, m in zip(weights, models))
The quick brown fox jumps over the lazy dog. THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG.
hello hello hello world world merging merging merges merged tokenizer tokenizers tokens
"""

TEXTS = [
    "",
    "Hello world",
    "Hello  world   with    spaces",
    "   leading spaces and trailing   ",
    "line one\nline two\n\n\nafter blank lines\r\nwindows line",
    "\tTab\tseparated\tvalues\t",
    "I'm sure you'll like it, we've tested it. DON'T WORRY, IT'S FINE",
    "Numbers 1234567890 and 3.14159, dates 2024-12-04, 42 tokens",
    "Café naïve résumé Ärger über façade",
    "Cafe\u0301 nai\u0308ve re\u0301sume\u0301 A\u0308rger",
    "日本語のテキスト、中文文本。한국어",
    "Emoji: I \u2764\ufe0f \U0001f986 merging \U0001f469\u200d\U0001f4bb!",
    "def merge(models, weights):\n    return sum(w * m for w, m in zip(weights, models))\n",
    "The quick brown fox jumps over the lazy dog. THE QUICK BROWN FOX",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "a",
    " ",
    "  ",
    "\n",
    "non\u00a0breaking\u00a0space and\u2003em space",
    "Symbols: Ω≈ç√∫ ← → ∑ ¿¡ «»",
    "mergingmergesmergedtokenizertokenizers",
    "hello world hello world hello world",
]


def learn_merges(words, count, alphabet_ok=lambda s: True):
    """Plain BPE: repeatedly merge the most frequent adjacent pair (ties: first seen) of `words`
    (tuples of symbols with counts)."""
    words = {tuple(w): c for w, c in words.items()}
    merges = []
    for _ in range(count):
        pairs = collections.Counter()
        for w, c in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += c
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: kv[1])[0]
        if pairs[best] < 2:
            break
        merges.append(best)
        merged = {}
        for w, c in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == best:
                    out.append(w[i] + w[i + 1])
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + c
        words = merged
    return merges


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


BYTE_CHARS = bytes_to_unicode()


def byte_level(s):
    return "".join(BYTE_CHARS[b] for b in s.encode("utf-8"))


def byte_level_bpe(merge_count, extra_words=()):
    words = collections.Counter(byte_level(w) for w in re.findall(r" ?\w+| ?[^\w\s]+|\s+", CORPUS))
    merges = learn_merges({tuple(w): c for w, c in words.items()}, merge_count)
    vocab = {}
    for b in range(256):
        vocab[BYTE_CHARS[b]] = len(vocab)
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    for w in extra_words:  # whole words with no merge path to them (what ignore_merges is for)
        vocab.setdefault(byte_level(w), len(vocab))
    return vocab, merges


def sentencepiece_bpe(merge_count):
    """Unicode-character BPE over '▁'-prefixed words, as SentencePiece models converted to tokenizer.json:
    <unk>, <s>, </s>, the 256 <0xNN> byte tokens, then characters seen at least twice, then merges."""
    text = CORPUS.replace("\n", " ")
    words = collections.Counter("▁" + w for w in text.split(" ") if w)
    chars = collections.Counter(ch for w, c in words.items() for ch in w for _ in range(c))
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2}
    for b in range(256):
        vocab["<0x%02X>" % b] = len(vocab)
    for ch, c in sorted(chars.items(), key=lambda kv: (-kv[1], kv[0])):
        if c >= 2:
            vocab[ch] = len(vocab)
    known = {tuple(ch if ch in vocab else "\0" for ch in w): c for w, c in words.items()}
    merges = [m for m in learn_merges(known, merge_count) if "\0" not in m[0] + m[1]]
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    return vocab, merges


def added(content, id, special=True, normalized=None, lstrip=False, rstrip=False, single_word=False):
    return {"id": id, "content": content, "single_word": single_word, "lstrip": lstrip, "rstrip": rstrip,
            "normalized": (not special) if normalized is None else normalized, "special": special}


def template(bos, bos_id):
    return {"type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": bos, "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {bos: {"id": bos, "ids": [bos_id], "tokens": [bos]}}}


def write(name, tokenizer, config, extra_texts=()):
    folder = os.path.join(OUT, name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer, f, ensure_ascii=False, indent=1)
    with open(os.path.join(folder, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, ensure_ascii=False, indent=1)
    with open(os.path.join(folder, "texts.json"), "w", encoding="utf-8") as f:
        json.dump(TEXTS + list(extra_texts), f, ensure_ascii=False, indent=1)


def bpe(vocab, merges, pairs=False, **options):
    model = {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
             "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False}
    model.update(options)
    model["vocab"] = vocab
    model["merges"] = [[a, b] for a, b in merges] if pairs else ["%s %s" % (a, b) for a, b in merges]
    return model


def base(model, added_tokens, normalizer, pre_tokenizer, post_processor, decoder):
    return {"version": "1.0", "truncation": None, "padding": None, "added_tokens": added_tokens,
            "normalizer": normalizer, "pre_tokenizer": pre_tokenizer, "model": model,
            "post_processor": post_processor, "decoder": decoder}


LLAMA3_PATTERN = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
QWEN2_PATTERN = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"


def gpt2():
    vocab, merges = byte_level_bpe(300)
    eot = len(vocab)
    byte_level_pre = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
    tok = base(bpe(vocab, merges), [added("<|endoftext|>", eot)], None, byte_level_pre,
               {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
               {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True})
    config = {"bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<|endoftext|>",
              "add_prefix_space": False, "model_max_length": 1024, "clean_up_tokenization_spaces": False}
    write("gpt2", tok, config, ["<|endoftext|>", "first<|endoftext|>second", "a <|endoftext|> b<|endoftext|>"])


def llama3():
    vocab, merges = byte_level_bpe(320, extra_words=[" unbelievable", "Zürich", " 2024"])
    specials = ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"]
    added_tokens = [added(s, len(vocab) + i) for i, s in enumerate(specials)]
    bot = len(vocab)
    pre = {"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": LLAMA3_PATTERN}, "behavior": "Isolated", "invert": False},
        {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]}
    post = {"type": "Sequence", "processors": [
        {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
        template("<|begin_of_text|>", bot)]}
    tok = base(bpe(vocab, merges, pairs=True, ignore_merges=True), added_tokens, None, pre, post,
               {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True})
    config = {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>", "clean_up_tokenization_spaces": True,
              "model_max_length": 131072}
    write("llama3", tok, config, [
        "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi there!<|eot_id|>",
        "It is unbelievable in Zürich in 2024", "numbers 1 12 123 1234 12345"])


def qwen2():
    vocab, merges = byte_level_bpe(300)
    n = len(vocab)
    added_tokens = [added("<|endoftext|>", n), added("<|im_start|>", n + 1), added("<|im_end|>", n + 2),
                    added("<tool_call>", n + 3, special=False, normalized=False)]
    pre = {"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": QWEN2_PATTERN}, "behavior": "Isolated", "invert": False},
        {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}]}
    tok = base(bpe(vocab, merges), added_tokens, {"type": "NFC"}, pre,
               {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False},
               {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False})
    config = {"bos_token": None, "eos_token": "<|im_end|>", "pad_token": "<|endoftext|>",
              "clean_up_tokenization_spaces": False, "model_max_length": 32768}
    write("qwen2", tok, config, [
        "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nCafe\u0301?<|im_end|>",
        "call <tool_call>merge(a, b)</tool_call> now", "digits 1234567"])


def llama2():
    vocab, merges = sentencepiece_bpe(250)
    added_tokens = [added("<unk>", 0), added("<s>", 1), added("</s>", 2)]
    normalizer = {"type": "Sequence", "normalizers": [
        {"type": "Prepend", "prepend": "▁"}, {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]}
    decoder = {"type": "Sequence", "decoders": [
        {"type": "Replace", "pattern": {"String": "▁"}, "content": " "}, {"type": "ByteFallback"},
        {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}
    tok = base(bpe(vocab, merges, unk_token="<unk>", fuse_unk=True, byte_fallback=True), added_tokens,
               normalizer, None, template("<s>", 1), decoder)
    config = {"bos_token": {"__type": "AddedToken", "content": "<s>", "lstrip": False, "normalized": False,
                            "rstrip": False, "single_word": False},
              "eos_token": {"__type": "AddedToken", "content": "</s>", "lstrip": False, "normalized": False,
                            "rstrip": False, "single_word": False},
              "unk_token": "<unk>", "pad_token": None, "add_bos_token": True, "add_eos_token": False,
              "clean_up_tokenization_spaces": False, "legacy": False}
    write("llama2", tok, config, ["<s>[INST] Hello [/INST] world</s>", "text</s>"])


def mistral():
    vocab, merges = sentencepiece_bpe(250)
    added_tokens = [added("<unk>", 0), added("<s>", 1), added("</s>", 2),
                    added("[INST]", len(vocab), special=False, normalized=False, lstrip=True, rstrip=True)]
    pre = {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": False}
    decoder = {"type": "Sequence", "decoders": [
        {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": False},
        {"type": "ByteFallback"}, {"type": "Fuse"}]}
    tok = base(bpe(vocab, merges, unk_token="<unk>", fuse_unk=True, byte_fallback=True), added_tokens,
               None, pre, template("<s>", 1), decoder)
    config = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "add_bos_token": True,
              "add_eos_token": False, "clean_up_tokenization_spaces": False}
    write("mistral", tok, config, ["<s>[INST] What is merging? [/INST] Averaging.</s>", "x  [INST]  y"])


def normalized():
    """Not a model family: the other normalizers and pre-tokenizers (NFKD, Lowercase, Strip, Replace with a
    regex, Split removing, Digits) and a template that appends EOS."""
    vocab, merges = byte_level_bpe(200)
    n = len(vocab)
    normalizer = {"type": "Sequence", "normalizers": [
        {"type": "NFKD"}, {"type": "Replace", "pattern": {"Regex": "\\p{Mn}"}, "content": ""},
        {"type": "Lowercase"}, {"type": "Strip", "strip_left": True, "strip_right": True},
        {"type": "Replace", "pattern": {"String": "ß"}, "content": "ss"}]}
    pre = {"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": "\\s+"}, "behavior": "Removed", "invert": False},
        {"type": "Digits", "individual_digits": True},
        {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": False}]}
    post = {"type": "TemplateProcessing",
            "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {"</s>": {"id": "</s>", "ids": [n], "tokens": ["</s>"]}}}
    tok = base(bpe(vocab, merges), [added("</s>", n)], normalizer, pre, post,
               {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True})
    config = {"eos_token": "</s>", "clean_up_tokenization_spaces": False}
    write("normalized", tok, config, ["ＦＵＬＬ　ｗｉｄｔｈ １２３", "Straße GROSS ǅ ﬁ ①②", "  Ça   VA  </s> Déjà  "])


def trained_texts():
    """Only texts: the trained tokenizer itself is Merganser's (tests/text/test_bpe_trainer.cpp)."""
    folder = os.path.join(OUT, "trained")
    os.makedirs(folder, exist_ok=True)
    extra = ["reverse skill: lliks\ncount digits = 6<|endoftext|>37 + 1 = 38", "<s>already there<pad>"]
    with open(os.path.join(folder, "texts.json"), "w", encoding="utf-8") as f:
        json.dump(TEXTS + extra, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    trained_texts()
    gpt2()
    llama3()
    qwen2()
    llama2()
    mistral()
    normalized()
