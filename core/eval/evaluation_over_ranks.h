#pragma once
// A classifier's scores on a task with its examples divided among the ranks of an MPI job
// (cluster/communicator.h): rank r scores a contiguous part (whole batches), the root adds the parts up in
// order, and every rank returns the same score, equal bit for bit to one process's evaluate().
#include "eval/evaluation.h"

namespace mg::cluster {
class Communicator;
}

namespace mg::eval {

// A collective: every rank calls it with the same model, task and options. A rank's failure is every
// rank's (cluster::RankFailure carrying its message). With one rank: evaluate().
TaskScore evaluateOverRanks(const Classifier& model, const io::TaskData& task,
                            const EvaluationOptions& options, cluster::Communicator& ranks);

} // namespace mg::eval
