#pragma once
// Where "Save Group to Library" puts .mggroup files (ProjectSession::saveGroup) and the Library lists them:
// the user's application data folder, groups/.
#include <QString>

namespace mg::ui {

QString savedGroupsFolder();
// A file name for a group's title in that folder: characters a file system refuses become '_'.
QString savedGroupFile(const QString& title);

} // namespace mg::ui
