#pragma once
// Internal helpers for the HDF5 code of core/io (not part of the public io API): the global lock,
// an owning identifier, error reporting as IoError, dtype <-> HDF5 type mapping, string attributes.
#include "io/dtype.h"

#include <hdf5.h>

#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace mg::io::h5 {

// Holds hdf5Mutex() for its lifetime and turns off HDF5's automatic error printing on this thread
// (the thread-safe library keeps one error stack, and one printing switch, per thread).
class Lock {
public:
  Lock();

private:
  std::lock_guard<std::mutex> guard_;
};

// Owns one HDF5 identifier (file, group, dataset, dataspace, datatype, attribute, property list).
// Releasing it is an HDF5 call: destroy it only while a Lock is held.
class Handle {
public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  ~Handle() { reset(); }
  Handle(Handle&& o) noexcept : id_(o.id_) { o.id_ = H5I_INVALID_HID; }
  Handle& operator=(Handle&& o) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t get() const { return id_; }
  void reset();
  hid_t release() { // gives up ownership
    const hid_t id = id_;
    id_ = H5I_INVALID_HID;
    return id;
  }

private:
  hid_t id_ = H5I_INVALID_HID;
};

// Before the first read of `path` in this process: reads the whole file (as Hdf5Checkpoint does) in a forked
// child, and throws IoError(path, "the HDF5 library crashed reading it ...") when the child dies or hangs, so
// a crafted file never crashes the process (io/hdf5_guard.cpp). Call with the Lock held, before opening.
void readInChildFirst(const std::string& path);

// The most specific message on this thread's HDF5 error stack ("file signature not found"), or "".
// Call with the Lock held, right after the failing call.
std::string lastError();

// Throws IoError(file, problem), with the HDF5 detail appended when there is one.
[[noreturn]] void fail(const std::string& file, const std::string& problem);

// Returns `id`, or throws through fail() when it is negative (a failed HDF5 call).
hid_t check(hid_t id, const std::string& file, const std::string& problem);

// The type a dtype is written as: its own HDF5 type where HDF5 1.10 has one (integers, F32, F64),
// else the unsigned integer of its width (F16/BF16 as U16, F8 and BOOL as U8), little-endian.
hid_t storageType(DType t);

// The dtype of a stored HDF5 type: integers of each width and sign, IEEE float32/float64/float16,
// h5py's boolean enum; nullopt for anything else (strings, compounds, arrays, ...).
std::optional<DType> inferDType(hid_t type);

// Whether data stored with `type` can be read as dtype `t` byte for byte: the type is the one
// storageType(t) writes, or the type's own dtype is t.
bool storesAs(hid_t type, DType t);

// A short description of a stored type for error messages: "compound", "string", "float (16 bytes)".
std::string describeType(hid_t type);

// Reads a scalar string attribute (fixed or variable length); nullopt when the attribute is not a
// string. Throws through fail() on read errors.
std::optional<std::string> readStringAttribute(hid_t attr, const std::string& file);

// Writes (creates) a variable-length UTF-8 string attribute, as h5py does for Python str.
void writeStringAttribute(hid_t object, const std::string& name, const std::string& value,
                          const std::string& file);

} // namespace mg::io::h5
