// `info FILE`: summarises any file the data layer can read, choosing the reader by content.
#include "cli.h"

#include "gc/util/error.h"

#include <zlib.h>

#include <array>
#include <fstream>
#include <memory>

namespace gc::cli {
namespace {

// First bytes of the file, transparently decompressed for gzip/bgzip.
std::string read_head(const std::filesystem::path& path, bool& compressed) {
  std::array<char, 4096> buf{};
  std::ifstream raw(path, std::ios::binary);
  raw.read(buf.data(), 2);
  compressed = raw.gcount() == 2 && static_cast<unsigned char>(buf[0]) == 0x1f &&
               static_cast<unsigned char>(buf[1]) == 0x8b;
  if (!compressed) {
    raw.seekg(0);
    raw.read(buf.data(), buf.size());
    return std::string(buf.data(), static_cast<std::size_t>(raw.gcount()));
  }
  std::unique_ptr<gzFile_s, decltype(&gzclose)> gz(gzopen(path.c_str(), "rb"), &gzclose);
  if (!gz) throw InputError("cannot open gzip stream").file(path.string());
  const int n = gzread(gz.get(), buf.data(), static_cast<unsigned>(buf.size()));
  if (n < 0) throw InputError("corrupt gzip data at the start of the file").file(path.string());
  return std::string(buf.data(), static_cast<std::size_t>(n));
}

Json run_info(Args& args) {
  const std::string file = args.positional("FILE");
  args.finish();
  // Hi-C URIs (file.mcool::/resolutions/N) name a group inside a file.
  const std::string on_disk = file.substr(0, file.find("::"));
  // Some formats are folders (10x .mtx output): offer them to the providers with an empty head.
  if (std::filesystem::is_directory(on_disk)) {
    for (const auto& provider : info_providers()) {
      if (provider.sniff(file, std::string())) return provider.describe(file);
    }
    throw InputError("is a directory (no reader recognises its contents)").file(on_disk);
  }
  require_readable_file(on_disk);
  if (std::filesystem::file_size(on_disk) == 0) throw InputError("file is empty").file(on_disk);
  bool compressed = false;
  const std::string head = read_head(on_disk, compressed);
  for (const auto& provider : info_providers()) {
    if (provider.sniff(file, head)) return provider.describe(file);
  }
  std::string known;
  for (const auto& provider : info_providers())
    known += (known.empty() ? "" : ", ") + provider.format_family;
  throw InputError("unrecognised file format" + std::string(compressed ? " (gzip-compressed)" : "") +
                   (known.empty() ? std::string("; this build reads no data formats yet")
                                  : "; readable formats: " + known))
      .file(on_disk);
}

const Registration info_command{{"info", "info FILE [--json]",
                                 "Summarise a genome, annotation, variant, expression or Hi-C file",
                                 run_info}};

} // namespace
} // namespace gc::cli
