// The precompiled header of the LibTorch sources of core and of the tests: <ATen/ATen.h> (tensors and
// their operators, no autograd API, nn or optim). Precompiled once per build; a source that includes no
// LibTorch header does not use it (core/CMakeLists.txt).
#pragma once
#include <ATen/ATen.h>
