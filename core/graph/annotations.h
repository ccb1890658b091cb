#pragma once
// What a person draws on a graph to organise it, beside the nodes: frames (a titled, coloured rectangle with
// a Markdown comment, which the editor moves together with the nodes inside it), free-standing Markdown
// comments, and reroute points that an edge is drawn through. None of it changes what runs: the engine never
// looks. Frames and comments share one id space (ids increase and are not reused while the document lives);
// reroute points belong to an edge, named by its input (an input takes at most one edge), and the Document
// keeps them with their edge: they travel when a variadic group renumbers its inputs and go with the edge.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "graph/node.h"

namespace mg::graph {

using AnnotationId = std::uint64_t;

// A rectangle on the canvas: top-left corner and size, in the nodes' coordinates.
struct Rect {
  double x = 0.0;
  double y = 0.0;
  double width = 0.0;
  double height = 0.0;
  bool operator==(const Rect& o) const {
    return x == o.x && y == o.y && width == o.width && height == o.height;
  }
  bool operator!=(const Rect& o) const { return !(*this == o); }
};

struct Frame {
  AnnotationId id = 0;
  std::string title;
  // A name from the editor's palette ("blue"; frame_palette.h), drawn in each theme's own shade; a name the
  // editor does not know is kept and drawn grey.
  std::string colour;
  Rect rect;
  std::string comment; // Markdown
  bool operator==(const Frame& o) const {
    return id == o.id && title == o.title && colour == o.colour && rect == o.rect && comment == o.comment;
  }
};

struct Comment {
  AnnotationId id = 0;
  Rect rect;
  std::string text; // Markdown
  bool operator==(const Comment& o) const { return id == o.id && rect == o.rect && text == o.text; }
};

class Annotations {
public:
  const std::map<AnnotationId, Frame>& frames() const { return frames_; }
  const std::map<AnnotationId, Comment>& comments() const { return comments_; }
  // Every edge's reroute points in drawing order (output to input), by the edge's input.
  const std::map<PortRef, std::vector<Point>>& reroutes() const { return reroutes_; }
  const Frame* frame(AnnotationId id) const;     // nullptr when there is none
  const Comment* comment(AnnotationId id) const; // nullptr when there is none
  std::vector<Point> reroutesOf(PortRef input) const;
  bool empty() const { return frames_.empty() && comments_.empty() && reroutes_.empty(); }
  AnnotationId nextId() const { return nextId_; }

  // A new frame or comment under the next id (the one given is ignored); returns the id.
  AnnotationId addFrame(Frame frame);
  AnnotationId addComment(Comment comment);
  // Puts one in under its own id, replacing one of the same kind there (loading, editing, undo). Throws
  // std::invalid_argument for id 0 or an id the other kind uses.
  void putFrame(const Frame& frame);
  void putComment(const Comment& comment);
  bool remove(AnnotationId id); // a frame or a comment; false when there is none

  // The points an edge is drawn through; none erases them.
  void setReroutes(PortRef input, std::vector<Point> points);
  std::vector<Point> takeReroutes(PortRef input); // and erases them

  bool operator==(const Annotations& o) const {
    return frames_ == o.frames_ && comments_ == o.comments_ && reroutes_ == o.reroutes_;
  }
  bool operator!=(const Annotations& o) const { return !(*this == o); }

private:
  std::map<AnnotationId, Frame> frames_;
  std::map<AnnotationId, Comment> comments_;
  std::map<PortRef, std::vector<Point>> reroutes_;
  AnnotationId nextId_ = 1;
};

} // namespace mg::graph
