#include "weights/tokenizer_merge.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "weights/chat_templates.h"
#include "io/io_error.h"
#include "io/text_file.h"

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace mg::engine {
namespace {

// The files a tokenizer consists of: what a model source replaces and a chat template overrides.
const char* const kTokenizerFileNames[] = {"tokenizer.json",
                                           "tokenizer_config.json",
                                           "special_tokens_map.json",
                                           "tokenizer.model",
                                           "added_tokens.json",
                                           "merges.txt",
                                           "vocab.json",
                                           "vocab.txt",
                                           "spiece.model",
                                           "chat_template.jinja",
                                           "chat_template.json"};

std::string tokFile(const std::string& folder, const std::string& name) {
  return (fs::path(folder) / name).string();
}

bool tokFileExists(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

Json readJsonFile(const std::string& path) {
  const std::string text = io::readTextFile(path, std::uintmax_t(1) << 30);
  try {
    return Json::parse(text);
  } catch (const Json::exception& e) {
    throw io::IoError(path, std::string("not valid JSON: ") + e.what());
  }
}

// One model's tokenizer: tokenizer.json, tokenizer_config.json (when present) and the embedding rows its
// config.json announces (mergekit's get_vocab_size; the vocabulary's length when it says nothing).
struct LoadedTokenizer {
  std::string folder;
  Json tokenizer;
  std::optional<Json> config;
  std::unordered_map<std::string, std::int64_t> ids; // model vocabulary and added tokens
  std::int64_t vocabSize = 0;

  std::int64_t maxId() const {
    std::int64_t m = -1;
    for (const auto& [t, id] : ids)
      m = std::max(m, id);
    return m;
  }
};

// The added_tokens list of a tokenizer.json, by reference (value() would copy it).
const Json& addedTokensOf(const Json& tokenizer) {
  static const Json none = Json::array();
  const auto it = tokenizer.find("added_tokens");
  return it != tokenizer.end() && it->is_array() ? *it : none;
}

void collectIds(LoadedTokenizer& t, const std::string& path) {
  t.ids.clear();
  const Json& model = t.tokenizer.contains("model") ? t.tokenizer["model"] : Json();
  const Json vocab = model.is_object() ? model.value("vocab", Json()) : Json();
  if (vocab.is_object()) {
    for (const auto& [token, id] : vocab.items()) {
      if (!id.is_number_integer())
        throw io::IoError(path, "model.vocab['" + token + "'] is not an integer id");
      t.ids[token] = id.get<std::int64_t>();
    }
  } else if (vocab.is_array()) { // Unigram: [token, score] pairs, the id is the position
    for (std::size_t i = 0; i < vocab.size(); ++i) {
      if (!vocab[i].is_array() || vocab[i].empty() || !vocab[i][0].is_string())
        throw io::IoError(path, "model.vocab[" + std::to_string(i) + "] is not a [token, score] pair");
      t.ids[vocab[i][0].get<std::string>()] = static_cast<std::int64_t>(i);
    }
  } else {
    throw io::IoError(path, "no model.vocab (not a Hugging Face tokenizers file?)");
  }
  for (const auto& a : addedTokensOf(t.tokenizer)) {
    if (!a.is_object() || !a.contains("content") || !a["content"].is_string() || !a.contains("id") ||
        !a["id"].is_number_integer())
      throw io::IoError(path, "an entry of added_tokens has no string 'content' and integer 'id'");
    t.ids[a["content"].get<std::string>()] = a["id"].get<std::int64_t>();
  }
}

std::optional<std::int64_t> configVocabSize(const std::string& folder) {
  const std::string path = tokFile(folder, "config.json");
  if (!tokFileExists(path)) return std::nullopt;
  const Json config = readJsonFile(path);
  for (const Json* c : {&config, config.contains("text_config") ? &config["text_config"] : nullptr})
    if (c && c->is_object() && c->contains("vocab_size") && (*c)["vocab_size"].is_number_integer())
      return (*c)["vocab_size"].get<std::int64_t>();
  return std::nullopt;
}

LoadedTokenizer loadTokenizer(const std::string& folder) {
  LoadedTokenizer t;
  t.folder = folder;
  const std::string path = tokFile(folder, "tokenizer.json");
  if (!tokFileExists(path))
    throw io::IoError(path,
                      "missing (a tokenizer source needs the Hugging Face tokenizer.json of each model)");
  t.tokenizer = readJsonFile(path);
  if (!t.tokenizer.is_object()) throw io::IoError(path, "not a JSON object");
  collectIds(t, path);
  if (const std::string cfg = tokFile(folder, "tokenizer_config.json"); tokFileExists(cfg))
    t.config = readJsonFile(cfg);
  t.vocabSize = configVocabSize(folder).value_or(static_cast<std::int64_t>(t.ids.size()));
  return t;
}

// mergekit's get_stripped_tokenizer: tokens whose id is not below vocab_size have no embedding row and are
// removed (their merges too). Only BPE tokenizers can be stripped.
bool stripUnusedTokens(LoadedTokenizer& t) {
  std::unordered_set<std::string> unused;
  for (const auto& [token, id] : t.ids)
    if (id >= t.vocabSize) unused.insert(token);
  if (unused.empty()) return false;
  const std::string path = tokFile(t.folder, "tokenizer.json");
  Json& model = t.tokenizer["model"];
  if (model.value("type", "") != "BPE")
    throw io::IoError(path, std::to_string(unused.size()) + " token(s) have ids at or above vocab_size " +
                                std::to_string(t.vocabSize) +
                                " and only BPE tokenizers can be stripped (type is " +
                                model.value("type", "unknown") + ")");
  Json added = Json::array();
  for (const auto& a : addedTokensOf(t.tokenizer))
    if (a["id"].get<std::int64_t>() < t.vocabSize) added.push_back(a);
  t.tokenizer["added_tokens"] = added;
  for (const auto& token : unused)
    model["vocab"].erase(token);
  if (model.contains("merges") && model["merges"].is_array()) {
    Json kept = Json::array();
    for (const auto& m : model["merges"]) {
      std::vector<std::string> parts;
      if (m.is_string()) {
        const std::string s = m.get<std::string>();
        const auto space = s.find(' ');
        parts = {s.substr(0, space), space == std::string::npos ? "" : s.substr(space + 1)};
      } else if (m.is_array()) {
        for (const auto& p : m)
          parts.push_back(p.is_string() ? p.get<std::string>() : "");
      }
      if (std::none_of(parts.begin(), parts.end(), [&](const std::string& p) { return unused.count(p) > 0; }))
        kept.push_back(m);
    }
    model["merges"] = kept;
  }
  if (t.config && t.config->contains("added_tokens_decoder") &&
      (*t.config)["added_tokens_decoder"].is_object()) {
    Json decoder = Json::object();
    for (const auto& [id, entry] : (*t.config)["added_tokens_decoder"].items())
      if (std::stoll(id) < t.vocabSize) decoder[id] = entry;
    (*t.config)["added_tokens_decoder"] = decoder;
  }
  collectIds(t, path);
  return true;
}

// The flags of an added token as tokenizer_config.json's added_tokens_decoder spells them.
Json decoderEntry(const Json& added) {
  Json e;
  e["content"] = added["content"];
  for (const char* flag : {"lstrip", "normalized", "rstrip", "single_word", "special"})
    e[flag] = added.value(flag, false);
  return e;
}

Json addedEntry(std::int64_t id, const std::string& content, const Json* flagsFrom) {
  Json e;
  e["id"] = id;
  e["content"] = content;
  e["single_word"] = flagsFrom ? flagsFrom->value("single_word", false) : false;
  e["lstrip"] = flagsFrom ? flagsFrom->value("lstrip", false) : false;
  e["rstrip"] = flagsFrom ? flagsFrom->value("rstrip", false) : false;
  e["normalized"] =
      flagsFrom ? flagsFrom->value("normalized", true) : true; // a plain added token is normalized
  e["special"] = flagsFrom ? flagsFrom->value("special", false) : false;
  return e;
}

bool sameFlags(const Json& a, const Json& b) {
  for (const char* flag : {"lstrip", "normalized", "rstrip", "single_word", "special"})
    if (a.value(flag, false) != b.value(flag, false)) return false;
  return true;
}

// The tokens of `t` below its vocab_size, by id (mergekit reads a vocabulary dict; the order here makes the
// ids of appended tokens deterministic).
std::vector<std::pair<std::int64_t, std::string>> tokensById(const LoadedTokenizer& t) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (const auto& [token, id] : t.ids)
    if (id < t.vocabSize) out.emplace_back(id, token);
  std::sort(out.begin(), out.end());
  return out;
}

// mergekit's build_union_tokenizer, on `out` (the stripped base). Returns whether tokens were added.
bool addUnionTokens(LoadedTokenizer& out, const std::vector<const LoadedTokenizer*>& models,
                    std::vector<std::string>& warnings) {
  std::vector<std::string> plain;
  std::unordered_set<std::string> plainSeen;
  std::vector<std::pair<std::string, Json>> added; // first settings seen, in order
  std::set<std::string> warned;
  for (const LoadedTokenizer* m : models) {
    std::unordered_map<std::string, const Json*> addedOf;
    for (const auto& a : addedTokensOf(m->tokenizer))
      addedOf[a["content"].get<std::string>()] = &a;
    for (const auto& [id, token] : tokensById(*m)) {
      if (const auto it = addedOf.find(token); it != addedOf.end()) {
        auto prior =
            std::find_if(added.begin(), added.end(), [&](const auto& p) { return p.first == token; });
        if (prior == added.end())
          added.emplace_back(token, *it->second);
        else if (!sameFlags(prior->second, *it->second) && warned.insert(token).second)
          warnings.push_back("token '" + token + "' is added with different settings in " + m->folder +
                             "; the first settings are kept");
        continue;
      }
      if (plainSeen.insert(token).second) plain.push_back(token);
    }
  }
  std::unordered_set<std::string> addedNames;
  for (const auto& [token, entry] : added)
    addedNames.insert(token);
  std::int64_t next = out.maxId() + 1;
  Json& list = out.tokenizer["added_tokens"];
  if (!list.is_array()) list = Json::array();
  std::optional<Json> decoder;
  if (out.config) decoder = out.config->value("added_tokens_decoder", Json::object());
  bool any = false;
  auto append = [&](const std::string& token, const Json* flags) {
    Json entry = addedEntry(next, token, flags);
    if (decoder) (*decoder)[std::to_string(next)] = decoderEntry(entry);
    list.push_back(std::move(entry));
    out.ids[token] = next++;
    any = true;
  };
  for (const auto& token : plain)
    if (!addedNames.count(token) && !out.ids.count(token)) append(token, nullptr);
  for (const auto& [token, entry] : added)
    if (!out.ids.count(token)) append(token, &entry);
  if (decoder) (*out.config)["added_tokens_decoder"] = *decoder;
  return any;
}

// mergekit's chat_template "auto": the template most models' tokenizers carry (first one on a tie).
std::optional<std::string> pluralityChatTemplate(const std::vector<std::string>& folders) {
  std::vector<std::pair<std::string, int>> counts;
  for (const auto& folder : folders) {
    std::string text;
    if (const std::string jinja = tokFile(folder, "chat_template.jinja"); tokFileExists(jinja)) {
      text = io::readTextFile(jinja);
    } else if (const std::string cfg = tokFile(folder, "tokenizer_config.json"); tokFileExists(cfg)) {
      const Json c = readJsonFile(cfg);
      const Json t = c.value("chat_template", Json());
      if (t.is_string()) text = t.get<std::string>();
      if (t.is_array())
        for (const auto& named : t)
          if (named.value("name", "") == "default") text = named.value("template", "");
    }
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) continue;
    text = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
    auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& p) { return p.first == text; });
    if (it == counts.end())
      counts.emplace_back(text, 1);
    else
      ++it->second;
  }
  if (counts.empty()) return std::nullopt;
  return std::max_element(counts.begin(), counts.end(),
                          [](const auto& a, const auto& b) { return a.second < b.second; })
      ->first;
}

std::string dumpJson(const Json& j) {
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

} // namespace

TokenizerRecipe parseTokenizerSource(const std::string& text) {
  TokenizerRecipe r;
  if (text.empty()) return r;
  if (text == "base")
    r.source = TokenizerSource::Base;
  else if (text == "union")
    r.source = TokenizerSource::Union;
  else
    r.source = TokenizerSource::Model, r.model = text;
  return r;
}

TokenizerOutput planTokenizer(const MergeRecipe& recipe) {
  TokenizerOutput out;
  const TokenizerRecipe& spec = recipe.tokenizer;
  if (spec.source == TokenizerSource::None && spec.chatTemplate.empty()) return out;
  if (spec.padToMultipleOf < 0) throw std::invalid_argument("tokenizer pad_to_multiple_of must be positive");

  const bool hasBase = recipe.base != nullptr;
  std::vector<std::string> folders; // base first, then inputs: the models of the merge
  if (hasBase) folders.push_back(recipe.baseFolder);
  for (const auto& in : recipe.inputs)
    folders.push_back(in.folder);
  const std::string donor = folders.empty() ? std::string() : folders.front();
  const std::string donorLabel =
      hasBase ? "the base (" + recipe.baseLabel + ")"
              : (recipe.inputs.empty() ? "" : "input 1 (" + recipe.inputs[0].label + ")");

  std::optional<LoadedTokenizer> result; // the output tokenizer when it is (re)built
  bool rewritten = false;
  if (spec.source != TokenizerSource::None) {
    if (donor.empty())
      throw std::invalid_argument("a tokenizer source needs " + donorLabel +
                                  " to be a Hugging Face model folder with a tokenizer.json");
    LoadedTokenizer base = loadTokenizer(donor);
    if (stripUnusedTokens(base) && spec.source != TokenizerSource::Model) {
      rewritten = true;
      out.warnings.push_back(donorLabel + ": tokens with ids at or above vocab_size " +
                             std::to_string(base.vocabSize) + " removed from its tokenizer");
    }
    // Every model's vocabulary: a model without a readable tokenizer is taken to share the base's (mergekit).
    std::vector<LoadedTokenizer> models;
    for (std::size_t m = 0; m < folders.size(); ++m) {
      if (m == 0) {
        models.push_back(base);
        continue;
      }
      const std::string& folder = folders[m];
      if (!folder.empty() && tokFileExists(tokFile(folder, "tokenizer.json"))) {
        models.push_back(loadTokenizer(folder));
      } else {
        LoadedTokenizer same = base;
        same.folder = folder.empty() ? recipe.inputs[m - (hasBase ? 1 : 0)].label : folder;
        if (!folder.empty()) same.vocabSize = configVocabSize(folder).value_or(same.vocabSize);
        out.warnings.push_back("no tokenizer.json for " + same.folder + "; taken to be the same as " +
                               donorLabel + "'s");
        models.push_back(std::move(same));
      }
    }
    if (spec.source == TokenizerSource::Base) {
      result = base;
    } else if (spec.source == TokenizerSource::Union) {
      result = base;
      std::vector<const LoadedTokenizer*> order;
      for (const auto& m : models)
        order.push_back(&m);
      rewritten = addUnionTokens(*result, order, out.warnings) || rewritten;
    } else {
      result = loadTokenizer(spec.model);
    }

    TokenizerPlan plan;
    plan.hasBase = hasBase;
    plan.vocabularyLength = static_cast<std::int64_t>(result->ids.size());
    if (result->maxId() >= plan.vocabularyLength)
      throw io::IoError(tokFile(result->folder, "tokenizer.json"),
                        "token ids are not contiguous (id " + std::to_string(result->maxId()) +
                            " in a vocabulary of " + std::to_string(plan.vocabularyLength) + " tokens)");
    plan.rows = plan.vocabularyLength;
    if (spec.padToMultipleOf > 1 && plan.rows % spec.padToMultipleOf)
      plan.rows += spec.padToMultipleOf - plan.rows % spec.padToMultipleOf;
    for (const auto& m : models) {
      std::vector<std::int64_t> rows(static_cast<std::size_t>(plan.vocabularyLength), -1);
      for (const auto& [token, id] : result->ids) {
        const auto it = m.ids.find(token);
        if (it != m.ids.end() && it->second < m.vocabSize) rows[static_cast<std::size_t>(id)] = it->second;
      }
      plan.rowsOf.push_back(std::move(rows));
    }
    out.plan = std::move(plan);
    out.files.vocabSize = out.plan->rows;
  }

  // The files: a model source brings its own; base/union rewrite what they changed.
  std::optional<Json> tokenizerConfig;
  std::string configFolder = donor;
  if (spec.source == TokenizerSource::Model) {
    configFolder = spec.model;
    for (const char* name : kTokenizerFileNames) {
      const std::string path = tokFile(spec.model, name);
      if (tokFileExists(path))
        out.files.write[name] = io::readTextFile(path, std::uintmax_t(1) << 30);
      else
        out.files.omit.push_back(name);
    }
  } else if (result && rewritten) {
    out.files.write["tokenizer.json"] = dumpJson(result->tokenizer);
    if (result->config) tokenizerConfig = result->config;
  }
  if (!spec.chatTemplate.empty()) {
    std::optional<std::string> text;
    if (spec.chatTemplate == "auto") {
      std::vector<std::string> present;
      for (const auto& f : folders)
        if (!f.empty()) present.push_back(f);
      text = pluralityChatTemplate(present);
      if (!text) out.warnings.push_back("chat_template auto: no input has a chat template; none is set");
    } else {
      text = chatTemplateText(spec.chatTemplate);
    }
    const std::string cfgPath = configFolder.empty() ? "" : tokFile(configFolder, "tokenizer_config.json");
    if (text && (configFolder.empty() || !tokFileExists(cfgPath))) {
      out.warnings.push_back("chat template given but " + (configFolder.empty() ? donorLabel : configFolder) +
                             " has no tokenizer_config.json; the chat template is not saved");
    } else if (text) {
      if (!tokenizerConfig) tokenizerConfig = readJsonFile(cfgPath);
      (*tokenizerConfig)["chat_template"] = *text;
      // Newer transformers read chat_template.jinja before tokenizer_config.json: leave the old one out.
      for (const char* name : {"chat_template.jinja", "chat_template.json"}) {
        out.files.write.erase(name);
        out.files.omit.push_back(name);
      }
    }
  }
  if (tokenizerConfig) out.files.write["tokenizer_config.json"] = dumpJson(*tokenizerConfig);
  return out;
}

} // namespace mg::engine
