// The fine-tuning settings the Fine-tune node and `merganser-cli train` share: names, parsing and the checks
// that stop a training run before it starts.
#include "support/test_registry.h"
#include <QtTest>

#include "train/fine_tune_settings.h"

using namespace mg::train;

namespace {

std::string errorOf(const std::map<std::string, std::string>& settings) {
  try {
    fineTuneOptionsFrom(settings);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

struct Named {
  std::string name;
};

} // namespace

class FineTuneSettingsTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void settingsBecomeOptions() {
    const auto options = fineTuneOptionsFrom({{"method", "ia3"},
                                              {"rank", "4"},
                                              {"alpha", "8"},
                                              {"rslora", "true"},
                                              {"target_modules", " q_proj, v_proj ,"},
                                              {"examples", "16"},
                                              {"example_unit", "per_task"},
                                              {"validation_examples", "8"},
                                              {"patience", "3"},
                                              {"loss", "tfew"},
                                              {"learning_rate", "3e-3"},
                                              {"schedule", "linear"},
                                              {"gradient_accumulation", "2"},
                                              {"seed", "7"}});
    QCOMPARE(options.method, Method::Ia3);
    QCOMPARE(options.lora.rank, 4);
    QCOMPARE(options.lora.alpha, 8.0);
    QVERIFY(options.lora.rsLora);
    QCOMPARE(options.targetModules, (std::vector<std::string>{"q_proj", "v_proj"}));
    QCOMPARE(options.examples, std::int64_t(16));
    QCOMPARE(options.exampleUnit, ExampleUnit::PerTask);
    QCOMPARE(options.patience, 3);
    QCOMPARE(options.lmLoss, LmLoss::TFew);
    QCOMPARE(options.learningRate, 3e-3);
    QCOMPARE(options.schedule, Schedule::Linear);
    QCOMPARE(options.gradientAccumulation, std::int64_t(2));
    QCOMPARE(options.seed, std::uint64_t(7));
    // Every setting has a name the node and the CLI know, in the node's order.
    QCOMPARE(fineTuneSettingNames().front(), std::string("method"));
    QCOMPARE(fineTuneSettingNames().size(), std::size_t(24));
  }

  void badSettingsNameTheSetting() {
    QCOMPARE(errorOf({{"rank", "0"}}), std::string("rank must be at least 1 (got 0)"));
    QCOMPARE(errorOf({{"rank", "eight"}}), std::string("rank: 'eight' is not an integer"));
    QCOMPARE(errorOf({{"learning_rate", "fast"}}), std::string("learning_rate: 'fast' is not a number"));
    QCOMPARE(errorOf({{"method", "qlora"}}), std::string("method: 'qlora' is not one of lora, ia3, full"));
    QCOMPARE(errorOf({{"dropout", "1"}}), std::string("dropout must be in [0, 1)"));
    QCOMPARE(errorOf({{"steps", "0"}}), std::string("steps must be at least 1 (or give epochs)"));
    QCOMPARE(errorOf({{"steps", "0"}, {"epochs", "2"}}), std::string());
    QCOMPARE(errorOf({{"patience", "2"}, {"validation_examples", "0"}}),
             std::string("early stopping (patience) needs validation examples"));
    QCOMPARE(errorOf({{"rate", "1"}}), std::string("no fine-tuning setting 'rate'"));
    // Rank is a LoRA setting: IA³ and full fine-tuning do not look at it.
    QCOMPARE(errorOf({{"method", "ia3"}, {"rank", "0"}}), std::string());
  }

  void tasksAreChosenByName() {
    const std::vector<Named> tasks{{"rotate"}, {"shoes"}, {"flip"}};
    QCOMPARE(tasksNamed(tasks, {}).size(), std::size_t(3));
    const auto chosen = tasksNamed(tasks, {"flip", "rotate"});
    QCOMPARE(chosen.size(), std::size_t(2));
    QCOMPARE(chosen[0].name, std::string("flip"));
    try {
      tasksNamed(tasks, {"colour"});
      QFAIL("an unknown task was accepted");
    } catch (const std::invalid_argument& error) {
      QCOMPARE(std::string(error.what()),
               std::string("no task 'colour' among the tasks (rotate, shoes, flip)"));
    }
  }
};

MG_TEST_APPLESS_MAIN(FineTuneSettingsTest)
#include "test_fine_tune_settings.moc"
