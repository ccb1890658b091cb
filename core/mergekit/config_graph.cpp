#include "mergekit/config_graph.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "graph/auto_layout.h"
#include "graph/builtin_node_types.h"
#include "graph/merge_rules.h"
#include "ops/method_schemas.h"
#include "util/number_text.h"

namespace mg::mergekit {

namespace {

using graph::MergeRuleText;
using graph::NodeId;
using graph::ParamValue;
using graph::PortRef;
namespace types = graph::node_types;

// mergekit's dtype names and the graph's choices.
const std::vector<std::pair<std::string, std::string>> kDtypeNames = {
    {"float32", "f32"}, {"bfloat16", "bf16"}, {"float16", "f16"}};

std::string graphDtype(const std::string& mergekitName) {
  for (const auto& [m, g] : kDtypeNames)
    if (m == mergekitName) return g;
  throw std::logic_error("unknown dtype " + mergekitName);
}

std::optional<std::string> mergekitDtype(const std::string& graphName) {
  for (const auto& [m, g] : kDtypeNames)
    if (g == graphName) return m;
  return std::nullopt;
}

// ---- import

class GraphBuilder {
public:
  explicit GraphBuilder(const MergekitConfig& config)
      : config_(config), info_(ops::mergeMethod(config.mergeMethod)) {}

  ImportedGraph build(const std::string& exportPath) {
    auto& doc = out_.document;
    out_.merge = doc.addNode(graph::mergeNodeTypeId(config_.mergeMethod));
    const auto* type = doc.nodeType(out_.merge);
    baseInput_ = *type->inputIndex("base");
    firstInput_ = *type->inputIndex("models");

    if (config_.baseModel) {
      if (info_.base == ops::BaseUse::Unused)
        fail(config_.baseModel->line, "base_model",
             info_.title + " takes no base model (list it under models to merge it)");
      connect(sourceOf(*config_.baseModel), baseInput_, 1.0);
    }
    if (!config_.models.empty()) {
      importModels();
    } else {
      importSlices();
    }
    importGlobal();
    setParam("rules", mergeRulesText(rules_), 0, "parameters");
    setParam("slices", mergeSlicesText(slices_), 0, "slices");

    out_.exporter = doc.addNode(types::kExport);
    doc.connect({out_.merge, 0}, {out_.exporter, 0});
    if (!exportPath.empty()) doc.setParam(out_.exporter, "path", exportPath);
    if (config_.outDtype) doc.setParam(out_.exporter, "dtype", graphDtype(*config_.outDtype));
    for (const auto& [id, at] : graph::autoLayout(doc))
      doc.move(id, at);
    return std::move(out_);
  }

private:
  [[noreturn]] void fail(int line, const std::string& key, const std::string& problem) const {
    throw ConfigError(config_.file, line, key + ": " + problem);
  }

  // The output that gives `model`: a source node, or the model plus its LoRA through Add deltas.
  PortRef sourceOf(const ModelRef& model) {
    const auto key = std::make_pair(model.path, model.lora);
    if (auto found = sources_.find(key); found != sources_.end()) return found->second;
    auto& doc = out_.document;
    const NodeId file = doc.addNode(types::kSourceModel);
    doc.setParam(file, "path", model.path);
    doc.setTitle(file, std::filesystem::path(model.path).filename().string());
    PortRef out{file, 0};
    if (!model.lora.empty()) {
      const NodeId adapter = doc.addNode(types::kSourceAdapter);
      doc.setParam(adapter, "path", model.lora);
      doc.setTitle(adapter, std::filesystem::path(model.lora).filename().string());
      const NodeId add = doc.addNode(types::kAddDelta);
      doc.setTitle(add, std::filesystem::path(model.path).filename().string() + " + LoRA");
      doc.connect({file, 0}, {add, 0});
      doc.connect({adapter, 0}, {add, 1});
      out = {add, 0};
    }
    sources_.emplace(key, out);
    return out;
  }

  void connect(PortRef from, std::size_t input, double weight) {
    if (auto error = out_.document.connect(from, {out_.merge, input}, weight))
      throw ConfigError(config_.file, 0, "cannot build the graph: " + *error);
  }

  // The models-group input of `model`, connecting it the first time.
  std::size_t inputOf(const ModelRef& model, double weight) {
    for (std::size_t i = 0; i < inputs_.size(); ++i)
      if (inputs_[i] == model) return i;
    connect(sourceOf(model), firstInput_ + inputs_.size(), weight);
    inputs_.push_back(model);
    return inputs_.size() - 1;
  }

  void importModels() {
    for (std::size_t m = 0; m < config_.models.size(); ++m) {
      const auto& entry = config_.models[m];
      const std::string key = "models[" + std::to_string(m) + "]";
      if (config_.baseModel && entry.model == *config_.baseModel && info_.base != ops::BaseUse::Unused) {
        if (!entry.parameters.empty())
          out_.warnings.push_back(config_.file + ":" + std::to_string(entry.model.line) + ": " + key +
                                  " is the base model: its parameters are not used by " + info_.title);
        continue;
      }
      double weight = 1.0;
      std::vector<MergeRuleText> own;
      for (const auto& [name, setting] : entry.parameters) {
        const auto* plain = std::get_if<Value>(&setting.form);
        if (name == "weight" && plain && std::holds_alternative<double>(*plain)) {
          weight = std::get<double>(*plain);
          continue;
        }
        appendRules(own, name, setting, key + ".parameters." + name);
      }
      // Inputs repeat in mergekit only by mistake; each entry is its own input here.
      connect(sourceOf(entry.model), firstInput_ + inputs_.size(), weight);
      inputs_.push_back(entry.model);
      for (auto& rule : own) {
        rule.scope = MergeRuleText::Scope::Input;
        rule.input = inputs_.size() - 1;
        rules_.push_back(std::move(rule));
      }
    }
  }

  void importSlices() {
    for (std::size_t s = 0; s < config_.slices.size(); ++s) {
      const auto& slice = config_.slices[s];
      graph::SliceText text;
      for (std::size_t k = 0; k < slice.sources.size(); ++k) {
        const auto& source = slice.sources[k];
        graph::SliceSourceText out{std::nullopt, source.layerStart, source.layerEnd};
        if (!(config_.baseModel && source.model == *config_.baseModel))
          out.input = inputOf(source.model, 1.0);
        text.push_back(out);
        const std::string key = "slices[" + std::to_string(s) + "].sources[" + std::to_string(k) + "]";
        for (const auto& [name, setting] : source.parameters) {
          std::vector<MergeRuleText> own;
          appendRules(own, name, setting, key + ".parameters." + name);
          for (auto& rule : own) {
            rule.scope = MergeRuleText::Scope::SliceSource;
            rule.slice = s;
            rule.source = k;
            rules_.push_back(std::move(rule));
          }
        }
      }
      slices_.push_back(std::move(text));
      for (const auto& [name, setting] : slice.parameters) {
        std::vector<MergeRuleText> own;
        appendRules(own, name, setting, "slices[" + std::to_string(s) + "].parameters." + name);
        for (auto& rule : own) {
          rule.scope = MergeRuleText::Scope::Slice;
          rule.slice = s;
          rules_.push_back(std::move(rule));
        }
      }
    }
  }

  void importGlobal() {
    auto& doc = out_.document;
    const auto* type = doc.nodeType(out_.merge);
    for (const auto& [name, setting] : config_.parameters) {
      const auto* plain = std::get_if<Value>(&setting.form);
      const auto* def = type->param(name);
      if (plain && def && !std::holds_alternative<std::vector<double>>(*plain)) {
        ParamValue value;
        if (const auto* d = std::get_if<double>(plain)) {
          value =
              def->kind == graph::ParamKind::Int ? ParamValue(static_cast<std::int64_t>(*d)) : ParamValue(*d);
        } else if (const auto* b = std::get_if<bool>(plain)) {
          value = *b;
        } else {
          value = std::get<std::string>(*plain);
        }
        setParam(name, value, setting.line, "parameters." + name);
      } else {
        appendRules(rules_, name, setting, "parameters." + name);
      }
    }
    if (config_.dtype) setParam("dtype", graphDtype(*config_.dtype), 0, "dtype");
    std::optional<TokenizerSource> tokenizer = config_.tokenizerSource;
    if (config_.tokenizer) {
      tokenizer = config_.tokenizer->source;
      if (config_.tokenizer->padToMultipleOf)
        setParam("pad_to_multiple_of", *config_.tokenizer->padToMultipleOf, config_.tokenizer->line,
                 "tokenizer.pad_to_multiple_of");
    }
    if (tokenizer) {
      switch (tokenizer->kind) {
      case TokenizerSource::Kind::Base:
        setParam("tokenizer_source", "base", tokenizer->line, "tokenizer_source");
        break;
      case TokenizerSource::Kind::Union:
        setParam("tokenizer_source", "union", tokenizer->line, "tokenizer_source");
        break;
      case TokenizerSource::Kind::Model:
        setParam("tokenizer_source", "model", tokenizer->line, "tokenizer_source");
        setParam("tokenizer_model", tokenizer->model.path, tokenizer->line, "tokenizer_source");
        break;
      }
    }
    if (config_.chatTemplate) setParam("chat_template", *config_.chatTemplate, 0, "chat_template");
  }

  void setParam(const std::string& name, ParamValue value, int line, const std::string& key) {
    if (auto error = out_.document.setParam(out_.merge, name, std::move(value))) fail(line, key, *error);
  }

  // A setting as rules: one per conditional (mergekit's substring filters as "sub:TEXT"), or one plain.
  void appendRules(std::vector<MergeRuleText>& rules, const std::string& name, const Setting& setting,
                   const std::string& key) const {
    const auto add = [&](const std::optional<std::string>& filter, const Value& value) {
      MergeRuleText rule;
      rule.name = name;
      if (filter) {
        if (filter->find_first_of(";=\n()[]") != std::string::npos)
          fail(setting.line, key,
               "filter '" + *filter + "' holds one of ; = ( ) [ ] or a new line, which a rule cannot spell");
        rule.filter = "sub:" + *filter;
      }
      if (const auto* list = std::get_if<std::vector<double>>(&value)) {
        rule.gradient = true;
        for (double v : *list)
          rule.values.push_back(graph::valueText(ParamValue(v)));
      } else if (const auto* d = std::get_if<double>(&value)) {
        rule.values = {graph::valueText(ParamValue(*d))};
      } else if (const auto* b = std::get_if<bool>(&value)) {
        rule.values = {*b ? "true" : "false"};
      } else {
        const auto& word = std::get<std::string>(value);
        if (word.find_first_of(";=,\n()[] ") != std::string::npos)
          fail(setting.line, key, "value '" + word + "' cannot be written as a rule");
        rule.values = {word};
      }
      rules.push_back(std::move(rule));
    };
    if (const auto* plain = std::get_if<Value>(&setting.form)) {
      add(std::nullopt, *plain);
    } else {
      for (const auto& c : std::get<std::vector<Conditional>>(setting.form))
        add(c.filter, c.value);
    }
  }

  const MergekitConfig& config_;
  const ops::MethodInfo& info_;
  ImportedGraph out_;
  std::size_t baseInput_ = 0;
  std::size_t firstInput_ = 0;
  std::map<std::pair<std::string, std::string>, PortRef> sources_;
  std::vector<ModelRef> inputs_;
  std::vector<MergeRuleText> rules_;
  std::vector<graph::SliceText> slices_;
};

// ---- export

class ConfigBuilder {
public:
  ConfigBuilder(const graph::Document& doc, NodeId merge) : doc_(doc), merge_(merge) {}

  MergekitConfig build() {
    const auto& node = doc_.at(merge_);
    const auto method = graph::mergeMethodOf(node.type);
    const auto* type = doc_.nodeType(merge_);
    if (!method || type == nullptr) fail("is not a merge node");
    MergekitConfig config;
    config.mergeMethod = *method;
    const auto& info = ops::mergeMethod(*method);
    const std::size_t firstInput = *type->inputIndex("models");
    if (const auto base = doc_.source({merge_, *type->inputIndex("base")}))
      config.baseModel = modelAt(*base, "base");
    const std::size_t connected = doc_.variadicConnected(merge_);
    std::vector<ModelRef> inputs;
    std::vector<double> weights;
    for (std::size_t i = 0; i < connected; ++i) {
      inputs.push_back(modelAt(*doc_.source({merge_, firstInput + i}), "models " + std::to_string(i + 1)));
      weights.push_back(doc_.inputWeight(merge_, firstInput + i).value_or(1.0));
    }
    std::vector<MergeRuleText> rules;
    std::vector<graph::SliceText> slices;
    try {
      rules = graph::parseMergeRules(text("rules"));
      slices = graph::parseMergeSlices(text("slices"));
    } catch (const std::invalid_argument& e) {
      fail(e.what());
    }
    // A density list of one value per input is per-model (ops::MergeParams::densityOf).
    std::map<std::string, std::vector<double>> perInputLists;
    for (const auto& def : type->params) {
      const ParamValue* v = doc_.param(merge_, def.name);
      if (def.kind == graph::ParamKind::RealList && v && v->is_array() && v->size() > 1)
        perInputLists[def.name] = v->get<std::vector<double>>();
    }
    // Input i's per-model parameters: its rules, then its weight and per-input list values as fallbacks.
    const auto inputParams = [&](std::size_t i, Parameters params) {
      for (const auto& rule : rules)
        if (rule.scope == MergeRuleText::Scope::Input && rule.input == i) append(params, rule);
      if (info.usesWeights && (weights[i] != 1.0 || !has(params, "weight")))
        appendValue(params, "weight", weights[i]);
      for (const auto& [name, list] : perInputLists)
        if (i < list.size()) appendValue(params, name, list[i]);
      return params;
    };
    if (slices.empty()) {
      for (std::size_t i = 0; i < inputs.size(); ++i)
        config.models.push_back({inputs[i], inputParams(i, {})});
    } else {
      for (std::size_t s = 0; s < slices.size(); ++s) {
        OutputSlice slice;
        for (std::size_t k = 0; k < slices[s].size(); ++k) {
          const auto& src = slices[s][k];
          SliceSource source;
          if (src.input && *src.input >= inputs.size())
            fail("slices name input " + std::to_string(*src.input + 1) + ", which is not connected");
          if (!src.input && !config.baseModel) fail("slices name the base, which is not connected");
          source.model = src.input ? inputs[*src.input] : *config.baseModel;
          source.layerStart = src.layerStart;
          source.layerEnd = src.layerEnd;
          for (const auto& rule : rules)
            if (rule.scope == MergeRuleText::Scope::SliceSource && rule.slice == s && rule.source == k)
              append(source.parameters, rule);
          if (src.input) source.parameters = inputParams(*src.input, std::move(source.parameters));
          slice.sources.push_back(std::move(source));
        }
        for (const auto& rule : rules)
          if (rule.scope == MergeRuleText::Scope::Slice && rule.slice == s) append(slice.parameters, rule);
        config.slices.push_back(std::move(slice));
      }
    }
    for (const auto& rule : rules)
      if (rule.scope == MergeRuleText::Scope::All) append(config.parameters, rule);
    // The method's own parameters where they differ from the defaults, after the rules of the same name.
    for (const auto& def : type->params) {
      if (graph::isMergeRecipeParam(def.name)) continue;
      const ParamValue* v = doc_.param(merge_, def.name);
      if (v == nullptr || *v == def.defaultValue || perInputLists.count(def.name)) continue;
      if (v->is_boolean()) {
        appendSetting(config.parameters, def.name, Value(v->get<bool>()));
      } else if (v->is_number()) {
        appendSetting(config.parameters, def.name, Value(v->get<double>()));
      } else if (v->is_array()) {
        appendSetting(config.parameters, def.name, Value(v->at(0).get<double>()));
      } else if (v->is_string() && (*v == "true" || *v == "false")) {
        appendSetting(config.parameters, def.name, Value(*v == "true")); // mergekit's boolean (rescale)
      } else if (v->is_string()) {
        appendSetting(config.parameters, def.name, Value(v->get<std::string>()));
      }
    }
    config.dtype = mergekitDtype(text("dtype"));
    config.outDtype = exportDtype();
    const std::string tokenizer = text("tokenizer_source");
    if (tokenizer != "none") {
      TokenizerSource source;
      source.kind = tokenizer == "base"    ? TokenizerSource::Kind::Base
                    : tokenizer == "union" ? TokenizerSource::Kind::Union
                                           : TokenizerSource::Kind::Model;
      if (source.kind == TokenizerSource::Kind::Model) {
        source.model.path = text("tokenizer_model");
        if (source.model.path.empty()) fail("tokenizer_source is model but tokenizer_model is not set");
      }
      const ParamValue* pad = doc_.param(merge_, "pad_to_multiple_of");
      if (pad && pad->get<std::int64_t>() > 0) {
        config.tokenizer = TokenizerConfig{source, pad->get<std::int64_t>(), 0};
      } else {
        config.tokenizerSource = source;
      }
    }
    if (!text("chat_template").empty()) config.chatTemplate = text("chat_template");
    return config;
  }

private:
  [[noreturn]] void fail(const std::string& problem) const {
    const auto* node = doc_.node(merge_);
    throw std::invalid_argument("node " + std::to_string(merge_) + (node ? " '" + node->title + "'" : "") +
                                ": " + problem);
  }

  std::string text(const std::string& name) const {
    const ParamValue* v = doc_.param(merge_, name);
    return v && v->is_string() ? v->get<std::string>() : std::string();
  }

  // mergekit names files: a model source, or a model plus one adapter through Add deltas.
  ModelRef modelAt(PortRef out, const std::string& input) const {
    const auto& node = doc_.at(out.node);
    const auto pathOf = [&](NodeId id) { return doc_.param(id, "path")->get<std::string>(); };
    if (node.type == types::kSourceModel) return {pathOf(out.node), "", 0};
    if (node.type == types::kAddDelta && doc_.variadicConnected(out.node) == 1) {
      const auto model = doc_.source({out.node, 0});
      const auto adapter = doc_.source({out.node, 1});
      if (model && adapter && doc_.at(model->node).type == types::kSourceModel &&
          doc_.at(adapter->node).type == types::kSourceAdapter &&
          doc_.inputWeight(out.node, 1).value_or(1.0) == 1.0)
        return {pathOf(model->node), pathOf(adapter->node), 0};
    }
    fail("input '" + input + "' comes from '" + node.title +
         "', which is not a model file or folder (mergekit YAML names files: a model, or model+LoRA)");
  }

  std::optional<std::string> exportDtype() const {
    for (const auto& edge : doc_.edgesFrom(merge_)) {
      const auto& node = doc_.at(edge.to.node);
      if (node.type != types::kExport) continue;
      if (auto name = mergekitDtype(doc_.param(edge.to.node, "dtype")->get<std::string>())) return name;
    }
    return std::nullopt;
  }

  static bool has(const Parameters& params, const std::string& name) {
    return std::any_of(params.begin(), params.end(), [&](const auto& p) { return p.first == name; });
  }
  // Adds `value` under `name`: the setting when new, else one more conditional without a filter.
  static void appendSetting(Parameters& params, const std::string& name, Value value,
                            std::optional<std::string> filter = std::nullopt) {
    for (auto& [n, setting] : params) {
      if (n != name) continue;
      if (auto* plain = std::get_if<Value>(&setting.form))
        setting.form = std::vector<Conditional>{{std::nullopt, *plain}};
      std::get<std::vector<Conditional>>(setting.form).push_back({std::move(filter), std::move(value)});
      return;
    }
    Setting setting;
    if (filter)
      setting.form = std::vector<Conditional>{{std::move(filter), std::move(value)}};
    else
      setting.form = std::move(value);
    params.emplace_back(name, std::move(setting));
  }

  static void appendValue(Parameters& params, const std::string& name, double value) {
    appendSetting(params, name, Value(value));
  }

  void append(Parameters& params, const MergeRuleText& rule) const {
    std::optional<std::string> filter;
    if (!rule.filter.empty()) {
      if (rule.filter.rfind("sub:", 0) == 0) {
        filter = rule.filter.substr(4);
      } else if (rule.filter.find_first_of(".^$|()[]{}*+?\\") == std::string::npos) {
        filter = rule.filter; // a regex without operators finds what the substring finds
      } else {
        fail("rule '" + rule.text() +
             "': mergekit filters are substrings; a regex filter cannot be written (use sub:TEXT)");
      }
    }
    Value value;
    const auto number = [](const std::string& s) { return util::parseReal(s); };
    if (rule.gradient) {
      std::vector<double> list;
      for (const auto& v : rule.values) {
        const auto d = number(v);
        if (!d) fail("rule '" + rule.text() + "': gradient value '" + v + "' is not a number");
        list.push_back(*d);
      }
      value = std::move(list);
    } else if (const auto d = number(rule.values.front())) {
      value = *d;
    } else if (rule.values.front() == "true" || rule.values.front() == "false") {
      value = rule.values.front() == "true";
    } else {
      value = rule.values.front();
    }
    appendSetting(params, rule.name, std::move(value), std::move(filter));
  }

  const graph::Document& doc_;
  NodeId merge_;
};

} // namespace

ImportedGraph importConfig(const MergekitConfig& config, const std::string& exportPath) {
  return GraphBuilder(config).build(exportPath);
}

MergekitConfig exportConfig(const graph::Document& document, graph::NodeId merge) {
  if (!document.contains(merge)) throw std::invalid_argument("no node " + std::to_string(merge));
  return ConfigBuilder(document, merge).build();
}

std::string defaultExportPath(const std::string& yamlPath) {
  const std::filesystem::path p = std::filesystem::absolute(yamlPath);
  return (p.parent_path() / (p.stem().string() + "-merged")).string();
}

} // namespace mg::mergekit
