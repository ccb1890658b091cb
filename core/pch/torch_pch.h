// Precompiled header for the translation units of core that use LibTorch. Parsing torch/torch.h
// costs ~15 s per file on two cores; precompiled, it is paid once per build.
#pragma once
#include <torch/torch.h>
