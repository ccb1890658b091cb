#pragma once
// Routers: per input, which specialists of an AdapterLibrary run, with what weights. Every router ends in
// the same step: scores over the specialists, the top k kept, softmax(score / temperature) over those
// (k = 0 keeps all: a soft merge), and the library runs the weighted mix of the LoRA updates
// (adapter_library.h). Methods:
//   nearest  each specialist's prototype is the mean base representation (last hidden layer) of its task's
//            inputs; scores are cosine similarities of an input's representation to the prototypes.
//   arrow    data-free (Ostapenko et al. 2024): per adapted layer, a specialist's prototype is the top
//            right singular vector v of its B·A; scores |h·v| with h that layer's input, routed per layer
//            or summed over the layers (one decision per input).
//   trained  a linear router on LayerNorm(base representation) fitted by logistic regression on a few
//            examples per task; top k of its logits.
//   smear    SMEAR (Muqeeth et al. 2023): p = softmax(W·LayerNorm(h) / T) of the trained router over every
//            specialist and the adapters' updates averaged with p, one merged model run per input (the MLP's
//            one hidden state per example stands for the mean over tokens). top_k does not apply; nearest
//            with top_k = 0 gives SMEAR with the nearest-embedding probabilities.
// Specialists are matched to tasks by name (adapter folder name = task name) for the data-driven routers.
// Language models' adapters are routed with the same fits on other features: route/lm_router.h.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace at {
class Tensor;
}
namespace mg::io {
struct TaskData;
}

namespace mg::route {

class AdapterLibrary;

enum class RouterMethod { Nearest, Arrow, Trained, Smear };

const char* routerMethodName(RouterMethod method); // "nearest", "arrow", "trained", "smear"
std::optional<RouterMethod> routerMethodFromName(std::string_view name);

struct RouterOptions {
  RouterMethod method = RouterMethod::Nearest;
  int topK = 1;             // specialists mixed per input; 0: all of them
  double temperature = 1.0; // of the softmax over the kept scores
  std::uint64_t seed = 0;   // the trained router's initialisation and Arrow's power-iteration start
  // Examples per task the nearest prototypes and the trained router are fitted on (the first ones of each
  // task file); 0: all of them.
  std::int64_t fitExamples = 64;
  bool arrowPerLayer =
      true;             // arrow: route at every adapted layer (as the paper), else sum the layers' scores
  int trainSteps = 300; // trained / smear: full-batch Adam steps of the logistic regression
};

class Router {
public:
  virtual ~Router() = default;
  // "arrow, top-1", "smear", ...
  virtual std::string describe() const = 0;
  // Logits [B, classes] of inputs routed among the library's specialists; `weights`, when given, receives
  // [B, J]: the weight each example gave each specialist (averaged over the adapted layers when routing is
  // per layer). Thread-safe.
  virtual at::Tensor run(const AdapterLibrary& library, const at::Tensor& inputs, const std::string& task,
                         at::Tensor* weights) const = 0;
};

// Keeps each row's k largest scores (k = 0 or >= columns: all) and returns softmax(score / temperature) over
// them, 0 elsewhere. Scores of -inf are never kept (a specialist that cannot take part). [B, J] -> [B, J].
at::Tensor topKSoftmax(const at::Tensor& scores, int k, double temperature);

// A router fitted as `options` say: nearest and trained/smear read the tasks named after specialists
// (throws std::runtime_error naming a specialist without such a task, or a bad option); arrow needs no data.
std::unique_ptr<Router> makeRouter(const AdapterLibrary& library, const std::vector<io::TaskData>& tasks,
                                   const RouterOptions& options);

// Nearest-embedding routing with prototypes supplied by the caller ([J, d], rows in the library's order, in
// the space of AdapterLibrary::baseFeatures).
std::unique_ptr<Router> makeNearestRouter(at::Tensor prototypes, int topK, double temperature);

// Arrow's prototype of one LoRA module: the top right singular vector (unit length, [in]) of B·A, found by
// power iteration on Aᵀ(BᵀB)A (B·A is never formed), starting from a vector drawn with `seed`. The sign is
// arbitrary (Arrow scores |h·v|).
at::Tensor arrowPrototype(const at::Tensor& a, const at::Tensor& b, std::uint64_t seed = 0,
                          int maxIterations = 2000);

} // namespace mg::route
