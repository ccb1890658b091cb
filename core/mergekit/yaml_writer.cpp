#include "mergekit/yaml_writer.h"

#include <cmath>
#include <filesystem>

#include <yaml-cpp/yaml.h>

#include "graph/param_def.h"
#include "io/atomic_file.h"

namespace mg::mergekit {

namespace {

namespace fs = std::filesystem;

// The shortest text that reads back as the same double ("0.3", not "0.29999999999999999"); whole numbers
// without a fraction ("20"), as mergekit's integer parameters (max_iter) need them.
std::string numberText(double v) {
  if (std::abs(v) < 1e15 && v == std::floor(v)) return std::to_string(static_cast<long long>(v));
  return graph::valueText(graph::ParamValue(v));
}

class YamlWriter {
public:
  explicit YamlWriter(std::string folder) : folder_(std::move(folder)) {}

  std::string write(const MergekitConfig& c) {
    out_ << YAML::BeginMap;
    out_ << YAML::Key << "merge_method" << YAML::Value << c.mergeMethod;
    if (c.baseModel) {
      out_ << YAML::Key << "base_model" << YAML::Value;
      model(*c.baseModel);
    }
    if (!c.models.empty()) {
      out_ << YAML::Key << "models" << YAML::Value << YAML::BeginSeq;
      for (const auto& m : c.models) {
        out_ << YAML::BeginMap << YAML::Key << "model" << YAML::Value;
        model(m.model);
        parameters(m.parameters);
        out_ << YAML::EndMap;
      }
      out_ << YAML::EndSeq;
    }
    if (!c.slices.empty()) {
      out_ << YAML::Key << "slices" << YAML::Value << YAML::BeginSeq;
      for (const auto& slice : c.slices) {
        out_ << YAML::BeginMap << YAML::Key << "sources" << YAML::Value << YAML::BeginSeq;
        for (const auto& s : slice.sources) {
          out_ << YAML::BeginMap << YAML::Key << "model" << YAML::Value;
          model(s.model);
          out_ << YAML::Key << "layer_range" << YAML::Value << YAML::Flow << YAML::BeginSeq << s.layerStart
               << s.layerEnd << YAML::EndSeq;
          parameters(s.parameters);
          out_ << YAML::EndMap;
        }
        out_ << YAML::EndSeq;
        parameters(slice.parameters);
        out_ << YAML::EndMap;
      }
      out_ << YAML::EndSeq;
    }
    parameters(c.parameters);
    if (c.dtype) out_ << YAML::Key << "dtype" << YAML::Value << *c.dtype;
    if (c.outDtype) out_ << YAML::Key << "out_dtype" << YAML::Value << *c.outDtype;
    if (c.tokenizerSource) {
      out_ << YAML::Key << "tokenizer_source" << YAML::Value;
      tokenizerSource(*c.tokenizerSource);
    }
    if (c.tokenizer) tokenizer(*c.tokenizer);
    if (c.chatTemplate) {
      out_ << YAML::Key << "chat_template" << YAML::Value;
      word(*c.chatTemplate);
    }
    out_ << YAML::EndMap;
    return std::string(out_.c_str()) + "\n";
  }

private:
  std::string path(const std::string& p) const {
    if (folder_.empty()) return p;
    const fs::path relative = fs::path(p).lexically_relative(folder_);
    return relative.empty() ? p : relative.generic_string();
  }

  void model(const ModelRef& m) { word(m.lora.empty() ? path(m.path) : path(m.path) + "+" + path(m.lora)); }

  // Text as a string: plain when it reads back as the same string, quoted when it would read as something
  // else ("true", "0.5", "null", "[x]"), a literal block when it spans lines (a Jinja chat template).
  void word(const std::string& s) {
    if (s.find('\n') != std::string::npos) {
      out_ << YAML::Literal << s;
      return;
    }
    bool plain = false;
    try {
      const YAML::Node probe = YAML::Load(s);
      double d = 0;
      bool b = false;
      plain = probe.IsScalar() && probe.Scalar() == s && probe.Tag() == "?" &&
              !YAML::convert<double>::decode(probe, d) && !YAML::convert<bool>::decode(probe, b);
    } catch (const YAML::Exception&) {
    }
    if (plain)
      out_ << s;
    else
      out_ << YAML::DoubleQuoted << s;
  }

  void value(const Value& v) {
    if (const auto* d = std::get_if<double>(&v)) {
      out_ << numberText(*d);
    } else if (const auto* b = std::get_if<bool>(&v)) {
      out_ << (*b ? "true" : "false");
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      word(*s);
    } else {
      out_ << YAML::Flow << YAML::BeginSeq;
      for (double x : std::get<std::vector<double>>(v))
        out_ << numberText(x);
      out_ << YAML::EndSeq;
    }
  }

  void parameters(const Parameters& params) {
    if (params.empty()) return;
    out_ << YAML::Key << "parameters" << YAML::Value << YAML::BeginMap;
    for (const auto& [name, setting] : params) {
      out_ << YAML::Key << name << YAML::Value;
      if (const auto* plain = std::get_if<Value>(&setting.form)) {
        value(*plain);
        continue;
      }
      out_ << YAML::BeginSeq;
      for (const auto& c : std::get<std::vector<Conditional>>(setting.form)) {
        out_ << YAML::BeginMap;
        if (c.filter) {
          out_ << YAML::Key << "filter" << YAML::Value;
          word(*c.filter);
        }
        out_ << YAML::Key << "value" << YAML::Value;
        value(c.value);
        out_ << YAML::EndMap;
      }
      out_ << YAML::EndSeq;
    }
    out_ << YAML::EndMap;
  }

  void tokenizerSource(const TokenizerSource& s) {
    switch (s.kind) {
    case TokenizerSource::Kind::Base: out_ << "base"; break;
    case TokenizerSource::Kind::Union: out_ << "union"; break;
    case TokenizerSource::Kind::Model: model(s.model); break;
    }
  }

  void tokenizer(const TokenizerConfig& t) {
    out_ << YAML::Key << "tokenizer" << YAML::Value << YAML::BeginMap;
    out_ << YAML::Key << "source" << YAML::Value;
    tokenizerSource(t.source);
    if (t.padToMultipleOf) out_ << YAML::Key << "pad_to_multiple_of" << YAML::Value << *t.padToMultipleOf;
    out_ << YAML::EndMap;
  }

  std::string folder_;
  YAML::Emitter out_;
};

} // namespace

std::string configYaml(const MergekitConfig& config, const std::string& folder) {
  return YamlWriter(folder).write(config);
}

void writeConfig(const MergekitConfig& config, const std::string& path) {
  const std::string folder = fs::absolute(fs::path(path)).parent_path().string();
  io::writeFileAtomically(path, configYaml(config, folder));
}

} // namespace mg::mergekit
