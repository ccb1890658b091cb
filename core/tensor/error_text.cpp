#include "tensor/error_text.h"

#include <c10/util/Exception.h>

#include <exception>
#include <new>

namespace mg::tensor {
namespace {

std::string firstLine(const std::string& text) {
  const auto end = text.find('\n');
  return end == std::string::npos ? text : text.substr(0, end);
}

} // namespace

std::string torchErrorText(const c10::Error& error) {
  std::string text = firstLine(error.what_without_backtrace());
  // "[enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can't allocate memory: you tried to
  // allocate N bytes. Error code 12 (Cannot allocate memory)"
  if (const auto at = text.find("can't allocate memory: "); at != std::string::npos)
    return "out of memory: " + text.substr(at + 23);
  return text;
}

std::string currentExceptionText() {
  try {
    throw;
  } catch (const c10::Error& error) {
    return torchErrorText(error);
  } catch (const std::bad_alloc&) {
    return "out of memory (an allocation failed)";
  } catch (const std::exception& error) {
    std::string text = error.what();
    for (char& c : text)
      if (c == '\n' || c == '\r') c = ' ';
    return text;
  } catch (...) {
    return "unknown error (not a std::exception)";
  }
}

} // namespace mg::tensor
