#include <algorithm>
#include <cstdlib>
#include <thread>
#include <string>

#include "cluster/world.h"

namespace mg::cluster {

bool launchedAsRank() {
  // Open MPI's mpirun sets OMPI_COMM_WORLD_SIZE; PMIx launchers (Open MPI 5, srun --mpi=pmix) PMIX_RANK;
  // MPICH's Hydra and srun --mpi=pmi2 PMI_RANK. A one-task Slurm step is not a job of ranks.
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"})
    if (std::getenv(name)) return true;
  const char* tasks = std::getenv("SLURM_STEP_NUM_TASKS");
  return tasks && std::atoi(tasks) > 1 && std::getenv("SLURM_PROCID");
}

} // namespace mg::cluster

namespace mg::cluster {

int ranksOnThisMachine() {
  for (const char* name : {"OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS", "SLURM_NTASKS_PER_NODE"})
    if (const char* value = std::getenv(name); value && launchedAsRank())
      if (const int n = std::atoi(value); n > 0) return n;
  return 1;
}

int coresOfThisRank() {
  const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  return std::max(1, cores / ranksOnThisMachine());
}

} // namespace mg::cluster
