// A build without MPI: every process is a single rank (cluster/mpi_world.cpp when CMake finds MPI).
#include <stdexcept>

#include "cluster/world.h"

namespace mg::cluster {

bool builtWithMpi() {
  return false;
}

void startWorld(int&, char**&) {
  // Started as one of N ranks, each copy would do the whole work and race for the same outputs.
  if (launchedAsRank())
    throw std::runtime_error("started by an MPI launcher, but this build has no MPI (install libopenmpi-dev "
                             "and rebuild)");
}

void finishWorld() {}

Communicator& world() {
  static SingleProcess single;
  return single;
}

} // namespace mg::cluster
