#pragma once
// The benchmark zoo's per-method table (`merganser-cli demo --zoo benchmark --table`): each merge method on
// the zoo's 16 specialists, scored on the test examples of every task. Per method: mean accuracy over the
// specialist tasks, mean normalized accuracy (merged ÷ the task's specialist, per task, then averaged: the
// literature's normalized accuracy) and mean accuracy over the held-out tasks. A swept parameter (task
// arithmetic's λ) is chosen on the validation examples (tasks/val/) and reported on test.
//
// Rows are declared in one list (methodTableRows()); a row whose method the registry lacks, or that needs an
// input the graph cannot give yet, is kept with a note instead of numbers, so a method added later is a row
// that starts to score.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "weights/cancel.h"

namespace mg::demo {

struct MethodRowSpec {
  enum class Kind {
    Base,        // the base with its frozen heads (the "zero-shot" row)
    Specialists, // each specialist on its own task (normalized 100 % by definition)
    Merge,       // a merge node of core/ops method `method` over every specialist
    LoraMerge,   // the same over the LoRA specialists only (methods that merge LoRA factors)
    Router,      // a Router node (route/router.h method `method`) over the LoRA specialists
    Search,      // a Search node (algorithm `method`, `params` its own) over a merge of every specialist
    Pending      // not runnable from this command yet: `note` says why
  };
  std::string label;
  Kind kind = Kind::Merge;
  std::string method;
  std::vector<std::pair<std::string, double>> params;
  std::string sweep; // a parameter chosen on validation among `grid`; "" for none
  std::vector<double> grid;
  std::string note;
};

// The rows, in the order of the table. `specialists` sets the average's λ (1/n).
std::vector<MethodRowSpec> methodTableRows(std::size_t specialists);

struct MethodRow {
  std::string label;
  bool scored = false;
  double specialistAccuracy = 0; // mean over the specialist tasks
  double normalized = 0;         // mean over the specialist tasks of accuracy ÷ the specialist's
  double heldOutAccuracy = 0;    // mean over the held-out tasks
  std::string note;              // what was chosen, what it covers, or why it has no numbers
};

struct MethodTable {
  std::vector<std::string> specialistTasks, heldOutTasks;
  std::vector<MethodRow> rows;
  bool failed = false; // a row that should have scored failed (its note says why)
  double seconds = 0;
};

// Reads the zoo at `zooFolder` (base/, adapters/, finetunes/, tasks/, tasks/val/) and scores every row.
// Throws std::runtime_error naming what is missing; engine::Cancelled.
MethodTable scoreMethods(const std::string& zooFolder, const engine::CancelToken& cancel,
                         const std::function<void(const std::string& step, double fraction)>& progress = {});

// The table as markdown, with a line on how it was measured.
std::string methodTableMarkdown(const MethodTable& table);

} // namespace mg::demo
