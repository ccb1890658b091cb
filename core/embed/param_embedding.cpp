#include "embed/param_embedding.h"

#include <ATen/ATen.h>

#include <cmath>
#include <map>
#include <stdexcept>

#include "weights/adapter_weights.h"
#include "io/peft_adapter.h"
#include "ops/lora_ops.h"
#include "tensor/torch_convert.h"

namespace mg::embed {

namespace {

// One item's change of one tensor: LoRA factors (B·A·s, transposed for fan_in_fan_out and embeddings), or a
// dense tensor to load.
struct Change {
  std::size_t item = 0;
  const io::LoraModule* module = nullptr; // factors, else dense
  bool transposed = false;                // the delta is s·(B·A)ᵀ
  std::function<at::Tensor()> dense;
  std::int64_t rows = 0, cols = 0; // the change viewed as a matrix [shape[0], rest]
};

void matrixView(const std::vector<std::int64_t>& shape, std::int64_t& rows, std::int64_t& cols) {
  std::int64_t numel = 1;
  for (const auto d : shape)
    numel *= d;
  rows = shape.empty() ? 1 : shape.front();
  cols = rows == 0 ? 0 : numel / rows;
}

// Every tensor the items change, by base tensor name.
std::map<std::string, std::vector<Change>> collectChanges(const std::vector<TaskVector>& items) {
  std::map<std::string, std::vector<Change>> changes;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const TaskVector& item = items[i];
    if (item.adapter) {
      const io::PeftAdapter& adapter = *item.adapter;
      std::shared_ptr<const engine::AdapterWeights> applied;
      auto needsBase = [&](const std::string& why) {
        if (!item.base)
          throw std::runtime_error(item.name + ": " + why +
                                   ", so its task vector depends on the base model: " + "give the base");
        if (!applied) applied = std::make_shared<engine::AdapterWeights>(item.base, item.adapter);
      };
      for (const auto& m : adapter.modules()) {
        Change change;
        change.item = i;
        if (m.magnitude || adapter.replacements().count(m.baseTensor)) {
          needsBase(m.magnitude ? "it is a DoRA adapter" : "it replaces " + m.baseTensor + " whole");
          const auto* info = applied->find(m.baseTensor);
          matrixView(info->shape, change.rows, change.cols);
          change.dense = [applied, name = m.baseTensor] { return applied->delta(name); };
        } else {
          const auto* a = adapter.find(m.loraA);
          const auto* b = adapter.find(m.loraB);
          change.module = &m;
          change.transposed = m.embedding || adapter.config().fanInFanOut;
          std::int64_t aRows = 0, aCols = 0, bRows = 0, bCols = 0;
          matrixView(a->shape, aRows, aCols);
          matrixView(b->shape, bRows, bCols);
          change.rows = change.transposed ? aCols : bRows;
          change.cols = change.transposed ? bRows : aCols;
        }
        changes[m.baseTensor].push_back(std::move(change));
      }
      // IA³: its tuned parameters themselves, l − 1 (0 for the identity), a tensor of its own per module.
      for (const auto& m : adapter.ia3Modules()) {
        Change change;
        change.item = i;
        matrixView(m.shape, change.rows, change.cols);
        change.dense = [adapter = item.adapter, key = m.key] {
          return tensor::toTorchFloat32(adapter->load(key)) - 1;
        };
        changes[m.module + ".ia3_l"].push_back(std::move(change));
      }
      for (const auto& [name, key] : adapter.replacements()) {
        bool isModule = false;
        for (const auto& m : adapter.modules())
          isModule = isModule || m.baseTensor == name;
        if (isModule) continue;
        needsBase("it replaces " + name + " whole");
        Change change;
        change.item = i;
        matrixView(applied->find(name)->shape, change.rows, change.cols);
        change.dense = [applied, name = name] { return applied->delta(name); };
        changes[name].push_back(std::move(change));
      }
    } else if (item.deltas) {
      for (const auto& info : item.deltas->tensors()) {
        Change change;
        change.item = i;
        matrixView(info.shape, change.rows, change.cols);
        change.dense = [deltas = item.deltas, name = info.name] { return deltas->load(name); };
        changes[info.name].push_back(std::move(change));
      }
    } else {
      throw std::runtime_error(item.name + ": nothing to embed (neither an adapter nor task vectors)");
    }
  }
  for (const auto& [name, list] : changes)
    for (const auto& c : list)
      if (c.rows != list.front().rows || c.cols != list.front().cols)
        throw std::runtime_error(items[c.item].name + " changes " + name + " as a " + std::to_string(c.rows) +
                                 "x" + std::to_string(c.cols) + " matrix, " + items[list.front().item].name +
                                 " as " + std::to_string(list.front().rows) + "x" +
                                 std::to_string(list.front().cols) + ": they are not of one base model");
  return changes;
}

at::Tensor factor(const io::PeftAdapter& adapter, const std::string& key) {
  at::Tensor t = tensor::toTorchFloat32(adapter.load(key));
  return t.reshape({t.size(0), -1});
}

// The dense [rows, cols] change of one item.
at::Tensor denseChange(const std::vector<TaskVector>& items, const Change& c) {
  if (!c.module) {
    at::Tensor d = c.dense();
    if (!d.defined()) return at::zeros({c.rows, c.cols}, at::kFloat);
    return d.reshape({c.rows, c.cols});
  }
  const auto& adapter = *items[c.item].adapter;
  const at::Tensor a = factor(adapter, c.module->loraA), b = factor(adapter, c.module->loraB);
  const at::Tensor ba = at::mm(b, a) * c.module->scaling;
  return c.transposed ? ba.t().contiguous() : ba;
}

// Gaussian [rows, cols] from a seed: splitmix64 + Box–Muller, the same on every platform.
at::Tensor gaussian(std::int64_t rows, std::int64_t cols, std::uint64_t seed) {
  at::Tensor out = at::empty({rows, cols}, at::kFloat);
  float* p = out.data_ptr<float>();
  std::uint64_t state = seed;
  auto bits = [&state] {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  const std::int64_t n = rows * cols;
  for (std::int64_t i = 0; i < n; i += 2) {
    const double u1 = (double(bits() >> 11) + 0.5) * 0x1.0p-53, u2 = double(bits() >> 11) * 0x1.0p-53;
    const double r = std::sqrt(-2.0 * std::log(u1)), angle = 2.0 * M_PI * u2;
    p[i] = float(r * std::cos(angle));
    if (i + 1 < n) p[i + 1] = float(r * std::sin(angle));
  }
  return out;
}

// FNV-1a of the tensor name mixed with the seed: each tensor's projection depends on both only.
std::uint64_t tensorSeed(std::uint64_t seed, const std::string& name, std::uint64_t which) {
  std::uint64_t h = 1469598103934665603ull ^ (seed * 0x9E3779B97F4A7C15ull) ^ which;
  for (const unsigned char c : name) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

} // namespace

std::vector<std::vector<float>> parameterEmbeddings(const std::vector<TaskVector>& items,
                                                    const ParamEmbeddingOptions& options) {
  if (options.dimensions < 0) throw std::invalid_argument("dimensions must be 0 (exact) or positive");
  at::NoGradGuard noGrad;
  const auto changes = collectChanges(items);
  const std::size_t tensors = changes.size();
  std::size_t done = 0;
  auto step = [&] {
    if (options.cancel) options.cancel->throwIfCancelled();
    if (options.progress) options.progress(tensors ? double(++done) / double(tensors) : 1.0);
  };

  if (options.dimensions == 0) {
    std::int64_t total = 0;
    for (const auto& [name, list] : changes)
      total += list.front().rows * list.front().cols;
    if (total * std::int64_t(items.size()) > (std::int64_t(1) << 31))
      throw std::runtime_error("exact task vectors of " + std::to_string(items.size()) +
                               " items would hold " + std::to_string(total) +
                               " values each: use a sketch (dimensions > 0)");
    std::vector<std::vector<float>> out(items.size(), std::vector<float>(std::size_t(total), 0.0f));
    std::int64_t offset = 0;
    for (const auto& [name, list] : changes) {
      const std::int64_t size = list.front().rows * list.front().cols;
      for (const auto& c : list) {
        const at::Tensor d = denseChange(items, c).contiguous();
        const float* p = d.data_ptr<float>();
        std::copy(p, p + size, out[c.item].begin() + offset);
      }
      offset += size;
      step();
    }
    return out;
  }

  const std::int64_t d = options.dimensions;
  at::Tensor sketch = at::zeros({std::int64_t(items.size()), d}, at::kFloat);
  for (const auto& [name, list] : changes) {
    const std::int64_t rows = list.front().rows, cols = list.front().cols;
    const at::Tensor u = gaussian(d, rows, tensorSeed(options.seed, name, 1));
    const at::Tensor v = gaussian(d, cols, tensorSeed(options.seed, name, 2));
    // LoRA changes in one GEMM per side: u_iᵀ (s·B·A) v_i = s · Σ_k (U L)_ik (V R)_ik with L = B, R = Aᵀ
    // (transposed: L = Aᵀ, R = B), the factors of every item side by side, so the projection runs as one
    // large matrix product instead of a skinny one per item.
    std::vector<const Change*> factored;
    std::vector<at::Tensor> lefts, rights;
    for (const auto& c : list) {
      if (!c.module) {
        sketch[std::int64_t(c.item)] += (at::mm(u, denseChange(items, c)) * v).sum(1);
        continue;
      }
      const auto& adapter = *items[c.item].adapter;
      const at::Tensor a = factor(adapter, c.module->loraA), b = factor(adapter, c.module->loraB);
      factored.push_back(&c);
      lefts.push_back(c.transposed ? a.t() : b);
      rights.push_back(c.transposed ? b : a.t());
    }
    if (!factored.empty()) {
      const at::Tensor products = at::mm(u, at::cat(lefts, 1)) * at::mm(v, at::cat(rights, 1));
      std::int64_t column = 0;
      for (std::size_t k = 0; k < factored.size(); ++k) {
        const std::int64_t rank = lefts[k].size(1);
        sketch[std::int64_t(factored[k]->item)] +=
            products.slice(1, column, column + rank).sum(1) * factored[k]->module->scaling;
        column += rank;
      }
    }
    step();
  }
  sketch /= std::sqrt(double(d));
  std::vector<std::vector<float>> out(items.size());
  const at::Tensor contiguous = sketch.contiguous();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const float* p = contiguous.data_ptr<float>() + std::int64_t(i) * d;
    out[i].assign(p, p + d);
  }
  return out;
}

} // namespace mg::embed
