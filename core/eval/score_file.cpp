// Saved evaluation results in HDF5 (layout in score_file.h). Every HDF5 call runs under io's global HDF5
// lock; the file is written to a temporary beside the destination and renamed once HDF5 has closed it.
#include "eval/score_file.h"

#include <filesystem>
#include <map>
#include <set>

#include "io/atomic_file.h"
#include "io/hdf5_util.h"
#include "io/io_error.h"

namespace mg::eval {

namespace h5 = io::h5;

namespace {

constexpr const char* kFormat = "merganser-scores";
constexpr std::int64_t kVersion = 1;

// Group names cannot hold '/' and "." means the group itself: such characters are escaped (the exact name
// is kept in the group's "task" attribute as well).
std::string groupName(const std::string& task) {
  std::string out;
  for (const char c : task) {
    if (c == '/' || c == '%')
      out += c == '/' ? "%2F" : "%25";
    else
      out += c;
  }
  if (out.empty() || out == "." || out == "..") out = "%2E" + out;
  return out;
}

template <typename T> hid_t nativeType();
template <> hid_t nativeType<std::int64_t>() {
  return H5T_NATIVE_INT64;
}
template <> hid_t nativeType<std::uint64_t>() {
  return H5T_NATIVE_UINT64;
}
template <> hid_t nativeType<double>() {
  return H5T_NATIVE_DOUBLE;
}

template <typename T> void writeNumber(hid_t object, const char* name, T value, const std::string& file) {
  h5::Handle space(h5::check(H5Screate(H5S_SCALAR), file, "cannot create a dataspace"));
  const hid_t stored = std::is_same_v<T, double>          ? H5T_IEEE_F64LE
                       : std::is_same_v<T, std::uint64_t> ? H5T_STD_U64LE
                                                          : H5T_STD_I64LE;
  h5::Handle attr(h5::check(H5Acreate2(object, name, stored, space.get(), H5P_DEFAULT, H5P_DEFAULT), file,
                            std::string("cannot create attribute '") + name + "'"));
  if (H5Awrite(attr.get(), nativeType<T>(), &value) < 0)
    h5::fail(file, std::string("cannot write attribute '") + name + "'");
}

// Where in the file a problem is ("group 2/task 'rot90'"), for messages.
struct Reader {
  std::string file;

  h5::Handle openAttribute(hid_t object, const char* name, const std::string& where) const {
    if (H5Aexists(object, name) <= 0) throw io::IoError(file, where + " has no attribute '" + name + "'");
    return h5::Handle(h5::check(H5Aopen(object, name, H5P_DEFAULT), file,
                                where + ": cannot open attribute '" + name + "'"));
  }

  template <typename T> T number(hid_t object, const char* name, const std::string& where) const {
    const auto attr = openAttribute(object, name, where);
    h5::Handle type(h5::check(H5Aget_type(attr.get()), file, "cannot read an attribute's type"));
    h5::Handle space(h5::check(H5Aget_space(attr.get()), file, "cannot read an attribute's shape"));
    const auto cls = H5Tget_class(type.get());
    const bool fits = cls == H5T_INTEGER || (cls == H5T_FLOAT && std::is_same_v<T, double>);
    if (!fits || H5Sget_simple_extent_npoints(space.get()) != 1)
      throw io::IoError(file, where + ": attribute '" + name + "' is not a number (" +
                                  h5::describeType(type.get()) + ")");
    T value{};
    if (H5Aread(attr.get(), nativeType<T>(), &value) < 0)
      h5::fail(file, where + ": cannot read attribute '" + name + "'");
    return value;
  }

  std::string text(hid_t object, const char* name, const std::string& where) const {
    const auto attr = openAttribute(object, name, where);
    const auto value = h5::readStringAttribute(attr.get(), file);
    if (!value) throw io::IoError(file, where + ": attribute '" + name + "' is not a string");
    return *value;
  }

  std::vector<std::vector<std::int64_t>> confusion(hid_t group, const std::string& where) const {
    if (H5Lexists(group, "confusion", H5P_DEFAULT) <= 0)
      throw io::IoError(file, where + " has no dataset 'confusion'");
    h5::Handle dataset(h5::check(H5Dopen2(group, "confusion", H5P_DEFAULT), file,
                                 where + ": cannot open dataset 'confusion'"));
    h5::Handle type(h5::check(H5Dget_type(dataset.get()), file, "cannot read a dataset's type"));
    h5::Handle space(h5::check(H5Dget_space(dataset.get()), file, "cannot read a dataset's shape"));
    hsize_t dims[2] = {0, 0};
    if (H5Tget_class(type.get()) != H5T_INTEGER || H5Sget_simple_extent_ndims(space.get()) != 2 ||
        H5Sget_simple_extent_dims(space.get(), dims, nullptr) != 2 || dims[0] != dims[1] || dims[0] > 65536)
      throw io::IoError(file, where + ": 'confusion' must be a square integer matrix");
    const auto classes = static_cast<std::size_t>(dims[0]);
    std::vector<std::int64_t> flat(classes * classes);
    if (!flat.empty() &&
        H5Dread(dataset.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, flat.data()) < 0)
      h5::fail(file, where + ": cannot read 'confusion'");
    std::vector<std::vector<std::int64_t>> out(classes);
    for (std::size_t i = 0; i < classes; ++i)
      out[i].assign(flat.begin() + i * classes, flat.begin() + (i + 1) * classes);
    return out;
  }
};

herr_t collectName(hid_t, const char* name, const H5L_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->push_back(name);
  return 0;
}

// The links of a group in the order they were made (as written), or by name when the writer did not track
// creation order.
std::vector<std::string> childNames(hid_t group, const std::string& file, const std::string& where) {
  std::vector<std::string> names;
  if (H5Literate(group, H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, collectName, &names) < 0) {
    H5Eclear2(H5E_DEFAULT);
    names.clear();
    if (H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, nullptr, collectName, &names) < 0)
      h5::fail(file, where + ": cannot list its groups");
  }
  return names;
}

void writeTask(hid_t modelGroup, const TaskScore& score, hid_t groupProperties, const std::string& file,
               const std::string& where) {
  const auto name = groupName(score.task);
  if (H5Lexists(modelGroup, name.c_str(), H5P_DEFAULT) > 0)
    throw io::IoError(file, where + " lists task '" + score.task + "' twice");
  h5::Handle group(h5::check(H5Gcreate2(modelGroup, name.c_str(), H5P_DEFAULT, groupProperties, H5P_DEFAULT),
                             file, where + ": cannot create the group of task '" + score.task + "'"));
  h5::writeStringAttribute(group.get(), "task", score.task, file);
  writeNumber<std::int64_t>(group.get(), "examples", score.examples, file);
  writeNumber<double>(group.get(), "accuracy", score.accuracy, file);
  writeNumber<double>(group.get(), "loss", score.loss, file);
  const auto classes = score.confusion.size();
  std::vector<std::int64_t> flat;
  flat.reserve(classes * classes);
  for (const auto& row : score.confusion) {
    if (row.size() != classes)
      throw io::IoError(file, where + ": the confusion matrix of task '" + score.task + "' is not square");
    flat.insert(flat.end(), row.begin(), row.end());
  }
  const hsize_t dims[2] = {classes, classes};
  h5::Handle space(h5::check(H5Screate_simple(2, dims, nullptr), file, "cannot create a dataspace"));
  h5::Handle dataset(h5::check(
      H5Dcreate2(group.get(), "confusion", H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
      file, where + ": cannot create the confusion matrix of task '" + score.task + "'"));
  if (!flat.empty() &&
      H5Dwrite(dataset.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, flat.data()) < 0)
    h5::fail(file, where + ": cannot write the confusion matrix of task '" + score.task + "'");
}

} // namespace

std::string scoreFileFor(const std::string& projectPath) {
  std::filesystem::path path(projectPath);
  if (path.extension() == ".mgproj") path.replace_extension();
  return path.string() + ".scores.h5";
}

void writeScoreFile(const std::string& path, const std::vector<ModelScores>& results) {
  io::AtomicFile atomic(path); // removes the temporary unless committed
  {
    h5::Lock lock;
    h5::Handle fileId(
        h5::check(H5Fcreate(atomic.temporaryPath().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), path,
                  "cannot create the HDF5 file"));
    // Groups remember the order their children were made in: tasks read back in the order they were scored.
    h5::Handle ordered(h5::check(H5Pcreate(H5P_GROUP_CREATE), path, "cannot create group properties"));
    H5Pset_link_creation_order(ordered.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    h5::writeStringAttribute(fileId.get(), "format", kFormat, path);
    writeNumber<std::int64_t>(fileId.get(), "version", kVersion, path);
    for (std::size_t i = 0; i < results.size(); ++i) {
      const auto& model = results[i];
      const std::string where = "model " + std::to_string(i) + " ('" + model.model + "')";
      h5::Handle group(h5::check(
          H5Gcreate2(fileId.get(), std::to_string(i).c_str(), H5P_DEFAULT, ordered.get(), H5P_DEFAULT), path,
          "cannot create the group of " + where));
      h5::writeStringAttribute(group.get(), "model", model.model, path);
      writeNumber<std::uint64_t>(group.get(), "model_node", model.modelNode, path);
      writeNumber<std::uint64_t>(group.get(), "evaluate_node", model.evaluateNode, path);
      h5::writeStringAttribute(group.get(), "parameter", model.parameter, path);
      writeNumber<double>(group.get(), "parameter_value", model.parameterValue, path);
      for (const auto& score : model.scores)
        writeTask(group.get(), score, ordered.get(), path, where);
    }
    const hid_t id = fileId.release();
    if (H5Fclose(id) < 0) h5::fail(path, "cannot finish writing the HDF5 file");
  }
  atomic.commit();
}

std::vector<ModelScores> readScoreFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw io::IoError(path, "no such file");
  const Reader read{path};
  h5::Lock lock;
  if (H5Fis_hdf5(path.c_str()) <= 0) throw io::IoError(path, "not an HDF5 file");
  h5::Handle file(
      h5::check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), path, "cannot open the HDF5 file"));
  const std::string root = "the file";
  if (H5Aexists(file.get(), "format") <= 0 || read.text(file.get(), "format", root) != kFormat)
    throw io::IoError(path, "not a Merganser score file (format is not '" + std::string(kFormat) + "')");
  if (const auto version = read.number<std::int64_t>(file.get(), "version", root); version != kVersion)
    throw io::IoError(path, "score file version " + std::to_string(version) + " is not supported (only " +
                                std::to_string(kVersion) + ")");
  const auto groups = childNames(file.get(), path, root);
  std::vector<ModelScores> results;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const std::string name = std::to_string(i);
    if (H5Lexists(file.get(), name.c_str(), H5P_DEFAULT) <= 0)
      throw io::IoError(path, "group '" + name + "' is missing (models are groups 0.." +
                                  std::to_string(groups.size() - 1) + ")");
    h5::Handle group(
        h5::check(H5Gopen2(file.get(), name.c_str(), H5P_DEFAULT), path, "'" + name + "' is not a group"));
    const std::string where = "model " + name;
    ModelScores model;
    model.model = read.text(group.get(), "model", where);
    model.modelNode = read.number<std::uint64_t>(group.get(), "model_node", where);
    model.evaluateNode = read.number<std::uint64_t>(group.get(), "evaluate_node", where);
    model.parameter = read.text(group.get(), "parameter", where);
    model.parameterValue = read.number<double>(group.get(), "parameter_value", where);
    for (const auto& taskGroup : childNames(group.get(), path, where)) {
      h5::Handle task(h5::check(H5Gopen2(group.get(), taskGroup.c_str(), H5P_DEFAULT), path,
                                where + ": '" + taskGroup + "' is not a task group"));
      const std::string taskWhere = where + " task '" + taskGroup + "'";
      TaskScore score;
      score.task = H5Aexists(task.get(), "task") > 0 ? read.text(task.get(), "task", taskWhere) : taskGroup;
      score.examples = read.number<std::int64_t>(task.get(), "examples", taskWhere);
      score.accuracy = read.number<double>(task.get(), "accuracy", taskWhere);
      score.loss = read.number<double>(task.get(), "loss", taskWhere);
      score.confusion = read.confusion(task.get(), taskWhere);
      if (score.examples < 0 || score.accuracy < 0 || score.accuracy > 1)
        throw io::IoError(path, taskWhere + ": examples or accuracy out of range");
      model.scores.push_back(std::move(score));
    }
    results.push_back(std::move(model));
  }
  return results;
}

std::vector<ModelScores> mergeScores(std::vector<ModelScores> saved, const std::vector<ModelScores>& fresh) {
  std::set<std::uint64_t> replaced;
  for (const auto& entry : fresh)
    replaced.insert(entry.evaluateNode);
  std::vector<ModelScores> merged;
  for (auto& entry : saved)
    if (!replaced.count(entry.evaluateNode)) merged.push_back(std::move(entry));
  merged.insert(merged.end(), fresh.begin(), fresh.end());
  return merged;
}

} // namespace mg::eval
