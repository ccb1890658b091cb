#include "editor/node_list_mime.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>

#include "editor/editor_mime.h"

namespace mg::ui {

QMimeData* encodeNodeList(const std::vector<graph::NodeId>& nodes) {
  QJsonArray ids;
  for (const auto id : nodes)
    ids.append(double(id)); // ids stay far below 2^53
  auto* data = new QMimeData;
  data->setData(QString::fromLatin1(mime::kNodes),
                QJsonDocument(QJsonObject{{QStringLiteral("nodes"), ids}}).toJson(QJsonDocument::Compact));
  return data;
}

std::vector<graph::NodeId> decodeNodeList(const QMimeData* data) {
  std::vector<graph::NodeId> nodes;
  if (!data || !data->hasFormat(QString::fromLatin1(mime::kNodes))) return nodes;
  const auto json = QJsonDocument::fromJson(data->data(QString::fromLatin1(mime::kNodes)));
  for (const QJsonValue& id : json.object().value(QStringLiteral("nodes")).toArray())
    if (id.toDouble() >= 1) nodes.push_back(graph::NodeId(id.toDouble()));
  return nodes;
}

} // namespace mg::ui
