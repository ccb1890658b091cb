#pragma once
// Building the demos' projects in code (demo/demo_project.h, demo/benchmark_project.h): nodes with titles and
// parameters, merges, Evaluate nodes and the sinks over a group of specialists, each connection checked.
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "graph/builtin_node_types.h"
#include "graph/document.h"

namespace mg::demo {

struct ProjectBuilder {
  graph::Document doc;

  void check(const graph::MaybeError& error) {
    if (error) throw std::logic_error("demo project: " + *error);
  }
  graph::NodeId node(const std::string& type, const std::string& title) {
    const auto id = doc.addNode(type);
    doc.setTitle(id, title);
    return id;
  }
  graph::NodeId source(const std::string& type, const std::string& title, const std::string& path) {
    const auto id = node(type, title);
    check(doc.setParam(id, "path", path));
    return id;
  }
  graph::NodeId merge(const std::string& method, const std::string& title, graph::NodeId base,
                      const std::vector<graph::NodeId>& inputs,
                      const std::vector<std::pair<std::string, double>>& params) {
    const auto id = node(graph::mergeNodeTypeId(method), title);
    for (const auto& [name, value] : params)
      check(doc.setParam(id, name, value));
    check(doc.connect({base, 0}, {id, 0}));
    // The models group follows the fixed inputs (base, and tasks for the data-aware methods).
    const auto first = doc.nodeType(id)->fixedInputCount();
    for (std::size_t i = 0; i < inputs.size(); ++i)
      check(doc.connect({inputs[i], 0}, {id, first + i}));
    return id;
  }
  // Evaluate `model` (an adapter is applied to `base`) on `tasks`; returns the Evaluate node.
  graph::NodeId evaluate(graph::NodeId model, graph::NodeId tasks, graph::NodeId base, bool needsBase) {
    const auto id = node(graph::node_types::kEvaluate, "Evaluate " + doc.at(model).title);
    check(doc.connect({model, 0}, {id, 0}));
    check(doc.connect({tasks, 0}, {id, 1}));
    if (needsBase) check(doc.connect({base, 0}, {id, 2}));
    return id;
  }
  // A sink with inputs base, tasks, then a group of specialists (Interference, Embedding map, Merge gain).
  graph::NodeId specialistSink(const std::string& type, const std::string& title, graph::NodeId base,
                               graph::NodeId tasks, const std::vector<graph::NodeId>& specialists) {
    const auto id = node(type, title);
    check(doc.connect({base, 0}, {id, 0}));
    check(doc.connect({tasks, 0}, {id, 1}));
    const auto first = doc.nodeType(id)->fixedInputCount();
    for (std::size_t i = 0; i < specialists.size(); ++i)
      check(doc.connect({specialists[i], 0}, {id, first + i}));
    return id;
  }
  // Routing among LoRA `adapters` per input, scored like a model: the nearest task embedding, data-free
  // Arrow, a router trained on a few examples per task, and SMEAR (that router's probabilities average the
  // adapters per input: a soft merge, against the hard top-1 choice and the static merges). One node each,
  // fitted on `fit` when given (validation tasks), else on the first examples of `tasks`. `withArrow` false
  // leaves Arrow out (language models: it routes classifiers only).
  std::vector<graph::NodeId> routers(graph::NodeId base, graph::NodeId tasks,
                                     const std::vector<graph::NodeId>& adapters,
                                     graph::NodeId fit = graph::kNoNode, bool withArrow = true) {
    std::vector<graph::NodeId> ids;
    for (const auto& [method, title] : {std::pair{"nearest", "Router (nearest, top-1)"},
                                        {"arrow", "Router (arrow, top-1)"},
                                        {"trained", "Router (trained, top-1)"},
                                        {"smear", "SMEAR (soft merge)"}}) {
      if (!withArrow && std::string(method) == "arrow") continue;
      ids.push_back(specialistSink(graph::node_types::kRouter, title, base, tasks, adapters));
      check(doc.setParam(ids.back(), "method", std::string(method)));
      if (fit != graph::kNoNode)
        check(doc.connect({fit, 0}, {ids.back(), *doc.nodeType(ids.back())->inputIndex("fit")}));
    }
    return ids;
  }
};

} // namespace mg::demo
