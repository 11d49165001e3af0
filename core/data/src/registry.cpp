#include "gc/data/importer.h"

#include "gc/util/error.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>

namespace gc::data {
namespace fs = std::filesystem;

void register_builtin_importers(Registry& registry); // builtin_importers.cpp

namespace {

constexpr std::size_t head_bytes = 64 * 1024;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The head of the file, decompressed when it is gzip/bgzip.
std::string read_head(const fs::path& path, bool& compressed) {
  std::array<unsigned char, 2> magic{};
  {
    std::ifstream raw(path, std::ios::binary);
    if (!raw) throw InputError("cannot open the file").file(path.string());
    raw.read(reinterpret_cast<char*>(magic.data()), 2);
    compressed = raw.gcount() == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    if (!compressed) {
      raw.clear();
      raw.seekg(0);
      std::string buf(head_bytes, '\0');
      raw.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      buf.resize(static_cast<std::size_t>(raw.gcount()));
      return buf;
    }
  }
  std::unique_ptr<gzFile_s, decltype(&gzclose)> gz(gzopen(path.c_str(), "rb"), &gzclose);
  if (!gz) throw InputError("cannot open gzip stream").file(path.string());
  std::string buf(head_bytes, '\0');
  const int n = gzread(gz.get(), buf.data(), static_cast<unsigned>(buf.size()));
  // A head shorter than a gzip block is fine; an error before any byte is corrupt data.
  if (n < 0) throw InputError("corrupt gzip data at the start of the file").file(path.string());
  buf.resize(static_cast<std::size_t>(n));
  return buf;
}

} // namespace

Registry::Registry() { register_builtin_importers(*this); }

Registry& Registry::global() {
  static Registry registry;
  return registry;
}

void Registry::add(std::shared_ptr<const Importer> importer, std::string origin) {
  const std::lock_guard lock(m_mutex);
  const bool builtin = origin == "built-in";
  auto pos = builtin ? m_importers.end()
                     : std::find_if(m_importers.begin(), m_importers.end(),
                                    [](const RegisteredImporter& r) { return r.origin == "built-in"; });
  m_importers.insert(pos, {std::move(importer), std::move(origin)});
}

std::vector<RegisteredImporter> Registry::importers() const {
  const std::lock_guard lock(m_mutex);
  return m_importers;
}

std::shared_ptr<const Importer> Registry::find(const Probe& probe) const {
  const auto list = importers();
  std::shared_ptr<const Importer> by_extension;
  for (const auto& r : list) {
    const Match m = r.importer->recognise(probe);
    if (m == Match::content) return r.importer;
    if (m == Match::extension && !by_extension) by_extension = r.importer;
  }
  if (by_extension) return by_extension;
  std::string known;
  for (const auto& r : list)
    known += (known.empty() ? "" : ", ") + r.importer->id();
  if (probe.directory)
    throw InputError("is a directory that no reader recognises (readable formats: " + known + ")")
        .file(probe.file.string());
  throw InputError(std::string("unrecognised file format") + (probe.compressed ? " (gzip-compressed)" : "") +
                   "; readable formats: " + known)
      .file(probe.file.string());
}

Probe probe(const std::string& uri) {
  Probe p;
  p.uri = uri;
  p.file = fs::path(uri.substr(0, uri.find("::")));
  p.name = lower(p.file.filename().string());
  std::string stem = p.name;
  if (stem.size() > 3 && stem.ends_with(".gz")) stem.resize(stem.size() - 3);
  if (const auto dot = stem.rfind('.'); dot != std::string::npos) p.extension = stem.substr(dot + 1);
  std::error_code ec;
  if (!fs::exists(p.file, ec)) throw InputError("no such file").file(p.file.string());
  if (fs::is_directory(p.file, ec)) {
    p.directory = true;
    return p;
  }
  require_readable_file(p.file);
  if (fs::file_size(p.file, ec) == 0) throw InputError("file is empty").file(p.file.string());
  p.head = read_head(p.file, p.compressed);
  return p;
}

std::shared_ptr<const Importer> detect(const std::string& uri) { return Registry::global().find(probe(uri)); }

std::shared_ptr<const Dataset> open(const std::string& uri, const Progress& progress) {
  const Probe p = probe(uri);
  const auto importer = Registry::global().find(p);
  try {
    auto d = std::make_shared<Dataset>(importer->open(p, progress));
    if (d->path.empty()) d->path = fs::absolute(p.file).lexically_normal();
    if (d->uri.empty()) d->uri = uri;
    if (d->format.empty()) d->format = importer->id();
    d->kind = importer->kind();
    return d;
  } catch (Error& e) {
    if (e.file_name().empty()) e.file(p.file.string());
    throw;
  }
}

Json describe(const std::string& uri, const Progress& progress) {
  const Probe p = probe(uri);
  const auto importer = Registry::global().find(p);
  try {
    Json j = importer->describe(p, progress);
    if (!j.contains("kind")) j["kind"] = std::string(to_string(importer->kind()));
    return j;
  } catch (Error& e) {
    if (e.file_name().empty()) e.file(p.file.string());
    throw;
  }
}

std::string_view to_string(Kind kind) noexcept {
  switch (kind) {
  case Kind::genome: return "genome";
  case Kind::annotation: return "annotation";
  case Kind::intervals: return "intervals";
  case Kind::signal: return "signal";
  case Kind::variants: return "variants";
  case Kind::hic: return "hic";
  case Kind::expression: return "expression";
  case Kind::pseudotime: return "pseudotime";
  case Kind::network: return "network";
  case Kind::motifs: return "motifs";
  case Kind::index: return "index";
  case Kind::sizes: return "sizes";
  case Kind::table: return "table";
  }
  return "unknown";
}

} // namespace gc::data
