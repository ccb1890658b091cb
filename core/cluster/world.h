#pragma once
// The ranks this process belongs to. A process started by an MPI launcher (mpirun, mpiexec, srun) joins its
// job's ranks; any other process is a single rank without touching MPI (an MPI singleton start costs ~0.4 s
// and may try to reach a launcher that is not there).
#include "cluster/communicator.h"

namespace mg::cluster {

// True when the environment shows an MPI launcher started this process (Open MPI, PMIx, PMI or Slurm).
bool launchedAsRank();

// Joins the job's ranks when launchedAsRank(), else a single process; call once, first thing in main.
// Throws std::runtime_error when launched as a rank by a build without MPI, or when MPI fails to start.
void startWorld(int& argc, char**& argv);
// Leaves the job (MPI_Finalize after a barrier); safe to call when startWorld made a single process.
void finishWorld();
// The ranks joined by startWorld (a single process before it, or without a launcher).
Communicator& world();

// Whether this build can run as MPI ranks.
bool builtWithMpi();

} // namespace mg::cluster

namespace mg::cluster {

// The ranks of this job on this machine (1 without a launcher): Open MPI's OMPI_COMM_WORLD_LOCAL_SIZE,
// MPICH's MPI_LOCALNRANKS, Slurm's SLURM_NTASKS_PER_NODE.
int ranksOnThisMachine();
// This rank's share of the machine's cores (at least 1): what its thread pools should use, so that N ranks
// on one machine do not run N × cores threads.
int coresOfThisRank();

} // namespace mg::cluster
