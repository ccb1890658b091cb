#pragma once
// Shared helpers of the core/graph tests (header-only).
#include <QtTest>

#include <string>
#include <vector>

#include "graph/builtin_node_types.h"
#include "graph/document.h"
#include "graph/validation.h"

// QCOMPARE on std::string with readable output on failure.
#define MG_COMPARE_STR(actual, expected)                                                                     \
  QCOMPARE(QString::fromStdString(std::string(actual)), QString::fromStdString(std::string(expected)))

// Fails with the refusal's text when an edit that must succeed is refused.
#define MG_VERIFY_OK(maybeError)                                                                             \
  do {                                                                                                       \
    const auto mgError_ = (maybeError);                                                                      \
    QVERIFY2(!mgError_, mgError_ ? mgError_->c_str() : "");                                                  \
  } while (false)

// Checks that an edit is refused with a message containing `fragment`.
#define MG_VERIFY_REFUSED(maybeError, fragment)                                                              \
  do {                                                                                                       \
    const auto mgError_ = (maybeError);                                                                      \
    QVERIFY2(mgError_.has_value(), "expected a refusal");                                                    \
    QVERIFY2(mgError_->find(fragment) != std::string::npos, mgError_->c_str());                              \
  } while (false)

namespace mg::test {

inline bool containsText(const std::string& text, const std::string& fragment) {
  return text.find(fragment) != std::string::npos;
}

// The issues of `node` whose message contains `fragment`.
inline std::size_t countIssues(const std::vector<graph::Issue>& issues, graph::NodeId node,
                               const std::string& fragment,
                               graph::Severity severity = graph::Severity::Error) {
  std::size_t n = 0;
  for (const auto& issue : issues) {
    n += issue.node == node && issue.severity == severity && containsText(issue.message, fragment) ? 1 : 0;
  }
  return n;
}

// All issues as text, for failure messages.
inline std::string issuesText(const graph::Document& doc, const std::vector<graph::Issue>& issues) {
  std::string text;
  for (const auto& issue : issues) {
    text += graph::issueText(doc, issue) + "\n";
  }
  return text;
}

// base → TIES ← two fine-tunes, TIES → export: the typical project.
struct MergeGraph {
  graph::Document doc;
  graph::NodeId base = 0, a = 0, b = 0, merge = 0, exporter = 0;

  MergeGraph() {
    using namespace graph;
    base = doc.addNode(node_types::kSourceModel, {0, 0});
    a = doc.addNode(node_types::kSourceModel, {0, 100});
    b = doc.addNode(node_types::kSourceModel, {0, 200});
    merge = doc.addNode(mergeNodeTypeId("ties"), {200, 100});
    exporter = doc.addNode(node_types::kExport, {400, 100});
    check(doc.setParam(base, "path", "/data/base.safetensors"));
    check(doc.setParam(a, "path", "/data/a.safetensors"));
    check(doc.setParam(b, "path", "/data/b.safetensors"));
    check(doc.setParam(exporter, "path", "/data/out.safetensors"));
    check(doc.connect({base, 0}, {merge, 0}));
    check(doc.connect({a, 0}, {merge, 1}));
    check(doc.connect({b, 0}, {merge, 2}, 0.5));
    check(doc.connect({merge, 0}, {exporter, 0}));
  }

private:
  static void check(const graph::MaybeError& error) {
    if (error) {
      qFatal("MergeGraph: %s", error->c_str());
    }
  }
};

} // namespace mg::test
