#pragma once
// The regular expressions of tokenizer.json (written for Oniguruma, as the Rust library compiles them):
// PCRE2 in UTF and Unicode-property mode (\p{L}, \s, (?i:...) and look-ahead as Oniguruma reads them),
// JIT-compiled where the platform allows.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mg::text {

class Regex {
public:
  // Throws FormatError("invalid regex '...': reason").
  explicit Regex(const std::string& pattern);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // Byte ranges [begin, end) of the non-overlapping, non-empty matches in valid UTF-8 `text`, leftmost first.
  std::vector<std::pair<std::size_t, std::size_t>> findAll(std::string_view text) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace mg::text
