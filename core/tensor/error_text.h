#pragma once
// One-line messages for what LibTorch and the allocator throw. A c10::Error's what() carries a C++
// backtrace of twenty lines; a node's failure, a log line and the GUI's status want the first line, and a
// failed allocation should say "out of memory" in words.
#include <string>

namespace c10 {
class Error;
}

namespace mg::tensor {

// The first line of a LibTorch error, without its backtrace.
std::string torchErrorText(const c10::Error& error);

// The message of the exception being handled; call inside a catch block. LibTorch errors as
// torchErrorText (an allocation LibTorch could not make: "out of memory: ..."), std::bad_alloc as "out of
// memory", any other std::exception as what() on one line, anything else as "unknown error (not a
// std::exception)".
std::string currentExceptionText();

} // namespace mg::tensor
