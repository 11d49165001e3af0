#include "gc/genome/summary.h"

#include "gc/genome/annotation.h"
#include "gc/genome/bed.h"
#include "gc/genome/fasta.h"
#include "gc/genome/vcf.h"
#include "gc/util/line_reader.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace gc::genome {

namespace {

std::string lower_name(const std::filesystem::path& path) {
  std::string name = path.filename().string();
  for (auto& c : name)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name.ends_with(".gz")) name.resize(name.size() - 3);
  if (name.ends_with(".bgz")) name.resize(name.size() - 4);
  return name;
}

std::string_view first_content_line(const std::string& head) {
  std::size_t pos = 0;
  while (pos < head.size()) {
    const auto nl = head.find('\n', pos);
    const std::string_view line(head.data() + pos, (nl == std::string::npos ? head.size() : nl) - pos);
    pos = nl == std::string::npos ? head.size() : nl + 1;
    if (line.empty() || line[0] == '#' || line.starts_with("track") || line.starts_with("browser")) continue;
    return line;
  }
  return {};
}

} // namespace

bool looks_like_fasta(const std::string& head) noexcept {
  const auto first = head.find_first_not_of(" \t\r\n");
  return first != std::string::npos && head[first] == '>';
}

bool looks_like_vcf(const std::string& head) noexcept {
  return head.starts_with("##fileformat=VCF") || head.starts_with("BCF\2");
}

bool looks_like_annotation(const std::filesystem::path& path, const std::string& head) {
  const std::string name = lower_name(path);
  if (name.ends_with(".gtf") || name.ends_with(".gff") || name.ends_with(".gff3")) return true;
  if (head.starts_with("##gff-version")) return true;
  const auto cols = split_tabs(first_content_line(head));
  std::int64_t a = 0;
  std::int64_t b = 0;
  return cols.size() == 9 && parse_int(cols[3], a) && parse_int(cols[4], b);
}

bool looks_like_bed(const std::filesystem::path& path, const std::string& head) {
  const std::string name = lower_name(path);
  if (name.ends_with(".bed") || name.ends_with(".narrowpeak") || name.ends_with(".broadpeak")) return true;
  const auto cols = split_tabs(first_content_line(head));
  std::int64_t a = 0;
  std::int64_t b = 0;
  return cols.size() >= 3 && cols.size() <= 12 && parse_int(cols[1], a) && parse_int(cols[2], b);
}

Json summarize_fasta(const std::filesystem::path& path) { return summarize_fasta(FastaReader(path)); }

Json summarize_fasta(const FastaReader& reader) {
  Json j = Json::object();
  j["format"] = "fasta";
  j["sequences"] = reader.sequences().size();
  j["total_length"] = reader.total_length();
  j["names"] = Json::array_of(reader.names());
  Json lengths = Json::array();
  for (const auto& s : reader.sequences())
    lengths.push_back(s.length);
  j["lengths"] = std::move(lengths);
  const auto storage = reader.storage();
  j["storage"] = storage == FastaStorage::plain   ? "plain"
                 : storage == FastaStorage::bgzip ? "bgzip"
                                                  : "gzip_in_memory";
  return j;
}

Json summarize_annotation(const std::filesystem::path& path) {
  const Annotation a = Annotation::load(path);
  Json j = Json::object();
  j["format"] = std::string(to_string(a.format()));
  j["genes"] = a.genes().size();
  j["transcripts"] = a.transcripts().size();
  j["exons"] = a.exons().size();
  j["cds"] = a.cds().size();
  j["chromosomes"] = Json::array_of(a.chromosomes());
  return j;
}

Json summarize_bed(const std::filesystem::path& path) { return summarize_bed(read_bed(path)); }

Json summarize_bed(const std::vector<BedRecord>& records) {
  std::set<std::string> chroms;
  int columns = 0;
  for (const auto& r : records) {
    chroms.insert(r.chrom);
    columns = std::max(columns, r.columns);
  }
  Json j = Json::object();
  // Every record of a file has the layout of its first one.
  j["format"] = std::string(to_string(records.empty() ? BedFormat::bed : records.front().format));
  j["records"] = records.size();
  j["columns"] = columns;
  j["chromosomes"] = chroms.size();
  return j;
}

Json summarize_variants(const std::filesystem::path& path) {
  const VcfReader reader(path);
  Json j = Json::object();
  j["format"] = reader.format() == VariantFormat::bcf ? "bcf" : "vcf";
  j["compressed"] = reader.format() != VariantFormat::vcf;
  j["records"] = reader.count_records();
  j["samples"] = reader.samples().size();
  j["sample_names"] = Json::array_of(reader.samples());
  j["contigs"] = reader.contigs().size();
  j["indexed"] = reader.has_index();
  return j;
}

} // namespace gc::genome
