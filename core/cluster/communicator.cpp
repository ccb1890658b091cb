#include "cluster/communicator.h"

namespace mg::cluster {

void SingleProcess::send(int, const std::string&) {
  throw std::logic_error("a single process has no other rank to send to");
}

std::string SingleProcess::receive(int) {
  throw std::logic_error("a single process has no other rank to receive from");
}

void agree(Communicator& ranks, const std::optional<std::string>& failure) {
  // One byte says whether the rank failed, the rest is its message; the root finds the first failure and
  // tells everyone.
  const auto all = ranks.gather(failure ? "1" + *failure : std::string("0"));
  std::string verdict = "0";
  for (std::size_t r = 0; r < all.size(); ++r)
    if (!all[r].empty() && all[r][0] == '1') {
      verdict = "1" + std::to_string(r) + ":" + all[r].substr(1);
      break;
    }
  verdict = ranks.broadcast(verdict);
  if (verdict[0] == '0') return;
  const auto colon = verdict.find(':');
  throw RankFailure(std::stoi(verdict.substr(1, colon - 1)), verdict.substr(colon + 1));
}

std::string
combineOverRanks(Communicator& ranks, const std::function<std::string()>& part,
                 const std::function<std::string(const std::vector<std::string>& parts)>& combine) {
  std::string mine;
  agreeOn(ranks, [&]() { mine = part(); });
  const auto parts = ranks.gather(mine);
  std::optional<std::string> whole, failure;
  if (ranks.isRoot()) {
    try {
      whole = combine(parts);
    } catch (const std::exception& e) {
      failure = e.what();
    }
  }
  agree(ranks, failure); // the root's combination failed: everyone hears it
  return ranks.broadcast(whole.value_or(""));
}

} // namespace mg::cluster
