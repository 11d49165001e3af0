#pragma once
// The one dataset-opening layer (DESIGN §2): an importer per format, asked in turn whether it
// recognises a file (by content first, by extension second), then asked to open or describe it.
// The built-in importers cover the formats of DESIGN §5; plugins add theirs to the registry.
#include "gc/data/dataset.h"
#include "gc/util/progress.h"

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace gc::data {

// What an importer sees of a file before deciding.
struct Probe {
  std::string uri;            // as given (may carry "::group")
  std::filesystem::path file; // the part on disk
  bool directory = false;
  bool compressed = false; // gzip/bgzip: `head` is decompressed
  std::string head;        // up to the first 64 KiB of the content (empty for folders)
  std::string name;        // file name, lower case
  std::string extension;   // lower case, without a final ".gz" ("fa", "bed", "mcool", ...)

  // Bytes [0, n) of the raw head compared with `magic`.
  [[nodiscard]] bool starts_with(std::string_view magic) const noexcept;
  // The first line that is not empty and does not start with '#', or empty.
  [[nodiscard]] std::string_view first_data_line() const noexcept;
};

// How sure an importer is: content evidence wins over a matching extension.
enum class Match { none = 0, extension = 1, content = 2 };

class Importer {
public:
  virtual ~Importer() = default;
  // Stable id, also the dataset's `format` ("fasta", "narrowpeak", "pairs", ...).
  [[nodiscard]] virtual std::string id() const = 0;
  // For people and `plugins --json` ("4DN .pairs (binned like cooler cload pairs)").
  [[nodiscard]] virtual std::string description() const = 0;
  [[nodiscard]] virtual Kind kind() const = 0;
  // Must not throw for files of other formats; reads at most small metadata beyond `probe`.
  [[nodiscard]] virtual Match recognise(const Probe& probe) const = 0;
  // Opens the file into a dataset (reads it whole where the views need it whole). Long reads
  // report through `progress` and stop with gc::Cancelled when it is cancelled.
  [[nodiscard]] virtual Dataset open(const Probe& probe, const Progress& progress) const = 0;
  // A summary for `info` without reading more than needed. Defaults to open(...).info.
  [[nodiscard]] virtual Json describe(const Probe& probe, const Progress& progress) const;
};

// Where an importer came from, for `plugins --json` and Help ▸ Plugins.
struct RegisteredImporter {
  std::shared_ptr<const Importer> importer;
  std::string origin; // "built-in" or the plugin's file
};

class Registry {
public:
  // The process-wide registry, with the built-in importers.
  [[nodiscard]] static Registry& global();
  // Plugins' importers go first among equals: a plugin may claim a format more precisely.
  void add(std::shared_ptr<const Importer> importer, std::string origin);
  [[nodiscard]] std::vector<RegisteredImporter> importers() const;
  // The importer for `probe`: the first content match, else the first extension match.
  // Throws gc::InputError naming the file and listing the known formats when none matches.
  [[nodiscard]] std::shared_ptr<const Importer> find(const Probe& probe) const;

private:
  Registry();
  mutable std::mutex m_mutex;
  std::vector<RegisteredImporter> m_importers;
};

// Reads the head of `uri` (gzip-transparent) and its name. Throws gc::InputError for a missing,
// unreadable or empty file.
[[nodiscard]] Probe probe(const std::string& uri);

// The format `uri` holds; throws gc::InputError when no importer recognises it.
[[nodiscard]] std::shared_ptr<const Importer> detect(const std::string& uri);
// Opens `uri` through the importer that recognises it; errors name the file.
[[nodiscard]] std::shared_ptr<const Dataset> open(const std::string& uri, const Progress& progress = {});
// `info`: {"format", "kind", ...} from the importer that recognises `uri`.
[[nodiscard]] Json describe(const std::string& uri, const Progress& progress = {});

} // namespace gc::data
