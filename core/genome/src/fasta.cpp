#include "gc/genome/fasta.h"

#include "hts_handles.h"

#include "gc/util/atomic_file.h"
#include "gc/util/error.h"
#include "gc/util/line_reader.h"
#include "gc/util/log.h"
#include "gc/util/step_progress.h"
#include "gc/util/temp_dir.h"

#include <unistd.h>

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace gc::genome {

namespace fs = std::filesystem;

struct FastaReader::Impl {
  fs::path path;
  FastaStorage storage = FastaStorage::plain;
  std::vector<ChromLength> sequences;
  std::vector<std::string> names;
  std::unordered_map<std::string, std::size_t> by_name;
  std::int64_t total = 0;

  // Indexed storage: a pool of faidx handles over the same index files.
  std::string fai_path;
  std::string gzi_path;
  // Private index folder when the FASTA's folder is read-only; declared before `pool` so the
  // faidx handles are closed before the folder is removed.
  std::optional<TempDir> temp_dir;
  int cache_bytes = 32 << 20;
  std::mutex pool_mutex;
  std::vector<detail::FaiPtr> pool;

  // gzip storage: the whole genome in memory.
  std::vector<std::string> in_memory;

  void add_sequence(std::string name, std::int64_t length) {
    if (by_name.count(name) != 0)
      throw InputError("duplicate sequence name '" + name + "'").file(path.string());
    by_name.emplace(name, sequences.size());
    names.push_back(name);
    sequences.push_back({std::move(name), length});
    total += length;
  }

  detail::FaiPtr open_handle() const {
    detail::FaiPtr fai(
        fai_load3(path.c_str(), fai_path.c_str(), gzi_path.empty() ? nullptr : gzi_path.c_str(), 0));
    if (!fai) throw InputError("cannot open the FASTA index " + fai_path).file(path.string());
    if (storage == FastaStorage::bgzip) fai_set_cache_size(fai.get(), cache_bytes);
    return fai;
  }

  detail::FaiPtr borrow() {
    {
      const std::lock_guard lock(pool_mutex);
      if (!pool.empty()) {
        auto h = std::move(pool.back());
        pool.pop_back();
        return h;
      }
    }
    return open_handle();
  }

  void give_back(detail::FaiPtr h) {
    const std::lock_guard lock(pool_mutex);
    pool.push_back(std::move(h));
  }

  void load_gzip_into_memory(const Progress& progress);
  void build_index(int compression, const Progress& progress);
};

namespace {

// The first non-blank line must be a '>' header; faidx would otherwise report an obscure error
// or index nothing.
void require_fasta_header(const fs::path& path) {
  LineReader reader(path);
  std::string line;
  while (reader.next_line(line)) {
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    if (line[first] == '>') return;
    throw InputError("not a FASTA file: expected a '>' header line before any sequence")
        .file(path.string())
        .record("line " + std::to_string(reader.line_number()));
  }
  throw InputError("no FASTA records (no '>' header line)").file(path.string());
}

bool index_is_current(const fs::path& index, const fs::path& data) {
  std::error_code ec;
  if (!fs::is_regular_file(index, ec) || fs::file_size(index, ec) == 0) return false;
  const auto ti = fs::last_write_time(index, ec);
  if (ec) return false;
  const auto td = fs::last_write_time(data, ec);
  return !ec && ti >= td;
}

bool folder_writable(const fs::path& file) {
  const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
  return ::access(dir.c_str(), W_OK) == 0;
}

} // namespace

void FastaReader::Impl::load_gzip_into_memory(const Progress& progress) {
  log::warning(path.string(),
               " is plain gzip, which cannot be indexed: reading it into memory. Recompress it with "
               "`bgzip` (zcat FILE | bgzip > FILE.bgz) for fast random access.");
  LineReader reader(path);
  std::string line;
  std::vector<std::string> found_names;
  StepProgress steps(progress, "reading " + path.filename().string() + " into memory");
  while (reader.next_line(line)) {
    steps.tick([&] { return reader.fraction(); });
    if (!line.empty() && line[0] == '>') {
      const auto end = line.find_first_of(" \t", 1);
      std::string name = line.substr(1, end == std::string::npos ? std::string::npos : end - 1);
      if (name.empty()) {
        throw InputError("FASTA header without a name")
            .file(path.string())
            .record("line " + std::to_string(reader.line_number()));
      }
      found_names.push_back(std::move(name));
      in_memory.emplace_back();
      continue;
    }
    if (in_memory.empty()) {
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      throw InputError("not a FASTA file: expected a '>' header line before any sequence")
          .file(path.string())
          .record("line " + std::to_string(reader.line_number()));
    }
    auto& seq = in_memory.back();
    for (const char c : line) {
      if (!std::isspace(static_cast<unsigned char>(c))) seq.push_back(c);
    }
  }
  if (in_memory.empty()) throw InputError("no FASTA records (no '>' header line)").file(path.string());
  for (std::size_t i = 0; i < in_memory.size(); ++i) {
    in_memory[i].shrink_to_fit();
    add_sequence(found_names[i], static_cast<std::int64_t>(in_memory[i].size()));
  }
}

namespace {

// htslib divides by the bases per line when it fetches, so an index whose line width is 0 (a
// record whose first sequence line holds no bases, e.g. only control characters) would crash
// the fetch (SIGFPE) instead of failing it. Columns: name, length, offset, bases/line, bytes/line.
void check_index_line_widths(const std::string& fai_path, const fs::path& fasta) {
  std::ifstream in(fai_path);
  if (!in) throw InputError("cannot read the FASTA index " + fai_path).file(fasta.string());
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    std::vector<std::string_view> fields;
    std::string_view rest = line;
    for (std::size_t tab; (tab = rest.find('\t')) != std::string_view::npos; rest.remove_prefix(tab + 1))
      fields.push_back(rest.substr(0, tab));
    fields.push_back(rest);
    std::int64_t value[3] = {-1, -1, -1}; // length, bases per line, bytes per line
    bool ok = fields.size() >= 5;
    for (std::size_t k = 0; ok && k < 3; ++k) {
      const auto field = fields[k == 0 ? 1 : k + 2];
      const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value[k]);
      ok = ec == std::errc() && end == field.data() + field.size() && value[k] >= 0;
    }
    if (!ok)
      throw InputError("malformed FASTA index " + fai_path + " at line " + std::to_string(number))
          .file(fasta.string());
    if (value[0] > 0 && (value[1] == 0 || value[2] < value[1]))
      throw InputError("sequence '" + std::string(fields[0]) +
                       "' has no bases on its first line (control characters or an empty line?); "
                       "FASTA lines must hold bases")
          .file(fasta.string());
  }
}

} // namespace

// fai_build3 reads the whole file in one call that offers no hook, so cancellation is checked
// before and after it. It writes into temporary names that are renamed into place only when it
// succeeds, so neither a failure nor a cancellation leaves a partial index behind.
void FastaReader::Impl::build_index(int compression, const Progress& progress) {
  const bool bgzip = compression == bgzf;
  fai_path = path.string() + ".fai";
  gzi_path = bgzip ? path.string() + ".gzi" : std::string();
  const bool current = index_is_current(fai_path, path) && (!bgzip || index_is_current(gzi_path, path));
  if (current) return;
  progress.update(0.0, "indexing " + path.filename().string());
  auto build = [&](const std::string& fai, const std::string& gzi) {
    if (fai_build3(path.c_str(), fai.c_str(), gzi.empty() ? nullptr : gzi.c_str()) != 0) {
      throw InputError("cannot index the FASTA file: it is malformed, truncated or has inconsistent line "
                       "lengths within a record")
          .file(path.string());
    }
  };
  if (folder_writable(path)) {
    log::info("indexing ", path.string());
    write_atomically(fai_path, [&](const fs::path& tmp_fai) {
      if (!bgzip) {
        build(tmp_fai.string(), {});
        return;
      }
      write_atomically(gzi_path, [&](const fs::path& tmp_gzi) { build(tmp_fai.string(), tmp_gzi.string()); });
    });
    // The index is complete and in place: a cancellation seen now keeps it for the next open.
    progress.update(1.0, "indexed " + path.filename().string());
    return;
  }
  // Read-only folder: keep the index in a private temporary folder for this reader's lifetime.
  try {
    temp_dir.emplace("gc-faidx");
  } catch (Error& e) {
    e.context("indexing " + path.string());
    throw;
  }
  const fs::path& dir = temp_dir->path();
  fai_path = (dir / "index.fai").string();
  gzi_path = bgzip ? (dir / "index.gzi").string() : std::string();
  log::info(path.parent_path().string(), " is read-only: indexing ", path.filename().string(), " in ",
            dir.string());
  build(fai_path, gzi_path);
  // The private folder goes with this reader, so a cancellation now leaves nothing behind either.
  progress.update(1.0, "indexed " + path.filename().string());
}

FastaReader::FastaReader(const fs::path& path) : FastaReader(path, Progress{}) {}

FastaReader::FastaReader(const fs::path& path, const Progress& progress) : m_impl(std::make_unique<Impl>()) {
  detail::quiet_htslib();
  m_impl->path = path;
  require_readable_file(path.string());
  if (fs::file_size(path) == 0) throw InputError("file is empty").file(path.string());
  progress.update(0.0, "opening " + path.filename().string());
  require_fasta_header(path);
  int compression = no_compression;
  {
    detail::BgzfPtr probe(bgzf_open(path.c_str(), "r"));
    if (!probe) throw InputError("cannot open file").file(path.string());
    compression = bgzf_compression(probe.get());
  }
  if (compression == gzip) {
    m_impl->storage = FastaStorage::gzip_in_memory;
    m_impl->load_gzip_into_memory(progress.sub(0.0, 0.98));
    progress.update(1.0, "read " + path.filename().string());
    return;
  }
  m_impl->storage = compression == bgzf ? FastaStorage::bgzip : FastaStorage::plain;
  m_impl->build_index(compression, progress.sub(0.0, 0.9));
  check_index_line_widths(m_impl->fai_path, path);
  auto handle = m_impl->open_handle();
  const int n = faidx_nseq(handle.get());
  if (n <= 0) throw InputError("no FASTA records").file(path.string());
  for (int i = 0; i < n; ++i) {
    const char* name = faidx_iseq(handle.get(), i);
    m_impl->add_sequence(name, faidx_seq_len(handle.get(), name));
  }
  m_impl->give_back(std::move(handle));
  progress.update(1.0, "opened " + path.filename().string());
}

FastaReader::~FastaReader() = default;
FastaReader::FastaReader(FastaReader&&) noexcept = default;
FastaReader& FastaReader::operator=(FastaReader&&) noexcept = default;

const fs::path& FastaReader::path() const noexcept { return m_impl->path; }
FastaStorage FastaReader::storage() const noexcept { return m_impl->storage; }
const std::vector<ChromLength>& FastaReader::sequences() const noexcept { return m_impl->sequences; }
std::vector<std::string> FastaReader::names() const { return m_impl->names; }
std::int64_t FastaReader::total_length() const noexcept { return m_impl->total; }
bool FastaReader::contains(const std::string& name) const noexcept {
  return m_impl->by_name.count(name) != 0;
}

std::string FastaReader::resolve_name(const std::string& name) const {
  if (contains(name)) return name;
  return ChromAliases::builtin().resolve(name, m_impl->names, m_impl->path.string());
}

std::int64_t FastaReader::length(const std::string& name) const {
  return m_impl->sequences[m_impl->by_name.at(resolve_name(name))].length;
}

std::string FastaReader::fetch(const std::string& name, std::int64_t start, std::int64_t end) const {
  const std::string canonical = resolve_name(name);
  const std::int64_t len = m_impl->sequences[m_impl->by_name.at(canonical)].length;
  if (start < 0 || end < start || end > len) {
    throw InputError("interval [" + std::to_string(start) + ", " + std::to_string(end) + ") lies outside " +
                     canonical + " (" + std::to_string(len) + " bp)")
        .file(m_impl->path.string());
  }
  if (start == end) return {};
  if (m_impl->storage == FastaStorage::gzip_in_memory) {
    return m_impl->in_memory[m_impl->by_name.at(canonical)].substr(static_cast<std::size_t>(start),
                                                                   static_cast<std::size_t>(end - start));
  }
  auto handle = m_impl->borrow();
  hts_pos_t got = 0;
  detail::MallocPtr<char> bases(faidx_fetch_seq64(handle.get(), canonical.c_str(), start, end - 1, &got));
  if (!bases || got != end - start) {
    // The handle may be in a bad state after a read error; drop it rather than return it.
    throw InputError("cannot read " + canonical + ":" + std::to_string(start + 1) + "-" +
                     std::to_string(end) + ": the file is truncated or corrupt")
        .file(m_impl->path.string());
  }
  m_impl->give_back(std::move(handle));
  return std::string(bases.get(), static_cast<std::size_t>(got));
}

std::string FastaReader::fetch(const Region& region, Region* fetched) const {
  Region r = region;
  r.chrom = resolve_name(region.chrom);
  r = clamp_to_chromosome(r, length(r.chrom));
  std::string seq = fetch(r.chrom, r.start, r.end);
  if (fetched != nullptr) *fetched = r;
  return seq;
}

void FastaReader::set_cache_bytes(int bytes) {
  const std::lock_guard lock(m_impl->pool_mutex);
  m_impl->cache_bytes = bytes;
  if (m_impl->storage != FastaStorage::bgzip) return;
  for (auto& h : m_impl->pool)
    fai_set_cache_size(h.get(), bytes);
}

std::string format_fasta_record(const std::string& name, std::string_view sequence, std::size_t width) {
  std::string out;
  out.reserve(name.size() + 2 + sequence.size() + sequence.size() / std::max<std::size_t>(width, 1) + 1);
  out += '>';
  out += name;
  out += '\n';
  if (width == 0) width = sequence.size() == 0 ? 1 : sequence.size();
  for (std::size_t i = 0; i < sequence.size(); i += width) {
    out.append(sequence.substr(i, width));
    out += '\n';
  }
  return out;
}

} // namespace gc::genome
