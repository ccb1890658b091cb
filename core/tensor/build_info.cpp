#include "tensor/build_info.h"

#include <ATen/Version.h>
#include <H5public.h>
#include <dlfcn.h>
#include <torch/version.h>

#include <climits>
#include <cstdlib>

#include "util/version.h"

namespace mg::tensor {

namespace {

std::string loadedBlas() {
  // LibTorch here calls the generic BLAS interface (BLAS_INFO=generic); Debian's alternatives decide which
  // implementation answers, so ask the loader who provides sgemm_.
  std::string text = "unknown";
  Dl_info info{};
  if (void* sgemm = dlsym(RTLD_DEFAULT, "sgemm_"); sgemm != nullptr && dladdr(sgemm, &info) != 0) {
    char resolved[PATH_MAX];
    text = realpath(info.dli_fname, resolved) != nullptr ? resolved : info.dli_fname;
  }
  using Config = const char* (*)();
  if (auto config = reinterpret_cast<Config>(dlsym(RTLD_DEFAULT, "openblas_get_config")))
    text = std::string(config()) + " (" + text + ")";
  return text;
}

} // namespace

BuildInfo buildInfo() {
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  return {kVersion, TORCH_VERSION,
          std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release), loadedBlas()};
}

std::vector<std::string> buildInfoLines(const std::string& qt) {
  const BuildInfo info = buildInfo();
  return {"Merganser " + info.merganser, "LibTorch " + info.libtorch, "Qt " + qt, "HDF5 " + info.hdf5,
          "BLAS " + info.blas};
}

} // namespace mg::tensor
