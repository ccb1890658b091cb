#pragma once
// PEFT's weighted IA³ merge (IA3Model.add_weighted_adapter) of IA³ adapters of one base, written as an IA³
// adapter: every module any adapter scales gets l = Σ_i w_i·l_i over the adapters that have it (an adapter
// without the module adds nothing, it does not count as l = 1), with the weights as given (not normalized).
// Spec: docs/spec/merge-methods.md "Weighted IA³ merge".
#include "io/peft_adapter.h"

#include <string>
#include <vector>

namespace mg::engine {

struct Ia3MergeReport {
  std::size_t modules = 0;      // modules in the written adapter
  std::size_t replacements = 0; // modules_to_save tensors carried over
};

// Throws std::invalid_argument naming the adapters: one that is not IA³, a module scaling its input in one
// adapter and its output in another, fan_in_fan_out that differs, vectors of one module with different
// lengths, or two adapters replacing the same tensor (modules_to_save; PEFT refuses it too). A tensor only
// one adapter replaces is carried over. Written atomically at `outFolder`; target_modules and
// feedforward_modules list the exact module names.
Ia3MergeReport writeWeightedIa3Adapter(const std::vector<const io::PeftAdapter*>& adapters,
                                       const std::vector<double>& weights, const std::string& outFolder);

} // namespace mg::engine
