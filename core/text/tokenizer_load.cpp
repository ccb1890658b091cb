// Reading tokenizer.json and tokenizer_config.json into a Tokenizer.
#include <nlohmann/json.hpp>

#include <filesystem>

#include "io/io_error.h"
#include "io/strict_json.h"
#include "io/text_file.h"
#include "text/added_tokens.h"
#include "text/bpe_model.h"
#include "text/tokenizer.h"
#include "text/tokenizer_parts.h"

namespace mg::text {

namespace {

std::vector<AddedToken> readAddedTokens(const Json& root) {
  std::vector<AddedToken> tokens;
  const Json* list = optionalMember(root, "added_tokens");
  if (!list) return tokens;
  if (!list->is_array()) throw FormatError("\"added_tokens\" is not a list");
  for (const Json& entry : *list) {
    const std::string what = "added token " + entry.dump();
    AddedToken token;
    token.content = stringMember(entry, "content", what);
    const Json& id = member(entry, "id", what);
    if (!id.is_number_integer() || id.get<std::int64_t>() < 0 || id.get<std::int64_t>() > INT32_MAX)
      throw FormatError(what + ": \"id\" is not a non-negative integer");
    token.id = id.get<std::int32_t>();
    token.special = boolMember(entry, "special", false, what);
    token.lstrip = boolMember(entry, "lstrip", false, what);
    token.rstrip = boolMember(entry, "rstrip", false, what);
    token.singleWord = boolMember(entry, "single_word", false, what);
    token.normalized = boolMember(entry, "normalized", !token.special, what);
    tokens.push_back(std::move(token));
  }
  return tokens;
}

// bos_token and the like: "<s>" or {"content": "<s>", ...} (an AddedToken as transformers saves it).
std::optional<std::string> configToken(const Json& config, const char* key) {
  const Json* value = optionalMember(config, key);
  if (!value) return std::nullopt;
  if (value->is_string()) return value->get<std::string>();
  if (value->is_object()) return stringMember(*value, "content", std::string("\"") + key + "\"");
  throw FormatError(std::string("\"") + key + "\" is neither a string nor {\"content\": ...}");
}

std::unique_ptr<TokenizerParts> readParts(const Json& root) {
  if (!root.is_object()) throw FormatError("is not a JSON object");
  auto parts = std::make_unique<TokenizerParts>();
  const Json& model = member(root, "model", "tokenizer.json");
  const Json* type = optionalMember(model, "type");
  const std::string modelType = type && type->is_string() ? type->get<std::string>() : "";
  if (modelType != "BPE" && !(modelType.empty() && optionalMember(model, "merges")))
    throw FormatError("unsupported model \"" + modelType + "\" (supported: BPE)");
  parts->model = std::make_unique<BpeModel>(model);
  if (const Json* c = optionalMember(root, "normalizer")) parts->normalizer = makeNormalizer(*c);
  if (const Json* c = optionalMember(root, "pre_tokenizer")) parts->preTokenizer = makePreTokenizer(*c);
  if (const Json* c = optionalMember(root, "post_processor")) parts->postProcessor = makePostProcessor(*c);
  if (const Json* c = optionalMember(root, "decoder")) parts->decoder = makeDecoder(*c);
  parts->added = std::make_unique<AddedVocabulary>(readAddedTokens(root), parts->normalizer.get());
  return parts;
}

void readConfig(const Json& config, TokenizerParts& parts, const Tokenizer* lookup) {
  if (!config.is_object()) throw FormatError("is not a JSON object");
  const auto idOf = [&](const char* key) -> std::optional<std::int32_t> {
    const auto token = configToken(config, key);
    return token ? lookup->tokenToId(*token) : std::nullopt;
  };
  parts.bos = idOf("bos_token");
  parts.eos = idOf("eos_token");
  parts.pad = idOf("pad_token");
  parts.configAddsBos = boolMember(config, "add_bos_token", false, "tokenizer_config.json");
  parts.configAddsEos = boolMember(config, "add_eos_token", false, "tokenizer_config.json");
}

} // namespace

std::shared_ptr<const Tokenizer> parseTokenizer(std::string_view tokenizerJson, std::string_view configJson,
                                                const std::string& file) {
  std::unique_ptr<TokenizerParts> parts;
  try {
    parts = readParts(io::parseStrictJson(tokenizerJson, file, "tokenizer.json"));
  } catch (const FormatError& e) {
    throw io::IoError(file, e.what());
  } catch (const nlohmann::json::exception& e) {
    throw io::IoError(file, std::string("malformed tokenizer.json: ") + e.what());
  }
  if (!configJson.empty()) {
    const std::string configFile =
        (std::filesystem::path(file).parent_path() / "tokenizer_config.json").string();
    // The ids of the config's tokens come from the tokenizer read so far (vocabulary and added tokens).
    TokenizerParts& kept = *parts;
    auto tokenizer = std::make_shared<Tokenizer>(std::move(parts));
    try {
      readConfig(io::parseStrictJson(configJson, configFile, "tokenizer_config.json"), kept, tokenizer.get());
    } catch (const FormatError& e) {
      throw io::IoError(configFile, e.what());
    } catch (const nlohmann::json::exception& e) {
      throw io::IoError(configFile, std::string("malformed tokenizer_config.json: ") + e.what());
    }
    return tokenizer;
  }
  return std::make_shared<Tokenizer>(std::move(parts));
}

std::shared_ptr<const Tokenizer> loadTokenizer(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  const bool folder = fs::is_directory(path, error);
  const fs::path tokenizerFile = folder ? fs::path(path) / "tokenizer.json" : fs::path(path);
  const fs::path configFile = tokenizerFile.parent_path() / "tokenizer_config.json";
  if (folder && !fs::exists(tokenizerFile, error))
    throw io::IoError(path, "no tokenizer.json in this folder");
  const std::string text = io::readTextFile(tokenizerFile.string(), std::uintmax_t(1) << 30);
  const std::string config =
      fs::is_regular_file(configFile, error) ? io::readTextFile(configFile.string()) : "";
  return parseTokenizer(text, config, tokenizerFile.string());
}

} // namespace mg::text
