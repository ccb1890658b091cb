#pragma once
// Ctrl+C (SIGINT) and SIGTERM cancel the work in progress through a CancelToken while an instance lives;
// the default handlers come back when it goes.
#include "weights/cancel.h"

namespace mg::cli {

class CancelOnInterrupt {
public:
  explicit CancelOnInterrupt(engine::CancelToken& token);
  ~CancelOnInterrupt();
  CancelOnInterrupt(const CancelOnInterrupt&) = delete;
  CancelOnInterrupt& operator=(const CancelOnInterrupt&) = delete;
};

} // namespace mg::cli
