// The ranks of an MPI job (compiled when CMake finds MPI; cluster/single_world.cpp otherwise).
// The C API only: Open MPI's mpi.h would otherwise pull in its deprecated C++ bindings (another library).
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <thread>
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

// Waits for a non-blocking call, sleeping between polls: a rank waiting for another (the root writing, a
// pipeline stage computing) leaves its core to the ranks that work, where MPI's blocking calls would spin
// at 100 % of one (ranks outnumbering cores, as 3 ranks on 2, slowed everyone down). Only the small headers
// are waited for this way: MPI moves a message's data inside MPI calls, so a payload polled with sleeps
// crawls; payloads go by blocking calls once both sides are known to be there (below).
void idleWait(MPI_Request& request, const char* what) {
  for (int polls = 0;; ++polls) {
    int done = 0;
    check(MPI_Test(&request, &done, MPI_STATUS_IGNORE), what);
    if (done) return;
    if (polls > 100) std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
}

constexpr int kHeaderTag = 0, kReadyTag = 1, kPayloadTag = 2;

class MpiWorld final : public Communicator {
public:
  MpiWorld() {
    check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "rank");
    check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "size");
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  // A message: its length (the sender does not wait for the receiver to take it), then, when the receiver
  // says it is ready, the bytes in pieces of at most 1 GiB.
  void send(int to, const std::string& bytes) override {
    unsigned long long length = bytes.size();
    MPI_Request request;
    check(MPI_Isend(&length, 1, MPI_UNSIGNED_LONG_LONG, to, kHeaderTag, MPI_COMM_WORLD, &request), "send");
    idleWait(request, "send");
    if (bytes.empty()) return;
    char ready = 0;
    check(MPI_Irecv(&ready, 1, MPI_CHAR, to, kReadyTag, MPI_COMM_WORLD, &request), "send");
    idleWait(request, "send");
    for (std::size_t at = 0; at < bytes.size(); at += kPiece)
      check(MPI_Send(bytes.data() + at, static_cast<int>(std::min(kPiece, bytes.size() - at)), MPI_BYTE, to,
                     kPayloadTag, MPI_COMM_WORLD),
            "send");
  }

  std::string receive(int from) override {
    unsigned long long length = 0;
    MPI_Request request;
    check(MPI_Irecv(&length, 1, MPI_UNSIGNED_LONG_LONG, from, kHeaderTag, MPI_COMM_WORLD, &request),
          "receive");
    idleWait(request, "receive");
    std::string bytes(static_cast<std::size_t>(length), '\0');
    if (bytes.empty()) return bytes;
    const char ready = 1;
    check(MPI_Send(&ready, 1, MPI_CHAR, from, kReadyTag, MPI_COMM_WORLD), "receive");
    for (std::size_t at = 0; at < bytes.size(); at += kPiece)
      check(MPI_Recv(bytes.data() + at, static_cast<int>(std::min(kPiece, bytes.size() - at)), MPI_BYTE, from,
                     kPayloadTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
            "receive");
    return bytes;
  }

  // The length reaches every rank first (waited for idly); by then all are in the broadcast, and the bytes
  // flow at once.
  std::string broadcast(const std::string& value) override {
    unsigned long long length = value.size();
    MPI_Request request;
    check(MPI_Ibcast(&length, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD, &request), "broadcast");
    idleWait(request, "broadcast");
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

bool builtWithMpi() {
  return true;
}

void startWorld(int& argc, char**& argv) {
  if (!launchedAsRank() || mpi) return;
  check(MPI_Init(&argc, &argv), "init");
  // Errors come back as codes (turned into exceptions above) instead of aborting the job on the spot.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  mpi = std::make_unique<MpiWorld>();
}

void finishWorld() {
  if (!mpi) return;
  MPI_Request request;
  if (MPI_Ibarrier(MPI_COMM_WORLD, &request) == MPI_SUCCESS) idleWait(request, "barrier");
  mpi.reset();
  MPI_Finalize();
}

Communicator& world() {
  if (mpi) return *mpi;
  return single;
}

} // namespace mg::cluster
