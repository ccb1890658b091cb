#pragma once
// A small project for Sweep tests, written to a temporary folder: a base MLP (4 → 8 → 3) and two
// specialists near it, two tasks whose labels each specialist predicts perfectly, and the graph
// base + specialists → merge → Evaluate (on the tasks folder) → Sweep. Torch-free, so CLI tests use it too.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "graph/builtin_node_types.h"
#include "graph/document.h"
#include "io/safetensors_writer.h"
#include "io/task_file.h"
#include "support/temp_dir.h"

namespace mg::test {

struct SmallMlp {
  static constexpr int kIn = 4, kHidden = 8, kClasses = 3;
  std::vector<float> w1, b1, w2, b2; // [8,4], [8], [3,8], [3]

  static SmallMlp random(unsigned seed, const SmallMlp* near = nullptr, float spread = 1.0f) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal;
    SmallMlp m;
    auto fill = [&](std::vector<float>& v, std::size_t n, const std::vector<float>* from) {
      for (std::size_t i = 0; i < n; ++i)
        v.push_back((from ? (*from)[i] : 0.0f) + spread * normal(rng));
    };
    fill(m.w1, kHidden * kIn, near ? &near->w1 : nullptr);
    fill(m.b1, kHidden, near ? &near->b1 : nullptr);
    fill(m.w2, kClasses * kHidden, near ? &near->w2 : nullptr);
    fill(m.b2, kClasses, near ? &near->b2 : nullptr);
    return m;
  }

  // The predicted class of one example, computed by hand.
  std::int64_t predict(const float* x) const {
    float hidden[kHidden];
    for (int j = 0; j < kHidden; ++j) {
      float s = b1[j];
      for (int k = 0; k < kIn; ++k)
        s += w1[j * kIn + k] * x[k];
      hidden[j] = std::max(0.0f, s);
    }
    std::int64_t best = 0;
    float bestLogit = -1e30f;
    for (int c = 0; c < kClasses; ++c) {
      float s = b2[c];
      for (int j = 0; j < kHidden; ++j)
        s += w2[c * kHidden + j] * hidden[j];
      if (s > bestLogit) {
        bestLogit = s;
        best = c;
      }
    }
    return best;
  }

  void write(const std::string& path) const {
    io::writeSafetensors(path, {io::TensorData::fromFloat32("layers.0.weight", {kHidden, kIn}, w1),
                                io::TensorData::fromFloat32("layers.0.bias", {kHidden}, b1),
                                io::TensorData::fromFloat32("head.weight", {kClasses, kHidden}, w2),
                                io::TensorData::fromFloat32("head.bias", {kClasses}, b2)});
  }
};

// A task whose labels are what `teacher` predicts on random inputs.
inline void writeTeacherTask(const std::string& path, const std::string& name, const SmallMlp& teacher,
                             int examples, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  io::TaskData task;
  task.name = name;
  task.labelNames = {"a", "b", "c"};
  task.split = "test";
  task.inputShape = {examples, SmallMlp::kIn};
  for (int i = 0; i < examples * SmallMlp::kIn; ++i)
    task.inputs.push_back(normal(rng));
  for (int i = 0; i < examples; ++i)
    task.labels.push_back(teacher.predict(&task.inputs[std::size_t(i) * SmallMlp::kIn]));
  io::writeTaskFile(path, task);
}

struct SweepProject {
  TempDir dir;
  graph::Document doc;
  graph::NodeId base = 0, a = 0, b = 0, tasks = 0, merge = 0, evaluate = 0, sweep = 0;

  // `method`: a core/ops merge method with a base ("task_arithmetic", "ties", ...).
  explicit SweepProject(const std::string& method = "task_arithmetic") {
    namespace nt = graph::node_types;
    const SmallMlp baseMlp = SmallMlp::random(1);
    const SmallMlp aMlp = SmallMlp::random(2, &baseMlp, 0.6f), bMlp = SmallMlp::random(3, &baseMlp, 0.6f);
    baseMlp.write(dir.file("base.safetensors"));
    aMlp.write(dir.file("a.safetensors"));
    bMlp.write(dir.file("b.safetensors"));
    std::filesystem::create_directories(dir.file("tasks"));
    writeTeacherTask(dir.file("tasks/alpha.h5"), "alpha", aMlp, 120, 10);
    writeTeacherTask(dir.file("tasks/beta.h5"), "beta", bMlp, 120, 11);

    base = source(nt::kSourceModel, "base.safetensors", "Base");
    a = source(nt::kSourceModel, "a.safetensors", "Specialist A");
    b = source(nt::kSourceModel, "b.safetensors", "Specialist B");
    tasks = source(nt::kSourceTasks, "tasks", "Tasks");
    merge = doc.addNode(graph::mergeNodeTypeId(method));
    evaluate = doc.addNode(nt::kEvaluate);
    sweep = doc.addNode(nt::kSweep);
    must(doc.connect({base, 0}, {merge, 0}));
    must(doc.connect({a, 0}, {merge, 1}));
    must(doc.connect({b, 0}, {merge, 2}));
    must(doc.connect({merge, 0}, {evaluate, 0}));
    must(doc.connect({tasks, 0}, {evaluate, 1}));
    must(doc.connect({evaluate, 0}, {sweep, 0}));
  }

  graph::NodeId source(const char* type, const std::string& file, const std::string& title) {
    const auto id = doc.addNode(type);
    must(doc.setParam(id, "path", dir.file(file)));
    doc.setTitle(id, title);
    return id;
  }

  static void must(const graph::MaybeError& error) {
    if (error) throw std::runtime_error("sweep fixture: " + *error);
  }
};

} // namespace mg::test
