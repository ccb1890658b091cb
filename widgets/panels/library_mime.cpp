#include "panels/library_mime.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>
#include <QUrl>

namespace mg::ui::mime {

namespace {

const QString kPathKey = QStringLiteral("path");
const QString kRoleKey = QStringLiteral("role");

std::optional<io::SourceRole> roleFromName(const QString& name) {
  for (const auto role : {io::SourceRole::Model, io::SourceRole::Adapter, io::SourceRole::Tasks})
    if (name == QLatin1String(io::sourceRoleName(role))) return role;
  return std::nullopt;
}

} // namespace

QMimeData* nodeTypeData(const QString& typeId) {
  auto* data = new QMimeData;
  data->setData(QLatin1String(kNodeType), typeId.toUtf8());
  return data;
}

QMimeData* sourceData(const QString& path, io::SourceRole role) {
  auto* data = new QMimeData;
  const QJsonObject payload{{kPathKey, path}, {kRoleKey, QString::fromLatin1(io::sourceRoleName(role))}};
  data->setData(QLatin1String(kSource), QJsonDocument(payload).toJson(QJsonDocument::Compact));
  data->setUrls({QUrl::fromLocalFile(path)});
  return data;
}

std::optional<QString> nodeTypeFrom(const QMimeData& data) {
  if (!data.hasFormat(QLatin1String(kNodeType))) return std::nullopt;
  const QString id = QString::fromUtf8(data.data(QLatin1String(kNodeType)));
  if (id.isEmpty()) return std::nullopt;
  return id;
}

std::optional<DraggedSource> sourceFrom(const QMimeData& data) {
  if (!data.hasFormat(QLatin1String(kSource))) return std::nullopt;
  const QJsonObject payload = QJsonDocument::fromJson(data.data(QLatin1String(kSource))).object();
  const QString path = payload.value(kPathKey).toString();
  const auto role = roleFromName(payload.value(kRoleKey).toString());
  if (path.isEmpty() || !role) return std::nullopt;
  return DraggedSource{path, *role};
}

} // namespace mg::ui::mime
