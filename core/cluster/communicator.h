#pragma once
// The processes one command runs as: one (the usual case) or the ranks an MPI launcher (mpirun, srun)
// started. Everything spread over ranks talks through this interface, so the code that splits work is the
// same with one process as with many, and only cluster/mpi_world.cpp knows MPI.
//
// Rules every caller keeps (they are what makes a run over ranks end instead of hanging):
// - a collective (barrier, broadcast, gather, agree) is called by every rank, in the same order;
// - a rank that fails still takes part in the collectives that follow, carrying its error (agree()).
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mg::cluster {

class Communicator {
public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  bool isRoot() const { return rank() == 0; }
  bool spread() const { return size() > 1; }

  // Point to point, in order between one pair of ranks (a message of any length).
  virtual void send(int to, const std::string& bytes) = 0;
  virtual std::string receive(int from) = 0;

  // Every rank gets the root's `value`.
  virtual std::string broadcast(const std::string& value) = 0;
  // The root gets every rank's value, by rank; the other ranks get an empty vector.
  virtual std::vector<std::string> gather(const std::string& value) = 0;
};

// A single process: rank 0 of 1.
class SingleProcess final : public Communicator {
public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  void send(int to, const std::string& bytes) override;
  std::string receive(int from) override;
  std::string broadcast(const std::string& value) override { return value; }
  std::vector<std::string> gather(const std::string& value) override { return {value}; }
};

// Thrown on every rank by agree() when some rank failed: what() is the first failing rank's message.
class RankFailure : public std::runtime_error {
public:
  RankFailure(int rank, const std::string& message) : std::runtime_error(message), rank_(rank) {}
  int failedRank() const { return rank_; }

private:
  int rank_;
};

// Every rank says whether its part went well (nullopt) or how it failed; then either all ranks go on, or all
// throw RankFailure with the lowest failing rank's message. A collective.
void agree(Communicator& ranks, const std::optional<std::string>& failure);

// Runs `part` and agrees on its outcome: the exception's message of a failing rank reaches every rank.
template <typename Part> void agreeOn(Communicator& ranks, Part&& part) {
  std::optional<std::string> failure;
  try {
    part();
  } catch (const std::exception& e) {
    failure = e.what();
  }
  agree(ranks, failure);
}

// The shape of every divided computation: each rank computes its `part` (as text); the root `combine`s the
// parts, in rank order; every rank returns the combination. A part or the combination that throws is every
// rank's failure (RankFailure with its message), so no rank is left waiting. A collective.
std::string
combineOverRanks(Communicator& ranks, const std::function<std::string()>& part,
                 const std::function<std::string(const std::vector<std::string>& parts)>& combine);

} // namespace mg::cluster
