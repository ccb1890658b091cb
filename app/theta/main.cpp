// merganser-theta: the theta commands alone (core/theta, no LibTorch), for git to run on every add and
// checkout of a checkpoint. `merganser-cli theta install` points git at it when it sits beside merganser-cli.
#include <malloc.h>
#include <string>
#include <vector>

#include "theta/theta_command.h"

int main(int argc, char** argv) {
  // The filters allocate and free tensor-sized buffers one after the other: kept in the heap instead of
  // fresh mappings each time, they are not faulted in page by page again (a third of a low-rank search's
  // time on a virtual machine).
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  return mg::cli::runTheta(std::vector<std::string>(argv + 1, argv + argc));
}
