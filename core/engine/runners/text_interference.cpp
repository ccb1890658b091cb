#include "engine/runners/text_interference.h"

#include "engine/runners/language_model_access.h"
#include "lm_eval/text_feature_shift.h"

namespace mg::engine {

InterferenceRows textInterferenceRows(NodeRunContext& context, const TasksValue& tasks,
                                      const std::vector<std::pair<const NodeValue*, double>>& items,
                                      std::int64_t examples) {
  const auto* base = std::get_if<ModelValue>(&context.input("base"));
  if (!base) throw std::runtime_error("input 'base' of " + context.describe() + ": expected the base model");
  std::vector<std::string> adapters;
  std::vector<int> adapterIndex; // per item: its column among the adapters, or -1 for a full model
  for (const auto& [value, weight] : items) {
    const auto* adapter = std::get_if<AdapterValue>(value);
    adapterIndex.push_back(adapter ? int(adapters.size()) : -1);
    if (adapter) adapters.push_back(adapter->folder);
  }
  auto shared = std::make_shared<LanguageModel>(loadLanguageModel(context, *base, "base", adapters));
  const lm_eval::MixedModel baseModel{shared->model.get(), std::vector<float>(adapters.size(), 0.0f)};
  return
      [&context, &tasks, shared, baseModel, adapterIndex, examples](std::size_t i, const NodeValue& value) {
        LanguageModel own; // a full model among the items
        lm_eval::MixedModel specialist;
        if (adapterIndex[i] >= 0) {
          specialist = {shared->model.get(), std::vector<float>(baseModel.mix.size(), 0.0f)};
          specialist.mix[std::size_t(adapterIndex[i])] = 1.0f;
        } else if (const auto* model = std::get_if<ModelValue>(&value)) {
          own = loadLanguageModel(context, *model, "items " + std::to_string(i + 1));
          specialist = {own.model.get(), {}};
        } else {
          throw std::runtime_error("items " + std::to_string(i + 1) + " of " + context.describe() +
                                   ": expected a model or an adapter");
        }
        std::vector<double> row;
        for (const auto& task : *tasks.textTasks)
          row.push_back(lm_eval::textFeatureShift(baseModel, specialist, *shared->tokenizer, task, examples,
                                                  context.cancel));
        return row;
      };
}

} // namespace mg::engine
