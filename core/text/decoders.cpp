// The decoders of tokenizer.json: tokens back to text, each step as the tokenizers library's decode_chain.
#include <nlohmann/json.hpp>

#include "text/byte_level.h"
#include "text/pattern.h"
#include "text/tokenizer_parts.h"
#include "text/unicode_text.h"

#include <cctype>
#include <optional>

namespace mg::text {

namespace {

class SequenceDecoder : public Decoder {
public:
  explicit SequenceDecoder(std::vector<std::unique_ptr<Decoder>> steps) : steps_(std::move(steps)) {}
  void decodeChain(std::vector<std::string>& tokens) const override {
    for (const auto& step : steps_)
      step->decodeChain(tokens);
  }

private:
  std::vector<std::unique_ptr<Decoder>> steps_;
};

// Byte-level characters back to bytes, the bytes read as UTF-8 (invalid sequences as U+FFFD). A token
// with a character outside the byte alphabet is taken as it is written.
class ByteLevelDecoder : public Decoder {
public:
  void decodeChain(std::vector<std::string>& tokens) const override {
    std::string bytes;
    for (const std::string& token : tokens) {
      const std::size_t mark = bytes.size();
      bool inAlphabet = true;
      for (std::size_t pos = 0; pos < token.size() && inAlphabet;) {
        const auto b = charToByte(nextCodePoint(token, pos));
        if (b)
          bytes += static_cast<char>(*b);
        else
          inAlphabet = false;
      }
      if (!inAlphabet) {
        bytes.resize(mark);
        bytes += token;
      }
    }
    tokens.assign(1, validUtf8(bytes));
  }
};

class MetaspaceDecoder : public Decoder {
public:
  MetaspaceDecoder(std::string replacement, bool dropFirst)
      : replacement_(std::move(replacement)), dropFirst_(dropFirst) {}
  void decodeChain(std::vector<std::string>& tokens) const override {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      // In the first token every replacement character goes (the prepended space), elsewhere each is a space.
      const std::string space = i == 0 && dropFirst_ ? "" : " ";
      std::string out;
      const std::string& token = tokens[i];
      for (std::size_t pos = 0; pos < token.size();) {
        if (token.compare(pos, replacement_.size(), replacement_) == 0) {
          out += space;
          pos += replacement_.size();
        } else {
          out += token[pos++];
        }
      }
      tokens[i] = std::move(out);
    }
  }

private:
  std::string replacement_;
  bool dropFirst_;
};

// Runs of <0xNN> tokens back to the bytes they stand for; a run that is not UTF-8 becomes one U+FFFD per
// byte.
class ByteFallbackDecoder : public Decoder {
public:
  void decodeChain(std::vector<std::string>& tokens) const override {
    std::vector<std::string> out;
    std::string run;
    std::size_t runLength = 0;
    const auto flush = [&] {
      if (runLength == 0) return;
      if (validUtf8(run) == run) {
        out.push_back(run);
      } else {
        for (std::size_t i = 0; i < runLength; ++i)
          out.emplace_back("\xEF\xBF\xBD");
      }
      run.clear();
      runLength = 0;
    };
    for (std::string& token : tokens) {
      if (const auto byte = byteToken(token)) {
        run += static_cast<char>(*byte);
        ++runLength;
      } else {
        flush();
        out.push_back(std::move(token));
      }
    }
    flush();
    tokens = std::move(out);
  }

private:
  static std::optional<unsigned char> byteToken(const std::string& token) {
    if (token.size() != 6 || token.compare(0, 3, "<0x") != 0 || token[5] != '>') return std::nullopt;
    const auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
    if (!hex(token[3]) || !hex(token[4])) return std::nullopt;
    return static_cast<unsigned char>(std::stoi(token.substr(3, 2), nullptr, 16));
  }
};

class FuseDecoder : public Decoder {
public:
  void decodeChain(std::vector<std::string>& tokens) const override {
    std::string all;
    for (const std::string& token : tokens)
      all += token;
    tokens.assign(1, all);
  }
};

// Up to `start` leading and `stop` trailing `content` characters cut from each token.
class StripDecoder : public Decoder {
public:
  StripDecoder(char32_t content, std::size_t start, std::size_t stop)
      : content_(content), start_(start), stop_(stop) {}
  void decodeChain(std::vector<std::string>& tokens) const override {
    for (std::string& token : tokens) {
      std::vector<std::size_t> bounds; // byte offset of each character, and the end
      std::vector<char32_t> chars;
      for (std::size_t pos = 0; pos < token.size();) {
        bounds.push_back(pos);
        chars.push_back(nextCodePoint(token, pos));
      }
      bounds.push_back(token.size());
      std::size_t startCut = 0, stopCut = chars.size();
      for (std::size_t i = 0; i < start_ && i < chars.size() && chars[i] == content_; ++i)
        startCut = i + 1;
      for (std::size_t i = 0; i < stop_ && i < chars.size() && chars[chars.size() - 1 - i] == content_; ++i)
        stopCut = chars.size() - 1 - i;
      if (stopCut < startCut) stopCut = startCut;
      token = token.substr(bounds[startCut], bounds[stopCut] - bounds[startCut]);
    }
  }

private:
  char32_t content_;
  std::size_t start_, stop_;
};

class ReplaceDecoder : public Decoder {
public:
  ReplaceDecoder(Pattern pattern, std::string content)
      : pattern_(std::move(pattern)), content_(std::move(content)) {}
  void decodeChain(std::vector<std::string>& tokens) const override {
    for (std::string& token : tokens)
      token = pattern_.replaceAll(token, content_);
  }

private:
  Pattern pattern_;
  std::string content_;
};

} // namespace

std::unique_ptr<Decoder> makeDecoder(const Json& config) {
  const std::string type = componentType(config, "decoder");
  const std::string what = "decoder " + type;
  if (type == "Sequence") {
    const Json& list = member(config, "decoders", what);
    if (!list.is_array()) throw FormatError(what + ": \"decoders\" is not a list");
    std::vector<std::unique_ptr<Decoder>> steps;
    for (const Json& step : list)
      steps.push_back(makeDecoder(step));
    return std::make_unique<SequenceDecoder>(std::move(steps));
  }
  if (type == "ByteLevel") return std::make_unique<ByteLevelDecoder>();
  if (type == "Metaspace") {
    bool dropFirst = boolMember(config, "add_prefix_space", true, what);
    if (const Json* scheme = optionalMember(config, "prepend_scheme"))
      dropFirst = !(scheme->is_string() && scheme->get<std::string>() == "never");
    return std::make_unique<MetaspaceDecoder>(stringMember(config, "replacement", what), dropFirst);
  }
  if (type == "ByteFallback") return std::make_unique<ByteFallbackDecoder>();
  if (type == "Fuse") return std::make_unique<FuseDecoder>();
  if (type == "Strip") {
    const std::string content = stringMember(config, "content", what);
    std::size_t pos = 0;
    if (content.empty() || (nextCodePoint(content, pos), pos != content.size()))
      throw FormatError(what + ": \"content\" is not one character");
    pos = 0;
    const std::int64_t start = intMember(config, "start", 0, what), stop = intMember(config, "stop", 0, what);
    if (start < 0 || stop < 0) throw FormatError(what + ": \"start\" and \"stop\" must not be negative");
    return std::make_unique<StripDecoder>(nextCodePoint(content, pos), static_cast<std::size_t>(start),
                                          static_cast<std::size_t>(stop));
  }
  if (type == "Replace")
    return std::make_unique<ReplaceDecoder>(Pattern(member(config, "pattern", what), what),
                                            stringMember(config, "content", what));
  unsupported("decoder", type, "ByteLevel, Metaspace, ByteFallback, Fuse, Strip, Replace, Sequence");
}

} // namespace mg::text
