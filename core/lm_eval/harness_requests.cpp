#include "lm_eval/harness_requests.h"

#include <algorithm>
#include <stdexcept>

#include "text/tokenizer.h"

namespace mg::lm_eval {

std::int32_t prefixToken(const text::Tokenizer& tokenizer, const std::string& task) {
  if (const auto bos = tokenizer.bosId()) return *bos;
  if (const auto eos = tokenizer.eosId()) return *eos;
  throw std::runtime_error("task " + task +
                           ": the tokenizer has neither a BOS nor an EOS token to start the text from");
}

std::vector<TokenScorer::Request> rollingWindows(const std::vector<std::int32_t>& tokens, std::int32_t prefix,
                                                 std::int64_t maxLength) {
  if (maxLength < 1) throw std::invalid_argument("a context window of at least one token is needed");
  std::vector<TokenScorer::Request> windows;
  const auto size = std::int64_t(tokens.size());
  if (size == 0) return windows;
  // First window: the prefix token, then up to maxLength − 1 tokens read, maxLength predicted.
  const std::int64_t first = std::min(maxLength, size);
  TokenScorer::Request request;
  request.tokens.push_back(prefix);
  request.tokens.insert(request.tokens.end(), tokens.begin(), tokens.begin() + first);
  request.from = 1;
  windows.push_back(std::move(request));
  // Next windows read the maxLength tokens before the ones they predict (context 1: no overlap scored).
  for (std::int64_t predicted = first; predicted < size;) {
    const std::int64_t count = std::min(size - predicted, maxLength);
    const std::int64_t end = predicted + count;
    const std::int64_t begin = std::max<std::int64_t>(0, end - maxLength - 1);
    TokenScorer::Request next;
    next.tokens.assign(tokens.begin() + begin, tokens.begin() + end);
    next.from = std::size_t(predicted - begin);
    windows.push_back(std::move(next));
    predicted = end;
  }
  return windows;
}

TokenScorer::Request continuationRequest(const std::vector<std::int32_t>& context,
                                         const std::vector<std::int32_t>& continuation,
                                         std::int64_t maxLength) {
  if (continuation.empty()) throw std::invalid_argument("an empty continuation has nothing to score");
  TokenScorer::Request request;
  request.tokens = context;
  request.tokens.insert(request.tokens.end(), continuation.begin(), continuation.end());
  const auto keep = std::size_t(std::max<std::int64_t>(2, maxLength + 1));
  if (request.tokens.size() > keep)
    request.tokens.erase(request.tokens.begin(), request.tokens.end() - std::ptrdiff_t(keep));
  // At least one token is read: a continuation longer than the window keeps its end.
  request.from =
      std::max<std::size_t>(1, request.tokens.size() - std::min(continuation.size(), request.tokens.size()));
  return request;
}

std::pair<std::string, std::string> moveTrailingSpace(const std::string& context,
                                                      const std::string& continuation) {
  const auto end = context.find_last_not_of(" \t\n\r\f\v");
  const std::size_t keep = end == std::string::npos ? 0 : end + 1;
  return {context.substr(0, keep), context.substr(keep) + continuation};
}

std::int64_t codePoints(const std::string& text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

std::pair<std::vector<std::int32_t>, std::vector<std::int32_t>> encodePair(const text::Tokenizer& tokenizer,
                                                                           const std::string& context,
                                                                           const std::string& continuation,
                                                                           const std::string& task) {
  const auto [movedContext, movedContinuation] = moveTrailingSpace(context, continuation);
  std::vector<std::int32_t> contextTokens, continuationTokens;
  if (movedContext.empty()) {
    contextTokens = {prefixToken(tokenizer, task)};
    continuationTokens = tokenizer.encode(movedContinuation, false);
  } else {
    // As the harness splits them: the context's own tokens, and the whole text's after as many.
    const auto whole = tokenizer.encode(movedContext + movedContinuation, false);
    contextTokens = tokenizer.encode(movedContext, false);
    const auto shared = std::min(contextTokens.size(), whole.size());
    continuationTokens.assign(whole.begin() + std::ptrdiff_t(shared), whole.end());
  }
  return {std::move(contextTokens), std::move(continuationTokens)};
}

} // namespace mg::lm_eval
