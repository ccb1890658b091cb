// The Export sink: writes a model (or an adapter applied to its base, or a bare adapter folder as it is)
// with the merge engine's streaming, atomic export.
#include <filesystem>
#include <sstream>

#include "cluster/communicator.h"
#include "weights/export.h"
#include "weights/merged_weights.h"
#include "engine/runners/builtin_runners.h"
#include "engine/node_runner.h"
#include "engine/value_access.h"
#include "graph/builtin_node_types.h"
#include "io/atomic_folder.h"
#include "io/hf_model_folder.h"

namespace fs = std::filesystem;

namespace mg::engine {

namespace {

std::string sizeText(double bytes) {
  const char* units[] = {"bytes", "KB", "MB", "GB", "TB"};
  int unit = 0;
  while (bytes >= 1000.0 && unit < 4) {
    bytes /= 1000.0;
    ++unit;
  }
  std::ostringstream out;
  out.precision(unit == 0 ? 0 : 3);
  out << std::fixed << bytes << " " << units[unit];
  return out.str();
}

// A bare adapter is written as the adapter folder it is (with the staging of io::AtomicFolder).
// Under mpirun only the root copies (every rank writing the same folder would race); all learn how it went.
NodeOutputs copyAdapter(const AdapterValue& adapter, const std::string& path, cluster::Communicator* ranks) {
  const auto copy = [&]() {
    if (ranks && !ranks->isRoot()) return;
    io::AtomicFolder folder(path);
    for (const auto& entry : fs::directory_iterator(adapter.folder)) {
      if (entry.is_regular_file()) folder.copyFile(entry.path().string(), entry.path().filename().string());
    }
    folder.commit();
  };
  if (ranks)
    cluster::agreeOn(*ranks, copy);
  else
    copy();
  NodeOutputs out;
  out.facts.push_back("adapter folder written to " + path);
  out.values.emplace_back(WrittenValue{path, out.facts});
  return out;
}

NodeOutputs runExport(NodeRunContext& context) {
  const std::string path = context.paramText("path");
  if (path.empty()) throw std::runtime_error("path is not set");
  const NodeValue& value = context.input("model");
  const NodeValue& base = context.input("base");
  if (const auto* adapter = std::get_if<AdapterValue>(&value); adapter && !std::get_if<ModelValue>(&base)) {
    return copyAdapter(*adapter, path, context.ranks);
  }
  const auto weights = modelWeights(context, value, base, "model");

  ExportOptions options;
  const std::string dtype = context.paramText("dtype");
  if (dtype != "auto") options.dtype = parseOutputDtype(dtype);
  options.shardBytes = io::parseByteSize(context.paramText("shard_size"));
  options.allowNonFinite = context.param("allow_non_finite").get<bool>();
  const auto* model = std::get_if<ModelValue>(&value);
  const auto* baseModel = std::get_if<ModelValue>(&base);
  if (model) options.metadata = model->provenance;
  const auto& config = model && model->config ? model->config : baseModel ? baseModel->config : nullptr;
  options.hfConfigFrom = config.get();
  if (model && model->tokenizer) options.tokenizer = model->tokenizer.get();
  options.cancel = context.cancel;
  options.ranks = context.ranks; // under mpirun: each rank computes a part of the tensors
  options.progress = [&](const Progress& p) {
    context.progress(p.fraction(),
                     std::to_string(p.tensorsDone) + "/" + std::to_string(p.tensorsTotal) + " tensors");
  };
  fs::create_directories(fs::absolute(path).parent_path());
  const auto report = exportWeights(*weights, path, options);

  NodeOutputs out;
  std::ostringstream fact;
  fact.precision(3);
  fact << report.tensors << " tensors, " << sizeText(double(report.bytes)) << " in " << report.seconds
       << " s";
  out.facts.push_back(fact.str());
  out.facts.push_back("written to " + path);
  for (const auto& t : report.nonFinite) {
    out.warnings.push_back("tensor '" + t.name + "' has " + std::to_string(t.count) + " non-finite values");
  }
  // The merge kernel's warnings (karcher ignoring the weights, ...) arise as the tensors are computed,
  // here rather than when the merge node ran: the run log gets them from this node, once each.
  if (const auto* merged = dynamic_cast<const MergedWeights*>(weights.get()))
    for (const auto& w : merged->kernelWarnings())
      out.warnings.push_back(w);
  out.values.emplace_back(WrittenValue{path, out.facts});
  return out;
}

} // namespace

void registerExportRunner(NodeRunnerRegistry& registry) {
  registry.add(graph::node_types::kExport, runExport);
}

} // namespace mg::engine
