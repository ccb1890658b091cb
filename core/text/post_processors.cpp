// The post-processors of tokenizer.json: the special tokens around an encoded sequence.
#include <nlohmann/json.hpp>

#include "text/tokenizer_parts.h"

namespace mg::text {

namespace {

// TemplateProcessing's "single" template: special tokens' ids before and after the sequence $A.
class TemplatePostProcessor : public PostProcessor {
public:
  TemplatePostProcessor(std::vector<std::int32_t> before, std::vector<std::int32_t> after)
      : before_(std::move(before)), after_(std::move(after)) {}
  void process(std::vector<std::int32_t>& ids, bool addSpecialTokens) const override {
    if (!addSpecialTokens) return;
    ids.insert(ids.begin(), before_.begin(), before_.end());
    ids.insert(ids.end(), after_.begin(), after_.end());
  }
  std::vector<std::int32_t> prefix() const override { return before_; }
  std::vector<std::int32_t> suffix() const override { return after_; }
  bool addsSpecialTokens() const override { return true; }

private:
  std::vector<std::int32_t> before_, after_;
};

// ByteLevel only trims offsets, which encode does not return: the ids are unchanged.
class ByteLevelPostProcessor : public PostProcessor {
public:
  void process(std::vector<std::int32_t>&, bool) const override {}
};

class SequencePostProcessor : public PostProcessor {
public:
  explicit SequencePostProcessor(std::vector<std::unique_ptr<PostProcessor>> steps)
      : steps_(std::move(steps)) {}
  void process(std::vector<std::int32_t>& ids, bool addSpecialTokens) const override {
    for (const auto& step : steps_)
      step->process(ids, addSpecialTokens);
  }
  std::vector<std::int32_t> prefix() const override {
    std::vector<std::int32_t> all;
    for (auto it = steps_.rbegin(); it != steps_.rend(); ++it) {
      const auto p = (*it)->prefix();
      all.insert(all.end(), p.begin(), p.end());
    }
    return all;
  }
  std::vector<std::int32_t> suffix() const override {
    std::vector<std::int32_t> all;
    for (const auto& step : steps_) {
      const auto s = step->suffix();
      all.insert(all.end(), s.begin(), s.end());
    }
    return all;
  }
  bool addsSpecialTokens() const override {
    for (const auto& step : steps_)
      if (step->addsSpecialTokens()) return true;
    return false;
  }

private:
  std::vector<std::unique_ptr<PostProcessor>> steps_;
};

std::unique_ptr<PostProcessor> makeTemplate(const Json& config, const std::string& what) {
  const Json& single = member(config, "single", what);
  if (!single.is_array()) throw FormatError(what + ": \"single\" is not a list");
  const Json* specials = optionalMember(config, "special_tokens");
  std::vector<std::int32_t> before, after;
  bool seenSequence = false;
  for (const Json& item : single) {
    if (const Json* special = optionalMember(item, "SpecialToken")) {
      const std::string name = stringMember(*special, "id", what + " SpecialToken");
      const Json* entry = specials ? optionalMember(*specials, name.c_str()) : nullptr;
      if (!entry)
        throw FormatError(what + ": special token " + Json(name).dump() + " is not in \"special_tokens\"");
      const Json& ids = member(*entry, "ids", what + " special token " + name);
      if (!ids.is_array())
        throw FormatError(what + ": the ids of special token " + Json(name).dump() + " are not a list");
      for (const Json& id : ids) {
        if (!id.is_number_integer())
          throw FormatError(what + ": an id of special token " + Json(name).dump() + " is not an integer");
        (seenSequence ? after : before).push_back(id.get<std::int32_t>());
      }
    } else if (const Json* sequence = optionalMember(item, "Sequence")) {
      if (stringMember(*sequence, "id", what + " Sequence") != "A")
        throw FormatError(what + ": the single template reads sequence B");
      seenSequence = true;
    } else {
      throw FormatError(what + ": template item " + item.dump() + " is neither SpecialToken nor Sequence");
    }
  }
  if (!seenSequence) throw FormatError(what + ": the single template has no $A");
  return std::make_unique<TemplatePostProcessor>(std::move(before), std::move(after));
}

} // namespace

std::unique_ptr<PostProcessor> makePostProcessor(const Json& config) {
  const std::string type = componentType(config, "post_processor");
  const std::string what = "post_processor " + type;
  if (type == "TemplateProcessing") return makeTemplate(config, what);
  if (type == "ByteLevel") return std::make_unique<ByteLevelPostProcessor>();
  if (type == "Sequence") {
    const Json& list = member(config, "processors", what);
    if (!list.is_array()) throw FormatError(what + ": \"processors\" is not a list");
    std::vector<std::unique_ptr<PostProcessor>> steps;
    for (const Json& step : list)
      steps.push_back(makePostProcessor(step));
    return std::make_unique<SequencePostProcessor>(std::move(steps));
  }
  unsupported("post_processor", type, "TemplateProcessing, ByteLevel, Sequence");
}

} // namespace mg::text
