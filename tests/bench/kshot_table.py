#!/usr/bin/env python3
"""The k-shot table of issue 19: few-shot LoRA and IA³ specialists of the demo zoo's base, trained with
`merganser-cli train` on k examples per class of each skill task's training split and scored with
`merganser-cli eval` on the task's test split, against the base and the demo's full-data LoRA specialists.

    python3 tests/bench/kshot_table.py DEMO_DIR [--cli build/app/merganser-cli] [--ks 4,16,64] [--text]

DEMO_DIR is a zoo made by `merganser-cli demo --out DEMO_DIR` (it has base/, adapters/<skill>/, tasks/ and
tasks/train/); with --text, a text zoo (`demo --zoo text`): k examples per task of each skill's generation
task, scored by exact match on tasks/test. Prints a markdown table: test accuracy per skill and the mean, and
training seconds per specialist (wall clock of the training loop, as `train --json` reports it). Standard
library only.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

SKILLS = ["rotate", "flip", "invert"]
TEXT_SKILLS = ["upper", "sort", "shift", "add"]

# One recipe per method, the same for every k: what a user would start from (README, "Training specialists").
RECIPES = {
    "lora": ["--method", "lora", "--rank", "8", "--alpha", "16", "--learning-rate", "3e-3"],
    "ia3": ["--method", "ia3", "--learning-rate", "3e-2"],
}
COMMON = ["--validation-examples", "0", "--steps", "200", "--batch-size", "32", "--seed", "0"]
TEXT_COMMON = ["--validation-examples", "0", "--example-unit", "per_task", "--steps", "100", "--batch-size", "16",
               "--seed", "0"]


def run_json(cli, args):
    out = subprocess.run([cli] + args + ["--json"], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(args[:1])} failed ({out.returncode}): {out.stderr.strip()}")
    return json.loads(out.stdout)


def test_accuracy(cli, demo, model, skill, base=None):
    args = ["eval", "--model", model, "--tasks", os.path.join(demo, "tasks", skill + ".h5")]
    if base:
        args += ["--base", base]
    return run_json(cli, args)["mean_accuracy"]


def text_exact_match(cli, demo, adapter, skill):
    args = ["eval", "--model", os.path.join(demo, "base"), "--tasks", os.path.join(demo, "tasks", "test", skill + ".jsonl")]
    if adapter:
        args += ["--adapter", adapter]
    return run_json(cli, args)["tasks"][0]["exact_match"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("demo")
    parser.add_argument("--cli", default="build/app/merganser-cli")
    parser.add_argument("--ks", default="4,16,64")
    parser.add_argument("--text", action="store_true", help="a text zoo (exact match on generation tasks)")
    args = parser.parse_args()
    base = os.path.join(args.demo, "base")
    ks = [int(k) for k in args.ks.split(",")]

    skills = TEXT_SKILLS if args.text else SKILLS
    common = TEXT_COMMON if args.text else COMMON
    if args.text:
        score = lambda adapter, skill: text_exact_match(args.cli, args.demo, adapter, skill)
    else:
        score = lambda adapter, skill: test_accuracy(args.cli, args.demo, adapter or base, skill, adapter and base)
    rows = [("Base", "", [score(None, s) for s in skills], None),
            ("LoRA, full data (the demo's)", "all", [score(os.path.join(args.demo, "adapters", s), s) for s in skills], None)]
    with tempfile.TemporaryDirectory() as scratch:
        for method, recipe in RECIPES.items():
            for k in ks:
                scores, seconds = [], []
                for skill in skills:
                    out = os.path.join(scratch, f"{method}-{k}-{skill}")
                    result = run_json(args.cli, ["train", "--base", base, "--tasks",
                                                 os.path.join(args.demo, "tasks", "train"), "--task", skill,
                                                 "--examples", str(k), "--out", out] + recipe + common)
                    seconds.append(result["seconds"])
                    scores.append(score(out, skill))
                rows.append((("LoRA r8" if method == "lora" else "IA³"), str(k), scores, sum(seconds) / len(seconds)))

    unit = "per task" if args.text else "per class"
    print(f"| specialist | k {unit} | " + " | ".join(skills) + " | mean | training s |")
    print("|---|---|" + "---|" * (len(skills) + 2))
    for name, k, scores, seconds in rows:
        cells = " | ".join(f"{100 * s:.1f}" for s in scores)
        mean = 100 * sum(scores) / len(scores)
        time_cell = f"{seconds:.1f}" if seconds is not None else ""
        print(f"| {name} | {k} | {cells} | {mean:.1f} | {time_cell} |")


if __name__ == "__main__":
    main()
