#include "graph/node_groups.h"

#include <algorithm>
#include <stdexcept>

namespace mg::graph {

void NodeGroups::check(const NodeGroup& group, std::optional<GroupId> replacing) const {
  if (group.members.empty()) throw std::invalid_argument("a group needs at least one node");
  for (const NodeId node : group.members) {
    const auto owner = groupOf(node);
    if (owner && owner != replacing)
      throw std::invalid_argument("node " + std::to_string(node) + " is already in group " +
                                  std::to_string(*owner));
  }
}

GroupId NodeGroups::add(const std::string& title, const std::set<NodeId>& members) {
  NodeGroup group{nextId_, title, members, true};
  check(group, std::nullopt);
  groups_.emplace(group.id, group);
  return nextId_++;
}

void NodeGroups::restore(const NodeGroup& group) {
  if (group.id == 0 || groups_.count(group.id) != 0)
    throw std::invalid_argument("group id " + std::to_string(group.id) + " is in use");
  check(group, std::nullopt);
  groups_.emplace(group.id, group);
  nextId_ = std::max(nextId_, group.id + 1);
}

std::optional<NodeGroup> NodeGroups::remove(GroupId id) {
  const auto it = groups_.find(id);
  if (it == groups_.end()) return std::nullopt;
  NodeGroup group = std::move(it->second);
  groups_.erase(it);
  return group;
}

void NodeGroups::setCollapsed(GroupId id, bool collapsed) {
  groups_.at(id).collapsed = collapsed;
}

void NodeGroups::setTitle(GroupId id, const std::string& title) {
  groups_.at(id).title = title;
}

std::optional<GroupMembership> NodeGroups::removeMember(NodeId node) {
  const auto id = groupOf(node);
  if (!id) return std::nullopt;
  NodeGroup& group = groups_.at(*id);
  GroupMembership membership{group};
  group.members.erase(node);
  if (group.members.empty()) groups_.erase(*id);
  return membership;
}

void NodeGroups::restoreMember(NodeId node, const GroupMembership& membership) {
  const auto it = groups_.find(membership.group.id);
  if (it != groups_.end()) {
    it->second.members.insert(node);
    return;
  }
  // The node was the group's last: the group comes back with it, as it was then.
  NodeGroup group = membership.group;
  group.members = {node};
  groups_.emplace(group.id, group);
}

const NodeGroup* NodeGroups::find(GroupId id) const {
  const auto it = groups_.find(id);
  return it == groups_.end() ? nullptr : &it->second;
}

std::optional<GroupId> NodeGroups::groupOf(NodeId node) const {
  for (const auto& [id, group] : groups_)
    if (group.members.count(node) != 0) return id;
  return std::nullopt;
}

BorderPorts borderPorts(const NodeGroup& group, const std::vector<Edge>& edges) {
  const auto inside = [&](NodeId node) { return group.members.count(node) != 0; };
  std::map<PortRef, std::vector<PortRef>> fed; // sorted by source
  std::set<PortRef> outputs;
  for (const Edge& edge : edges) {
    if (inside(edge.to.node) && !inside(edge.from.node)) fed[edge.from].push_back(edge.to);
    if (inside(edge.from.node) && !inside(edge.to.node)) outputs.insert(edge.from);
  }
  BorderPorts border;
  for (auto& [source, inputs] : fed) {
    border.sources.push_back(source);
    border.fed.push_back(std::move(inputs));
  }
  border.outputs.assign(outputs.begin(), outputs.end());
  return border;
}

} // namespace mg::graph
