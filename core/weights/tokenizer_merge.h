#pragma once
// The tokenizer of a merge's output, as mergekit builds it (`tokenizer_source`, `chat_template`), from the
// Hugging Face tokenizer.json / tokenizer_config.json / config.json of the model folders:
//   base   the base's tokenizer (the first input's without a base), tokens whose id is not below its
//          config.json vocab_size removed (BPE tokenizers only, like mergekit);
//   union  that tokenizer plus every token another input has below its vocab_size, appended after the
//          base's ids: plain tokens first (as non-special added tokens), then the other inputs' added
//          tokens with their flags; models are read base first, then inputs in order, tokens by id;
//   model  the tokenizer of one folder, unchanged.
// For every model of the merge it gives the row of its embedding that holds each output token (or -1),
// which vocabulary_alignment.h uses to permute embed_tokens / lm_head rows. No LibTorch here.
#include "weights/merge_recipe.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mg::engine {

struct TokenizerPlan {
  std::int64_t vocabularyLength = 0; // tokens of the output tokenizer
  std::int64_t rows = 0;             // embedding rows: vocabularyLength rounded up to pad_to_multiple_of
  bool hasBase = false;
  // One per model, the base first when the recipe has one, then the inputs in order: for each output token
  // id, the row of that model's embedding holding the token, or -1 when its tokenizer lacks it.
  std::vector<std::vector<std::int64_t>> rowsOf;
};

// What an HF folder export writes for the tokenizer besides the weights.
struct TokenizerFiles {
  std::map<std::string, std::string> write; // file name -> content (replaces the copied companion file)
  std::vector<std::string> omit;            // companion files of the config folder not to copy
  std::optional<std::int64_t> vocabSize;    // config.json vocab_size of the output
};

struct TokenizerOutput {
  std::optional<TokenizerPlan> plan; // set when the recipe has a tokenizer source
  TokenizerFiles files;
  std::vector<std::string> warnings;
};

// Reads the folders the recipe names (MergeRecipe::baseFolder, MergeInput::folder, TokenizerRecipe) and
// builds the output tokenizer; an empty TokenizerOutput when the recipe has neither a tokenizer source nor
// a chat template. Throws io::IoError for an unreadable or malformed file, std::invalid_argument for a
// recipe that cannot be honoured (no folder for the base, unknown chat template name).
TokenizerOutput planTokenizer(const MergeRecipe& recipe);

// "base", "union" or anything else (a model folder). Empty text: TokenizerSource::None.
TokenizerRecipe parseTokenizerSource(const std::string& text);

} // namespace mg::engine
