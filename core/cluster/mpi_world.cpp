// The ranks of an MPI job (compiled when CMake finds MPI; cluster/single_world.cpp otherwise).
// The C API only: Open MPI's mpi.h would otherwise pull in its deprecated C++ bindings (another library).
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <stdexcept>

#include "cluster/world.h"

namespace mg::cluster {
namespace {

std::string mpiError(int code) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  return std::string(text, static_cast<std::size_t>(length));
}

void check(int code, const char* what) {
  if (code != MPI_SUCCESS) throw std::runtime_error(std::string("MPI ") + what + ": " + mpiError(code));
}

// MPI counts are ints: a long message goes as a length, then pieces of at most 1 GiB.
constexpr std::size_t kPiece = std::size_t(1) << 30;

class MpiWorld final : public Communicator {
public:
  MpiWorld() {
    check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "rank");
    check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "size");
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  void send(int to, const std::string& bytes) override {
    const auto length = static_cast<unsigned long long>(bytes.size());
    check(MPI_Send(&length, 1, MPI_UNSIGNED_LONG_LONG, to, 0, MPI_COMM_WORLD), "send");
    for (std::size_t at = 0; at < bytes.size(); at += kPiece)
      check(MPI_Send(bytes.data() + at, static_cast<int>(std::min(kPiece, bytes.size() - at)), MPI_BYTE, to, 0,
                     MPI_COMM_WORLD),
            "send");
  }

  std::string receive(int from) override {
    unsigned long long length = 0;
    check(MPI_Recv(&length, 1, MPI_UNSIGNED_LONG_LONG, from, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "receive");
    std::string bytes(static_cast<std::size_t>(length), '\0');
    for (std::size_t at = 0; at < bytes.size(); at += kPiece)
      check(MPI_Recv(bytes.data() + at, static_cast<int>(std::min(kPiece, bytes.size() - at)), MPI_BYTE, from, 0,
                     MPI_COMM_WORLD, MPI_STATUS_IGNORE),
            "receive");
    return bytes;
  }

  std::string broadcast(const std::string& value) override {
    unsigned long long length = value.size();
    check(MPI_Bcast(&length, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD), "broadcast");
    std::string bytes = rank_ == 0 ? value : std::string(static_cast<std::size_t>(length), '\0');
    for (std::size_t at = 0; at < bytes.size(); at += kPiece)
      check(MPI_Bcast(bytes.data() + at, static_cast<int>(std::min(kPiece, bytes.size() - at)), MPI_BYTE, 0,
                      MPI_COMM_WORLD),
            "broadcast");
    return bytes;
  }

  std::vector<std::string> gather(const std::string& value) override {
    // Small values (scores, statuses): through the root one rank at a time, in rank order.
    if (rank_ != 0) {
      send(0, value);
      return {};
    }
    std::vector<std::string> all{value};
    for (int r = 1; r < size_; ++r)
      all.push_back(receive(r));
    return all;
  }

private:
  int rank_ = 0;
  int size_ = 1;
};

SingleProcess single;
std::unique_ptr<MpiWorld> mpi;

} // namespace

bool builtWithMpi() { return true; }

void startWorld(int& argc, char**& argv) {
  if (!launchedAsRank() || mpi) return;
  check(MPI_Init(&argc, &argv), "init");
  // Errors come back as codes (turned into exceptions above) instead of aborting the job on the spot.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  mpi = std::make_unique<MpiWorld>();
}

void finishWorld() {
  if (!mpi) return;
  MPI_Barrier(MPI_COMM_WORLD);
  mpi.reset();
  MPI_Finalize();
}

Communicator& world() {
  if (mpi) return *mpi;
  return single;
}

} // namespace mg::cluster
