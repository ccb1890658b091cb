#include "graph/annotations.h"

#include <algorithm>
#include <stdexcept>

namespace mg::graph {

namespace {

template <typename Map> const typename Map::mapped_type* findIn(const Map& map, AnnotationId id) {
  const auto it = map.find(id);
  return it == map.end() ? nullptr : &it->second;
}

} // namespace

const Frame* Annotations::frame(AnnotationId id) const {
  return findIn(frames_, id);
}

const Comment* Annotations::comment(AnnotationId id) const {
  return findIn(comments_, id);
}

std::vector<Point> Annotations::reroutesOf(PortRef input) const {
  const auto it = reroutes_.find(input);
  return it == reroutes_.end() ? std::vector<Point>{} : it->second;
}

AnnotationId Annotations::addFrame(Frame frame) {
  frame.id = nextId_;
  putFrame(frame);
  return frame.id;
}

AnnotationId Annotations::addComment(Comment comment) {
  comment.id = nextId_;
  putComment(comment);
  return comment.id;
}

void Annotations::putFrame(const Frame& frame) {
  if (frame.id == 0 || comments_.count(frame.id) != 0)
    throw std::invalid_argument("annotation id " + std::to_string(frame.id) + " is in use or reserved");
  frames_[frame.id] = frame;
  nextId_ = std::max(nextId_, frame.id + 1);
}

void Annotations::putComment(const Comment& comment) {
  if (comment.id == 0 || frames_.count(comment.id) != 0)
    throw std::invalid_argument("annotation id " + std::to_string(comment.id) + " is in use or reserved");
  comments_[comment.id] = comment;
  nextId_ = std::max(nextId_, comment.id + 1);
}

bool Annotations::remove(AnnotationId id) {
  return frames_.erase(id) + comments_.erase(id) != 0;
}

void Annotations::setReroutes(PortRef input, std::vector<Point> points) {
  if (points.empty())
    reroutes_.erase(input);
  else
    reroutes_[input] = std::move(points);
}

std::vector<Point> Annotations::takeReroutes(PortRef input) {
  const auto it = reroutes_.find(input);
  if (it == reroutes_.end()) return {};
  std::vector<Point> points = std::move(it->second);
  reroutes_.erase(it);
  return points;
}

} // namespace mg::graph
