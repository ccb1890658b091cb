#pragma once
// Groups of nodes: a titled set that the node editor can collapse into one box showing only the inputs and
// outputs that cross its border, open again to edit, or dissolve. A group changes what the editor draws,
// never what runs: the engine sees the same flat graph. A node belongs to at most one group (groups do not
// nest), a group has at least one node, and ids increase and are never reused, as node ids.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "graph/node.h"

namespace mg::graph {

using GroupId = std::uint64_t;

struct NodeGroup {
  GroupId id = 0;
  std::string title;
  std::set<NodeId> members;
  bool collapsed = true;
  bool operator==(const NodeGroup& o) const {
    return id == o.id && title == o.title && members == o.members && collapsed == o.collapsed;
  }
};

// What removing a node took from its group, for putting it back: the group as it was (it disappears when
// its last node goes).
struct GroupMembership {
  NodeGroup group;
};

// The edges that cross a group's border, seen from the group: what comes in is named by the outside output it
// comes from (a base feeding four members is one way in), what goes out by the member's output.
struct BorderPorts {
  std::vector<PortRef> sources; // outputs outside that feed members, each once, by (node, port)
  std::vector<PortRef> outputs; // members' outputs that feed nodes outside, each once, by (node, port)
  // The members' inputs each source feeds, in the order of `sources`.
  std::vector<std::vector<PortRef>> fed;
};

class NodeGroups {
public:
  // Makes a group of `members` (at least one, none already grouped); throws std::invalid_argument.
  GroupId add(const std::string& title, const std::set<NodeId>& members);
  // Puts back a group exactly (undo of remove, loading): throws std::invalid_argument when its id is in use,
  // it is empty, or one of its nodes is in another group.
  void restore(const NodeGroup& group);
  // Dissolves the group; nullopt for an unknown id. Its nodes stay where they are.
  std::optional<NodeGroup> remove(GroupId id);
  void setCollapsed(GroupId id, bool collapsed); // throw std::out_of_range for an unknown id
  void setTitle(GroupId id, const std::string& title);

  // A node leaves its group (it is being removed); what it left, for restoreMember().
  std::optional<GroupMembership> removeMember(NodeId node);
  void restoreMember(NodeId node, const GroupMembership& membership);

  const std::map<GroupId, NodeGroup>& all() const { return groups_; }
  const NodeGroup* find(GroupId id) const;
  std::optional<GroupId> groupOf(NodeId node) const;
  bool empty() const { return groups_.empty(); }
  GroupId nextId() const { return nextId_; }
  void reserveIds(GroupId next) { nextId_ = std::max(nextId_, next); }

private:
  void check(const NodeGroup& group, std::optional<GroupId> replacing) const;

  std::map<GroupId, NodeGroup> groups_;
  GroupId nextId_ = 1;
};

// The border of `group` in a graph with these edges.
BorderPorts borderPorts(const NodeGroup& group, const std::vector<Edge>& edges);

} // namespace mg::graph
