#include "cli/interrupt.h"

#include <csignal>

namespace mg::cli {

namespace {

engine::CancelToken* activeCancel = nullptr;

extern "C" void cancelOnSignal(int) {
  if (activeCancel) activeCancel->cancel(); // an atomic store: safe in a signal handler
}

} // namespace

CancelOnInterrupt::CancelOnInterrupt(engine::CancelToken& token) {
  activeCancel = &token;
  std::signal(SIGINT, cancelOnSignal);
  std::signal(SIGTERM, cancelOnSignal);
}

CancelOnInterrupt::~CancelOnInterrupt() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  activeCancel = nullptr;
}

} // namespace mg::cli
