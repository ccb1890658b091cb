#pragma once
// Fisher embeddings in the manner of Task2Vec (Achille et al. 2019). The probe is the base model: its
// trunk stays fixed and only its head is refit on the task (softmax regression on the trunk's features).
// The embedding is the diagonal Fisher information of the probe's last hidden layer, with labels drawn from
// the probe's own softmax, one value per hidden unit: the mean over the unit's incoming weights of the
// expected squared gradient of the loss.
//
// For that layer, h = ReLU(W a + b) and head logits z = V h + c, the gradient of weight W_jk for label y
// is δ_j a_k with δ_j = [Vᵀ(p − e_y)]_j · 1[h_j > 0]. Its square's expectation under y ~ p is exact, no
// sampling needed: E_y[δ_j²] = (Σ_c p_c V_cj² − (Σ_c p_c V_cj)²) · 1[h_j > 0] (embed/fisher_information.h,
// the identity every Fisher of the project uses). So the value of unit j is
// the mean over examples of E_y[δ_j²] · mean_k(a_k²).
//
// Distances (embed/similarity.h): the symmetric cos_dist(Fa/(Fa+Fb), Fb/(Fa+Fb)), and the asymmetric
// d(a→b) = d(a, b) − α·d(a, trivial) against the trivial task: the probe's own task, i.e. the pooled inputs
// of the tasks labelled by the probe's own predictions (its head refit to them like any task's).
#include <cstdint>
#include <vector>

#include "weights/cancel.h"

namespace mg::eval {
class Classifier;
}
namespace mg::io {
struct TaskData;
}

namespace mg::embed {

struct FisherOptions {
  int headSteps = 300; // full-batch Adam steps refitting the head
  double learningRate = 0.01;
  double weightDecay = 1e-4;
  std::int64_t maxExamples = 2000; // evenly spaced over the task file; 0: all
  std::int64_t batchSize = 512;    // for running the probe's trunk
  const engine::CancelToken* cancel = nullptr;
};

// One value per unit of the probe's last hidden layer. Throws std::runtime_error when the probe has no
// hidden layer, does not expose its hidden states, or the task's examples do not fit; engine::Cancelled.
std::vector<float> fisherEmbedding(const eval::Classifier& probe, const io::TaskData& task,
                                   const FisherOptions& options = {});

// The trivial task's embedding for the asymmetric distance: `tasks` pooled, labelled by the probe's own
// predictions.
std::vector<float> trivialFisherEmbedding(const eval::Classifier& probe,
                                          const std::vector<io::TaskData>& tasks,
                                          const FisherOptions& options = {});

} // namespace mg::embed
