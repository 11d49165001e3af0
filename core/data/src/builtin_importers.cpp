// The importers of the formats the core reads (DESIGN §5). Each decides by content where the
// content says enough, by extension otherwise, and opens through its module's reader.
#include "gc/data/importer.h"
#include "gc/data/summary.h"

#include "gc/expr/edge_list.h"
#include "gc/expr/formats.h"
#include "gc/genome/bedgraph.h"
#include "gc/genome/bigwig.h"
#include "gc/genome/motifs.h"
#include "gc/genome/summary.h"
#include "gc/hic/cooler.h"
#include "gc/hic/juicer.h"
#include "gc/util/atomic_file.h"
#include "gc/util/error.h"

#include <charconv>
#include <functional>
#include <set>

namespace gc::data {
namespace fs = std::filesystem;

namespace {

// An importer assembled from functions, for the built-in formats.
class FunctionImporter final : public Importer {
public:
  struct Spec {
    std::string id;
    std::string description;
    Kind kind;
    std::function<Match(const Probe&)> recognise;
    std::function<Dataset(const Probe&, const Progress&)> open;
    std::function<Json(const Probe&, const Progress&)> describe; // empty: open(...).info
  };
  explicit FunctionImporter(Spec spec) : m_spec(std::move(spec)) {}
  std::string id() const override { return m_spec.id; }
  std::string description() const override { return m_spec.description; }
  Kind kind() const override { return m_spec.kind; }
  Match recognise(const Probe& probe) const override {
    try {
      return m_spec.recognise(probe);
    } catch (const std::exception&) {
      return Match::none; // a file this importer cannot even sniff is not its format
    }
  }
  Dataset open(const Probe& probe, const Progress& progress) const override {
    Dataset d = m_spec.open(probe, progress);
    d.kind = m_spec.kind;
    if (d.format.empty()) d.format = m_spec.id;
    if (!d.info.contains("format")) d.info["format"] = d.format;
    progress.update(1.0);
    return d;
  }
  Json describe(const Probe& probe, const Progress& progress) const override {
    return m_spec.describe ? m_spec.describe(probe, progress) : open(probe, progress).info;
  }

private:
  Spec m_spec;
};

Match by_extension(const Probe& p, std::initializer_list<std::string_view> extensions) {
  for (auto e : extensions)
    if (p.extension == e) return Match::extension;
  return Match::none;
}

bool has_extension(const Probe& p, std::initializer_list<std::string_view> extensions) {
  return by_extension(p, extensions) == Match::extension;
}

constexpr std::string_view hdf5_magic{"\x89HDF\r\n\x1a\n", 8};

// Chromosomes in order of first appearance, lengths unknown (0).
template <typename Records, typename Name>
std::vector<genome::ChromLength> chroms_of(const Records& records, Name name_of) {
  std::vector<genome::ChromLength> out;
  std::set<std::string> seen;
  for (const auto& r : records)
    if (const std::string& n = name_of(r); seen.insert(n).second) out.push_back({n, 0});
  return out;
}

Dataset start(const Probe& p, const Progress& progress) {
  Dataset d;
  d.path = fs::absolute(p.file).lexically_normal();
  d.uri = p.uri;
  progress.update(0.02, "reading " + p.file.filename().string());
  return d;
}

Dataset records_dataset(const Probe& p, const Progress& progress, std::vector<genome::BedRecord> records,
                        Json info) {
  // The records are read by now, under the first 90% of `progress`.
  Dataset d = start(p, progress.sub(0.9, 1.0));
  d.chroms = chroms_of(records, [](const genome::BedRecord& r) -> const std::string& { return r.chrom; });
  d.summary = count_text(records.size()) + " records on " + std::to_string(d.chroms.size()) + " chromosomes";
  d.info = std::move(info);
  d.intervals = std::make_shared<const std::vector<genome::BedRecord>>(std::move(records));
  return d;
}

// narrowPeak (BED6+4) and broadPeak (BED6+3): fields 7.. are numbers.
bool looks_like_peaks(const Probe& p, std::size_t columns) {
  const auto line = p.first_data_line();
  std::size_t n = 1;
  for (char c : line)
    n += c == '\t';
  return n == columns;
}

// Registered before the expression and FASTA importers: a JASPAR file is a numeric table under
// '>' headers, which both would otherwise claim.
void add_motif_importer(Registry& r) {
  r.add(std::make_shared<FunctionImporter>(FunctionImporter::Spec{
            "motifs", "TF motifs: JASPAR, TRANSFAC or MEME matrices (plain or gzip)", Kind::motifs,
            [](const Probe& p) {
              if (genome::detect_motif_format(p.head)) return Match::content;
              return by_extension(p, {"jaspar", "pfm", "transfac", "meme"});
            },
            [](const Probe& p, const Progress& progress) {
              Dataset d = start(p, progress);
              // The format is read off the head the importer recognised, so the file is read once.
              const auto format = genome::detect_motif_format(p.head);
              auto motifs = std::make_shared<const std::vector<genome::Motif>>(
                  format ? genome::read_motifs(p.file, *format) : genome::read_motifs(p.file));
              d.info = format ? genome::summarize_motifs(*motifs, *format) : genome::summarize_motifs(p.file);
              d.summary =
                  count_text(motifs->size()) + " motifs (" + d.info.at("motif_format").as_string() + ")";
              d.motifs = std::move(motifs);
              return d;
            },
            [](const Probe& p, const Progress&) { return genome::summarize_motifs(p.file); }}),
        "built-in");
}

void add_genome_importers(Registry& r) {
  r.add(std::make_shared<FunctionImporter>(FunctionImporter::Spec{
            "fasta", "FASTA genome (plain, gzip or bgzip; .fai/.gzi built when missing)", Kind::genome,
            [](const Probe& p) {
              if (genome::looks_like_fasta(p.head)) return Match::content;
              return by_extension(p, {"fa", "fasta", "fna"});
            },
            [](const Probe& p, const Progress& progress) {
              Dataset d = start(p, progress);
              auto fasta = std::make_shared<const genome::FastaReader>(p.file, progress.sub(0.02, 0.9));
              d.chroms = fasta->sequences();
              d.summary =
                  std::to_string(d.chroms.size()) + " sequences, " + length_text(fasta->total_length());
              d.info = genome::summarize_fasta(*fasta);
              d.fasta = std::move(fasta);
              return d;
            },
            [](const Probe& p, const Progress&) { return genome::summarize_fasta(p.file); }}),
        "built-in");
  r.add(std::make_shared<FunctionImporter>(FunctionImporter::Spec{
            "annotation", "GTF / GFF3 gene annotation", Kind::annotation,
            [](const Probe& p) {
              if (genome::looks_like_annotation(p.file, p.head)) return Match::content;
              return by_extension(p, {"gtf", "gff", "gff3"});
            },
            [](const Probe& p, const Progress& progress) {
              Dataset d = start(p, progress);
              auto a = std::make_shared<const genome::Annotation>(
                  genome::Annotation::load(p.file, progress.sub(0.02, 0.9)));
              for (const auto& c : a->chromosomes())
                d.chroms.push_back({c, 0});
              d.summary = count_text(a->genes().size()) + " genes, " + count_text(a->transcripts().size()) +
                          " transcripts, " + count_text(a->exons().size()) + " exons";
              d.info = Json::object();
              d.info["format"] = has_extension(p, {"gtf"}) ? "gtf" : "gff3";
              d.info["genes"] = a->genes().size();
              d.info["transcripts"] = a->transcripts().size();
              d.info["exons"] = a->exons().size();
              d.format = d.info["format"].as_string();
              d.annotation = std::move(a);
              return d;
            },
            [](const Probe& p, const Progress&) { return genome::summarize_annotation(p.file); }}),
        "built-in");
  r.add(std::make_shared<FunctionImporter>(FunctionImporter::Spec{
            "vcf", "VCF / BCF variants (bgzip + tabix/csi when indexed)", Kind::variants,
            [](const Probe& p) {
              if (genome::looks_like_vcf(p.head) || p.starts_with(std::string_view("BCF\2", 4)))
                return Match::content;
              return by_extension(p, {"vcf", "bcf"});
            },
            [](const Probe& p, const Progress& progress) {
              Dataset d = start(p, progress);
              const genome::VcfReader reader(p.file);
              auto table = std::make_shared<const genome::VariantTable>(
                  reader.read_all(false, progress.sub(0.02, 0.9)));
              d.chroms =
                  !table->contigs.empty()
                      ? table->contigs
                      : chroms_of(table->sites,
                                  [](const genome::VariantSite& s) -> const std::string& { return s.chrom; });
              d.summary = count_text(table->sites.size()) + " sites, " +
                          std::to_string(reader.samples().size()) + " samples";
              d.info = Json::object();
              d.info["format"] = p.starts_with(std::string_view("BCF\2", 4)) ? "bcf" : "vcf";
              d.info["records"] = table->sites.size();
              d.info["samples"] = reader.samples().size();
              d.format = d.info["format"].as_string();
              d.variants = std::move(table);
              return d;
            },
            [](const Probe& p, const Progress&) { return genome::summarize_variants(p.file); }}),
        "built-in");
  // Peaks before bedGraph before plain BED: the more specific layouts claim their files first.
  for (const auto& [id, columns, description] :
       {std::tuple<std::string, std::size_t, std::string>{"narrowpeak", 10,
                                                          "narrowPeak peaks (BED6+4, MACS/ENCODE)"},
        {"broadpeak", 9, "broadPeak regions (BED6+3, MACS/ENCODE)"}}) {
    r.add(std::make_shared<FunctionImporter>(FunctionImporter::Spec{
              id, description, Kind::intervals,
              [id = id, columns = columns](const Probe& p) {
                const bool named = p.extension == id;
                if (named && looks_like_peaks(p, columns)) return Match::content;
                return named ? Match::extension : Match::none;
              },
              [](const Probe& p, const Progress& progress) {
                auto records = genome::read_bed(p.file, progress.sub(0.0, 0.9));
                Json info = genome::summarize_bed(records);
                return records_dataset(p, progress, std::move(records), std::move(info));
              },
              [](const Probe& p, const Progress&) { return genome::summarize_bed(p.file); }}),
          "built-in");
  }
  r.add(std::make_shared<FunctionImporter>(FunctionImporter::Spec{
            "bedgraph",
            "bedGraph signal track",
            Kind::signal,
            [](const Probe& p) {
              const bool named = has_extension(p, {"bg", "bedgraph", "bdg"});
              if (genome::declares_bedgraph(p.head))
                return named || p.head.find("type=bedGraph") != std::string::npos ? Match::content
                                                                                  : Match::none;
              return named ? Match::extension : Match::none;
            },
            [](const Probe& p, const Progress& progress) {
              auto records = genome::read_bedgraph(p.file, progress.sub(0.0, 0.9));
              Json info = Json::object();
              info["format"] = "bedgraph";
              info["records"] = records.size();
              double lo = 0, hi = 0;
              for (std::size_t i = 0; i < records.size(); ++i) {
                lo = i ? std::min(lo, records[i].score) : records[i].score;
                hi = i ? std::max(hi, records[i].score) : records[i].score;
              }
              info["min"] = lo;
              info["max"] = hi;
              Dataset d = records_dataset(p, progress, std::move(records), info);
              d.info["chromosomes"] = static_cast<std::int64_t>(d.chroms.size());
              return d;
            },
            {}}),
        "built-in");
  r.add(std::make_shared<FunctionImporter>(FunctionImporter::Spec{
            "bigwig", "bigWig signal track (read on demand through libBigWig)", Kind::signal,
            [](const Probe& p) {
              if (genome::looks_like_bigwig(p.head)) return Match::content;
              return by_extension(p, {"bw", "bigwig"});
            },
            [](const Probe& p, const Progress& progress) {
              Dataset d = start(p, progress);
              auto reader = std::make_shared<const genome::BigWigReader>(p.file);
              d.chroms = reader->chromosomes();
              d.info = genome::summarize_bigwig(*reader);
              d.summary = std::to_string(d.chroms.size()) + " chromosomes, " +
                          length_text(static_cast<std::int64_t>(reader->summary().bases_covered)) +
                          " covered";
              // Only the reader is kept: views read the windows they show, so big and small
              // files take the same path.
              d.bigwig = std::move(reader);
              return d;
            },
            [](const Probe& p, const Progress&) { return genome::summarize_bigwig(p.file); }}),
        "built-in");
  r.add(std::make_shared<FunctionImporter>(FunctionImporter::Spec{
            "bed", "BED intervals (BED3 to BED12)", Kind::intervals,
            [](const Probe& p) {
              // A file named as a more specific BED-like layout is that layout's to accept or refuse.
              if (has_extension(p, {"bg", "bedgraph", "bdg", "narrowpeak", "broadpeak"})) return Match::none;
              if (genome::looks_like_bed(p.file, p.head)) return Match::content;
              return by_extension(p, {"bed"});
            },
            [](const Probe& p, const Progress& progress) {
              auto records = genome::read_bed(p.file, progress.sub(0.0, 0.9));
              Json info = genome::summarize_bed(records);
              return records_dataset(p, progress, std::move(records), std::move(info));
            },
            [](const Probe& p, const Progress&) { return genome::summarize_bed(p.file); }}),
        "built-in");
}

void add_hic_importers(Registry& r) {
  const auto open_hic = [](const Probe& p, const Progress& progress) {
    Dataset d = start(p, progress);
    progress.check();
    // A single-cell cooler holds one map per cell: open the first and say which (the URI can
    // name another, file.scool::/cells/NAME).
    std::string uri = p.uri;
    if (uri.find("::") == std::string::npos && p.starts_with(hdf5_magic) &&
        hic::sniff_cooler(p.file) == hic::CoolerKind::single_cell) {
      const auto cells = hic::list_cells(p.file);
      if (cells.empty()) throw InputError("the single-cell cooler holds no cells").file(p.file.string());
      uri += "::/cells/" + cells.front();
      d.uri = uri;
    }
    d.hic = std::make_shared<const hic::Resolutions>(hic::open_resolutions(uri));
    progress.check();
    const auto& finest = *d.hic->maps.front();
    for (const auto& c : finest.bins().chroms)
      d.chroms.push_back(genome::ChromLength{c.name, c.length});
    std::string sizes;
    for (const auto& m : d.hic->maps) {
      const auto s = m->bins().bin_size;
      sizes += (sizes.empty() ? "" : ", ") + (s > 0 ? length_text(s) : std::string("variable bins"));
    }
    d.summary = std::to_string(d.chroms.size()) + " chromosomes, " +
                count_text(static_cast<std::size_t>(finest.bins().size())) + " bins; resolutions " + sizes;
    // The format from what the file is, the rest from the maps just opened (no second read).
    std::string format = "hic";
    if (p.starts_with(hdf5_magic)) {
      const auto kind = hic::sniff_cooler(p.file);
      format = kind == hic::CoolerKind::multires      ? "mcool"
               : kind == hic::CoolerKind::single_cell ? "scool"
                                                      : "cool";
    }
    d.info = describe_contacts(*d.hic, format);
    d.format = format;
    if (uri != p.uri) {
      d.info["showing"] = uri.substr(uri.find("::") + 2);
      d.summary += "; showing " + uri.substr(uri.rfind('/') + 1);
    }
    return d;
  };
  r.add(std::make_shared<FunctionImporter>(FunctionImporter::Spec{
            "juicer", "Juicer .hic contact map (versions 8 and 9)", Kind::hic,
            [](const Probe& p) {
              if (p.starts_with(std::string_view("HIC\0", 4))) return Match::content;
              return by_extension(p, {"hic"});
            },
            open_hic, [](const Probe& p, const Progress&) { return describe_contacts(p.uri); }}),
        "built-in");
  r.add(std::make_shared<FunctionImporter>(FunctionImporter::Spec{
            "cooler", "cooler contact map (.cool, .mcool, .scool)", Kind::hic,
            [](const Probe& p) {
              if (p.starts_with(hdf5_magic))
                return hic::sniff_cooler(p.file) != hic::CoolerKind::not_cooler ? Match::content
                                                                                : Match::none;
              return by_extension(p, {"cool", "mcool", "scool"});
            },
            open_hic, [](const Probe& p, const Progress&) { return describe_contacts(p.uri); }}),
        "built-in");
}

void add_expression_importers(Registry& r) {
  r.add(std::make_shared<FunctionImporter>(FunctionImporter::Spec{
            "pseudotime", "BEELINE PseudoTime.csv (cells × trajectories)", Kind::pseudotime,
            [](const Probe& p) {
              return p.name.starts_with("pseudotime.") || p.name.starts_with("deterministicpt.")
                         ? Match::content
                         : Match::none;
            },
            [](const Probe& p, const Progress& progress) {
              Dataset d = start(p, progress);
              d.info = expr::describe_pseudotime(p.file);
              d.summary = count_text(static_cast<std::size_t>(d.info.value("cells", 0.0))) + " cells, " +
                          std::to_string(static_cast<int>(d.info.value("columns", 0.0))) + " trajectories";
              return d;
            },
            [](const Probe& p, const Progress&) { return expr::describe_pseudotime(p.file); }}),
        "built-in");
  r.add(std::make_shared<FunctionImporter>(FunctionImporter::Spec{
            "edge_list", "network edge list (BEELINE refNetwork.csv, ranked edges)", Kind::network,
            [](const Probe& p) {
              if (p.directory) return Match::none;
              const std::string first(p.head.substr(0, p.head.find('\n')));
              return expr::looks_like_edge_list_header(first) ? Match::content : Match::none;
            },
            [](const Probe& p, const Progress& progress) {
              Dataset d = start(p, progress);
              d.info = expr::describe_edge_list(p.file);
              d.summary = count_text(static_cast<std::size_t>(d.info.value("edges", 0.0))) + " edges";
              return d;
            },
            [](const Probe& p, const Progress&) { return expr::describe_edge_list(p.file); }}),
        "built-in");
  r.add(std::make_shared<FunctionImporter>(FunctionImporter::Spec{
            "expression", "expression matrix (.h5ad, 10x .h5, .mtx folder, CSV/TSV)", Kind::expression,
            [](const Probe& p) {
              // A '#'-commented header over numeric rows is a sample sheet (DREAM5's chip
              // features), not a matrix: its columns are annotations, not genes or cells.
              if (!p.directory && p.head.starts_with('#') && p.head.find('\t') < p.head.find('\n'))
                return Match::none;
              return expr::detect_expression_format(p.file, p.head) ? Match::content : Match::none;
            },
            [](const Probe& p, const Progress& progress) {
              Dataset d = start(p, progress);
              const auto format = expr::detect_expression_format(p.file, p.head);
              if (!format) throw InputError("not a recognised expression matrix").file(p.file.string());
              progress.check();
              auto m = std::make_shared<const expr::ExpressionMatrix>(
                  expr::load_expression(p.file, {}, progress.sub(0.02, 0.9)));
              progress.check();
              d.format = expr::format_name(*format);
              // h5ad's description reads metadata only; the other formats' would read the whole
              // matrix again, so theirs is taken from the matrix just loaded.
              if (*format == expr::ExpressionFormat::h5ad) {
                d.info = expr::describe_expression(p.file, *format);
              } else {
                d.info = Json::object();
                d.info["format"] = d.format;
                d.info["cells"] = m->n_cells();
                d.info["genes"] = m->n_genes();
                d.info["nnz"] = m->x.nnz();
                d.info["var_columns"] = Json::array_of(m->var.column_names());
              }
              d.summary = d.format + ": " + count_text(static_cast<std::size_t>(m->n_cells())) + " cells × " +
                          count_text(static_cast<std::size_t>(m->n_genes())) + " genes";
              d.expression = std::move(m);
              return d;
            },
            [](const Probe& p, const Progress&) {
              const auto format = expr::detect_expression_format(p.file, p.head);
              if (!format) throw InputError("not a recognised expression matrix").file(p.file.string());
              return expr::describe_expression(p.file, *format);
            }}),
        "built-in");
}

// Index files are recognised so that `info` says what they are instead of "unrecognised".
void add_index_importer(Registry& r) {
  r.add(std::make_shared<FunctionImporter>(FunctionImporter::Spec{
            "index",
            "index of another file (.fai, .gzi, .tbi, .csi)",
            Kind::index,
            [](const Probe& p) {
              // An index's name is what identifies it (a .fai is a plain table otherwise).
              if (p.starts_with(std::string_view("TBI\1", 4)) ||
                  p.starts_with(std::string_view("CSI\1", 4)) ||
                  has_extension(p, {"fai", "gzi", "tbi", "csi"}))
                return Match::content;
              return Match::none;
            },
            [](const Probe& p, const Progress& progress) {
              Dataset d = start(p, progress);
              fs::path target = p.file;
              target.replace_extension();
              d.info = Json::object();
              d.info["format"] = p.extension.empty() ? std::string("index") : p.extension;
              d.info["indexes"] = target.filename().string();
              d.info["target_exists"] = fs::exists(target);
              d.format = d.info["format"].as_string();
              d.summary = "index of " + target.filename().string();
              return d;
            },
            {}}),
        "built-in");
}

// Complete lines of the head (the last one may be cut off), without comments and blanks.
std::vector<std::string_view> head_lines(const Probe& p, std::size_t max_lines = 50) {
  std::vector<std::string_view> out;
  std::string_view rest(p.head);
  while (!rest.empty() && out.size() < max_lines) {
    const auto nl = rest.find('\n');
    if (nl == std::string_view::npos && p.head.size() >= 64 * 1024) break; // cut off
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.front() != '#') out.push_back(line);
  }
  return out;
}

std::vector<std::string_view> fields_of(std::string_view line, char delimiter) {
  std::vector<std::string_view> out;
  for (std::size_t pos = 0;;) {
    const auto d = line.find(delimiter, pos);
    out.push_back(line.substr(pos, d == std::string_view::npos ? std::string_view::npos : d - pos));
    if (d == std::string_view::npos) return out;
    pos = d + 1;
  }
}

bool is_integer(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// NAME LENGTH per line (tab or space), as UCSC's chrom.sizes and cooler's tests write them.
std::optional<std::vector<genome::ChromLength>> parse_sizes(const Probe& p, bool whole_file) {
  std::vector<genome::ChromLength> out;
  const std::string text = whole_file ? read_text_file(p.file) : p.head;
  std::string_view rest(text);
  std::size_t line_no = 0;
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    if (!whole_file && nl == std::string_view::npos) break;
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const auto sep = line.find_first_of("\t ");
    const auto name = line.substr(0, sep);
    const auto value =
        sep == std::string_view::npos ? std::string_view::npos : line.find_first_not_of("\t ", sep);
    std::string_view length = value == std::string_view::npos ? std::string_view() : line.substr(value);
    while (!length.empty() && (length.back() == ' ' || length.back() == '\t'))
      length.remove_suffix(1);
    std::int64_t bp = 0;
    const auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), bp);
    if (name.empty() || length.empty() || ec != std::errc() || end != length.data() + length.size() ||
        bp <= 0) {
      if (!whole_file) return std::nullopt;
      throw InputError("expected NAME LENGTH (a positive whole number)")
          .file(p.file.string())
          .record("line " + std::to_string(line_no));
    }
    out.push_back({std::string(name), bp});
  }
  if (out.empty()) return std::nullopt;
  return out;
}

void add_table_importers(Registry& r) {
  r.add(std::make_shared<FunctionImporter>(FunctionImporter::Spec{
            "chrom_sizes",
            "chromosome sizes (NAME LENGTH per line)",
            Kind::sizes,
            [](const Probe& p) {
              if (p.directory || p.compressed) return Match::none;
              const bool named =
                  p.name.ends_with(".chrom.sizes") || p.extension == "sizes" || p.extension == "genome";
              return named && parse_sizes(p, false) ? Match::content : Match::none;
            },
            [](const Probe& p, const Progress& progress) {
              Dataset d = start(p, progress);
              d.chroms = *parse_sizes(p, true);
              std::int64_t total = 0;
              for (const auto& c : d.chroms)
                total += c.length;
              d.summary = std::to_string(d.chroms.size()) + " chromosomes, " + length_text(total);
              d.info = Json::object();
              d.info["format"] = "chrom_sizes";
              d.info["chromosomes"] = d.chroms.size();
              d.info["total_length"] = total;
              return d;
            },
            {}}),
        "built-in");
  // Last of all: delimited text with the same number of fields on every line (id maps, gene
  // lists, sample sheets, headerless edge lists, cooler's text dumps). Recognised so that a user
  // learns what the file is; no view or model interprets it.
  r.add(std::make_shared<FunctionImporter>(FunctionImporter::Spec{
            "table",
            "delimited text table (recognised, not interpreted)",
            Kind::table,
            [](const Probe& p) {
              if (p.directory || p.head.find('\0') != std::string::npos) return Match::none;
              const auto lines = head_lines(p);
              if (lines.size() < 2) return Match::none;
              // Tabular layout is weak evidence (reported as an extension-level match).
              for (const char delimiter : {'\t', ','}) {
                const auto n = fields_of(lines.front(), delimiter).size();
                bool same = true;
                for (const auto& l : lines)
                  same = same && fields_of(l, delimiter).size() == n;
                if (same && n >= 2) return Match::extension;
              }
              // One identifier per line (gene or TF lists): no spaces inside.
              for (const auto& l : lines)
                if (l.find_first_of(" \t,") != std::string_view::npos) return Match::none;
              // Weak evidence: a file named for a specific format (genes.fa, x.bed) goes to that
              // format's reader, which explains what is wrong with it.
              return Match::extension;
            },
            [](const Probe& p, const Progress& progress) {
              Dataset d = start(p, progress);
              const auto lines = head_lines(p);
              const char delimiter = fields_of(lines.front(), '\t').size() >= 2 ? '\t' : ',';
              const auto columns = fields_of(lines.front(), delimiter).size();
              std::int64_t rows = 0;
              {
                const std::string text = read_text_file(p.file);
                for (std::size_t pos = 0; pos < text.size();) {
                  const auto nl = text.find('\n', pos);
                  const auto end = nl == std::string::npos ? text.size() : nl;
                  if (end > pos && text[pos] != '#') ++rows;
                  pos = end + 1;
                }
              }
              d.info = Json::object();
              d.info["format"] = "table";
              d.info["rows"] = rows;
              d.info["columns"] = columns;
              d.info["delimiter"] = delimiter == '\t' ? "tab" : "comma";
              d.info["first_line"] = std::string(lines.front().substr(0, 200));
              d.summary = count_text(static_cast<std::size_t>(rows)) + " rows × " + std::to_string(columns) +
                          " columns";
              return d;
            },
            {}}),
        "built-in");
}

} // namespace

// cooler's text dumps: `cooler dump --join` (.bg2: chrom1 start1 end1 chrom2 start2 end2 count
// [balanced]) and bin-id triplets (.coo: bin1 bin2 count [balanced]). They carry no bin table,
// so they are recognised and summarised, not opened as maps.
void add_contact_dump_importer(Registry& r) {
  r.add(
      std::make_shared<FunctionImporter>(FunctionImporter::Spec{
          "contact_dump",
          "cooler text dump of contacts (.bg2 joined pixels, .coo bin triplets)",
          Kind::table,
          [](const Probe& p) {
            const bool bg2 = p.extension == "bg2", coo = p.extension == "coo";
            if (!bg2 && !coo) return Match::none;
            const auto lines = head_lines(p, 10);
            for (const auto& l : lines) {
              const auto f = fields_of(l, '\t');
              const bool ok = bg2 ? f.size() >= 7 && is_integer(f[1]) && is_integer(f[2]) &&
                                        is_integer(f[4]) && is_integer(f[5])
                                  : f.size() >= 3 && is_integer(f[0]) && is_integer(f[1]);
              if (!ok) return Match::extension;
            }
            return lines.empty() ? Match::extension : Match::content;
          },
          [](const Probe& p, const Progress& progress) {
            Dataset d = start(p, progress);
            const std::string text = read_text_file(p.file);
            std::int64_t pixels = 0;
            std::set<std::string> chroms;
            for (std::size_t pos = 0, line = 1; pos < text.size(); ++line) {
              const auto nl = text.find('\n', pos);
              const std::string_view l(text.data() + pos, (nl == std::string::npos ? text.size() : nl) - pos);
              pos = nl == std::string::npos ? text.size() : nl + 1;
              if (l.empty() || l.front() == '#') continue;
              const auto f = fields_of(l, '\t');
              const bool bg2 = p.extension == "bg2";
              if (f.size() < (bg2 ? 7u : 3u))
                throw InputError("expected " + std::string(bg2 ? "7" : "3") + " or more tab-separated fields")
                    .file(p.file.string())
                    .record("line " + std::to_string(line));
              if (bg2) {
                chroms.insert(std::string(f[0]));
                chroms.insert(std::string(f[3]));
              }
              ++pixels;
            }
            d.format = p.extension;
            d.info = Json::object();
            d.info["format"] = p.extension;
            d.info["pixels"] = pixels;
            if (!chroms.empty()) d.info["chromosomes"] = static_cast<std::int64_t>(chroms.size());
            d.summary = count_text(static_cast<std::size_t>(pixels)) + " pixels (text dump)";
            return d;
          },
          {}}),
      "built-in");
}

void register_builtin_importers(Registry& registry) {
  add_hic_importers(registry);
  add_contact_dump_importer(registry);
  add_index_importer(registry);
  add_motif_importer(registry);
  add_expression_importers(registry);
  add_genome_importers(registry);
  add_table_importers(registry);
}

} // namespace gc::data
