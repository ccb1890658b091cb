#pragma once
// A language model's score on a text task with its examples divided among the ranks of an MPI job
// (cluster/communicator.h): rank r scores a contiguous part, rank 0 adds the parts up in order, and every
// rank returns the same score, equal to the bit to one process's evaluateTextTask() (each example's
// requests are batched by themselves, so a part scores them as one process does).
#include "lm_eval/text_evaluation.h"

namespace mg::cluster {
class Communicator;
}

namespace mg::lm_eval {

// A collective: every rank calls it with the same model, task and options; a rank's failure is every
// rank's (cluster::RankFailure carrying its message). With one rank: evaluateTextTask().
TextTaskScore evaluateTextTaskOverRanks(TokenScorer& model, const text::Tokenizer& tokenizer,
                                        const io::TextTask& task, const TextEvaluationOptions& options,
                                        cluster::Communicator& ranks);

} // namespace mg::lm_eval
