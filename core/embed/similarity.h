#pragma once
// Comparing embeddings: cosine similarity, and Task2Vec's distances between Fisher embeddings
// (Achille et al. 2019). Plain C++ on small matrices (n points × n).
#include <vector>

namespace mg::embed {

using Matrix = std::vector<std::vector<double>>; // n × n, row-major

// a·b / (|a| |b|); 0 when either vector is zero. Throws std::invalid_argument for different lengths.
double cosineSimilarity(const std::vector<float>& a, const std::vector<float>& b);
Matrix cosineSimilarityMatrix(const std::vector<std::vector<float>>& vectors);

// Task2Vec's symmetric distance: the cosine distance between the Fisher embeddings normalized by their sum,
// cos_dist(Fa / (Fa + Fb), Fb / (Fa + Fb)) (elementwise; a unit where both are 0 counts as 1/2 each). In
// [0, 1] for non-negative embeddings; 0 for identical ones.
double task2vecDistance(const std::vector<float>& fa, const std::vector<float>& fb);
Matrix task2vecDistanceMatrix(const std::vector<std::vector<float>>& fishers);

// Task2Vec's asymmetric distance from a to b, d(a→b) = d(a, b) − alpha · d(a, trivial): b's distance from a,
// less how far a is from the trivial task (a complex task a is a good source for b). `trivial` is the
// Fisher embedding of a task the probe needs nothing new for (embed/fisher_embedding.h says which).
Matrix task2vecAsymmetricMatrix(const std::vector<std::vector<float>>& fishers,
                                const std::vector<float>& trivial, double alpha);

// The index of each point's nearest other point by `distance` (the lowest index on ties; -1 for a lone
// point).
std::vector<int> nearestNeighbours(const Matrix& distance);

} // namespace mg::embed
