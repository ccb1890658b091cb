#include "weights/open_weights.h"

#include "weights/adapter_weights.h"
#include "weights/source_weights.h"
#include "io/io_error.h"
#include "io/peft_adapter.h"

namespace mg::engine {

OpenedWeights openWeights(const std::string& path, const WeightSetPtr& base) {
  OpenedWeights out;
  out.source = io::openTensorSource(path);
  if (const auto adapter = std::dynamic_pointer_cast<const io::PeftAdapter>(out.source)) {
    if (!base) throw io::IoError(path, "is a LoRA adapter: give the base model it was trained on (--base)");
    out.weights = std::make_shared<AdapterWeights>(base, adapter);
    out.isAdapter = true;
  } else {
    out.weights = std::make_shared<SourceWeights>(out.source);
  }
  return out;
}

} // namespace mg::engine
