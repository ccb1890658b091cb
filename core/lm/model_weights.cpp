#include "lm/model_weights.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <fcntl.h>
#include <optional>
#include <map>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/io_error.h"
#include "io/safetensors_file.h"
#include "io/sharded_safetensors.h"
#include "tensor/torch_convert.h"

namespace mg::lm::detail {

// One safetensors file mapped read-only for as long as a tensor viewing it lives.
struct ModelWeights::Mapping {
  std::string path;
  const std::byte* base = nullptr;
  std::size_t size = 0;

  explicit Mapping(std::string file) : path(std::move(file)) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw io::IoError(path, "cannot open for mapping");
    struct stat st {};
    if (::fstat(fd, &st) != 0 || st.st_size <= 0) {
      ::close(fd);
      throw io::IoError(path, "cannot map an empty or unreadable file");
    }
    size = static_cast<std::size_t>(st.st_size);
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);
    if (p == MAP_FAILED) throw io::IoError(path, "cannot map the file");
    base = static_cast<const std::byte*>(p);
  }
  ~Mapping() { ::munmap(const_cast<std::byte*>(base), size); }
};

namespace {

std::optional<at::ScalarType> torchDtype(io::DType t) {
  switch (t) {
  case io::DType::F32: return at::kFloat;
  case io::DType::BF16: return at::kBFloat16;
  case io::DType::F16: return at::kHalf;
  default: return std::nullopt;
  }
}

const io::SafetensorsFile* fileHolding(const io::TensorSource& source, const std::string& name) {
  if (const auto* single = dynamic_cast<const io::SafetensorsFile*>(&source)) return single;
  if (const auto* sharded = dynamic_cast<const io::ShardedSafetensors*>(&source))
    return &sharded->shardOf(name);
  return nullptr;
}

} // namespace

ModelWeights::ModelWeights(const io::TensorSource& weights, at::ScalarType dtype, bool writable)
    : weights_(&weights), origin_(weights.path()), dtype_(dtype), writable_(writable) {}
ModelWeights::ModelWeights(const FreshWeights& fresh, at::ScalarType dtype, std::string origin)
    : fresh_(fresh), origin_(std::move(origin)), dtype_(dtype), writable_(true) {}
ModelWeights::~ModelWeights() = default;

bool ModelWeights::has(const std::string& name) const {
  return weights_ ? weights_->contains(name) : true;
}

at::Tensor ModelWeights::fresh(const std::string& name, const std::vector<std::int64_t>& shape) {
  // One generator per tensor, seeded from the model's seed and the tensor's place in the fetch order, so a
  // tensor's values do not depend on how many numbers earlier tensors drew.
  auto generator = at::make_generator<at::CPUGeneratorImpl>(fresh_->seed * 1000003 + fetched_.size());
  const auto ends = [&](const std::string& suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  const bool normScale =
      shape.size() == 1 && (ends("norm.weight") || name.find("ln_") != std::string::npos) && ends(".weight");
  copiedBytes_ += at::elementSize(dtype_) * static_cast<std::uint64_t>(c10::multiply_integers(shape));
  const auto options = at::TensorOptions().dtype(dtype_);
  if (shape.size() == 1) return normScale ? at::ones(shape, options) : at::zeros(shape, options);
  return at::normal(0.0, fresh_->std, shape, generator).to(dtype_);
}

at::Tensor ModelWeights::mapped(const std::string& name, const std::vector<std::int64_t>& shape) {
  const auto* info = weights_->find(name);
  const auto stored = torchDtype(info->dtype);
  const auto* file = fileHolding(*weights_, name);
  if (stored && *stored == dtype_ && file && info->numel() > 0 && !writable_) {
    const auto offset = file->fileOffset(name);
    if (offset % io::dtypeSize(info->dtype) == 0) {
      auto it = std::find_if(mappings_.begin(), mappings_.end(),
                             [&](const auto& m) { return m->path == file->path(); });
      if (it == mappings_.end())
        it = mappings_.insert(mappings_.end(), std::make_shared<Mapping>(file->path()));
      auto mapping = *it;
      if (offset + info->nbytes() > mapping->size)
        throw io::IoError(file->path(), "tensor " + name + " lies beyond the file's end");
      mappedBytes_ += info->nbytes();
      // Read-only memory: nothing in core/lm writes to its weights.
      return at::from_blob(
          const_cast<std::byte*>(mapping->base + offset), shape, [mapping](void*) {},
          at::TensorOptions().dtype(dtype_));
    }
  }
  copiedBytes_ += info->numel() * at::elementSize(dtype_);
  auto values = tensor::toTorchFloat32(weights_->load(name));
  return dtype_ == at::kFloat ? values : values.to(dtype_);
}

at::Tensor ModelWeights::fetch(const std::vector<std::string>& names,
                               const std::vector<std::int64_t>& shape) {
  if (fresh_) {
    fetched_.emplace_back(names.front(), fresh(names.front(), shape));
    return fetched_.back().second;
  }
  for (const auto& name : names) {
    const auto* info = weights_->find(name);
    if (!info) continue;
    if (info->shape != shape) {
      problems_.push_back(name + " has shape " + io::shapeToString(info->shape) + ", expected " +
                          io::shapeToString(shape));
      return {};
    }
    if (!io::isFloatingPoint(info->dtype)) {
      problems_.push_back(name + " is not a floating-point tensor");
      return {};
    }
    fetched_.emplace_back(name, mapped(name, shape));
    return fetched_.back().second;
  }
  problems_.push_back(names.front() + " is missing");
  return {};
}

void ModelWeights::throwIfProblems() const {
  if (problems_.empty()) return;
  std::string message;
  const std::size_t shown = std::min<std::size_t>(problems_.size(), 5);
  for (std::size_t i = 0; i < shown; ++i)
    message += (i ? "; " : "") + problems_[i];
  if (problems_.size() > shown) message += "; and " + std::to_string(problems_.size() - shown) + " more";
  throw io::IoError(origin_, message);
}

} // namespace mg::lm::detail
