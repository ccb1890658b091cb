// What the map view and the CLI rely on from core/embed's geometry: cosine and Task2Vec distances behave as
// documented, average-linkage clustering groups and orders a known configuration, and PCA, classical MDS
// and t-SNE of three well separated Gaussian clusters keep every point's 2-D neighbours in its own cluster,
// the same for the same seed.
#include "support/test_registry.h"
#include <QtTest>

#include <cmath>
#include <random>

#include "embed/clustering.h"
#include "embed/embedding_map.h"
#include "embed/projection.h"
#include "embed/similarity.h"

using namespace mg;
using embed::Point2;

namespace {

// 3 clusters of `perCluster` points in 20 dimensions: centres 10 apart along different axes, unit noise.
std::vector<std::vector<float>> threeClusters(int perCluster, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  std::vector<std::vector<float>> points;
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < perCluster; ++i) {
      std::vector<float> v(20);
      for (auto& x : v)
        x = noise(rng);
      v[std::size_t(c)] += 10.0f;
      points.push_back(v);
    }
  return points;
}

embed::Matrix euclidean(const std::vector<std::vector<float>>& points) {
  embed::Matrix d(points.size(), std::vector<double>(points.size(), 0.0));
  for (std::size_t i = 0; i < points.size(); ++i)
    for (std::size_t j = 0; j < points.size(); ++j) {
      double s = 0;
      for (std::size_t k = 0; k < points[i].size(); ++k)
        s += double(points[i][k] - points[j][k]) * double(points[i][k] - points[j][k]);
      d[i][j] = std::sqrt(s);
    }
  return d;
}

// Every point's k nearest neighbours in the picture belong to its own cluster (perCluster points each).
bool neighboursStayInCluster(const std::vector<Point2>& points, int perCluster, int k) {
  for (std::size_t i = 0; i < points.size(); ++i) {
    std::vector<std::pair<double, std::size_t>> byDistance;
    for (std::size_t j = 0; j < points.size(); ++j)
      if (j != i) byDistance.push_back({std::hypot(points[i].x - points[j].x, points[i].y - points[j].y), j});
    std::sort(byDistance.begin(), byDistance.end());
    for (int n = 0; n < k; ++n)
      if (int(byDistance[std::size_t(n)].second) / perCluster != int(i) / perCluster) {
        qWarning("point %zu: neighbour %zu is in another cluster", i, byDistance[std::size_t(n)].second);
        return false;
      }
  }
  return true;
}

bool samePoints(const std::vector<Point2>& a, const std::vector<Point2>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].x != b[i].x || a[i].y != b[i].y) return false;
  return true;
}

} // namespace

class EmbeddingGeometryTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void cosineSimilarityIsScaleFreeAndSigned() {
    QCOMPARE(embed::cosineSimilarity({1, 2, 3}, {2, 4, 6}), 1.0);
    QCOMPARE(embed::cosineSimilarity({1, 0}, {0, 3}), 0.0);
    QCOMPARE(embed::cosineSimilarity({1, 2}, {-1, -2}), -1.0);
    QCOMPARE(embed::cosineSimilarity({0, 0}, {1, 2}), 0.0); // a zero vector is like nothing
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, embed::cosineSimilarity({1, 2}, {1, 2, 3}));
  }

  void task2vecDistanceComparesNormalizedFishers() {
    // Identical Fishers: 0. Fishers on disjoint units: as far as it gets (cos of (1,0) and (0,1) = 0).
    QCOMPARE(embed::task2vecDistance({1, 2, 3}, {1, 2, 3}), 0.0);
    QVERIFY(std::abs(embed::task2vecDistance({1, 0}, {0, 1}) - 1.0) < 1e-12);
    // Scaling one Fisher moves it (unlike cosine): the normalization is by the pair's sum.
    QVERIFY(embed::task2vecDistance({1, 1}, {2, 2}) < 1e-12); // uniform scale: Fa/(Fa+Fb) is constant
    const double near = embed::task2vecDistance({1, 1, 0.1f}, {1, 1.2f, 0.1f});
    const double far = embed::task2vecDistance({1, 1, 0.1f}, {0.1f, 1, 1});
    QVERIFY2(near < far, qPrintable(QString("%1 vs %2").arg(near).arg(far)));
    // Asymmetric: d(a→b) = d(a,b) − α d(a, trivial), so a task far from the trivial one is a closer source.
    const std::vector<float> trivial{1, 1, 1};
    const std::vector<std::vector<float>> fishers{{1, 1, 1}, {5, 0.1f, 0.1f}};
    const auto asym = embed::task2vecAsymmetricMatrix(fishers, trivial, 0.5);
    const double dab = embed::task2vecDistance(fishers[0], fishers[1]);
    QCOMPARE(asym[0][1], dab);                                                      // a is trivial
    QCOMPARE(asym[1][0], dab - 0.5 * embed::task2vecDistance(fishers[1], trivial)); // b is not
    QVERIFY(asym[1][0] < asym[0][1]);
  }

  void averageLinkageGroupsAndOrdersAKnownConfiguration() {
    // Points on a line: {0, 1} and {10, 11.5} and a far 30; listed out of order.
    const std::vector<double> x{10, 0, 30, 1, 11.5};
    embed::Matrix d(5, std::vector<double>(5));
    for (int i = 0; i < 5; ++i)
      for (int j = 0; j < 5; ++j)
        d[i][j] = std::abs(x[i] - x[j]);
    const auto tree = embed::averageLinkage(d);
    QCOMPARE(tree.merges.size(), std::size_t(4));
    QCOMPARE(tree.merges[0].a, 1); // 0 and 1 first (distance 1)
    QCOMPARE(tree.merges[0].b, 3);
    QCOMPARE(tree.merges[0].height, 1.0);
    QCOMPARE(tree.merges[1].a, 0); // then 10 and 11.5
    QCOMPARE(tree.merges[1].b, 4);
    // {0,1} with {10,11.5}: the average of 10, 11.5, 9, 10.5.
    QCOMPARE(tree.merges[2].height, (10 + 11.5 + 9 + 10.5) / 4);
    QCOMPARE(tree.merges[2].size, 4);
    for (std::size_t k = 1; k < tree.merges.size(); ++k)
      QVERIFY(tree.merges[k].height >= tree.merges[k - 1].height);
    // Leaf order keeps clusters together (the lower-numbered child first: the outlier 2, then {1,3}, {0,4}).
    QCOMPARE(tree.order, (std::vector<int>{2, 1, 3, 0, 4}));
    QCOMPARE(embed::cutTree(tree, 5, 3), (std::vector<int>{0, 1, 2, 1, 0}));
    QCOMPARE(embed::cutTree(tree, 5, 1), (std::vector<int>{0, 0, 0, 0, 0}));
    QCOMPARE(embed::cutTree(tree, 5, 5), (std::vector<int>{0, 1, 2, 3, 4}));
    // Heights 1, 1.5, 10.25, 24.375: the largest jump is before merging the outlier, so the cut leaves 2
    // clusters ({0, 1, 10, 11.5} and 30).
    QCOMPARE(embed::clusterCountAtLargestGap(tree, 5), 2);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, embed::averageLinkage({{0, 1}, {1}}));
  }

  void nearestNeighboursSkipThemselves() {
    const embed::Matrix d{{0, 3, 1}, {3, 0, 2}, {1, 2, 0}};
    QCOMPARE(embed::nearestNeighbours(d), (std::vector<int>{2, 2, 0}));
    QCOMPARE(embed::nearestNeighbours({{0}}), (std::vector<int>{-1}));
  }

  void projectionsRecoverThreeSeparatedClusters() {
    const int per = 10;
    const auto points = threeClusters(per, 1);
    const auto distance = euclidean(points);
    QVERIFY(neighboursStayInCluster(embed::pcaProjection(points), per, per - 1));
    QVERIFY(neighboursStayInCluster(embed::mdsProjection(distance), per, per - 1));
    embed::TsneOptions tsne;
    tsne.seed = 3;
    QVERIFY(neighboursStayInCluster(embed::tsneProjection(distance, tsne), per, per - 1));
  }

  void mdsOfEuclideanDistancesIsPcaUpToReflection() {
    const auto points = threeClusters(5, 2);
    const auto pca = embed::pcaProjection(points), mds = embed::mdsProjection(euclidean(points));
    for (std::size_t i = 0; i < pca.size(); ++i) {
      QVERIFY(std::abs(std::abs(pca[i].x) - std::abs(mds[i].x)) < 1e-3);
      QVERIFY(std::abs(std::abs(pca[i].y) - std::abs(mds[i].y)) < 1e-3);
    }
  }

  void projectionsAreDeterministicWithASeed() {
    const auto points = threeClusters(8, 4);
    const auto distance = euclidean(points);
    QVERIFY(samePoints(embed::pcaProjection(points), embed::pcaProjection(points)));
    QVERIFY(samePoints(embed::mdsProjection(distance), embed::mdsProjection(distance)));
    embed::TsneOptions a, b;
    a.seed = b.seed = 11;
    QVERIFY(samePoints(embed::tsneProjection(distance, a), embed::tsneProjection(distance, b)));
    b.seed = 12;
    QVERIFY(!samePoints(embed::tsneProjection(distance, a), embed::tsneProjection(distance, b)));
  }

  void aMapHoldsEverythingAViewDraws() {
    const int per = 6;
    auto points = threeClusters(per, 5);
    std::vector<std::string> names;
    for (std::size_t i = 0; i < points.size(); ++i)
      names.push_back("p" + std::to_string(i));
    embed::MapOptions options;
    options.projection = embed::Projection::Tsne;
    const auto map = embed::makeEmbeddingMap(embed::EmbeddingKind::Parameter, names, points, options);
    QCOMPARE(map.metric, std::string("cosine"));
    QCOMPARE(map.size(), points.size());
    QCOMPARE(map.clusterCount, 3);
    for (std::size_t i = 0; i < points.size(); ++i) {
      QCOMPARE(map.clusters[i], map.clusters[i / per * per]); // one label per cluster
      QCOMPARE(map.nearest[i] / per, int(i) / per);
      QCOMPARE(map.similarity[i][i], 1.0);
      QCOMPARE(map.distance[i][i], 0.0);
    }
    for (const char* projection : {"pca", "mds", "tsne"}) {
      QCOMPARE(map.coordinates.at(projection).size(), points.size());
      QVERIFY2(neighboursStayInCluster(map.coordinates.at(projection), per, per - 1), projection);
    }
    QVERIFY(samePoints(map.shown(), map.coordinates.at("tsne")));
    QCOMPARE(embed::nearestNeighbourLines(map).size(), points.size());
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             embed::makeEmbeddingMap(embed::EmbeddingKind::Data, {"a"}, points, options));
  }

  void smallMapsWork() {
    const auto one = embed::makeEmbeddingMap(embed::EmbeddingKind::Data, {"a"}, {{1, 2}});
    QCOMPARE(one.clusterCount, 1);
    QCOMPARE(one.nearest, std::vector<int>{-1});
    QCOMPARE(one.coordinates.at("tsne").size(), std::size_t(1));
    const auto two =
        embed::makeEmbeddingMap(embed::EmbeddingKind::Fisher, {"a", "b"}, {{1, 2}, {2, 1}}, {}, {1, 1});
    QCOMPARE(two.metric, std::string("task2vec"));
    QCOMPARE(two.asymmetric.size(), std::size_t(2));
    QCOMPARE(two.nearest, (std::vector<int>{1, 0}));
  }
};

MG_TEST_GUILESS_MAIN(EmbeddingGeometryTest)
#include "test_embedding_geometry.moc"
