// config.json of a language model (core/lm's LmConfig, plain C++) and adapter_config.json of a PEFT adapter.
#include "fuzz_support.h"
#include "io/peft_adapter.h"
#include "lm/lm_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  mg::fuzz::expectCleanFailure("config.json", [&] { mg::lm::LmConfig::fromJson(text, "config.json"); });
  mg::fuzz::expectCleanFailure("adapter_config.json",
                               [&] { mg::io::LoraConfig::fromJson(text, "adapter_config.json"); });
  return 0;
}
