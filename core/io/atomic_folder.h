#pragma once
// Builds a folder (a sharded export, an adapter) under a hidden staging name beside its
// destination and moves it into place only when complete: a failed or cancelled export leaves the
// destination as it was. An existing destination folder is replaced. What a killed process left is removed by
// the next AtomicFolder of the same destination (io/stale_temporaries.h).
#include <string>

namespace mg::io {

class AtomicFolder {
public:
  explicit AtomicFolder(std::string destination); // creates the staging folder; throws IoError
  ~AtomicFolder();                                // removes the staging folder unless committed
  AtomicFolder(const AtomicFolder&) = delete;
  AtomicFolder& operator=(const AtomicFolder&) = delete;

  const std::string& stagingPath() const { return staging_; }
  const std::string& destination() const { return destination_; }
  // Copies the file `source` into the folder as `name`. A failure names the file as it would be called in
  // place, or the source if reading it failed (IoError).
  void copyFile(const std::string& source, const std::string& name);
  void commit(); // throws IoError

private:
  std::string destination_, staging_;
  int lock_ = -1; // the staging folder, locked while this writer lives (io/stale_temporaries.h)
  bool committed_ = false;
};

} // namespace mg::io
