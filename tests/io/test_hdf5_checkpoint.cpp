// HDF5 checkpoints: exact round trips of every dtype and shape, the dataset layout, files written by
// other tools (h5py: no dtype attributes), rejections, atomic writes and concurrent loads.
#include "support/test_registry.h"
#include <QtTest>

#include <hdf5.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <random>
#include <thread>

#include "io/hdf5_checkpoint.h"
#include "io/io_error.h"
#include "support/io_fixtures.h"
#include "support/temp_dir.h"

using namespace mg::io;
using mg::test::infosOf;
using mg::test::TempDir;
using mg::test::throwsIoError;

namespace {

constexpr DType kLastDType = DType::F8_E5M2;

TensorData randomTensor(const std::string& name, DType t, std::vector<std::int64_t> shape, unsigned seed) {
  TensorData d;
  d.info = TensorInfo{name, t, std::move(shape)};
  d.bytes.resize(d.info.nbytes());
  std::mt19937 rng(seed);
  for (auto& b : d.bytes)
    b = static_cast<std::byte>(t == DType::Bool ? rng() % 2 : rng() % 256);
  return d;
}

void write(const std::string& path, const std::vector<TensorData>& tensors,
           const std::map<std::string, std::string>& metadata = {}) {
  writeHdf5Checkpoint(
      path, infosOf(tensors),
      [&](const TensorInfo& info) {
        for (const auto& t : tensors)
          if (t.info.name == info.name) return t;
        throw std::logic_error("unknown tensor");
      },
      metadata);
}

// Checks that `path` holds exactly `expected` (any order), byte for byte.
void verifyContents(const std::string& path, std::vector<TensorData> expected) {
  Hdf5Checkpoint ck(path);
  std::sort(expected.begin(), expected.end(),
            [](const TensorData& a, const TensorData& b) { return a.info.name < b.info.name; });
  QCOMPARE(ck.tensors().size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    QCOMPARE(ck.tensors()[i], expected[i].info);
    const TensorData got = ck.load(expected[i].info.name);
    QCOMPARE(got.info, expected[i].info);
    QVERIFY2(got.bytes == expected[i].bytes, expected[i].info.name.c_str());
  }
}

// Writes files the way h5py does: plain datasets, native types, no dtype attributes.
class RawFile {
public:
  explicit RawFile(const std::string& path) : lock_(hdf5Mutex()) {
    file_ = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  }
  ~RawFile() { H5Fclose(file_); }
  hid_t dataset(const std::string& name, hid_t type, std::vector<hsize_t> dims, const void* data) {
    const hid_t space =
        dims.empty() ? H5Screate(H5S_SCALAR) : H5Screate_simple(int(dims.size()), dims.data(), nullptr);
    const hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    const hid_t ds = H5Dcreate2(file_, name.c_str(), type, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    H5Pclose(lcpl);
    H5Sclose(space);
    return ds; // the caller closes it with H5Dclose
  }
  void add(const std::string& name, hid_t type, std::vector<hsize_t> dims, const void* data) {
    H5Dclose(dataset(name, type, std::move(dims), data));
  }
  void fixedStringAttribute(hid_t object, const std::string& name, const std::string& value) {
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, value.size());
    H5Tset_strpad(type, H5T_STR_NULLPAD);
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attr = H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(attr, type, value.data());
    H5Aclose(attr);
    H5Sclose(space);
    H5Tclose(type);
  }
  hid_t id() const { return file_; }

private:
  std::lock_guard<std::mutex> lock_;
  hid_t file_;
};

} // namespace

class Hdf5CheckpointTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void roundTripsEveryDtypeExactly() {
    TempDir dir;
    std::vector<TensorData> tensors;
    for (int i = 0; i <= static_cast<int>(kLastDType); ++i) {
      const auto t = static_cast<DType>(i);
      tensors.push_back(randomTensor("t." + std::string(dtypeName(t)), t, {3, 5}, unsigned(i)));
    }
    write(dir.file("all.h5"), tensors);
    verifyContents(dir.file("all.h5"), tensors);
  }

  void scalarAndZeroSizeShapes() {
    TempDir dir;
    const std::vector<TensorData> tensors = {
        randomTensor("scalar", DType::F32, {}, 1),       randomTensor("scalar_bf16", DType::BF16, {}, 2),
        randomTensor("empty", DType::F32, {0}, 3),       randomTensor("empty3d", DType::I64, {3, 0, 2}, 4),
        randomTensor("one", DType::U8, {1, 1, 1, 1}, 5), randomTensor("long", DType::F16, {1000}, 6)};
    write(dir.file("shapes.h5"), tensors);
    verifyContents(dir.file("shapes.h5"), tensors);
  }

  void nestedNamesAndMetadata() {
    TempDir dir;
    const std::vector<TensorData> tensors = {
        randomTensor("encoder.layers.0.attn.weight", DType::F32, {2, 2}, 1),
        randomTensor("encoder.layers.10.attn.weight", DType::F32, {2, 2}, 2),
        randomTensor("encoder.layers.0.attn.bias", DType::BF16, {2}, 3),
        randomTensor("head", DType::F64, {4}, 4)};
    const std::string big(200'000, 'g'); // larger than an HDF5 object header (64 KiB)
    const std::map<std::string, std::string> metadata = {
        {"format", "pt"}, {"merge", "ties k=0.2"}, {"graph", big}, {"empty", ""}, {"utf8", "caf\xc3\xa9"}};
    const std::string path = dir.file("nested.h5");
    write(path, tensors, metadata);
    verifyContents(path, tensors);
    Hdf5Checkpoint ck(path);
    QCOMPARE(ck.metadata(), metadata);
    QCOMPARE(ck.kind(), SourceKind::Hdf5);
    QCOMPARE(ck.path(), path);

    // The layout of formats.md: a dataset per tensor at its dotted path, with a dtype attribute.
    std::lock_guard<std::mutex> lock(hdf5Mutex());
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    QVERIFY(file >= 0);
    H5O_info_t info;
    QVERIFY(H5Oget_info_by_name2(file, "/encoder/layers/0/attn/bias", &info, H5O_INFO_BASIC, H5P_DEFAULT) >=
            0);
    QCOMPARE(info.type, H5O_TYPE_DATASET);
    QVERIFY(H5Oget_info_by_name2(file, "/encoder/layers/10", &info, H5O_INFO_BASIC, H5P_DEFAULT) >= 0);
    QCOMPARE(info.type, H5O_TYPE_GROUP);
    const hid_t ds = H5Dopen2(file, "/encoder/layers/0/attn/bias", H5P_DEFAULT);
    QVERIFY(H5Aexists(ds, "dtype") > 0);
    const hid_t type = H5Dget_type(ds);
    QVERIFY(H5Tequal(type, H5T_STD_U16LE) > 0); // BF16 as a U16 bit pattern
    H5Tclose(type);
    H5Dclose(ds);
    H5Fclose(file);
  }

  void readsFilesWithoutDtypeAttributes() {
    TempDir dir;
    const std::string path = dir.file("h5py.h5");
    const float kernel[4] = {1.0f, -2.0f, 3.5f, 0.25f};
    const double bias[2] = {0.5, -1.5};
    const std::int64_t ids[3] = {1, -2, 1LL << 40};
    const std::uint8_t flags[2] = {7, 255};
    const std::uint8_t mask[3] = {1, 0, 1};
    const std::uint16_t half[2] = {0x3C00, 0xC000}; // 1.0, -2.0
    const std::int32_t count = 42;
    const std::uint32_t u32[2] = {1, 4000000000u};
    {
      RawFile raw(path);
      raw.add("/dense/kernel", H5T_NATIVE_FLOAT, {2, 2}, kernel);
      raw.add("/dense/bias", H5T_NATIVE_DOUBLE, {2}, bias);
      // Big-endian storage: the reader must hand back little-endian bytes.
      {
        const hid_t memType = H5T_NATIVE_INT64;
        const hid_t space = H5Screate_simple(1, std::vector<hsize_t>{3}.data(), nullptr);
        const hid_t ds =
            H5Dcreate2(raw.id(), "ids", H5T_STD_I64BE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        H5Dwrite(ds, memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, ids);
        H5Dclose(ds);
        H5Sclose(space);
      }
      raw.add("/flags", H5T_NATIVE_UINT8, {2}, flags);
      raw.add("/u32", H5T_STD_U32LE, {2}, u32);
      // numpy bool as h5py stores it: enum int8 {FALSE = 0, TRUE = 1}.
      const hid_t boolType = H5Tenum_create(H5T_NATIVE_INT8);
      const signed char f = 0, t = 1;
      H5Tenum_insert(boolType, "FALSE", &f);
      H5Tenum_insert(boolType, "TRUE", &t);
      raw.add("/mask", boolType, {3}, mask);
      H5Tclose(boolType);
      // numpy float16 as h5py stores it: a 2-byte IEEE float type.
      const hid_t halfType = H5Tcopy(H5T_IEEE_F32LE);
      H5Tset_fields(halfType, 15, 10, 5, 0, 10);
      H5Tset_size(halfType, 2);
      H5Tset_ebias(halfType, 15);
      raw.add("/half", halfType, {2}, half);
      H5Tclose(halfType);
      raw.add("/count", H5T_NATIVE_INT32, {}, &count);
      raw.fixedStringAttribute(raw.id(), "backend", "tensorflow");
      const int n = 3;
      const hid_t space = H5Screate(H5S_SCALAR);
      const hid_t attr = H5Acreate2(raw.id(), "epochs", H5T_NATIVE_INT, space, H5P_DEFAULT, H5P_DEFAULT);
      H5Awrite(attr, H5T_NATIVE_INT, &n);
      H5Aclose(attr);
      H5Sclose(space);
    }
    Hdf5Checkpoint ck(path);
    const std::map<std::string, std::string> metadata = {{"backend", "tensorflow"}}; // non-strings skipped
    QCOMPARE(ck.metadata(), metadata);
    const std::vector<std::string> names = {"count", "dense.bias", "dense.kernel", "flags",
                                            "half",  "ids",        "mask",         "u32"};
    QCOMPARE(ck.tensors().size(), names.size());
    for (std::size_t i = 0; i < names.size(); ++i)
      QCOMPARE(ck.tensors()[i].name, names[i]);

    auto expect = [&](const std::string& name, DType t, std::vector<std::int64_t> shape, const void* data) {
      const TensorData d = ck.load(name);
      QCOMPARE(d.info, (TensorInfo{name, t, shape}));
      QVERIFY2(std::memcmp(d.bytes.data(), data, d.bytes.size()) == 0, name.c_str());
    };
    expect("dense.kernel", DType::F32, {2, 2}, kernel);
    expect("dense.bias", DType::F64, {2}, bias);
    expect("ids", DType::I64, {3}, ids);
    expect("flags", DType::U8, {2}, flags);
    expect("u32", DType::U32, {2}, u32);
    expect("mask", DType::Bool, {3}, mask);
    expect("half", DType::F16, {2}, half);
    expect("count", DType::I32, {}, &count);
    QCOMPARE(ck.loadFloat32("half"), (std::vector<float>{1.0f, -2.0f}));
  }

  void rejectsUnsupportedAndInconsistentDatasets() {
    TempDir dir;
    const std::string compound = dir.file("compound.h5");
    {
      RawFile raw(compound);
      const hid_t type = H5Tcreate(H5T_COMPOUND, 8);
      H5Tinsert(type, "a", 0, H5T_NATIVE_FLOAT);
      H5Tinsert(type, "b", 4, H5T_NATIVE_FLOAT);
      const float data[2] = {1, 2};
      raw.add("/group/records", type, {1}, data);
      H5Tclose(type);
    }
    QVERIFY(throwsIoError([&] { Hdf5Checkpoint ck(compound); }, {"/group/records"}));

    const std::string lying = dir.file("lying.h5");
    {
      RawFile raw(lying);
      const double data[2] = {1, 2};
      const hid_t ds = raw.dataset("/w", H5T_NATIVE_DOUBLE, {2}, data);
      raw.fixedStringAttribute(ds, "dtype", "F16"); // F16 is never stored as 8-byte floats
      H5Dclose(ds);
    }
    QVERIFY(throwsIoError([&] { Hdf5Checkpoint ck(lying); }, {"dtype attribute says F16"}));

    const std::string unknown = dir.file("unknown.h5");
    {
      RawFile raw(unknown);
      const float data[1] = {1};
      const hid_t ds = raw.dataset("/w", H5T_NATIVE_FLOAT, {1}, data);
      raw.fixedStringAttribute(ds, "dtype", "float32");
      H5Dclose(ds);
    }
    QVERIFY(throwsIoError([&] { Hdf5Checkpoint ck(unknown); }, {"invalid dtype attribute 'float32'"}));
  }

  // Found by tests/fuzz/fuzz_task_file: a small file whose dataset claims a huge extent (chunked, nothing
  // written, so HDF5 stores no data for it) made load() allocate it. It is refused when the file is opened.
  void aDatasetLargerThanTheFileCouldHoldIsRefused() {
    TempDir dir;
    const std::string path = dir.file("huge.h5");
    {
      RawFile raw(path);
      const hsize_t dims[1] = {hsize_t(1) << 36}, chunk[1] = {1024};
      const hid_t space = H5Screate_simple(1, dims, nullptr);
      const hid_t properties = H5Pcreate(H5P_DATASET_CREATE);
      H5Pset_chunk(properties, 1, chunk);
      H5Dclose(H5Dcreate2(raw.id(), "/w", H5T_NATIVE_FLOAT, space, H5P_DEFAULT, properties, H5P_DEFAULT));
      H5Pclose(properties);
      H5Sclose(space);
    }
    QVERIFY(std::filesystem::file_size(path) < 64 * 1024);
    QVERIFY(
        throwsIoError([&] { Hdf5Checkpoint ck(path); }, {"dataset '/w' claims [68719476736]", "can hold"}));
  }

  void rejectsNonHdf5AndMissingFiles() {
    TempDir dir;
    const std::string text = dir.file("notes.h5");
    mg::test::writeBytes(text, "this is not HDF5 at all, just some text that is long enough");
    QVERIFY(throwsIoError([&] { Hdf5Checkpoint ck(text); }, {text + ": not an HDF5 file"}));
    const std::string missing = dir.file("missing.h5");
    QVERIFY(throwsIoError([&] { Hdf5Checkpoint ck(missing); }, {missing + ": no such file"}));
    QVERIFY(throwsIoError([&] { Hdf5Checkpoint ck(dir.path()); }, {"folder"}));
    const std::string empty = dir.file("empty.h5");
    mg::test::writeBytes(empty, "");
    QVERIFY(throwsIoError([&] { Hdf5Checkpoint ck(empty); }, {"not an HDF5 file"}));
  }

  void rejectsNamesHdf5CannotHold() {
    TempDir dir;
    const std::string path = dir.file("bad.h5");
    auto tryWrite = [&](std::vector<std::string> names) {
      std::vector<TensorData> tensors;
      for (const auto& n : names)
        tensors.push_back(randomTensor(n, DType::F32, {1}, 0));
      write(path, tensors);
    };
    QVERIFY(throwsIoError([&] { tryWrite({"a.b", "a.b.c"}); }, {"'a.b' and 'a.b.c' collide"}));
    QVERIFY(throwsIoError([&] { tryWrite({"x.y.z", "x"}); }, {"'x' and 'x.y.z' collide"}));
    QVERIFY(throwsIoError([&] { tryWrite({"a..b"}); }, {"empty component"}));
    QVERIFY(throwsIoError([&] { tryWrite({".a"}); }, {"empty component"}));
    QVERIFY(throwsIoError([&] { tryWrite({"a/b"}); }, {"'/'"}));
    QVERIFY(throwsIoError([&] { tryWrite({"w", "w"}); }, {"listed twice"}));
    QVERIFY(mg::test::listFolder(dir.path()).empty());
    // Names that only share a textual prefix are fine.
    tryWrite({"a.b", "a.bc", "a.b2.c"});
    verifyContents(path, {randomTensor("a.b", DType::F32, {1}, 0), randomTensor("a.bc", DType::F32, {1}, 0),
                          randomTensor("a.b2.c", DType::F32, {1}, 0)});
  }

  void interruptedWriteLeavesNothing() {
    TempDir dir;
    const std::string path = dir.file("out.h5");
    const auto a = randomTensor("a", DType::F32, {4}, 1);
    const auto b = randomTensor("b", DType::F32, {2, 3}, 2);
    bool threw = false;
    try {
      writeHdf5Checkpoint(path, {a.info, b.info}, [&](const TensorInfo& info) {
        if (info.name == "b") throw std::runtime_error("cancelled");
        return a;
      });
    } catch (const std::runtime_error& e) {
      threw = std::string(e.what()) == "cancelled";
    }
    QVERIFY(threw);
    QVERIFY(mg::test::listFolder(dir.path()).empty()); // no destination, no temporary

    // An existing checkpoint survives a failed rewrite untouched.
    write(path, {a});
    const std::string before = mg::test::readBytes(path);
    QVERIFY(throwsIoError(
        [&] {
          writeHdf5Checkpoint(path, {a.info, b.info}, [&](const TensorInfo&) { return a; }); // wrong for b
        },
        {"tensor 'b': the producer returned"}));
    QCOMPARE(mg::test::readBytes(path), before);
    QCOMPARE(mg::test::listFolder(dir.path()), std::vector<std::string>{"out.h5"});
  }

  void missingFolderIsAnIoError() {
    TempDir dir;
    const std::string path = dir.file("no/such/folder/x.h5");
    QVERIFY(throwsIoError([&] { write(path, {randomTensor("a", DType::F32, {1}, 0)}); }, {path}));
  }

  void concurrentLoadsGiveTheRightData() {
    TempDir dir;
    std::vector<TensorData> tensors;
    for (int i = 0; i < 16; ++i)
      tensors.push_back(
          randomTensor("layer." + std::to_string(i) + ".weight", DType::F32, {64, 33}, unsigned(i)));
    const std::string path = dir.file("shared.h5");
    write(path, tensors);
    const Hdf5Checkpoint ck(path);
    std::atomic<int> mismatches{0};
    auto worker = [&](int offset) {
      for (int round = 0; round < 20; ++round)
        for (std::size_t i = 0; i < tensors.size(); ++i) {
          const auto& expected = tensors[(i + std::size_t(offset)) % tensors.size()];
          if (ck.load(expected.info.name).bytes != expected.bytes) ++mismatches;
        }
    };
    std::thread t1(worker, 0), t2(worker, 7);
    // A third thread opens the file independently at the same time.
    std::thread t3([&] {
      for (int round = 0; round < 10; ++round)
        if (Hdf5Checkpoint(path).load("layer.3.weight").bytes != tensors[3].bytes) ++mismatches;
    });
    t1.join();
    t2.join();
    t3.join();
    QCOMPARE(mismatches.load(), 0);
  }

  void unknownTensorIsAnIoError() {
    TempDir dir;
    const std::string path = dir.file("one.h5");
    write(path, {randomTensor("a", DType::F32, {1}, 0)});
    Hdf5Checkpoint ck(path);
    QVERIFY(throwsIoError([&] { ck.load("b"); }, {"no tensor 'b'"}));
  }
};

MG_TEST_GUILESS_MAIN(Hdf5CheckpointTest)
#include "test_hdf5_checkpoint.moc"
