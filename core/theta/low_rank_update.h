#pragma once
// A changed tensor as a low-rank update of its previous version: new = round(old + left · right), corrected
// exactly. A fine-tune's update is often of low rank (a merged LoRA adapter is W + s·B·A), but no float
// factors reproduce the merged tensor's bits by themselves: PEFT rounds B·A and W + s·B·A element by element,
// and our factors are not PEFT's. The rounding differences are small, though: most elements come out right
// and the others are a step or two of the last bit away. So the update stores, beside the factors, each
// element's residual in steps of the last bit (target bits − rebuilt bits, as an integer), zlib-compressed —
// mostly zeros, about a bit per element — and the exact value of any element further off. That makes the
// update exact (tolerance 0). A tolerance above zero leaves out the residuals of elements that would be off
// by no more than it.
//
// The reconstruction is plain double arithmetic in a fixed order (compiled without contraction into fused
// multiply-adds), so every machine rebuilds the same bits from the same factors.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "io/dtype.h"

namespace mg::theta {

struct LowRankUpdate {
  std::size_t rows = 0, cols = 0, rank = 0;
  std::vector<float> left;                // rows × rank, row-major
  std::vector<float> right;               // rank × cols, row-major
  std::vector<std::byte> residuals;       // zlib-compressed int8 per element: target bits − rebuilt bits
  std::vector<std::uint64_t> corrected;   // ascending indices of elements further off, stored exactly
  std::vector<std::byte> correctedValues; // their values, in the tensor's dtype
  std::size_t storedBytes() const;        // factors, residuals, indices and values
};

// Whether low-rank storage applies to a tensor of this dtype (F32, F16, BF16).
bool lowRankDtype(io::DType dtype);

// The update that rebuilds `target` from `base` (both rows × cols of `dtype`) within `tolerance` (0: bit for
// bit) in fewer than `budget` bytes, if there is one. A quick look at a sub-matrix first decides whether a
// low-rank update can pay at all, so a full fine-tune costs little more than that look.
std::optional<LowRankUpdate> findLowRankUpdate(io::DType dtype, const std::byte* base,
                                               const std::byte* target, std::size_t rows, std::size_t cols,
                                               double tolerance, std::size_t budget);

// Rebuilds the tensor: `out` (rows × cols of `dtype`) = round(base + left · right), then the residuals and
// the exact values. False when the residuals do not unpack to one byte per element (a corrupt update).
bool applyLowRankUpdate(io::DType dtype, const std::byte* base, const LowRankUpdate& update, std::byte* out);

} // namespace mg::theta
