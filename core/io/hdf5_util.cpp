#include "io/hdf5_util.h"

#include "io/hdf5_checkpoint.h"
#include "io/io_error.h"
#include "io/strict_json.h"

namespace mg::io {

std::mutex& hdf5Mutex() {
  static std::mutex m;
  return m;
}

} // namespace mg::io

namespace mg::io::h5 {

Lock::Lock() : guard_(hdf5Mutex()) {
  // HDF5 closes what is still open at exit; a file whose last flush failed (disk full) is left in a state
  // where closing it again crashes (HDF5 1.10). Every file here is closed by its owner, so the exit-time
  // sweep has nothing to do but that crash.
  static const bool noExitSweep = [] {
    H5dont_atexit();
    return true;
  }();
  (void)noExitSweep;
  thread_local bool silenced = false;
  if (!silenced) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    silenced = true;
  }
}

Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    reset();
    id_ = o.id_;
    o.id_ = H5I_INVALID_HID;
  }
  return *this;
}

void Handle::reset() {
  // H5Idec_ref closes any kind of identifier once its last reference goes.
  if (id_ >= 0) H5Idec_ref(id_);
  id_ = H5I_INVALID_HID;
}

namespace {

herr_t keepDeepest(unsigned, const H5E_error2_t* err, void* data) {
  if (err->desc && *err->desc) *static_cast<std::string*>(data) = err->desc;
  return 0;
}

// HDF5's description of a failed system call spans lines and names the temporary, its descriptor and buffer
// ("file write failed: time = ...\n, filename = ..., error message = 'No space left on device', ..."): the
// system's message is what the user needs.
std::string oneLine(const std::string& detail) {
  const std::string marker = "error message = '";
  if (const auto at = detail.find(marker); at != std::string::npos) {
    const auto start = at + marker.size();
    if (const auto end = detail.find('\'', start); end != std::string::npos)
      return detail.substr(start, end - start);
  }
  std::string line = detail;
  for (char& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  return line;
}

} // namespace

std::string lastError() {
  std::string deepest;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, keepDeepest, &deepest);
  return oneLine(deepest);
}

void fail(const std::string& file, const std::string& problem) {
  const std::string detail = lastError();
  H5Eclear2(H5E_DEFAULT);
  throw IoError(file, detail.empty() ? problem : problem + " (HDF5: " + detail + ")");
}

hid_t check(hid_t id, const std::string& file, const std::string& problem) {
  if (id < 0) fail(file, problem);
  return id;
}

hid_t storageType(DType t) {
  switch (t) {
  case DType::Bool:
  case DType::U8:
  case DType::F8_E4M3:
  case DType::F8_E5M2: return H5T_STD_U8LE;
  case DType::I8: return H5T_STD_I8LE;
  case DType::I16: return H5T_STD_I16LE;
  case DType::U16:
  case DType::F16:
  case DType::BF16: return H5T_STD_U16LE;
  case DType::I32: return H5T_STD_I32LE;
  case DType::U32: return H5T_STD_U32LE;
  case DType::I64: return H5T_STD_I64LE;
  case DType::U64: return H5T_STD_U64LE;
  case DType::F32: return H5T_IEEE_F32LE;
  case DType::F64: return H5T_IEEE_F64LE;
  }
  return H5I_INVALID_HID;
}

namespace {

std::optional<DType> integerDType(std::size_t size, bool isSigned) {
  switch (size) {
  case 1: return isSigned ? DType::I8 : DType::U8;
  case 2: return isSigned ? DType::I16 : DType::U16;
  case 4: return isSigned ? DType::I32 : DType::U32;
  case 8: return isSigned ? DType::I64 : DType::U64;
  default: return std::nullopt;
  }
}

// Floats are read as raw bytes, so the bit layout must be exactly the IEEE (or bfloat16) one.
std::optional<DType> floatDType(hid_t type) {
  size_t spos = 0, epos = 0, esize = 0, mpos = 0, msize = 0;
  if (H5Tget_fields(type, &spos, &epos, &esize, &mpos, &msize) < 0) return std::nullopt;
  const size_t bias = H5Tget_ebias(type);
  struct Layout {
    std::size_t size, spos, epos, esize, msize, bias;
    DType dtype;
  };
  static const Layout layouts[] = {{4, 31, 23, 8, 23, 127, DType::F32},
                                   {8, 63, 52, 11, 52, 1023, DType::F64},
                                   {2, 15, 10, 5, 10, 15, DType::F16},
                                   {2, 15, 7, 8, 7, 127, DType::BF16}};
  const std::size_t size = H5Tget_size(type);
  for (const auto& l : layouts)
    if (size == l.size && spos == l.spos && epos == l.epos && esize == l.esize && mpos == 0 &&
        msize == l.msize && bias == l.bias)
      return l.dtype;
  return std::nullopt;
}

std::string memberName(hid_t type, unsigned i) {
  char* name = H5Tget_member_name(type, i);
  if (!name) return {};
  std::string s = name;
  H5free_memory(name);
  return s;
}

// h5py writes numpy bool as an 8-bit enum {FALSE = 0, TRUE = 1}.
bool isH5pyBool(hid_t type) {
  if (H5Tget_size(type) != 1 || H5Tget_nmembers(type) != 2) return false;
  for (unsigned i = 0; i < 2; ++i) {
    signed char value = -1;
    if (H5Tget_member_value(type, i, &value) < 0) return false;
    if (memberName(type, i) != (value == 0 ? "FALSE" : "TRUE") || (value != 0 && value != 1)) return false;
  }
  return true;
}

} // namespace

std::optional<DType> inferDType(hid_t type) {
  switch (H5Tget_class(type)) {
  case H5T_INTEGER: return integerDType(H5Tget_size(type), H5Tget_sign(type) == H5T_SGN_2);
  case H5T_FLOAT: return floatDType(type);
  case H5T_ENUM:
    if (isH5pyBool(type)) return DType::Bool;
    return std::nullopt;
  default: return std::nullopt;
  }
}

bool storesAs(hid_t type, DType t) {
  const auto stored = inferDType(type);
  return stored && (*stored == t || *stored == inferDType(storageType(t)));
}

std::string describeType(hid_t type) {
  const char* cls = "unknown";
  switch (H5Tget_class(type)) {
  case H5T_INTEGER: cls = "integer"; break;
  case H5T_FLOAT: cls = "float"; break;
  case H5T_TIME: cls = "time"; break;
  case H5T_STRING: cls = "string"; break;
  case H5T_BITFIELD: cls = "bitfield"; break;
  case H5T_OPAQUE: cls = "opaque"; break;
  case H5T_COMPOUND: cls = "compound"; break;
  case H5T_REFERENCE: cls = "reference"; break;
  case H5T_ENUM: cls = "enum"; break;
  case H5T_VLEN: cls = "variable-length"; break;
  case H5T_ARRAY: cls = "array"; break;
  default: break;
  }
  return std::string(cls) + " (" + std::to_string(H5Tget_size(type)) + " bytes)";
}

std::optional<std::string> readStringAttribute(hid_t attr, const std::string& file) {
  Handle type(check(H5Aget_type(attr), file, "cannot read an attribute's type"));
  if (H5Tget_class(type.get()) != H5T_STRING) return std::nullopt;
  Handle space(check(H5Aget_space(attr), file, "cannot read an attribute's shape"));
  if (H5Sget_simple_extent_npoints(space.get()) != 1) return std::nullopt;

  if (H5Tis_variable_str(type.get()) > 0) {
    Handle mem(H5Tcopy(H5T_C_S1));
    H5Tset_size(mem.get(), H5T_VARIABLE);
    H5Tset_cset(mem.get(), H5Tget_cset(type.get()));
    char* value = nullptr;
    if (H5Aread(attr, mem.get(), &value) < 0) fail(file, "cannot read a string attribute");
    std::string s = value ? value : "";
    H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, &value);
    return s;
  }
  const std::size_t size = H5Tget_size(type.get());
  std::string s(size, '\0');
  if (size && H5Aread(attr, type.get(), s.data()) < 0) fail(file, "cannot read a string attribute");
  if (H5Tget_strpad(type.get()) == H5T_STR_SPACEPAD) {
    s.erase(s.find_last_not_of(' ') + 1);
  } else if (const auto nul = s.find('\0'); nul != std::string::npos) {
    s.erase(nul);
  }
  return s;
}

void writeStringAttribute(hid_t object, const std::string& name, const std::string& value,
                          const std::string& file) {
  // HDF5 strings are NUL-terminated: an embedded NUL would silently cut the value.
  if (value.find('\0') != std::string::npos)
    throw IoError(file,
                  "attribute " + quoteName(name) + " holds a NUL character, which HDF5 strings cannot store");
  Handle type(check(H5Tcopy(H5T_C_S1), file, "cannot create a string type"));
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  Handle space(check(H5Screate(H5S_SCALAR), file, "cannot create a dataspace"));
  Handle attr(check(H5Acreate2(object, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), file,
                    "cannot create attribute " + quoteName(name)));
  const char* data = value.c_str();
  if (H5Awrite(attr.get(), type.get(), &data) < 0) fail(file, "cannot write attribute " + quoteName(name));
}

} // namespace mg::io::h5
