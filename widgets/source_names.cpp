#include "source_names.h"

#include <QFileInfo>
#include <QRegularExpression>

namespace mg::ui {

namespace {

struct Split {
  QString path;
  QString revision; // empty: not a revision path
};

// At the last '@' after the last '/', when something follows it (a file named "a@b" that exists is shown
// as if it were one: only its name's look is at stake here).
Split split(const QString& text) {
  const qsizetype at = text.lastIndexOf(QLatin1Char('@'));
  if (at <= 0 || at + 1 == text.size() || at < text.lastIndexOf(QLatin1Char('/'))) return {text, {}};
  QString revision = text.mid(at + 1);
  static const QRegularExpression commit(QStringLiteral("^[0-9a-f]{40}$"));
  if (commit.match(revision).hasMatch()) revision.truncate(7);
  return {text.left(at), revision};
}

} // namespace

QString sourceFileName(const QString& path) {
  const Split parts = split(path);
  const QString name = QFileInfo(parts.path).fileName();
  return parts.revision.isEmpty() ? name : name + QLatin1Char('@') + parts.revision;
}

QString sourceTitle(const QString& path, bool isFolder) {
  const Split parts = split(path);
  const QFileInfo info(parts.path);
  const QString name = isFolder || info.suffix().isEmpty() ? info.fileName() : info.completeBaseName();
  return parts.revision.isEmpty() ? name : name + QStringLiteral(" @ ") + parts.revision;
}

} // namespace mg::ui
