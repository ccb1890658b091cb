// The pre-tokenizers of tokenizer.json: how a normalized text is cut into the words the model encodes.
#include <nlohmann/json.hpp>

#include "text/byte_level.h"
#include "text/pattern.h"
#include "text/split_behavior.h"
#include "text/tokenizer_parts.h"
#include "text/unicode_text.h"

namespace mg::text {

namespace {

using Ranges = std::vector<std::pair<std::size_t, std::size_t>>;

class SequencePreTokenizer : public PreTokenizer {
public:
  explicit SequencePreTokenizer(std::vector<std::unique_ptr<PreTokenizer>> steps)
      : steps_(std::move(steps)) {}
  void split(std::vector<Piece>& pieces) const override {
    for (const auto& step : steps_)
      step->split(pieces);
  }

private:
  std::vector<std::unique_ptr<PreTokenizer>> steps_;
};

class ByteLevelPreTokenizer : public PreTokenizer {
public:
  ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex)
      : addPrefixSpace_(addPrefixSpace), regex_(useRegex ? std::make_unique<Regex>(kGpt2Pattern) : nullptr) {}
  void split(std::vector<Piece>& pieces) const override {
    std::vector<Piece> words;
    for (Piece& piece : pieces) {
      if (addPrefixSpace_ && piece.text.compare(0, 1, " ") != 0) piece.text.insert(0, " ");
      if (regex_)
        splitPiece(piece, regex_->findAll(piece.text), SplitBehavior::Isolated, false, words);
      else if (!piece.text.empty())
        words.push_back(std::move(piece));
    }
    for (Piece& word : words)
      word.text = toByteLevel(word.text);
    pieces = std::move(words);
  }

private:
  bool addPrefixSpace_;
  std::unique_ptr<Regex> regex_;
};

class SplitPreTokenizer : public PreTokenizer {
public:
  SplitPreTokenizer(Pattern pattern, SplitBehavior behavior, bool invert)
      : pattern_(std::move(pattern)), behavior_(behavior), invert_(invert) {}
  void split(std::vector<Piece>& pieces) const override {
    std::vector<Piece> out;
    for (const Piece& piece : pieces)
      splitPiece(piece, pattern_.findAll(piece.text), behavior_, invert_, out);
    pieces = std::move(out);
  }

private:
  Pattern pattern_;
  SplitBehavior behavior_;
  bool invert_;
};

enum class PrependScheme { First, Always, Never };

class MetaspacePreTokenizer : public PreTokenizer {
public:
  MetaspacePreTokenizer(std::string replacement, PrependScheme scheme, bool split)
      : replacement_(std::move(replacement)), scheme_(scheme), split_(split) {}
  void split(std::vector<Piece>& pieces) const override {
    std::vector<Piece> out;
    for (Piece& piece : pieces) {
      std::string replaced;
      for (const char c : piece.text) {
        if (c == ' ')
          replaced += replacement_;
        else
          replaced += c;
      }
      const bool prepend =
          scheme_ == PrependScheme::Always || (scheme_ == PrependScheme::First && piece.atStart);
      if (prepend && replaced.compare(0, replacement_.size(), replacement_) != 0)
        replaced.insert(0, replacement_);
      piece.text = std::move(replaced);
      if (!split_) {
        if (!piece.text.empty()) out.push_back(std::move(piece));
        continue;
      }
      Ranges delimiters;
      for (std::size_t at = piece.text.find(replacement_); at != std::string::npos;
           at = piece.text.find(replacement_, at + replacement_.size()))
        delimiters.emplace_back(at, at + replacement_.size());
      splitPiece(piece, delimiters, SplitBehavior::MergedWithNext, false, out);
    }
    pieces = std::move(out);
  }

private:
  std::string replacement_;
  PrependScheme scheme_;
  bool split_;
};

class DigitsPreTokenizer : public PreTokenizer {
public:
  explicit DigitsPreTokenizer(bool individual) : individual_(individual) {}
  void split(std::vector<Piece>& pieces) const override {
    std::vector<Piece> out;
    for (const Piece& piece : pieces) {
      Ranges
          digits; // each numeric character is a delimiter of its own, as a char predicate is in the library
      for (std::size_t pos = 0; pos < piece.text.size();) {
        const std::size_t begin = pos;
        if (isNumeric(nextCodePoint(piece.text, pos))) digits.emplace_back(begin, pos);
      }
      splitPiece(piece, digits, individual_ ? SplitBehavior::Isolated : SplitBehavior::Contiguous, false,
                 out);
    }
    pieces = std::move(out);
  }

private:
  bool individual_;
};

PrependScheme prependScheme(const Json& config, const std::string& what) {
  if (const Json* scheme = optionalMember(config, "prepend_scheme")) {
    const std::string name = scheme->is_string() ? scheme->get<std::string>() : "";
    if (name == "first") return PrependScheme::First;
    if (name == "always") return PrependScheme::Always;
    if (name == "never") return PrependScheme::Never;
    throw FormatError(what + ": unknown prepend_scheme " + scheme->dump() + " (one of first, always, never)");
  }
  // Files written before prepend_scheme existed (tokenizers < 0.14) say add_prefix_space.
  return boolMember(config, "add_prefix_space", true, what) ? PrependScheme::Always : PrependScheme::Never;
}

} // namespace

std::unique_ptr<PreTokenizer> makePreTokenizer(const Json& config) {
  const std::string type = componentType(config, "pre_tokenizer");
  const std::string what = "pre_tokenizer " + type;
  if (type == "Sequence") {
    const Json& list = member(config, "pretokenizers", what);
    if (!list.is_array()) throw FormatError(what + ": \"pretokenizers\" is not a list");
    std::vector<std::unique_ptr<PreTokenizer>> steps;
    for (const Json& step : list)
      steps.push_back(makePreTokenizer(step));
    return std::make_unique<SequencePreTokenizer>(std::move(steps));
  }
  if (type == "ByteLevel")
    return std::make_unique<ByteLevelPreTokenizer>(boolMember(config, "add_prefix_space", true, what),
                                                   boolMember(config, "use_regex", true, what));
  if (type == "Split")
    return std::make_unique<SplitPreTokenizer>(Pattern(member(config, "pattern", what), what),
                                               splitBehavior(stringMember(config, "behavior", what), what),
                                               boolMember(config, "invert", false, what));
  if (type == "Metaspace") {
    const std::string replacement = stringMember(config, "replacement", what);
    std::size_t pos = 0;
    if (replacement.empty() || (nextCodePoint(replacement, pos), pos != replacement.size()))
      throw FormatError(what + ": \"replacement\" is not one character");
    return std::make_unique<MetaspacePreTokenizer>(replacement, prependScheme(config, what),
                                                   boolMember(config, "split", true, what));
  }
  if (type == "Digits")
    return std::make_unique<DigitsPreTokenizer>(boolMember(config, "individual_digits", false, what));
  unsupported("pre_tokenizer", type, "ByteLevel, Split, Metaspace, Digits, Sequence");
}

} // namespace mg::text
