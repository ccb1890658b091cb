#pragma once
// Terse constructors for the built-in node type definitions (internal to core/graph).
#include <string>
#include <utility>
#include <vector>

#include "graph/node_type.h"

namespace mg::graph::build {

inline NodeType type(std::string id, std::string title, std::string category, std::string help) {
  NodeType t;
  t.id = std::move(id);
  t.title = std::move(title);
  t.category = std::move(category);
  t.help = std::move(help);
  return t;
}

inline PortSpec input(std::string name, PortType type, std::string help, bool optional = false) {
  PortSpec p;
  p.name = std::move(name);
  p.type = type;
  p.optional = optional;
  p.help = std::move(help);
  return p;
}

inline PortSpec group(std::string name, PortType type, std::string help, bool weighted,
                      std::size_t maxCount = 0) {
  PortSpec p = input(std::move(name), type, std::move(help));
  p.variadic = true;
  p.weighted = weighted;
  p.maxCount = maxCount;
  return p;
}

inline PortSpec output(std::string name, PortType type, std::string help = {}) {
  return input(std::move(name), type, std::move(help));
}

inline ParamDef param(std::string name, ParamKind kind, ParamValue defaultValue, std::string help) {
  ParamDef d;
  d.name = std::move(name);
  d.kind = kind;
  d.defaultValue = std::move(defaultValue);
  d.help = std::move(help);
  return d;
}

inline ParamDef number(std::string name, ParamKind kind, ParamValue defaultValue, std::optional<double> min,
                       std::optional<double> max, std::string help) {
  ParamDef d = param(std::move(name), kind, std::move(defaultValue), std::move(help));
  d.min = min;
  d.max = max;
  return d;
}

inline ParamDef choice(std::string name, std::vector<std::string> choices, std::string help) {
  ParamDef d = param(std::move(name), ParamKind::Choice, choices.front(), std::move(help));
  d.choices = std::move(choices);
  return d;
}

// The "path" parameter of sources and file sinks: required, stored relative to the project file.
inline ParamDef path(PathUse use, std::string help) {
  ParamDef d = param("path", ParamKind::Path, "", std::move(help));
  d.required = true;
  d.pathUse = use;
  return d;
}

// A parameter of the core/ops merge methods ("lambda", "density", "seed") as ops defines it (kind, default,
// range, help), for nodes that merge without being merge nodes; merge_node_types.cpp.
ParamDef mergeParam(const std::string& name);

} // namespace mg::graph::build
