// Encoding speed of the tokenizers (core/text): tokens per second on a few MB of generated text, for each
// format of tests/data/tokenizers, one thread, cold and warm word cache.
//   cmake --build build --target bench_tokenizer && build/tests/bench/bench_tokenizer [MB]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "text/tokenizer.h"

namespace {

// Zipf-like English-ish text with numbers, punctuation, accents, CJK and newlines.
std::string makeText(std::size_t bytes) {
  const std::vector<std::string> words = {
      "the",       "model",      "merge",       "of",        "and",    "a",       "to",
      "in",        "is",         "weights",     "task",      "vector", "adapter", "Llama",
      "tokenizer", "fine-tuned", "specialists", "averaging", "TIES",   "DARE",    "naïve",
      "Zürich",    "café",       "日本語",      "データ",    "🦆",   "don't",   "we've",
      "it's",      "HELLO",      "perplexity",  "routing",   "SMEAR",  "Fisher"};
  std::mt19937 random(7);
  std::vector<double> weights;
  for (std::size_t i = 0; i < words.size(); ++i)
    weights.push_back(1.0 / static_cast<double>(i + 1));
  std::discrete_distribution<std::size_t> pick(weights.begin(), weights.end());
  std::string text;
  while (text.size() < bytes) {
    const auto r = random() % 100;
    if (r < 6)
      text += std::to_string(random() % 100000);
    else
      text += words[pick(random)];
    text += r < 8 ? ", " : r < 10 ? ".\n" : r < 11 ? "\n\n    " : " ";
  }
  return text;
}

} // namespace

int main(int argc, char** argv) {
  const double megabytes = argc > 1 ? std::atof(argv[1]) : 4.0;
  const std::string text = makeText(static_cast<std::size_t>(megabytes * 1e6));
  // Lines as separate encodes, as text tasks are encoded.
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = std::min(
        text.size(), text.find('\n', at) == std::string::npos ? text.size() : text.find('\n', at) + 1);
    lines.push_back(text.substr(at, end - at));
    at = end;
  }
  std::printf("text: %.1f MB in %zu lines\n", static_cast<double>(text.size()) / 1e6, lines.size());
  for (const char* name : {"gpt2", "llama3", "qwen2", "llama2", "mistral", "trained"}) {
    const auto tokenizer = mg::text::loadTokenizer(std::string(MG_TOKENIZER_DATA) + "/" + name);
    for (const char* pass : {"cold", "warm"}) {
      const auto start = std::chrono::steady_clock::now();
      std::size_t tokens = 0;
      for (const auto& line : lines)
        tokens += tokenizer->encode(line, false).size();
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::printf("%-8s %s: %9zu tokens in %.2f s = %.2f M tokens/s, %.1f MB/s\n", name, pass, tokens,
                  seconds, static_cast<double>(tokens) / seconds / 1e6,
                  static_cast<double>(text.size()) / seconds / 1e6);
    }
  }
}
