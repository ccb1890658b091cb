#pragma once
// The text demo zoo (`merganser-cli demo --zoo text`): a small Llama-architecture language model pre-trained
// here on a mixture of string skills (demo/text_skills.h), with a byte-level BPE tokenizer trained on the
// same texts, saved as a Hugging Face folder; a PEFT LoRA specialist per skill; text tasks for every skill
// and for held-out compositions of two skills; and a project text.mgproj that merges, routes, evaluates,
// compares and maps them (demo/text_zoo_project.h).
//
// Layout of the output folder (made in a staging folder and moved into place when complete):
//   base/            config.json (LlamaForCausalLM), generation_config.json, model.safetensors,
//                    tokenizer.json, tokenizer_config.json
//   adapters/<skill>/  adapter_config.json + adapter_model.safetensors (PEFT LoRA of base/)
//   tasks/test/      <skill>.jsonl (generation, exact match), <skill>-choice.jsonl (multiple choice), and
//                    the same for each held-out composition (<a>+<b>.jsonl, <a>+<b>-choice.jsonl)
//   tasks/val/       <skill>.jsonl and <skill>-choice.jsonl: other examples, which the routers fit on
//   tasks/train/     <skill>.jsonl and <skill>-choice.jsonl: examples to fine-tune on (merganser-cli train),
//                    none of them in test or val
//   text.mgproj      the project
#include <cstdint>
#include <string>
#include <vector>

#include "demo/demo_zoo.h"

namespace mg::demo {

inline constexpr const char* kTextProjectFile = "text.mgproj";

struct TextSpecialistReport {
  std::string skill;
  std::string folder;                        // the adapter folder
  double baseExactMatch = 0, exactMatch = 0; // on the skill's generation test task
  double baseChoice = 0, choice = 0;         // on its multiple-choice test task (accuracy)
  double trainSeconds = 0;
};

struct TextZooReport {
  std::string projectPath;
  std::int64_t parameters = 0; // the base model's
  std::int64_t vocabulary = 0; // the tokenizer's
  double tokenizerSeconds = 0, baseTrainSeconds = 0;
  double baseLoss = 0; // per answer token, at the end of pre-training
  std::vector<TextSpecialistReport> specialists;
  double seconds = 0;
};

// Throws std::runtime_error naming the folder for an existing folder that is not a text zoo;
// engine::Cancelled when cancelled. Nothing is left at the output folder when it throws.
// (DemoOptions::datasetFolder is not used.)
TextZooReport buildTextZoo(const DemoOptions& options);

} // namespace mg::demo
