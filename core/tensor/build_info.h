#pragma once
// What this Merganser is built on, for `merganser-cli --version` and Help ▸ About: a bug report then names
// the LibTorch, HDF5 and BLAS that ran, which decide speed and sometimes results.
#include <string>
#include <vector>

namespace mg::tensor {

struct BuildInfo {
  std::string merganser; // "0.1.0"
  std::string libtorch;  // "1.13.0"
  std::string hdf5;      // the library loaded at run time, "1.10.8"
  // The BLAS that serves LibTorch's matrix products, found at run time: the library that provides sgemm_
  // and, for OpenBLAS, its build configuration ("OpenBLAS 0.3.21 ... Haswell MAX_THREADS=64").
  std::string blas;
};

BuildInfo buildInfo();

// "Merganser 0.1.0", "LibTorch 1.13.0", "Qt ...", "HDF5 ...", "BLAS ...": one line each; `qt` is the Qt
// line's text (the GUI's run-time version, the CLI's build-time one).
std::vector<std::string> buildInfoLines(const std::string& qt);

} // namespace mg::tensor
