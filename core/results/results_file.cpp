// The results file (layout in results_file.h): the model groups (results/score_groups.cpp) and the groups of
// matrices, embedding maps and scatters, through io's small-record HDF5 helpers.
#include "results/results_file.h"

#include <filesystem>
#include <set>

#include "embed/embedding_map.h"
#include "results/score_groups.h"
#include "io/hdf5_records.h"
#include "io/io_error.h"

namespace mg::results {

using engine::EmbeddingsValue;
using engine::MatrixValue;
using engine::ScatterValue;

namespace h5 = io::h5;

namespace {

using Dims = std::vector<std::uint64_t>;

std::vector<std::uint64_t> nodeIds(const std::vector<graph::NodeId>& nodes) {
  return {nodes.begin(), nodes.end()};
}

// A list of lists as one flat list and each one's length (skills of a point, nodes of a scatter point).
template <typename T>
void writeNested(hid_t group, const char* values, const char* counts,
                 const std::vector<std::vector<T>>& nested, const std::string& file,
                 const std::string& where) {
  std::vector<T> flat;
  std::vector<std::int64_t> lengths;
  for (const auto& inner : nested) {
    flat.insert(flat.end(), inner.begin(), inner.end());
    lengths.push_back(std::int64_t(inner.size()));
  }
  if constexpr (std::is_same_v<T, std::string>)
    h5::writeStrings(group, values, flat, file, where);
  else
    h5::writeArray(group, values, flat, {flat.size()}, file, where);
  h5::writeArray(group, counts, lengths, {lengths.size()}, file, where);
}

template <typename T>
std::vector<std::vector<T>> splitNested(const std::vector<T>& flat, const std::vector<std::int64_t>& lengths,
                                        std::size_t expected, const std::string& file,
                                        const std::string& where) {
  std::int64_t total = 0;
  for (const auto length : lengths) {
    if (length < 0) throw io::IoError(file, where + ": a negative count");
    total += length;
  }
  if (lengths.size() != expected || std::size_t(total) != flat.size())
    throw io::IoError(file, where + ": the counts do not add up to the values listed");
  std::vector<std::vector<T>> nested;
  auto next = flat.begin();
  for (const auto length : lengths) {
    nested.emplace_back(next, next + length);
    next += length;
  }
  return nested;
}

void writeMatrix(hid_t group, const MatrixValue& matrix, const std::string& file, const std::string& where) {
  h5::writeStringAttribute(group, "kind", matrix.kind, file);
  h5::writeStringAttribute(group, "title", matrix.title, file);
  h5::writeStringAttribute(group, "note", matrix.note, file);
  h5::writeNumber<std::uint64_t>(group, "node", matrix.producer, file);
  h5::writeStrings(group, "rows", matrix.rows, file, where);
  h5::writeStrings(group, "columns", matrix.columns, file, where);
  h5::writeArray(group, "row_nodes", nodeIds(matrix.rowNodes), {matrix.rowNodes.size()}, file, where);
  if (matrix.values.size() != matrix.rows.size())
    throw io::IoError(file, where + ": " + std::to_string(matrix.values.size()) + " rows of values for " +
                                std::to_string(matrix.rows.size()) + " row names");
  std::vector<double> flat;
  for (const auto& row : matrix.values) {
    if (row.size() != matrix.columns.size())
      throw io::IoError(file, where + ": a row of values is not as long as the columns");
    flat.insert(flat.end(), row.begin(), row.end());
  }
  h5::writeArray(group, "values", flat, {matrix.rows.size(), matrix.columns.size()}, file, where);
}

MatrixValue readMatrix(const h5::RecordReader& read, hid_t group, const std::string& where) {
  MatrixValue matrix;
  matrix.kind = read.text(group, "kind", where);
  matrix.title = read.text(group, "title", where);
  matrix.note = read.text(group, "note", where);
  matrix.rows = read.strings(group, "rows", where);
  matrix.columns = read.strings(group, "columns", where);
  const auto rowNodes = read.list<std::uint64_t>(group, "row_nodes", where);
  matrix.rowNodes.assign(rowNodes.begin(), rowNodes.end());
  Dims dims;
  const auto flat = read.array<double>(group, "values", 2, dims, where);
  if (dims[0] != matrix.rows.size() || dims[1] != matrix.columns.size())
    throw io::IoError(read.file, where + ": 'values' is not rows x columns");
  for (std::size_t i = 0; i < matrix.rows.size(); ++i)
    matrix.values.emplace_back(flat.begin() + i * dims[1], flat.begin() + (i + 1) * dims[1]);
  return matrix;
}

void writeEmbeddings(hid_t group, const EmbeddingsValue& value, const std::string& file,
                     const std::string& where) {
  if (!value.map) throw io::IoError(file, where + " has no map");
  const auto& map = *value.map;
  h5::writeStringAttribute(group, "source", value.source, file);
  h5::writeNumber<std::uint64_t>(group, "node", value.producer, file);
  h5::writeStringAttribute(group, "kind", embed::kindName(map.kind), file);
  h5::writeStringAttribute(group, "projection", embed::projectionName(map.projection), file);
  h5::writeNumber<std::uint64_t>(group, "seed", map.seed, file);
  h5::writeNumber<double>(group, "alpha", map.alpha, file);
  h5::writeStrings(group, "names", map.names, file, where);
  const std::size_t length = map.vectors.empty() ? 0 : map.vectors.front().size();
  std::vector<float> flat;
  for (const auto& vector : map.vectors) {
    if (vector.size() != length) throw io::IoError(file, where + ": vectors of different lengths");
    flat.insert(flat.end(), vector.begin(), vector.end());
  }
  h5::writeArray(group, "vectors", flat, {map.vectors.size(), length}, file, where);
  writeNested(group, "skills", "skill_counts", map.skills, file, where);
  h5::writeArray(group, "trivial", map.trivial, {map.trivial.size()}, file, where);
  h5::writeArray(group, "nodes", nodeIds(value.nodes), {value.nodes.size()}, file, where);
}

EmbeddingsValue readEmbeddings(const h5::RecordReader& read, hid_t group, const std::string& where) {
  EmbeddingsValue value;
  value.source = read.text(group, "source", where);
  const auto kindText = read.text(group, "kind", where);
  const auto kind = embed::parseKind(kindText);
  if (!kind) throw io::IoError(read.file, where + ": unknown embedding kind '" + kindText + "'");
  const auto projectionText = read.text(group, "projection", where);
  const auto projection = embed::parseProjection(projectionText);
  if (!projection) throw io::IoError(read.file, where + ": unknown projection '" + projectionText + "'");
  embed::MapOptions options;
  options.projection = *projection;
  options.seed = read.number<std::uint64_t>(group, "seed", where);
  options.alpha = read.number<double>(group, "alpha", where);
  auto names = read.strings(group, "names", where);
  Dims dims;
  const auto flat = read.array<float>(group, "vectors", 2, dims, where);
  if (dims[0] != names.size()) throw io::IoError(read.file, where + ": 'vectors' has a row per name");
  std::vector<std::vector<float>> vectors;
  for (std::size_t i = 0; i < names.size(); ++i)
    vectors.emplace_back(flat.begin() + i * dims[1], flat.begin() + (i + 1) * dims[1]);
  auto skills =
      splitNested(read.strings(group, "skills", where), read.list<std::int64_t>(group, "skill_counts", where),
                  names.size(), read.file, where + " skills");
  auto trivial = read.list<float>(group, "trivial", where);
  const auto nodes = read.list<std::uint64_t>(group, "nodes", where);
  value.nodes.assign(nodes.begin(), nodes.end());
  try {
    auto map =
        embed::makeEmbeddingMap(*kind, std::move(names), std::move(vectors), options, std::move(trivial));
    map.skills = std::move(skills);
    value.map = std::make_shared<const embed::EmbeddingMap>(std::move(map));
  } catch (const std::exception& error) {
    throw io::IoError(read.file, where + ": " + error.what());
  }
  return value;
}

void writeScatter(hid_t group, const ScatterValue& scatter, const std::string& file,
                  const std::string& where) {
  h5::writeStringAttribute(group, "kind", scatter.kind, file);
  h5::writeStringAttribute(group, "title", scatter.title, file);
  h5::writeStringAttribute(group, "note", scatter.note, file);
  h5::writeStringAttribute(group, "x_label", scatter.xLabel, file);
  h5::writeStringAttribute(group, "y_label", scatter.yLabel, file);
  h5::writeNumber<std::uint64_t>(group, "node", scatter.producer, file);
  std::vector<std::string> labels;
  std::vector<double> x, y;
  std::vector<std::vector<std::uint64_t>> nodes;
  for (const auto& point : scatter.points) {
    labels.push_back(point.label);
    x.push_back(point.x);
    y.push_back(point.y);
    nodes.push_back(nodeIds(point.nodes));
  }
  h5::writeStrings(group, "labels", labels, file, where);
  h5::writeArray(group, "x", x, {x.size()}, file, where);
  h5::writeArray(group, "y", y, {y.size()}, file, where);
  writeNested(group, "nodes", "node_counts", nodes, file, where);
}

ScatterValue readScatter(const h5::RecordReader& read, hid_t group, const std::string& where) {
  ScatterValue scatter;
  scatter.kind = read.text(group, "kind", where);
  scatter.title = read.text(group, "title", where);
  scatter.note = read.text(group, "note", where);
  scatter.xLabel = read.text(group, "x_label", where);
  scatter.yLabel = read.text(group, "y_label", where);
  const auto labels = read.strings(group, "labels", where);
  const auto x = read.list<double>(group, "x", where);
  const auto y = read.list<double>(group, "y", where);
  if (x.size() != labels.size() || y.size() != labels.size())
    throw io::IoError(read.file, where + ": 'x' and 'y' need one value per label");
  const auto nodes = splitNested(read.list<std::uint64_t>(group, "nodes", where),
                                 read.list<std::int64_t>(group, "node_counts", where), labels.size(),
                                 read.file, where + " nodes");
  for (std::size_t i = 0; i < labels.size(); ++i)
    scatter.points.push_back({labels[i], x[i], y[i], {nodes[i].begin(), nodes[i].end()}});
  return scatter;
}

// One group "<name>/<index>" per value, in order.
template <typename T, typename Write>
void writeList(hid_t root, hid_t ordered, const char* name, const char* what, const std::vector<T>& values,
               const std::string& file, Write write) {
  const auto list = h5::createGroup(root, name, ordered, file, name);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string where = std::string(what) + " " + std::to_string(i);
    const auto group = h5::createGroup(list.get(), std::to_string(i), H5P_DEFAULT, file, where);
    write(group.get(), values[i], file, where);
  }
}

template <typename T, typename Read>
std::vector<T> readList(const h5::RecordReader& read, hid_t root, const char* name, const char* what,
                        Read readOne) {
  std::vector<T> values;
  if (!h5::hasLink(root, name)) return values; // a version 1 file, or one written before this list existed
  const auto list = h5::openGroup(root, name, read.file, name);
  const auto count = h5::childNames(list.get(), read.file, name).size();
  for (std::size_t i = 0; i < count; ++i) {
    const std::string where = std::string(what) + " " + std::to_string(i);
    const auto group = h5::openGroup(list.get(), std::to_string(i), read.file, where);
    values.push_back(readOne(read, group.get(), where));
  }
  return values;
}

// A version 3 file names the node that made each matrix, map and scatter; older ones leave it 0.
template <typename Read> auto withProducer(Read readOne, std::int64_t version) {
  return [readOne, version](const h5::RecordReader& read, hid_t group, const std::string& where) {
    auto value = readOne(read, group, where);
    if (version >= 3) value.producer = read.number<std::uint64_t>(group, "node", where);
    return value;
  };
}

// `saved` without what `fresh` replaces, then `fresh`. A saved value is replaced when a fresh one comes from
// the same node, whatever its title has become; one saved without its node (producer 0, an older file)
// when a fresh one has the same `titleKey`.
template <typename T, typename TitleKey>
void replaceByProducer(std::vector<T>& saved, const std::vector<T>& fresh, TitleKey titleKey) {
  std::set<graph::NodeId> producers;
  std::set<std::string> titles;
  for (const auto& value : fresh) {
    if (value.producer != 0) producers.insert(value.producer);
    titles.insert(titleKey(value));
  }
  std::vector<T> merged;
  for (auto& value : saved) {
    const bool replaced =
        value.producer != 0 ? producers.count(value.producer) > 0 : titles.count(titleKey(value)) > 0;
    if (!replaced) merged.push_back(std::move(value));
  }
  merged.insert(merged.end(), fresh.begin(), fresh.end());
  saved = std::move(merged);
}

} // namespace

std::string resultsFileFor(const std::string& projectPath) {
  std::filesystem::path path(projectPath);
  if (path.extension() == ".mgproj") path.replace_extension();
  return path.string() + ".scores.h5";
}

void writeResultsFile(const std::string& path, const RunResults& run) {
  h5::writeVersionedFile(path, kResultsFormat, kResultsVersion, [&](hid_t root, hid_t ordered) {
    writeModelGroups(root, ordered, run.scores, path);
    writeList(root, ordered, "matrices", "matrix", run.matrices, path, writeMatrix);
    writeList(root, ordered, "embeddings", "embedding map", run.embeddings, path, writeEmbeddings);
    writeList(root, ordered, "scatters", "scatter", run.scatters, path, writeScatter);
  });
}

RunResults readResultsFile(const std::string& path) {
  h5::Lock lock;
  std::int64_t version = 0;
  const auto file = h5::openVersionedFile(path, kResultsFormat, "results file", kResultsVersion, version);
  const h5::RecordReader read{path};
  RunResults run;
  run.scores = readModelGroups(file.get(), path);
  run.matrices =
      readList<MatrixValue>(read, file.get(), "matrices", "matrix", withProducer(readMatrix, version));
  run.embeddings = readList<EmbeddingsValue>(read, file.get(), "embeddings", "embedding map",
                                             withProducer(readEmbeddings, version));
  run.scatters =
      readList<ScatterValue>(read, file.get(), "scatters", "scatter", withProducer(readScatter, version));
  return run;
}

RunResults mergeRuns(RunResults saved, const RunResults& fresh) {
  saved.scores = eval::mergeScores(std::move(saved.scores), fresh.scores);
  const auto kindAndTitle = [](const auto& value) { return value.kind + '\n' + value.title; };
  replaceByProducer(saved.matrices, fresh.matrices, kindAndTitle);
  replaceByProducer(saved.scatters, fresh.scatters, kindAndTitle);
  replaceByProducer(saved.embeddings, fresh.embeddings,
                    [](const EmbeddingsValue& value) { return value.source; });
  return saved;
}

} // namespace mg::results
