#include "lm/pipeline_stage.h"

#include <ATen/ATen.h>

#include <cstring>

#include "cluster/communicator.h"
#include "cluster/work_split.h"
#include "tensor/intra_op_threads.h"

namespace mg::lm {
namespace {

struct ActivationHeader {
  std::int64_t start, batch, tokens, width;
  std::int8_t dtype; // at::ScalarType
};

std::string activationMessage(const at::Tensor& x, std::int64_t start) {
  const auto c = x.contiguous();
  const ActivationHeader header{start, c.size(0), c.size(1), c.size(2),
                                static_cast<std::int8_t>(c.scalar_type())};
  const auto bytes = static_cast<std::size_t>(c.numel()) * c.element_size();
  std::string message(1 + sizeof header + bytes, 'F');
  std::memcpy(message.data() + 1, &header, sizeof header);
  std::memcpy(message.data() + 1 + sizeof header, c.data_ptr(), bytes);
  return message;
}

// The activations of an 'F' message, and their start position.
std::pair<at::Tensor, std::int64_t> activationsOf(const std::string& message) {
  ActivationHeader header{};
  if (message.size() < 1 + sizeof header) throw std::runtime_error("a pipeline message is too short");
  std::memcpy(&header, message.data() + 1, sizeof header);
  auto x = at::empty({header.batch, header.tokens, header.width}, at::ScalarType(header.dtype));
  const auto bytes = static_cast<std::size_t>(x.numel()) * x.element_size();
  if (message.size() != 1 + sizeof header + bytes)
    throw std::runtime_error("a pipeline message has the wrong size");
  std::memcpy(x.data_ptr(), message.data() + 1 + sizeof header, bytes);
  return {x, header.start};
}

int nextRank(const cluster::Communicator& ranks) {
  return (ranks.rank() + 1) % ranks.size(); // the last rank hands back to rank 0
}

} // namespace

LayerStage pipelineStage(std::int64_t layers, int rank, int ranks) {
  const auto [first, end] = cluster::partOf(layers, rank, ranks);
  return {first, end, rank == 0};
}

void driveThroughRanks(CausalLm& model, cluster::Communicator& ranks) {
  model.setRemoteLayers([&ranks](const at::Tensor& x, std::int64_t start) {
    ranks.send(1, activationMessage(x, start));
    const std::string reply = ranks.receive(ranks.size() - 1);
    if (reply.empty() || reply[0] != 'F')
      throw std::runtime_error(reply.size() > 1 ? reply.substr(1) : "the pipeline failed");
    return activationsOf(reply).first;
  });
}

void stopPipeline(cluster::Communicator& ranks) {
  if (ranks.spread()) ranks.send(1, "Q");
}

void servePipeline(const CausalLm* model, const std::string& loadError, cluster::Communicator& ranks) {
  const at::NoGradGuard noGrad;
  const tensor::ScopedIntraOpThreads threads(0); // this rank's share of the machine's cores
  const int previous = ranks.rank() - 1, next = nextRank(ranks);
  for (;;) {
    const std::string message = ranks.receive(previous);
    if (message == "Q") {
      if (next != 0) ranks.send(next, "Q");
      return;
    }
    if (message.empty() || message[0] != 'F') { // an error from an earlier rank: on towards rank 0
      ranks.send(next, message.empty() ? std::string("E") : message);
      continue;
    }
    std::string reply;
    try {
      if (!model) throw std::runtime_error(loadError);
      const auto [x, start] = activationsOf(message);
      reply = activationMessage(model->stageLayers(x, start), start);
    } catch (const std::exception& e) {
      reply = "Erank " + std::to_string(ranks.rank()) + ": " + e.what();
    }
    ranks.send(next, reply);
  }
}

} // namespace mg::lm
