#pragma once
// Embedding maps in one call, shared by the Embedding map node (engine/runners/embed_runner.cpp) and
// `merganser-cli embed`:
//  - kind param: one point per adapter / fine-tune / task vector (embed/param_embedding.h);
//  - kinds fisher and data: one point per task, probed with the base model (embed/fisher_embedding.h,
//    embed/data_embedding.h).
#include <functional>
#include <string>
#include <vector>

#include "embed/data_embedding.h"
#include "embed/embedding_map.h"
#include "embed/fisher_embedding.h"
#include "embed/param_embedding.h"

namespace mg::embed {

struct EmbedOptions {
  MapOptions map;
  ParamEmbeddingOptions param;
  FisherOptions fisher;
  DataEmbeddingOptions data;
  const engine::CancelToken* cancel = nullptr; // also given to the steps
  std::function<void(double fraction, const std::string& what)> progress;
};

// Parameter embeddings of `items`, mapped. The seed of the sketch is options.map.seed.
EmbeddingMap embedTaskVectors(const std::vector<TaskVector>& items, const EmbedOptions& options = {});

// Fisher (with the trivial task for the asymmetric distance) or data embeddings of `tasks`, with `probe` the
// base model; each point carries its task's skills. Throws std::invalid_argument for kind param.
EmbeddingMap embedTasks(EmbeddingKind kind, const eval::Classifier& probe,
                        const std::vector<io::TaskData>& tasks, const EmbedOptions& options = {});

} // namespace mg::embed
