// The normalizers of tokenizer.json: what GPT-2, Llama 2/3, Mistral and Qwen2 files use.
#include <nlohmann/json.hpp>

#include "text/pattern.h"
#include "text/tokenizer_parts.h"
#include "text/unicode_text.h"

namespace mg::text {

namespace {

class SequenceNormalizer : public Normalizer {
public:
  explicit SequenceNormalizer(std::vector<std::unique_ptr<Normalizer>> steps) : steps_(std::move(steps)) {}
  void normalize(std::string& text) const override {
    for (const auto& step : steps_)
      step->normalize(text);
  }

private:
  std::vector<std::unique_ptr<Normalizer>> steps_;
};

class PrependNormalizer : public Normalizer {
public:
  explicit PrependNormalizer(std::string prepend) : prepend_(std::move(prepend)) {}
  void normalize(std::string& text) const override {
    if (!text.empty()) text.insert(0, prepend_); // the library prepends to non-empty text only
  }

private:
  std::string prepend_;
};

class ReplaceNormalizer : public Normalizer {
public:
  ReplaceNormalizer(Pattern pattern, std::string content)
      : pattern_(std::move(pattern)), content_(std::move(content)) {}
  void normalize(std::string& text) const override { text = pattern_.replaceAll(text, content_); }

private:
  Pattern pattern_;
  std::string content_;
};

class UnicodeNormalizer : public Normalizer {
public:
  explicit UnicodeNormalizer(NormalForm form) : form_(form) {}
  void normalize(std::string& text) const override { text = normalizeUnicode(text, form_); }

private:
  NormalForm form_;
};

class LowercaseNormalizer : public Normalizer {
public:
  void normalize(std::string& text) const override { text = lowercase(text); }
};

class StripNormalizer : public Normalizer {
public:
  StripNormalizer(bool left, bool right) : left_(left), right_(right) {}
  void normalize(std::string& text) const override {
    if (right_) text = trimWhitespaceRight(text);
    if (left_) text = trimWhitespaceLeft(text);
  }

private:
  bool left_, right_;
};

} // namespace

std::unique_ptr<Normalizer> makeNormalizer(const Json& config) {
  const std::string type = componentType(config, "normalizer");
  const std::string what = "normalizer " + type;
  if (type == "Sequence") {
    const Json& list = member(config, "normalizers", what);
    if (!list.is_array()) throw FormatError(what + ": \"normalizers\" is not a list");
    std::vector<std::unique_ptr<Normalizer>> steps;
    for (const Json& step : list)
      steps.push_back(makeNormalizer(step));
    return std::make_unique<SequenceNormalizer>(std::move(steps));
  }
  if (type == "Prepend") return std::make_unique<PrependNormalizer>(stringMember(config, "prepend", what));
  if (type == "Replace")
    return std::make_unique<ReplaceNormalizer>(Pattern(member(config, "pattern", what), what),
                                               stringMember(config, "content", what));
  if (type == "NFC") return std::make_unique<UnicodeNormalizer>(NormalForm::NFC);
  if (type == "NFD") return std::make_unique<UnicodeNormalizer>(NormalForm::NFD);
  if (type == "NFKC") return std::make_unique<UnicodeNormalizer>(NormalForm::NFKC);
  if (type == "NFKD") return std::make_unique<UnicodeNormalizer>(NormalForm::NFKD);
  if (type == "Lowercase") return std::make_unique<LowercaseNormalizer>();
  if (type == "Strip")
    return std::make_unique<StripNormalizer>(boolMember(config, "strip_left", false, what),
                                             boolMember(config, "strip_right", false, what));
  unsupported("normalizer", type, "Sequence, Prepend, Replace, NFC, NFD, NFKC, NFKD, Lowercase, Strip");
}

} // namespace mg::text
