// The theta filter's readers of what a repository holds (a hostile repository is a stranger's file): the
// manifest git stores (first byte 'M', then the text, rebuilt by the smudge filter against a small store) and
// a sparse object (first byte anything else, then the object's bytes, read in place of the store's one).
#include <cstdio>
#include <memory>

#include "fuzz_support.h"
#include "theta_fixture.h"

namespace {

struct Store {
  mg::theta::ObjectStore store{(mg::fuzz::scratchFolder() / "theta").string()};
  mg::fuzz::ThetaFixture fixture = mg::fuzz::makeThetaStore(mg::fuzz::scratchFolder() / "checkout", store);
  std::string sparseBackup = [this] {
    std::ifstream in(fixture.sparseObject, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Store fixture;
  if (size == 0) return 0;
  const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] == 'M') {
    std::unique_ptr<std::FILE, decltype(&std::fclose)> in(
        fmemopen(const_cast<char*>(input.data()), input.size() + 1, "rb"), &std::fclose);
    std::unique_ptr<std::FILE, decltype(&std::fclose)> out(std::fopen("/dev/null", "wb"), &std::fclose);
    if (!in || !out || input.empty()) return 0;
    mg::fuzz::expectCleanFailure("model.safetensors", [&] {
      mg::theta::smudgeFilter(in.get(), out.get(), fixture.store, "model.safetensors");
    });
    return 0;
  }
  std::ofstream(fixture.fixture.sparseObject, std::ios::binary | std::ios::trunc) << input;
  const mg::theta::Manifest second = mg::theta::manifestFromText(fixture.fixture.manifests[1], "seed");
  mg::fuzz::expectCleanFailure(fixture.store.root(), [&] {
    for (const auto& entry : second.tensors)
      fixture.store.get(entry.tensor);
  });
  std::ofstream(fixture.fixture.sparseObject, std::ios::binary | std::ios::trunc) << fixture.sparseBackup;
  return 0;
}
