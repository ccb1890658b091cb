#include "session/saved_groups.h"

#include <QDir>
#include <QRegularExpression>
#include <QStandardPaths>

#include "session/project_session.h"

namespace mg::ui {

QString savedGroupsFolder() {
  return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
      .filePath(QStringLiteral("groups"));
}

QString savedGroupFile(const QString& title) {
  QString name = title.trimmed();
  name.replace(QRegularExpression(QStringLiteral(R"([/\\:*?"<>|\x00-\x1f])")), QStringLiteral("_"));
  if (name.isEmpty() || name.startsWith(QLatin1Char('.'))) name.prepend(QStringLiteral("group"));
  return QDir(savedGroupsFolder()).filePath(name + QLatin1String(kGroupExtension));
}

} // namespace mg::ui
