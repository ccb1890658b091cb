#pragma once
// Shared helpers of the node editor tests (header-only): real source files on disk, a typical graph made
// through the session (so every step is on the undo stack), and the document as project-file text.
#include <QtTest>

#include <filesystem>
#include <string>

#include "graph/builtin_node_types.h"
#include "graph/project_file.h"
#include "session/project_session.h"
#include "support/temp_dir.h"

// Fails with the refusal's text when a session edit that must succeed is refused.
#define MG_VERIFY_DONE(refusal)                                                                              \
  do {                                                                                                       \
    const QString mgRefusal_ = (refusal);                                                                    \
    QVERIFY2(mgRefusal_.isEmpty(), qPrintable(mgRefusal_));                                                  \
  } while (false)

namespace mg::test {

// A file the classifier takes for a model (its contents are only read when the graph runs).
inline QString makeModelFile(const TempDir& dir, const std::string& name) {
  const std::string path = dir.file(name + ".safetensors");
  writeBytes(path, "not read by the editor");
  return QString::fromStdString(path);
}

// A PEFT adapter folder as the classifier recognises it.
inline QString makeAdapterFolder(const TempDir& dir, const std::string& name) {
  const std::string folder = dir.file(name);
  std::filesystem::create_directories(folder);
  writeBytes(folder + "/adapter_config.json", "{\"r\": 4, \"lora_alpha\": 8}");
  return QString::fromStdString(folder);
}

// The document as saved text. `next_id` is left out when comparing with a state before an undo: ids are
// never reused, so undoing an addition does not lower the counter (by design).
inline QString documentText(const ui::ProjectSession& session, bool withNextId = true) {
  QString text = QString::fromStdString(graph::projectText(session.document(), ""));
  if (!withNextId) text.remove(QRegularExpression(QStringLiteral("\\n\\s*\"next_id\": \\d+,")));
  return text;
}

// base → TIES ← a, b (b weighted 0.5); TIES → export. Made through the session.
struct SessionGraph {
  graph::NodeId base = 0, a = 0, b = 0, merge = 0, exporter = 0;

  explicit SessionGraph(ui::ProjectSession& s) {
    using namespace graph;
    base = s.addNode(node_types::kSourceModel, {0, 0}, {{"path", "/data/base.safetensors"}});
    a = s.addNode(node_types::kSourceModel, {0, 120}, {{"path", "/data/a.safetensors"}});
    b = s.addNode(node_types::kSourceModel, {0, 240}, {{"path", "/data/b.safetensors"}});
    merge = s.addNode(QString::fromStdString(mergeNodeTypeId("ties")), {320, 100});
    exporter = s.addNode(node_types::kExport, {640, 100}, {{"path", "/data/out.safetensors"}});
    check(s.connectPorts({base, 0}, {merge, 0}));
    check(s.connectPorts({a, 0}, {merge, 1}));
    check(s.connectPorts({b, 0}, {merge, 2}, 0.5));
    check(s.connectPorts({merge, 0}, {exporter, 0}));
  }

private:
  static void check(const QString& refusal) {
    if (!refusal.isEmpty()) qFatal("SessionGraph: %s", qPrintable(refusal));
  }
};

} // namespace mg::test
