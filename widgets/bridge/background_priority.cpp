#include "bridge/background_priority.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace mg::ui {

void runInBackgroundPriority() {
#ifdef __linux__
  // On Linux a nice value is per thread (PRIO_PROCESS with a thread id); raising it needs no privilege.
  constexpr int kNice = 10;
  const auto thread = static_cast<id_t>(syscall(SYS_gettid));
  setpriority(PRIO_PROCESS, thread, getpriority(PRIO_PROCESS, thread) + kNice);
#endif
}

} // namespace mg::ui
