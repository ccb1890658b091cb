#pragma once
// The components of a tokenizer's pipeline, as the tokenizers library runs them:
//   added tokens split off → normalizer → pre-tokenizer → model (BPE) → post-processor;  decoder back.
// Each component is immutable after it is read from tokenizer.json, so encode/decode are thread-safe.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace mg::text {

using Json = nlohmann::json;

// A problem with a tokenizer file's contents, without the file's name (loadTokenizer adds it).
struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A piece of text between pre-tokenization steps; `atStart`: it begins at the start of the input text (what
// Metaspace's prepend_scheme "first" asks).
struct Piece {
  std::string text;
  bool atStart = false;
};

class Normalizer {
public:
  virtual ~Normalizer() = default;
  virtual void normalize(std::string& text) const = 0;
};

class PreTokenizer {
public:
  virtual ~PreTokenizer() = default;
  // Replaces each piece by the pieces it splits into (empty pieces dropped).
  virtual void split(std::vector<Piece>& pieces) const = 0;
};

class PostProcessor {
public:
  virtual ~PostProcessor() = default;
  virtual void process(std::vector<std::int32_t>& ids, bool addSpecialTokens) const = 0;
  // The special ids it puts before and after the sequence (empty when it adds none).
  virtual std::vector<std::int32_t> prefix() const { return {}; }
  virtual std::vector<std::int32_t> suffix() const { return {}; }
  // True when it decides which special tokens surround a sequence (TemplateProcessing does).
  virtual bool addsSpecialTokens() const { return false; }
};

class Decoder {
public:
  virtual ~Decoder() = default;
  virtual void decodeChain(std::vector<std::string>& tokens) const = 0;
};

class BpeModel;
class AddedVocabulary;

struct TokenizerParts {
  std::unique_ptr<Normalizer> normalizer;     // may be null
  std::unique_ptr<PreTokenizer> preTokenizer; // may be null
  std::unique_ptr<BpeModel> model;
  std::unique_ptr<PostProcessor> postProcessor; // may be null
  std::unique_ptr<Decoder> decoder;             // may be null: tokens joined with spaces
  std::unique_ptr<AddedVocabulary> added;
  std::optional<std::int32_t> bos, eos, pad;
  bool configAddsBos = false; // tokenizer_config.json's add_bos_token / add_eos_token, used when the
  bool configAddsEos = false; // post-processor does not add special tokens itself
  TokenizerParts();
  ~TokenizerParts();
};

// Factories: read one component's JSON object; throw FormatError naming what is unsupported or wrong.
std::unique_ptr<Normalizer> makeNormalizer(const Json& config);
std::unique_ptr<PreTokenizer> makePreTokenizer(const Json& config);
std::unique_ptr<PostProcessor> makePostProcessor(const Json& config);
std::unique_ptr<Decoder> makeDecoder(const Json& config);

// Reading JSON with messages that name the component: `what` is e.g. "pre_tokenizer Split".
const Json& member(const Json& object, const char* key, const std::string& what);
const Json* optionalMember(const Json& object, const char* key);
std::string stringMember(const Json& object, const char* key, const std::string& what);
bool boolMember(const Json& object, const char* key, bool fallback, const std::string& what);
std::int64_t intMember(const Json& object, const char* key, std::int64_t fallback, const std::string& what);
std::string componentType(const Json& config, const std::string& kind);
// `"kind" "type"` unsupported, listing what is: one message for every factory.
[[noreturn]] void unsupported(const std::string& kind, const std::string& type, const char* supported);

} // namespace mg::text
