#pragma once
// FASTA access through htslib faidx. Plain and bgzip files are indexed (.fai, and .gzi for
// bgzip), building the index next to the file when missing and the folder is writable, or in a
// private temporary folder otherwise. Plain gzip cannot be indexed, so it is read into memory
// (with a warning that `bgzip` would make opening faster). Fetches are thread-safe: each call
// borrows one of a pool of faidx handles, so concurrent callers never re-open the file.
#include "gc/genome/chrom_aliases.h"
#include "gc/genome/region.h"
#include "gc/util/progress.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace gc::genome {

enum class FastaStorage { plain, bgzip, gzip_in_memory };

class FastaReader {
public:
  // Throws gc::InputError (file named) for a missing/empty/unreadable file, a file that does not
  // start with a '>' header, corrupt or truncated compression, or an index that cannot be built.
  explicit FastaReader(const std::filesystem::path& path);
  // The same, reporting to `progress` and throwing gc::Cancelled when it is cancelled. Reading a
  // plain gzip file into memory reports as it goes and stops within a few thousand lines.
  // Building an index is one htslib call (fai_build3) that cannot be interrupted: cancellation is
  // checked before it and after it. The index is written under a temporary name and renamed into
  // place only once complete, so a cancelled or failed open never leaves a partial .fai/.gzi; an
  // index completed before the cancellation is seen is kept for the next open.
  FastaReader(const std::filesystem::path& path, const Progress& progress);
  ~FastaReader();
  FastaReader(FastaReader&&) noexcept;
  FastaReader& operator=(FastaReader&&) noexcept;
  FastaReader(const FastaReader&) = delete;
  FastaReader& operator=(const FastaReader&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const noexcept;
  [[nodiscard]] FastaStorage storage() const noexcept;
  [[nodiscard]] const std::vector<ChromLength>& sequences() const noexcept;
  [[nodiscard]] std::vector<std::string> names() const;
  [[nodiscard]] std::int64_t total_length() const noexcept;
  [[nodiscard]] bool contains(const std::string& name) const noexcept;
  // Length of a sequence (resolved through aliases); throws gc::InputError when unknown.
  [[nodiscard]] std::int64_t length(const std::string& name) const;
  // The name this FASTA uses for `name` (exact, "chr" prefix, or alias); throws when none.
  [[nodiscard]] std::string resolve_name(const std::string& name) const;

  // Bases [start, end) of `name` as stored (case and IUPAC codes kept). The name is resolved
  // through the built-in aliases; the interval must lie inside the sequence.
  [[nodiscard]] std::string fetch(const std::string& name, std::int64_t start, std::int64_t end) const;
  // A whole-chromosome region fetches the whole sequence. Returns the region actually fetched
  // (canonical name, end filled in) through `fetched` when given.
  [[nodiscard]] std::string fetch(const Region& region, Region* fetched = nullptr) const;

  // Upper bound on the decompressed-block cache of each pooled handle (bgzip only).
  void set_cache_bytes(int bytes);

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// FASTA text of one record: ">name\n" then `width` bases per line.
[[nodiscard]] std::string format_fasta_record(const std::string& name, std::string_view sequence,
                                              std::size_t width = 60);

} // namespace gc::genome
