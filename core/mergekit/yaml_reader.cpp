#include "mergekit/yaml_reader.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include <yaml-cpp/yaml.h>

#include "graph/merge_rules.h"
#include "io/text_file.h"
#include "ops/method_schemas.h"

namespace mg::mergekit {

namespace {

namespace fs = std::filesystem;

std::string kindOf(const YAML::Node& node) {
  switch (node.Type()) {
  case YAML::NodeType::Map: return "a map";
  case YAML::NodeType::Sequence: return "a list";
  case YAML::NodeType::Null: return "nothing";
  case YAML::NodeType::Scalar: return "'" + node.Scalar() + "'";
  case YAML::NodeType::Undefined: break;
  }
  return "nothing";
}

// The reading state: the file for messages, the folder relative model paths start from.
class YamlReader {
public:
  YamlReader(std::string file, std::string folder) : file_(std::move(file)), folder_(std::move(folder)) {}

  MergekitConfig read(const std::string& text) {
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
      throw ConfigError(file_, e.mark.line + 1, "YAML syntax error: " + e.msg);
    }
    if (!root.IsMap())
      fail(root, "", "expected a map of mergekit keys (merge_method, models, ...), got " + kindOf(root));

    MergekitConfig config;
    config.file = file_;
    if (root["modules"]) fail(keyOf(root, "modules"), "modules", "multi-module merges are not supported");
    checkKeys(root, "",
              {"merge_method", "base_model", "models", "slices", "parameters", "dtype", "out_dtype",
               "tokenizer_source", "tokenizer", "chat_template"});
    const YAML::Node method = root["merge_method"];
    if (!method) fail(root, "merge_method", "missing (the merge method, e.g. ties)");
    config.mergeMethod = text_(method, "merge_method");
    try {
      ops::mergeMethod(config.mergeMethod);
    } catch (const std::invalid_argument& e) {
      fail(method, "merge_method", e.what());
    }
    method_ = config.mergeMethod;

    if (root["base_model"]) config.baseModel = model(root["base_model"], "base_model");
    if (root["models"] && root["slices"])
      fail(keyOf(root, "slices"), "slices", "give either models or slices, not both");
    if (root["models"]) {
      const YAML::Node models = list(root["models"], "models");
      for (std::size_t i = 0; i < models.size(); ++i)
        config.models.push_back(inputModel(models[i], "models[" + std::to_string(i) + "]"));
      if (config.models.empty()) fail(root["models"], "models", "lists no model");
    } else if (root["slices"]) {
      const YAML::Node slices = list(root["slices"], "slices");
      for (std::size_t i = 0; i < slices.size(); ++i)
        config.slices.push_back(outputSlice(slices[i], "slices[" + std::to_string(i) + "]"));
      if (config.slices.empty()) fail(root["slices"], "slices", "lists no slice");
    } else {
      fail(root, "models", "missing (give the models to merge, or slices)");
    }
    if (root["parameters"]) config.parameters = parameters(root["parameters"], "parameters", false);
    if (root["dtype"]) config.dtype = dtype(root["dtype"], "dtype");
    if (root["out_dtype"]) config.outDtype = dtype(root["out_dtype"], "out_dtype");
    if (root["tokenizer_source"] && root["tokenizer"])
      fail(keyOf(root, "tokenizer"), "tokenizer", "give either tokenizer_source or tokenizer, not both");
    if (root["tokenizer_source"])
      config.tokenizerSource = tokenizerSource(root["tokenizer_source"], "tokenizer_source");
    if (root["tokenizer"]) config.tokenizer = tokenizer(root["tokenizer"], "tokenizer");
    if (root["chat_template"]) config.chatTemplate = text_(root["chat_template"], "chat_template");
    return config;
  }

private:
  [[noreturn]] void fail(const YAML::Node& at, const std::string& key, const std::string& problem) const {
    const int line = at.IsDefined() ? at.Mark().line + 1 : 0;
    throw ConfigError(file_, line, key.empty() ? problem : key + ": " + problem);
  }

  // The key node of `key` in `map` (its line is the key's), or the map.
  static YAML::Node keyOf(const YAML::Node& map, const std::string& key) {
    for (const auto& entry : map)
      if (entry.first.IsScalar() && entry.first.Scalar() == key) return entry.first;
    return map;
  }

  // Every key of `map` must be in `known`, and given once. `unknown`: how an unknown one is called.
  void checkKeys(const YAML::Node& map, const std::string& where, const std::vector<std::string>& known,
                 const std::string& unknown = "unknown key (known here: ") const {
    std::set<std::string> seen;
    for (const auto& entry : map) {
      const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "?";
      const std::string path = where.empty() ? key : where + "." + key;
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        std::string list;
        for (const auto& k : known)
          list += (list.empty() ? "" : ", ") + k;
        fail(entry.first, path, unknown + list + ")");
      }
      if (!seen.insert(key).second) fail(entry.first, path, "given twice");
    }
  }

  YAML::Node map(const YAML::Node& node, const std::string& key) const {
    if (!node.IsMap()) fail(node, key, "expected a map, got " + kindOf(node));
    return node;
  }
  YAML::Node list(const YAML::Node& node, const std::string& key) const {
    if (!node.IsSequence()) fail(node, key, "expected a list, got " + kindOf(node));
    return node;
  }
  std::string text_(const YAML::Node& node, const std::string& key) const {
    if (!node.IsScalar()) fail(node, key, "expected text, got " + kindOf(node));
    return node.Scalar();
  }
  std::int64_t integer(const YAML::Node& node, const std::string& key) const {
    std::int64_t v = 0;
    if (!node.IsScalar() || !YAML::convert<std::int64_t>::decode(node, v))
      fail(node, key, "expected an integer, got " + kindOf(node));
    return v;
  }
  bool boolean(const YAML::Node& node, const std::string& key) const {
    bool v = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, v))
      fail(node, key, "expected true or false, got " + kindOf(node));
    return v;
  }

  // A local file or folder: "path", "path+lora_path", or {model: path, lora: path}.
  ModelRef model(const YAML::Node& node, const std::string& key) const {
    ModelRef ref;
    ref.line = node.Mark().line + 1;
    if (node.IsMap()) {
      checkKeys(node, key, {"model", "lora", "override_architecture"});
      if (node["override_architecture"])
        fail(node["override_architecture"], key + ".override_architecture",
             "is not supported (Merganser reads the architecture from config.json)");
      if (!node["model"]) fail(node, key + ".model", "missing");
      ref.path = localPath(node["model"], key + ".model");
      if (node["lora"]) ref.lora = localPath(node["lora"], key + ".lora");
      return ref;
    }
    const std::string text = text_(node, key);
    if (text.empty()) fail(node, key, "is empty");
    const auto plus = text.find('+');
    std::error_code ec; // a name the file system refuses (too long) is simply not there
    if (plus == std::string::npos || fs::exists(resolve(text), ec)) {
      ref.path = localPath(node, key);
    } else {
      if (text.find('+', plus + 1) != std::string::npos)
        fail(node, key, "'" + text + "' has more than one '+' (expected MODEL+LORA)");
      ref.path = localPath(node, key, text.substr(0, plus));
      ref.lora = localPath(node, key, text.substr(plus + 1));
    }
    return ref;
  }

  fs::path resolve(const std::string& text) const {
    fs::path p(text);
    if (p.is_relative() && !folder_.empty()) p = fs::path(folder_) / p;
    return p.lexically_normal();
  }

  std::string localPath(const YAML::Node& node, const std::string& key, std::string text = {}) const {
    if (text.empty()) text = text_(node, key);
    const fs::path p = resolve(text);
    std::error_code ec;
    if (!fs::exists(p, ec)) {
      const bool looksHub = text.find('/') != std::string::npos && !fs::path(text).is_absolute() &&
                            text.rfind("./", 0) != 0 && text.rfind("../", 0) != 0;
      fail(node, key,
           "'" + text + "' is not a local file or folder" +
               (looksHub ? " (a Hugging Face hub id? Merganser does not download models: download it and "
                           "give its path)"
                         : ""));
    }
    return fs::absolute(p, ec).lexically_normal().string();
  }

  InputModel inputModel(const YAML::Node& node, const std::string& key) {
    map(node, key);
    checkKeys(node, key, {"model", "parameters"});
    if (!node["model"]) fail(node, key + ".model", "missing");
    InputModel in;
    in.model = model(node["model"], key + ".model");
    if (node["parameters"]) in.parameters = parameters(node["parameters"], key + ".parameters", true);
    return in;
  }

  OutputSlice outputSlice(const YAML::Node& node, const std::string& key) {
    map(node, key);
    checkKeys(node, key, {"sources", "parameters", "base_model", "residual_weight"});
    if (node["base_model"])
      fail(node["base_model"], key + ".base_model",
           "a base model per slice is not supported (give base_model once, at the top)");
    if (node["residual_weight"]) fail(node["residual_weight"], key + ".residual_weight", "is not supported");
    if (!node["sources"]) fail(node, key + ".sources", "missing");
    OutputSlice slice;
    slice.line = node.Mark().line + 1;
    const YAML::Node sources = list(node["sources"], key + ".sources");
    if (sources.size() == 0) fail(node["sources"], key + ".sources", "lists no source");
    for (std::size_t i = 0; i < sources.size(); ++i) {
      const std::string where = key + ".sources[" + std::to_string(i) + "]";
      const YAML::Node s = map(sources[i], where);
      checkKeys(s, where, {"model", "layer_range", "parameters"});
      if (!s["model"]) fail(s, where + ".model", "missing");
      if (!s["layer_range"]) fail(s, where + ".layer_range", "missing");
      SliceSource source;
      source.model = model(s["model"], where + ".model");
      const YAML::Node range = s["layer_range"];
      if (!range.IsSequence() || range.size() != 2)
        fail(range, where + ".layer_range", "expected [start, end], got " + kindOf(range));
      source.layerStart = static_cast<int>(integer(range[0], where + ".layer_range"));
      source.layerEnd = static_cast<int>(integer(range[1], where + ".layer_range"));
      if (source.layerStart < 0 || source.layerEnd <= source.layerStart)
        fail(range, where + ".layer_range",
             "expected 0 <= start < end, got [" + std::to_string(source.layerStart) + ", " +
                 std::to_string(source.layerEnd) + "]");
      if (s["parameters"]) source.parameters = parameters(s["parameters"], where + ".parameters", true);
      slice.sources.push_back(std::move(source));
    }
    if (node["parameters"]) slice.parameters = parameters(node["parameters"], key + ".parameters", false);
    return slice;
  }

  Parameters parameters(const YAML::Node& node, const std::string& key, bool perModel) const {
    map(node, key);
    checkKeys(node, key, parameterNames(perModel),
              std::string(perModel ? "not a per-model parameter of " : "unknown parameter for ") + method_ +
                  " (takes: ");
    Parameters out;
    for (const auto& entry : node) {
      const std::string name = entry.first.Scalar();
      out.emplace_back(name, setting(entry.second, key + "." + name, name));
    }
    return out;
  }

  std::vector<std::string> parameterNames(bool perModel) const {
    std::vector<std::string> names = ops::perModelParamsOf(method_);
    if (!perModel) {
      for (const auto& spec : ops::mergeMethod(method_).params)
        if (std::find(names.begin(), names.end(), spec.name) == names.end()) names.push_back(spec.name);
    }
    return names;
  }

  Setting setting(const YAML::Node& node, const std::string& key, const std::string& name) const {
    Setting s;
    s.line = node.Mark().line + 1;
    if (node.IsMap()) {
      s.form = std::vector<Conditional>{conditional(node, key, name)};
    } else if (node.IsSequence() && node.size() > 0 && node[0].IsMap()) {
      std::vector<Conditional> list;
      for (std::size_t i = 0; i < node.size(); ++i)
        list.push_back(conditional(node[i], key + "[" + std::to_string(i) + "]", name));
      s.form = std::move(list);
    } else {
      s.form = value(node, key, name);
    }
    return s;
  }

  Conditional conditional(const YAML::Node& node, const std::string& key, const std::string& name) const {
    if (!node.IsMap()) fail(node, key, "expected {filter, value}, got " + kindOf(node));
    checkKeys(node, key, {"filter", "value"});
    if (!node["value"]) fail(node, key + ".value", "missing");
    Conditional c;
    if (node["filter"] && !node["filter"].IsNull()) c.filter = text_(node["filter"], key + ".filter");
    c.value = value(node["value"], key + ".value", name);
    return c;
  }

  // A number, true/false, a word, or a list of numbers; checked against the parameter's definition.
  Value value(const YAML::Node& node, const std::string& key, const std::string& name) const {
    if (node.IsSequence()) {
      std::vector<double> numbers;
      for (std::size_t i = 0; i < node.size(); ++i) {
        double v = 0;
        if (!node[i].IsScalar() || !YAML::convert<double>::decode(node[i], v))
          fail(node[i], key + "[" + std::to_string(i) + "]", "expected a number, got " + kindOf(node[i]));
        check(node[i], key, name, node[i].Scalar());
        numbers.push_back(v);
      }
      if (numbers.empty()) fail(node, key, "is an empty list");
      return numbers;
    }
    if (!node.IsScalar()) fail(node, key, "expected a number or a list, got " + kindOf(node));
    double number = 0;
    bool flag = false;
    Value v;
    if (node.Tag() != "!" && YAML::convert<double>::decode(node, number)) {
      v = number;
    } else if (node.Tag() != "!" && YAML::convert<bool>::decode(node, flag)) {
      v = flag;
    } else {
      v = node.Scalar();
    }
    check(node, key, name, node.Scalar());
    return v;
  }

  // The value's type and range as the method's parameter takes it (per-model names: numbers).
  void check(const YAML::Node& node, const std::string& key, const std::string& name,
             const std::string& text) const {
    const auto perModel = ops::perModelParamsOf(method_);
    const ops::ParamSpec* spec = ops::mergeMethod(method_).param(name);
    if (spec == nullptr || std::find(perModel.begin(), perModel.end(), name) != perModel.end()) {
      double v = 0;
      if (!YAML::convert<double>::decode(node, v)) fail(node, key, "expected a number, got " + kindOf(node));
      if (spec && !spec->inRange(v)) fail(node, key, "must be in " + spec->rangeText() + ", got " + text);
      return;
    }
    try {
      ops::MergeParams scratch;
      ops::setParam(scratch, name, text);
    } catch (const std::invalid_argument& e) {
      fail(node, key, e.what());
    }
  }

  std::string dtype(const YAML::Node& node, const std::string& key) const {
    std::string name = text_(node, key);
    if (name.rfind("torch.", 0) == 0) name = name.substr(6);
    if (name != "float32" && name != "bfloat16" && name != "float16")
      fail(node, key, "expected float32, bfloat16 or float16, got '" + name + "'");
    return name;
  }

  TokenizerSource tokenizerSource(const YAML::Node& node, const std::string& key) const {
    TokenizerSource source;
    source.line = node.Mark().line + 1;
    if (node.IsScalar() && node.Scalar() == "base") {
      source.kind = TokenizerSource::Kind::Base;
    } else if (node.IsScalar() && node.Scalar() == "union") {
      source.kind = TokenizerSource::Kind::Union;
    } else {
      source.kind = TokenizerSource::Kind::Model;
      source.model = model(node, key);
    }
    return source;
  }

  TokenizerConfig tokenizer(const YAML::Node& node, const std::string& key) const {
    map(node, key);
    checkKeys(node, key, {"source", "tokens", "pad_to_multiple_of"});
    TokenizerConfig config;
    config.line = node.Mark().line + 1;
    if (node["source"]) config.source = tokenizerSource(node["source"], key + ".source");
    if (node["pad_to_multiple_of"]) {
      config.padToMultipleOf = integer(node["pad_to_multiple_of"], key + ".pad_to_multiple_of");
      if (*config.padToMultipleOf < 1)
        fail(node["pad_to_multiple_of"], key + ".pad_to_multiple_of", "must be at least 1");
    }
    if (node["tokens"])
      fail(keyOf(node, "tokens"), key + ".tokens",
           "per-token embedding sources are not supported (give source and pad_to_multiple_of only)");
    return config;
  }

  std::string file_;
  std::string folder_;
  std::string method_;
};

} // namespace

MergekitConfig parseConfig(const std::string& text, const std::string& file, const std::string& folder) {
  return YamlReader(file, folder).read(text);
}

MergekitConfig readConfig(const std::string& path) {
  std::string text;
  try {
    text = io::readTextFile(path);
  } catch (const io::IoError& e) {
    throw ConfigError(path, 0, e.problem());
  }
  return parseConfig(text, path, fs::path(path).parent_path().string());
}

} // namespace mg::mergekit
