// Sizes read from a file are checked before anything is allocated: a crafted file of a kilobyte or so, for
// each format Merganser reads, is refused with a clear error while the process may grow by no more than
// 64 MB of address space. Each parse runs in a forked child under RLIMIT_AS (current size + 64 MB), so an
// allocation the file talked the parser into fails there as std::bad_alloc, which the test sees instead of
// the expected error. The limits themselves: docs/spec/formats.md "Limits".
#include "support/test_registry.h"
#include <QtTest>

#include <hdf5.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "graph/project_file.h"
#include "io/hdf5_checkpoint.h"
#include "io/idx_file.h"
#include "io/peft_adapter.h"
#include "io/safetensors_file.h"
#include "io/safetensors_writer.h"
#include "io/sharded_safetensors.h"
#include "io/strict_json.h"
#include "io/task_file.h"
#include "io/text_task_file.h"
#include "mergekit/config_graph.h"
#include "mergekit/yaml_reader.h"
#include "support/sanitizer_build.h"
#include "support/temp_dir.h"
#include "text/tokenizer.h"

using namespace mg;

namespace {

constexpr std::uint64_t kHeadroom = 64ull << 20;

std::uint64_t addressSpaceBytes() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmSize:", 0) == 0) return std::stoull(line.substr(7)) * 1024;
  return 0;
}

// Runs `parse` in a child limited to its current address space + kHeadroom; returns what happened:
// "ok", "error: <message>" or "bad_alloc", "crash".
QString underMemoryLimit(const std::function<void()>& parse) {
  int fds[2];
  if (::pipe(fds) != 0) return QStringLiteral("no pipe");
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(fds[0]);
    const rlimit limit{addressSpaceBytes() + kHeadroom, addressSpaceBytes() + kHeadroom};
    ::setrlimit(RLIMIT_AS, &limit);
    std::string outcome;
    try {
      parse();
      outcome = "ok";
    } catch (const std::bad_alloc&) {
      outcome = "bad_alloc";
    } catch (const std::exception& e) {
      outcome = std::string("error: ") + e.what();
    }
    (void)!::write(fds[1], outcome.data(), outcome.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string outcome;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;)
    outcome.append(buffer, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  if (!WIFEXITED(status)) return QStringLiteral("crash (signal %1)").arg(WTERMSIG(status));
  return QString::fromStdString(outcome);
}

void writeText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// An HDF5 file whose dataset claims `dims` of float32 but stores nothing (chunked: unwritten chunks take no
// space), the shape of a "zip bomb"; a task file's attributes when `task`.
void writeHollowHdf5(const std::string& path, const std::vector<hsize_t>& dims, bool task) {
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  const hid_t space = H5Screate_simple(int(dims.size()), dims.data(), nullptr);
  const hid_t create = H5Pcreate(H5P_DATASET_CREATE);
  std::vector<hsize_t> chunk(dims.size(), 1);
  H5Pset_chunk(create, int(chunk.size()), chunk.data());
  const hid_t data =
      H5Dcreate2(file, task ? "inputs" : "weight", H5T_IEEE_F32LE, space, H5P_DEFAULT, create, H5P_DEFAULT);
  if (task) {
    const hsize_t n = dims[0];
    const hid_t labelSpace = H5Screate_simple(1, &n, nullptr);
    const hid_t labelCreate = H5Pcreate(H5P_DATASET_CREATE);
    const hsize_t one = 1;
    H5Pset_chunk(labelCreate, 1, &one);
    const hid_t labels =
        H5Dcreate2(file, "labels", H5T_STD_I64LE, labelSpace, H5P_DEFAULT, labelCreate, H5P_DEFAULT);
    H5Dclose(labels);
    H5Pclose(labelCreate);
    H5Sclose(labelSpace);
    const auto attribute = [&](const char* name, const char* value) {
      const hid_t type = H5Tcopy(H5T_C_S1);
      H5Tset_size(type, std::strlen(value));
      const hid_t scalar = H5Screate(H5S_SCALAR);
      const hid_t a = H5Acreate2(file, name, type, scalar, H5P_DEFAULT, H5P_DEFAULT);
      H5Awrite(a, type, value);
      H5Aclose(a);
      H5Sclose(scalar);
      H5Tclose(type);
    };
    attribute("format", "merganser-task");
    attribute("task", "bomb");
    attribute("skills", "[]");
    attribute("label_names", "[\"a\",\"b\"]");
    attribute("split", "test");
  }
  H5Dclose(data);
  H5Pclose(create);
  H5Sclose(space);
  H5Fclose(file);
}

#define MG_VERIFY_REFUSED(outcome, fragment)                                                                 \
  do {                                                                                                       \
    const QString got_ = (outcome);                                                                          \
    qInfo("%s", qPrintable(got_));                                                                           \
    QVERIFY2(got_.startsWith(QLatin1String("error: ")) && got_.contains(QLatin1String(fragment)),            \
             qPrintable(QStringLiteral("wanted an error with '%1', got: %2").arg(fragment, got_)));          \
  } while (0)

// A file that is otherwise valid may also load: what matters is that it allocates nothing it claims.
#define MG_VERIFY_BOUNDED(outcome, fragment)                                                                 \
  do {                                                                                                       \
    const QString got_ = (outcome);                                                                          \
    qInfo("%s", qPrintable(got_));                                                                           \
    QVERIFY2(                                                                                                \
        got_ == QLatin1String("ok") ||                                                                       \
            (got_.startsWith(QLatin1String("error: ")) && got_.contains(QLatin1String(fragment))),           \
        qPrintable(QStringLiteral("wanted success or an error with '%1', got: %2").arg(fragment, got_)));    \
  } while (0)

// A model folder "a" in `dir` as mergekit recipes name them: config.json and two layers.
void writeTinyModel(const test::TempDir& dir) {
  std::filesystem::create_directories(dir.file("a"));
  writeText(dir.file("a/config.json"), R"({"model_type":"mlp","num_hidden_layers":2})");
  io::writeSafetensors(dir.file("a/model.safetensors"),
                       {io::TensorData::fromFloat32("model.layers.0.w", {2}, {1, 2}),
                        io::TensorData::fromFloat32("model.layers.1.w", {2}, {3, 4})});
}

} // namespace

class InputLimitsTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() {
    if (mg::test::kAddressSanitizer)
      QSKIP("an address-space limit cannot hold under AddressSanitizer (its shadow memory); the normal build "
            "runs these checks");
  }

  void theHarnessCatchesAnAllocation() {
    // A parser that believes a size from a file: the limit turns its allocation into bad_alloc.
    QCOMPARE(underMemoryLimit([] {
               std::vector<char> v(std::size_t(1) << 30);
               (void)v;
             }),
             QStringLiteral("bad_alloc"));
    QCOMPARE(underMemoryLimit([] {
               std::vector<char> v(std::size_t(1) << 20);
               (void)v;
             }),
             QStringLiteral("ok"));
  }

  void safetensorsTensorBeyondTheFile() {
    test::TempDir dir;
    const std::string path = dir.file("m.safetensors");
    std::string header = R"({"w":{"dtype":"F32","shape":[65536,65536],"data_offsets":[0,17179869184]}})";
    header.append((8 - header.size() % 8) % 8, ' ');
    std::string bytes(8, '\0');
    const std::uint64_t n = header.size();
    std::memcpy(bytes.data(), &n, 8);
    writeText(path, bytes + header + std::string(64, '\0'));
    MG_VERIFY_REFUSED(underMemoryLimit([&] {
                        const io::SafetensorsFile f(path);
                        for (const auto& t : f.tensors())
                          f.load(t.name);
                      }),
                      "m.safetensors");
  }

  void shardedIndexOfAHugeModel() {
    test::TempDir dir;
    const std::string path = dir.file("model.safetensors.index.json");
    io::writeSafetensors(dir.file("model-00001-of-00001.safetensors"),
                         {io::TensorData::fromFloat32("w", {2}, {1, 2})});
    writeText(
        path,
        R"({"metadata":{"total_size":1000000000000000},"weight_map":{"w":"model-00001-of-00001.safetensors"}})");
    MG_VERIFY_BOUNDED(underMemoryLimit([&] {
                        const io::ShardedSafetensors s(path);
                        for (const auto& t : s.tensors())
                          s.load(t.name);
                      }),
                      "model.safetensors.index.json");
  }

  void jsonNestedAThousandDeep() {
    const std::string text = std::string(1000, '[') + std::string(1000, ']');
    MG_VERIFY_REFUSED(underMemoryLimit([&] { io::parseStrictJson(text, "deep.json", "a test file"); }),
                      "deep.json");
  }

  void adapterConfigWithAHugeRank() {
    const std::string text =
        R"({"peft_type":"LORA","r":1000000000000,"lora_alpha":16,"target_modules":["q"]})";
    MG_VERIFY_REFUSED(underMemoryLimit([&] { io::LoraConfig::fromJson(text, "adapter_config.json"); }),
                      "adapter_config.json");
  }

  void projectWithHugeIds() {
    const std::string text =
        R"({"format":"merganser-project","version":1,"nodes":[{"id":9000000000000000000,"type":"sink.compare","x":1e300,"y":0}],"edges":[]})";
    MG_VERIFY_BOUNDED(underMemoryLimit([&] { graph::parseProject(text, "/p", "p.mgproj"); }), "p.mgproj");
  }

  void hdf5CheckpointThatIsAllHoles() {
    test::TempDir dir;
    const std::string path = dir.file("hollow.h5");
    writeHollowHdf5(path, {100000, 100000}, false);
    MG_VERIFY_REFUSED(underMemoryLimit([&] {
                        const io::Hdf5Checkpoint c(path);
                        for (const auto& t : c.tensors())
                          c.load(t.name);
                      }),
                      "hollow.h5");
  }

  void taskFileThatIsAllHoles() {
    test::TempDir dir;
    const std::string path = dir.file("task.h5");
    writeHollowHdf5(path, {10000000, 28, 28}, true);
    MG_VERIFY_REFUSED(underMemoryLimit([&] { io::readTaskFile(path); }), "task.h5");
  }

  void idxClaimingBillions() {
    test::TempDir dir;
    const std::string path = dir.file("images-idx3-ubyte");
    const unsigned char header[] = {0, 0, 8, 3, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 28, 0, 0, 0, 28};
    writeText(path,
              std::string(reinterpret_cast<const char*>(header), sizeof header) + std::string(1000, '\0'));
    MG_VERIFY_REFUSED(underMemoryLimit([&] { io::readIdxFile(path); }), "images-idx3-ubyte");
  }

  void tokenizerWithAnIdFarBeyondItsVocabulary() {
    const std::string json =
        R"({"model":{"type":"BPE","vocab":{"a":0,"b":2147483646},"merges":[]},"added_tokens":[]})";
    MG_VERIFY_REFUSED(underMemoryLimit([&] { text::parseTokenizer(json, "", "tokenizer.json"); }),
                      "tokenizer.json");
  }

  void textTaskAskingForEndlessGeneration() {
    test::TempDir dir;
    const std::string path = dir.file("gen.jsonl");
    writeText(path, "{\"merganser_task\":{\"kind\":\"generation\",\"max_new_tokens\":1000000000000}}\n"
                    "{\"prompt\":\"a\",\"answer\":\"b\"}\n");
    MG_VERIFY_REFUSED(underMemoryLimit([&] { io::readTextTaskFile(path); }), "gen.jsonl");
  }

  void mergekitRecipeWithABillionLayers() {
    test::TempDir dir;
    writeTinyModel(dir);
    const std::string yaml = "slices:\n  - sources:\n      - model: a\n        layer_range: [0, 1000000000]\n"
                             "merge_method: passthrough\ndtype: float32\n";
    MG_VERIFY_REFUSED(underMemoryLimit([&] {
                        const auto config = mergekit::parseConfig(yaml, "recipe.yml", dir.path());
                        mergekit::importConfig(config, "");
                      }),
                      "recipe.yml");
  }

  void mergekitRecipeOfNestedAliases() {
    // "Billion laughs": a weight list nested nine levels deep, each level nine aliases of the one below:
    // 9^9 numbers if anything expanded it, 300 bytes of YAML.
    test::TempDir dir;
    writeTinyModel(dir);
    std::string nested = "&a0 [1, 1, 1, 1, 1, 1, 1, 1, 1]";
    for (int level = 1; level <= 9; ++level) {
      std::string list = "&a" + std::to_string(level) + " [" + nested;
      for (int i = 1; i < 9; ++i)
        list += ", *a" + std::to_string(level - 1);
      nested = list + "]";
    }
    const std::string yaml = "models:\n  - model: a\n    parameters:\n      weight: " + nested +
                             "\nmerge_method: linear\ndtype: float32\n";
    MG_VERIFY_REFUSED(underMemoryLimit([&] {
                        const auto config = mergekit::parseConfig(yaml, "laughs.yml", dir.path());
                        mergekit::importConfig(config, "");
                      }),
                      "laughs.yml");
  }
};

MG_TEST_GUILESS_MAIN(InputLimitsTest)
#include "test_input_limits.moc"
