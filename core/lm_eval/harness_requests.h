#pragma once
// How lm-evaluation-harness turns texts into scoring requests, on token ids: rolling windows over a long
// text, and a context / continuation pair cut to the model's context window.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "lm_eval/token_scorer.h"

namespace mg::text {
class Tokenizer;
}

namespace mg::lm_eval {

// The token a window or an empty context starts from: BOS, else EOS (the harness's prefix token). Throws
// std::runtime_error naming `task` when the tokenizer has neither.
std::int32_t prefixToken(const text::Tokenizer& tokenizer, const std::string& task);

// Disjoint windows that together predict every token of `tokens` once: the first reads `prefix` then
// tokens[0..maxLength-1), each next one the maxLength tokens before what it predicts.
std::vector<TokenScorer::Request> rollingWindows(const std::vector<std::int32_t>& tokens, std::int32_t prefix,
                                                 std::int64_t maxLength);

// context + continuation as one request scoring the continuation, cut from the left to maxLength + 1 tokens.
// Throws std::invalid_argument for an empty continuation (nothing to score).
TokenScorer::Request continuationRequest(const std::vector<std::int32_t>& context,
                                         const std::vector<std::int32_t>& continuation,
                                         std::int64_t maxLength);

// The harness's split of a context's trailing whitespace onto its continuation: ("Q: a ", "b") → ("Q: a",
// " b"), so that the space tokenizes with the word that follows it.
std::pair<std::string, std::string> moveTrailingSpace(const std::string& context,
                                                      const std::string& continuation);

// The tokens of a context and its continuation as the harness encodes the pair: trailing space moved onto
// the continuation (moveTrailingSpace), the context's own tokens and the whole text's tokens after as many;
// an empty context is the prefix token (prefixToken, `task` names it in errors). The continuation may come
// out empty (the caller says why that is a problem).
std::pair<std::vector<std::int32_t>, std::vector<std::int32_t>> encodePair(const text::Tokenizer& tokenizer,
                                                                           const std::string& context,
                                                                           const std::string& continuation,
                                                                           const std::string& task);

// Code points of UTF-8 text (acc_norm's length, as Python's len()).
std::int64_t codePoints(const std::string& text);

} // namespace mg::lm_eval
