// validateShapes(): tensor names, dtypes and shapes meeting at each node, from file headers only.
#include <algorithm>
#include <map>

#include "graph/document.h"
#include "graph/topological_order.h"
#include "graph/validation.h"
#include "io/io_error.h"
#include "io/peft_adapter.h"

namespace mg::graph {

namespace {

// A tensor list standing for a model that has no file of its own (a merge's output), so that
// io::PeftAdapter::validateAgainst() can check an adapter against it. It has no data.
class ListedTensors final : public io::TensorSource {
public:
  ListedTensors(std::string label, std::vector<io::TensorInfo> tensors)
      : label_(std::move(label)), tensors_(std::move(tensors)) {}
  io::SourceKind kind() const override { return io::SourceKind::Safetensors; } // unused by the checks
  const std::string& path() const override { return label_; }
  const std::vector<io::TensorInfo>& tensors() const override { return tensors_; }
  const std::map<std::string, std::string>& metadata() const override { return metadata_; }
  io::TensorData load(const std::string& name) const override {
    throw io::IoError(label_, "tensor '" + name + "' is not loaded during validation");
  }

private:
  std::string label_;
  std::vector<io::TensorInfo> tensors_;
  std::map<std::string, std::string> metadata_;
};

// What is known of a node's output without reading data.
struct Known {
  std::vector<io::TensorInfo> tensors;             // a model or delta: its tensors
  std::shared_ptr<const io::TensorSource> adapter; // an adapter: its source (tensors unused)
  std::string label;                               // the path or the node's title, for messages
};

// The first way `other` disagrees with `reference` that would stop a merge (as weights::MergedWeights plans
// it: floating tensors of the reference must be in every input, with the same shape except for cropped
// vocabularies); nullopt when they agree.
std::optional<std::string> firstDisagreement(const Known& reference, const std::string& referenceName,
                                             const Known& other, const std::string& otherName) {
  std::map<std::string, const io::TensorInfo*> byName;
  for (const auto& t : other.tensors) {
    byName[t.name] = &t;
  }
  for (const auto& ref : reference.tensors) {
    if (!io::isFloatingPoint(ref.dtype)) {
      continue; // taken from the reference as it is
    }
    const auto it = byName.find(ref.name);
    if (it == byName.end()) {
      return "tensor '" + ref.name + "' of " + referenceName + " is missing from " + otherName;
    }
    const io::TensorInfo& t = *it->second;
    if (!io::isFloatingPoint(t.dtype)) {
      return "tensor '" + ref.name + "' is " + std::string(io::dtypeName(t.dtype)) + " in " + otherName +
             " but " + std::string(io::dtypeName(ref.dtype)) + " in " + referenceName;
    }
    if (t.shape == ref.shape) {
      continue;
    }
    const bool sameTail = t.shape.size() == ref.shape.size() && !ref.shape.empty() &&
                          std::equal(t.shape.begin() + 1, t.shape.end(), ref.shape.begin() + 1);
    if (!(sameTail && io::isVocabularyTensor(ref.name))) {
      return "tensor '" + ref.name + "' has shape " + io::shapeToString(t.shape) + " in " + otherName +
             " but " + io::shapeToString(ref.shape) + " in " + referenceName;
    }
  }
  return std::nullopt;
}

class ShapeChecker {
public:
  ShapeChecker(const Document& document, const SourceOpener& open, std::vector<Issue>& issues)
      : doc_(document), open_(open), issues_(issues) {}

  void run() {
    for (const NodeId id : topologicalOrder(doc_)) {
      if (auto known = infer(id)) {
        known_[id] = std::move(*known);
      }
    }
  }

private:
  std::optional<Known> infer(NodeId id) {
    const NodeType* type = doc_.nodeType(id);
    if (type == nullptr) {
      return std::nullopt;
    }
    switch (type->shapes) {
    case ShapeRule::Source: return source(id, *type);
    case ShapeRule::Common: return common(id);
    case ShapeRule::Opaque: break;
    }
    return std::nullopt;
  }

  std::optional<Known> source(NodeId id, const NodeType& type) {
    const ParamValue* path = doc_.param(id, "path");
    if (path == nullptr || !path->is_string() || path->get<std::string>().empty()) {
      return std::nullopt; // validate() reports an unset path
    }
    const auto source = openOnce(id, path->get<std::string>());
    if (!source) {
      return std::nullopt;
    }
    const bool adapter = !type.outputs.empty() && type.outputs.front().type == PortType::Adapter;
    return adapter ? Known{{}, source, source->path()} : Known{source->tensors(), nullptr, source->path()};
  }

  std::shared_ptr<const io::TensorSource> openOnce(NodeId id, const std::string& path) {
    if (opened_.count(path) == 0 && failed_.count(path) == 0) {
      try {
        opened_[path] = open_(path);
      } catch (const std::exception& error) {
        failed_[path] = error.what();
      }
    }
    if (const auto it = failed_.find(path); it != failed_.end()) {
      issues_.push_back({id, Severity::Error, it->second, std::nullopt, "path"});
      return nullptr;
    }
    return opened_[path];
  }

  struct Input {
    std::size_t index;
    const Known* known;
    PortType type; // of the output feeding it
  };

  std::optional<Known> common(NodeId id) {
    std::vector<Input> inputs;
    for (std::size_t i = 0; i < doc_.inputCount(id); ++i) {
      const PortSpec* spec = doc_.inputSpec(id, i);
      const auto from = doc_.source({id, i});
      if (spec == nullptr || !from || (spec->type != PortType::Model && spec->type != PortType::Delta)) {
        continue;
      }
      const auto known = known_.find(from->node);
      const PortSpec* out = doc_.outputSpec(from->node, from->port);
      if (known != known_.end() && out != nullptr) {
        inputs.push_back({i, &known->second, out->type});
      }
    }
    // The reference is the base when connected, else the first input (as a merge takes it).
    const auto baseInput = doc_.nodeType(id)->inputIndex("base");
    const Input* reference = nullptr;
    for (const auto& input : inputs) {
      const bool isBase = baseInput && input.index == *baseInput;
      if (input.type != PortType::Adapter && (reference == nullptr || isBase)) {
        reference = &input;
      }
    }
    if (reference == nullptr) {
      return std::nullopt;
    }
    const std::string referenceName = name(id, *reference);
    for (const auto& input : inputs) {
      if (&input == reference) {
        continue;
      }
      if (auto problem = disagreement(*reference, referenceName, input, name(id, input))) {
        issues_.push_back({id, Severity::Error, *problem, input.index, {}});
        break; // the first disagreement per node: fixing it may change the rest
      }
    }
    return Known{reference->known->tensors, nullptr, "'" + doc_.at(id).title + "'"};
  }

  std::optional<std::string> disagreement(const Input& reference, const std::string& referenceName,
                                          const Input& input, const std::string& inputName) const {
    if (input.type != PortType::Adapter) {
      return firstDisagreement(*reference.known, referenceName, *input.known, inputName);
    }
    const auto* adapter = dynamic_cast<const io::PeftAdapter*>(input.known->adapter.get());
    if (adapter == nullptr) {
      return std::nullopt;
    }
    try {
      adapter->validateAgainst(ListedTensors(reference.known->label, reference.known->tensors));
    } catch (const io::IoError& error) {
      return inputName + ": " + error.what();
    }
    return std::nullopt;
  }

  std::string name(NodeId id, const Input& input) const {
    return "'" + doc_.inputLabel(id, input.index) + "' (" + input.known->label + ")";
  }

  const Document& doc_;
  const SourceOpener& open_;
  std::vector<Issue>& issues_;
  std::map<NodeId, Known> known_;
  std::map<std::string, std::shared_ptr<const io::TensorSource>> opened_;
  std::map<std::string, std::string> failed_;
};

} // namespace

std::vector<Issue> validateShapes(const Document& document, const SourceOpener& open) {
  std::vector<Issue> issues;
  try {
    topologicalOrder(document);
  } catch (const std::invalid_argument&) {
    return issues; // a cycle: validate() reports it, and there is no order to follow
  }
  ShapeChecker(document, open, issues).run();
  std::stable_sort(issues.begin(), issues.end(),
                   [](const Issue& a, const Issue& b) { return a.node < b.node; });
  return issues;
}

} // namespace mg::graph
