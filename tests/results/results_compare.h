#pragma once
// Helpers shared by the results tests: an exact comparison of scores read back with those written, and the
// message of a call's exception.
#include <QtTest>

#include <functional>
#include <string>
#include <vector>

#include "eval/model_scores.h"

namespace mg::test {

inline void compareScores(const std::vector<eval::ModelScores>& read,
                          const std::vector<eval::ModelScores>& written) {
  QCOMPARE(read.size(), written.size());
  for (std::size_t i = 0; i < read.size(); ++i) {
    QCOMPARE(read[i].model, written[i].model);
    QCOMPARE(read[i].modelNode, written[i].modelNode);
    QCOMPARE(read[i].evaluateNode, written[i].evaluateNode);
    QCOMPARE(read[i].parameter, written[i].parameter);
    QCOMPARE(read[i].parameterValue, written[i].parameterValue);
    QCOMPARE(read[i].scores.size(), written[i].scores.size());
    for (std::size_t t = 0; t < read[i].scores.size(); ++t) {
      const auto &a = read[i].scores[t], &b = written[i].scores[t];
      QCOMPARE(a.task, b.task);
      QCOMPARE(a.examples, b.examples);
      QCOMPARE(a.accuracy, b.accuracy);
      QCOMPARE(a.loss, b.loss);
      QCOMPARE(a.confusion, b.confusion);
      QCOMPARE(a.routedTo, b.routedTo);
      QCOMPARE(a.routedCounts, b.routedCounts);
      QCOMPARE(a.routingAccuracy.has_value(), b.routingAccuracy.has_value());
      if (a.routingAccuracy) QCOMPARE(*a.routingAccuracy, *b.routingAccuracy);
      QCOMPARE(a.textKind, b.textKind);
      QCOMPARE(a.tokens, b.tokens);
      QCOMPARE(a.perplexity, b.perplexity);
      QCOMPARE(a.accuracyNorm, b.accuracyNorm);
    }
  }
}

inline std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return {};
}

} // namespace mg::test
