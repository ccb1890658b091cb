#include "charts/map_points.h"

#include "readable_numbers.h"

#include "qt_text.h"

#include <QObject>

#include <algorithm>
#include <numeric>

namespace mg::ui {

namespace {

QString skillsText(const std::vector<std::string>& skills) {
  QStringList parts;
  for (const auto& skill : skills)
    parts << qs(skill);
  return parts.join(QLatin1Char('+'));
}

} // namespace

MapGroups mapGroups(const embed::EmbeddingMap& map, MapColouring colouring) {
  MapGroups groups;
  for (std::size_t i = 0; i < map.size(); ++i) {
    QString name;
    if (colouring == MapColouring::Cluster) {
      const int cluster = i < map.clusters.size() ? map.clusters[i] : 0;
      name = QObject::tr("cluster %1").arg(cluster + 1);
    } else {
      const QString skills = i < map.skills.size() ? skillsText(map.skills[i]) : QString();
      name = skills.isEmpty() ? QObject::tr("no skill") : skills;
    }
    int group = int(groups.names.indexOf(name));
    if (group < 0) {
      group = int(groups.names.size());
      groups.names << name;
    }
    groups.groupOf.push_back(group);
  }
  return groups;
}

QString mapPointText(const embed::EmbeddingMap& map, int point, int neighbours) {
  if (point < 0 || std::size_t(point) >= map.size()) return {};
  const std::size_t p = std::size_t(point);
  QString text = qs(map.names[p]);
  QStringList about;
  if (p < map.clusters.size()) about << QObject::tr("cluster %1").arg(map.clusters[p] + 1);
  if (p < map.skills.size() && !map.skills[p].empty())
    about << QObject::tr("skills %1").arg(skillsText(map.skills[p]));
  if (!about.isEmpty()) text += QStringLiteral(" — ") + about.join(QStringLiteral(", "));

  std::vector<std::size_t> others;
  for (std::size_t j = 0; j < map.size(); ++j)
    if (j != p) others.push_back(j);
  const auto& similarity = map.similarity[p];
  std::stable_sort(others.begin(), others.end(),
                   [&](std::size_t a, std::size_t b) { return similarity[a] > similarity[b]; });
  QStringList nearest;
  for (std::size_t k = 0; k < others.size() && int(k) < neighbours; ++k)
    nearest << QStringLiteral("%1 %2").arg(qs(map.names[others[k]]), decimalText(similarity[others[k]], 2));
  if (!nearest.isEmpty())
    text += QLatin1Char('\n') + QObject::tr("nearest: %1").arg(nearest.join(listSeparator()));
  return text;
}

engine::MatrixValue similarityInClusterOrder(const engine::EmbeddingsValue& value) {
  engine::MatrixValue matrix;
  matrix.kind = "similarity";
  if (!value.map) return matrix;
  const auto& map = *value.map;
  std::vector<int> order = map.dendrogram.order;
  if (order.size() != map.size()) { // no tree (a single point): point order
    order.resize(map.size());
    std::iota(order.begin(), order.end(), 0);
  }
  const bool task2vec = map.metric == "task2vec";
  matrix.title = (task2vec ? QObject::tr("Similarity (1 − Task2Vec distance), in clustering order")
                           : QObject::tr("Cosine similarity, in clustering order"))
                     .toStdString();
  matrix.note =
      QObject::tr("Rows and columns follow the average-linkage clustering, so that close points sit "
                  "together; 1 is identical")
          .toStdString();
  for (const int i : order) {
    matrix.rows.push_back(map.names[std::size_t(i)]);
    matrix.rowNodes.push_back(std::size_t(i) < value.nodes.size() ? value.nodes[std::size_t(i)] : 0);
    std::vector<double> row;
    for (const int j : order)
      row.push_back(map.similarity[std::size_t(i)][std::size_t(j)]);
    matrix.values.push_back(std::move(row));
  }
  matrix.columns = matrix.rows;
  return matrix;
}

QString kindTitle(embed::EmbeddingKind kind) {
  switch (kind) {
  case embed::EmbeddingKind::Parameter: return QObject::tr("Parameters (task vectors)");
  case embed::EmbeddingKind::Fisher: return QObject::tr("Fisher (Task2Vec)");
  case embed::EmbeddingKind::Data: return QObject::tr("Data (mean features)");
  }
  return {};
}

QString projectionTitle(const std::string& projection) {
  if (projection == "pca") return QObject::tr("PCA");
  if (projection == "mds") return QObject::tr("MDS");
  if (projection == "tsne") return QObject::tr("t-SNE");
  return qs(projection);
}

} // namespace mg::ui
