#include "i18n/core_text.h"

#include <QCoreApplication>

#include "graph/document.h"
#include "graph/issue_texts.h"
#include "graph/validation.h"
#include "i18n/core_text_list.h"
#include "qt_text.h"

namespace mg::ui {

QString coreText(const std::string& text) {
  if (text.empty()) return {};
  return QCoreApplication::translate(kCoreContext, text.c_str());
}

QString issueMessage(const graph::Issue& issue) {
  if (issue.pattern.empty()) return qs(issue.message);
  std::vector<std::string> args;
  for (const std::string& arg : issue.args)
    args.push_back(coreText(arg).toStdString());
  return qs(graph::fillPattern(coreText(issue.pattern).toStdString(), args));
}

QString nodeTitle(const graph::Document& document, graph::NodeId node) {
  return nodeTitle(document, document.at(node));
}

QString nodeTitle(const graph::Document& document, const graph::Node& node) {
  const graph::NodeType* type = document.registry().find(node.type);
  return type && node.title == type->title ? coreText(node.title) : qs(node.title);
}

} // namespace mg::ui
