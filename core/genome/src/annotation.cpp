#include "gc/genome/annotation.h"

#include "gc/util/error.h"
#include "gc/util/line_reader.h"
#include "gc/util/step_progress.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <limits>
#include <map>
#include <tuple>
#include <unordered_map>

namespace gc::genome {

namespace fs = std::filesystem;

namespace {

using LineSource = std::function<bool(std::string&)>;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The nine GFF/GTF columns of one feature line, validated.
struct FeatureLine {
  std::string_view chrom;
  std::string_view type;
  std::int64_t start = 0; // 0-based half-open
  std::int64_t end = 0;
  Strand strand = Strand::unknown;
  int phase = -1;
  std::string_view attributes;
};

FeatureLine parse_columns(std::string_view line, const std::string& origin, std::size_t line_no) {
  auto fail = [&](const std::string& what) {
    return InputError(what).file(origin).record("line " + std::to_string(line_no));
  };
  const auto cols = split_tabs(line);
  if (cols.size() != 9) {
    throw fail("expected 9 tab-separated columns, found " + std::to_string(cols.size()));
  }
  FeatureLine f;
  f.chrom = cols[0];
  f.type = cols[2];
  if (f.chrom.empty()) throw fail("empty sequence name (column 1)");
  std::int64_t start = 0;
  std::int64_t end = 0;
  if (!parse_int(cols[3], start)) throw fail("start '" + std::string(cols[3]) + "' is not an integer");
  if (!parse_int(cols[4], end)) throw fail("end '" + std::string(cols[4]) + "' is not an integer");
  if (start < 1) throw fail("start " + std::to_string(start) + " is below 1 (coordinates are 1-based)");
  if (start > end) {
    throw fail("start " + std::to_string(start) + " is after end " + std::to_string(end));
  }
  f.start = start - 1;
  f.end = end;
  const std::string_view strand = cols[6];
  if (strand == "+") {
    f.strand = Strand::plus;
  } else if (strand == "-") {
    f.strand = Strand::minus;
  } else if (strand == "." || strand == "?") {
    f.strand = Strand::unknown;
  } else {
    throw fail("strand '" + std::string(strand) + "' is not +, - or .");
  }
  const std::string_view phase = cols[7];
  if (phase == "0" || phase == "1" || phase == "2") {
    f.phase = phase[0] - '0';
  } else if (phase != ".") {
    throw fail("phase '" + std::string(phase) + "' is not 0, 1, 2 or .");
  }
  f.attributes = cols[8];
  return f;
}

// GTF: key "value"; key value; ...
std::vector<std::pair<std::string_view, std::string_view>> gtf_attributes(std::string_view text) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == ';'))
      ++i;
    const std::size_t key_start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != ';')
      ++i;
    const std::string_view key = text.substr(key_start, i - key_start);
    while (i < text.size() && text[i] == ' ')
      ++i;
    std::string_view value;
    if (i < text.size() && text[i] == '"') {
      const auto close = text.find('"', i + 1);
      const std::size_t stop = close == std::string_view::npos ? text.size() : close;
      value = text.substr(i + 1, stop - i - 1);
      i = stop + 1;
    } else {
      const std::size_t value_start = i;
      while (i < text.size() && text[i] != ';')
        ++i;
      value = text.substr(value_start, i - value_start);
      while (!value.empty() && value.back() == ' ')
        value.remove_suffix(1);
    }
    if (!key.empty()) out.emplace_back(key, value);
  }
  return out;
}

std::string url_unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() + 0 && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// GFF3: key=value;key=v1,v2 with URL escapes (%3B, %2C, ...).
std::vector<std::pair<std::string, std::string>> gff3_attributes(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto semi = text.find(';', start);
    if (semi == std::string_view::npos) semi = text.size();
    std::string_view item = text.substr(start, semi - start);
    while (!item.empty() && item.front() == ' ')
      item.remove_prefix(1);
    const auto eq = item.find('=');
    if (eq != std::string_view::npos && eq > 0) {
      out.emplace_back(url_unescape(item.substr(0, eq)), std::string(item.substr(eq + 1)));
    }
    start = semi + 1;
  }
  return out;
}

template <typename Attrs>
std::string_view attribute(const Attrs& attrs, std::string_view key) {
  for (const auto& [k, v] : attrs) {
    if (k == key) return v;
  }
  return {};
}

void extend(std::int64_t& start, std::int64_t& end, std::int64_t s, std::int64_t e) {
  start = std::min(start, s);
  end = std::max(end, e);
}

constexpr std::int64_t unset_start = std::numeric_limits<std::int64_t>::max();

Annotation parse_gtf(const LineSource& next, const std::string& origin, const Progress& progress) {
  std::vector<Gene> genes;
  std::vector<Transcript> transcripts;
  std::vector<Segment> exons;
  std::vector<Segment> cds;
  std::unordered_map<std::string, std::size_t> gene_of;
  std::unordered_map<std::string, std::size_t> transcript_of;
  std::vector<bool> gene_explicit;
  std::vector<bool> transcript_explicit;
  std::string line;
  std::size_t line_no = 0;
  bool any_feature = false;
  while (next(line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    const FeatureLine f = parse_columns(line, origin, line_no);
    any_feature = true;
    const auto attrs = gtf_attributes(f.attributes);
    auto fail = [&](const std::string& what) {
      return InputError(what).file(origin).record("line " + std::to_string(line_no));
    };
    const std::string gene_id(attribute(attrs, "gene_id"));
    if (gene_id.empty()) throw fail("missing gene_id attribute");
    auto [git, new_gene] = gene_of.try_emplace(gene_id, genes.size());
    if (new_gene) {
      Gene g;
      g.id = gene_id;
      g.chrom = std::string(f.chrom);
      g.start = unset_start;
      g.end = 0;
      g.strand = f.strand;
      genes.push_back(std::move(g));
      gene_explicit.push_back(false);
    }
    Gene& gene = genes[git->second];
    if (const auto name = attribute(attrs, "gene_name"); !name.empty()) gene.name = std::string(name);
    if (auto bt = attribute(attrs, "gene_biotype");
        !bt.empty() || !(bt = attribute(attrs, "gene_type")).empty()) {
      gene.biotype = std::string(bt);
    }
    if (f.type == "gene") {
      gene.start = f.start;
      gene.end = f.end;
      gene.chrom = std::string(f.chrom);
      gene.strand = f.strand;
      gene_explicit[git->second] = true;
      continue;
    }
    if (!gene_explicit[git->second]) extend(gene.start, gene.end, f.start, f.end);
    const std::string transcript_id(attribute(attrs, "transcript_id"));
    if (transcript_id.empty()) {
      if (f.type == "transcript" || f.type == "exon" || f.type == "CDS") {
        throw fail("missing transcript_id attribute on a " + std::string(f.type) + " line");
      }
      continue;
    }
    auto [tit, new_tx] = transcript_of.try_emplace(transcript_id, transcripts.size());
    if (new_tx) {
      Transcript t;
      t.id = transcript_id;
      t.chrom = std::string(f.chrom);
      t.start = unset_start;
      t.end = 0;
      t.strand = f.strand;
      t.gene = git->second;
      gene.transcripts.push_back(transcripts.size());
      transcripts.push_back(std::move(t));
      transcript_explicit.push_back(false);
    }
    Transcript& tx = transcripts[tit->second];
    if (const auto name = attribute(attrs, "transcript_name"); !name.empty()) tx.name = std::string(name);
    if (auto bt = attribute(attrs, "transcript_biotype");
        !bt.empty() || !(bt = attribute(attrs, "transcript_type")).empty()) {
      tx.biotype = std::string(bt);
    }
    if (f.type == "transcript") {
      tx.start = f.start;
      tx.end = f.end;
      transcript_explicit[tit->second] = true;
      continue;
    }
    if (!transcript_explicit[tit->second]) extend(tx.start, tx.end, f.start, f.end);
    if (f.type == "exon" || f.type == "CDS") {
      auto& list = f.type == "exon" ? exons : cds;
      auto& refs = f.type == "exon" ? tx.exons : tx.cds;
      refs.push_back(list.size());
      list.push_back(
          {std::string(f.chrom), f.start, f.end, f.strand, f.type == "CDS" ? f.phase : -1, tit->second});
    }
  }
  if (!any_feature) throw InputError("no annotation features found").file(origin);
  progress.update(0.0, "indexing genes");
  return Annotation(AnnotationFormat::gtf, std::move(genes), std::move(transcripts), std::move(exons),
                    std::move(cds));
}

bool is_gene_type(std::string_view type) {
  return type == "gene" || type == "pseudogene" || type.ends_with("_gene");
}

bool is_transcript_type(std::string_view type) {
  return type == "mRNA" || type == "transcript" || type.ends_with("RNA") || type.ends_with("_transcript") ||
         type == "pseudogenic_transcript";
}

std::string biotype_from_transcript_type(std::string_view type) {
  if (type == "mRNA") return "protein_coding";
  if (type == "pseudogenic_transcript") return "pseudogene";
  return std::string(type);
}

Annotation parse_gff3(const LineSource& next, const std::string& origin, const Progress& progress) {
  struct Raw {
    std::string chrom;
    std::string type;
    std::int64_t start, end;
    Strand strand;
    int phase;
    std::string id, name, biotype, gene_attr;
    std::vector<std::string> parents;
    std::size_t line_no;
  };
  std::vector<Raw> raw;
  std::string line;
  std::size_t line_no = 0;
  while (next(line)) {
    ++line_no;
    if (line.starts_with("##FASTA")) break;
    if (line.empty() || line[0] == '#') continue;
    if (line.size() > 0 && line[0] == '>') break; // FASTA section without the directive
    const FeatureLine f = parse_columns(line, origin, line_no);
    const auto attrs = gff3_attributes(f.attributes);
    Raw r{std::string(f.chrom),
          std::string(f.type),
          f.start,
          f.end,
          f.strand,
          f.phase,
          {},
          {},
          {},
          {},
          {},
          line_no};
    r.id = url_unescape(attribute(attrs, "ID"));
    r.name = url_unescape(attribute(attrs, "Name"));
    r.gene_attr = url_unescape(attribute(attrs, "gene"));
    std::string_view bt = attribute(attrs, "biotype");
    if (bt.empty()) bt = attribute(attrs, "gene_biotype");
    if (bt.empty()) bt = attribute(attrs, "transcript_biotype");
    r.biotype = url_unescape(bt);
    const std::string_view parents = attribute(attrs, "Parent");
    std::size_t s = 0;
    while (s < parents.size()) {
      auto comma = parents.find(',', s);
      if (comma == std::string_view::npos) comma = parents.size();
      if (comma > s) r.parents.push_back(url_unescape(parents.substr(s, comma - s)));
      s = comma + 1;
    }
    raw.push_back(std::move(r));
  }
  if (raw.empty()) throw InputError("no annotation features found").file(origin);
  // Linking features to their parents takes three passes over them: a third of the stage each.
  progress.update(0.0, "linking features");
  StepProgress linking(progress, "linking features");
  const auto pass = [&](int k, std::size_t i) {
    linking.tick([&] { return (k + static_cast<double>(i) / static_cast<double>(raw.size())) / 3.0; });
  };

  std::vector<Gene> genes;
  std::vector<Transcript> transcripts;
  std::vector<Segment> exons;
  std::vector<Segment> cds;
  std::unordered_map<std::string, std::size_t> gene_of;       // by ID
  std::unordered_map<std::string, std::size_t> transcript_of; // by ID
  std::unordered_map<std::size_t, std::size_t> implicit_tx;   // gene -> transcript made for direct children

  auto add_gene = [&](const Raw& r) {
    Gene g;
    g.id = r.id.empty() ? r.name : r.id;
    g.name = !r.name.empty() ? r.name : r.gene_attr;
    g.biotype = r.biotype.empty() && r.type == "pseudogene" ? "pseudogene" : r.biotype;
    g.chrom = r.chrom;
    g.start = r.start;
    g.end = r.end;
    g.strand = r.strand;
    if (!r.id.empty()) gene_of.emplace(r.id, genes.size());
    genes.push_back(std::move(g));
    return genes.size() - 1;
  };
  auto add_transcript = [&](const Raw& r, std::size_t gene, const std::string& id) {
    Transcript t;
    t.id = id;
    t.name = r.name;
    t.biotype = r.biotype.empty() ? biotype_from_transcript_type(r.type) : r.biotype;
    t.chrom = r.chrom;
    t.start = r.start;
    t.end = r.end;
    t.strand = r.strand;
    t.gene = gene;
    genes[gene].transcripts.push_back(transcripts.size());
    transcripts.push_back(std::move(t));
    return transcripts.size() - 1;
  };

  std::map<std::tuple<std::string, std::int64_t, std::int64_t, char>, std::size_t> gene_at;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    pass(0, i);
    const Raw& r = raw[i];
    if (!is_gene_type(r.type)) continue;
    const std::size_t gi = add_gene(r);
    gene_at.try_emplace(std::make_tuple(r.chrom, r.start, r.end, static_cast<char>(r.strand)), gi);
  }
  for (std::size_t i = 0; i < raw.size(); ++i) {
    pass(1, i);
    const Raw& r = raw[i];
    if (is_gene_type(r.type) || r.type == "exon" || r.type == "CDS") continue;
    const auto parent_gene = r.parents.empty() ? gene_of.end() : gene_of.find(r.parents.front());
    if (parent_gene != gene_of.end()) {
      const std::size_t t = add_transcript(r, parent_gene->second, r.id);
      if (!r.id.empty()) transcript_of.emplace(r.id, t);
    } else if (r.parents.empty() && is_transcript_type(r.type)) {
      // No Parent (NCBI links some tRNAs to their gene only through Dbxref): attach it to a gene
      // with the same extent, else give it a gene of its own so lookups still work.
      const auto same = gene_at.find(std::make_tuple(r.chrom, r.start, r.end, static_cast<char>(r.strand)));
      const std::size_t gi = same != gene_at.end() ? same->second : add_gene(r);
      const std::size_t t = add_transcript(r, gi, r.id);
      if (!r.id.empty()) transcript_of[r.id] = t;
    }
  }
  for (std::size_t i = 0; i < raw.size(); ++i) {
    pass(2, i);
    const Raw& r = raw[i];
    if (r.type != "exon" && r.type != "CDS") continue;
    if (r.parents.empty()) {
      throw InputError(r.type + " feature without a Parent attribute")
          .file(origin)
          .record("line " + std::to_string(r.line_no));
    }
    for (const auto& p : r.parents) {
      std::size_t t = 0;
      if (const auto it = transcript_of.find(p); it != transcript_of.end()) {
        t = it->second;
      } else if (const auto g = gene_of.find(p); g != gene_of.end()) {
        // NCBI prokaryote files hang CDS directly under the gene.
        auto [it2, inserted] = implicit_tx.try_emplace(g->second, 0);
        if (inserted) {
          Raw tr = r;
          tr.type = r.type == "CDS" ? "mRNA" : "transcript";
          tr.name = genes[g->second].name;
          tr.biotype.clear();
          tr.start = genes[g->second].start;
          tr.end = genes[g->second].end;
          it2->second = add_transcript(tr, g->second, genes[g->second].id);
        }
        t = it2->second;
      } else {
        continue; // parent is a feature we do not model (e.g. a repeat region)
      }
      auto& list = r.type == "exon" ? exons : cds;
      auto& refs = r.type == "exon" ? transcripts[t].exons : transcripts[t].cds;
      refs.push_back(list.size());
      list.push_back({r.chrom, r.start, r.end, r.strand, r.type == "CDS" ? r.phase : -1, t});
    }
  }
  for (auto& g : genes) {
    if (!g.biotype.empty()) continue;
    if (!g.transcripts.empty()) g.biotype = transcripts[g.transcripts.front()].biotype;
  }
  progress.update(1.0, "indexing genes");
  return Annotation(AnnotationFormat::gff3, std::move(genes), std::move(transcripts), std::move(exons),
                    std::move(cds));
}

// `assembly` covers the work after the last line is read (linking GFF3 features, indexing).
Annotation parse_any(const LineSource& next, AnnotationFormat format, const std::string& origin,
                     const Progress& assembly) {
  return format == AnnotationFormat::gtf ? parse_gtf(next, origin, assembly)
                                         : parse_gff3(next, origin, assembly);
}

AnnotationFormat sniff_format(const fs::path& path) {
  std::string name = lower(path.filename().string());
  if (name.ends_with(".gz")) name.resize(name.size() - 3);
  if (name.ends_with(".gtf")) return AnnotationFormat::gtf;
  if (name.ends_with(".gff") || name.ends_with(".gff3")) return AnnotationFormat::gff3;
  LineReader reader(path);
  std::string line;
  while (reader.next_line(line)) {
    if (line.starts_with("##gff-version 3")) return AnnotationFormat::gff3;
    if (line.empty() || line[0] == '#') continue;
    const auto cols = split_tabs(line);
    if (cols.size() >= 9) {
      return cols[8].find('"') == std::string_view::npos && cols[8].find('=') != std::string_view::npos
                 ? AnnotationFormat::gff3
                 : AnnotationFormat::gtf;
    }
    break;
  }
  throw InputError("not a GTF or GFF3 file (no 9-column feature line)").file(path.string());
}

} // namespace

std::string_view to_string(AnnotationFormat format) noexcept {
  return format == AnnotationFormat::gtf ? "gtf" : "gff3";
}

Annotation Annotation::load(const fs::path& path, const Progress& progress) {
  return load(path, sniff_format(path), progress);
}

Annotation Annotation::load(const fs::path& path, AnnotationFormat format, const Progress& progress) {
  LineReader reader(path);
  progress.update(0.0, "reading " + path.filename().string());
  // GTF genes are complete when the last line is read; GFF3 links its features afterwards.
  const double read_share = format == AnnotationFormat::gtf ? 0.95 : 0.8;
  StepProgress steps(progress.sub(0.0, read_share), "reading " + path.filename().string());
  Annotation a = parse_any(
      [&](std::string& line) {
        steps.tick([&] { return reader.fraction(); });
        return reader.next_line(line);
      },
      format, path.string(), progress.sub(read_share, 0.99));
  progress.update(1.0, "read " + path.filename().string());
  return a;
}

Annotation Annotation::parse(std::string_view text, AnnotationFormat format, const std::string& origin) {
  return parse_any(
      [&](std::string& line) {
        std::string_view view;
        if (!next_line(text, view)) return false;
        line.assign(view);
        return true;
      },
      format, origin, Progress{});
}

Annotation::Annotation(AnnotationFormat format, std::vector<Gene> genes, std::vector<Transcript> transcripts,
                       std::vector<Segment> exons, std::vector<Segment> cds)
    : m_format(format), m_genes(std::move(genes)), m_transcripts(std::move(transcripts)),
      m_exons(std::move(exons)), m_cds(std::move(cds)) {
  for (auto& g : m_genes) {
    if (g.name.empty()) g.name = g.id;
    if (g.start == unset_start) g.start = g.end = 0;
    if (std::find(m_chroms.begin(), m_chroms.end(), g.chrom) == m_chroms.end()) m_chroms.push_back(g.chrom);
  }
  for (auto& t : m_transcripts) {
    if (t.name.empty()) t.name = t.id;
    if (t.start == unset_start) t.start = t.end = 0;
    auto by_start = [](const std::vector<Segment>& list) {
      return [&list](std::size_t a, std::size_t b) { return list[a].start < list[b].start; };
    };
    std::sort(t.exons.begin(), t.exons.end(), by_start(m_exons));
    std::sort(t.cds.begin(), t.cds.end(), by_start(m_cds));
  }
  build_index(m_genes, m_gene_index);
  build_index(m_transcripts, m_transcript_index);
  m_lookup.reserve(m_genes.size() * 2);
  for (std::size_t i = 0; i < m_genes.size(); ++i) {
    m_lookup.emplace_back(lower(m_genes[i].id), i);
    if (m_genes[i].name != m_genes[i].id) m_lookup.emplace_back(lower(m_genes[i].name), i);
  }
  std::sort(m_lookup.begin(), m_lookup.end());
}

template <typename T>
void Annotation::build_index(const std::vector<T>& items,
                             std::map<std::string, IntervalIndex, std::less<>>& out) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto& idx = out[items[i].chrom];
    idx.order.push_back(i);
    idx.max_length = std::max(idx.max_length, items[i].end - items[i].start);
  }
  for (auto& [chrom, idx] : out) {
    std::stable_sort(idx.order.begin(), idx.order.end(),
                     [&](std::size_t a, std::size_t b) { return items[a].start < items[b].start; });
    idx.starts.reserve(idx.order.size());
    for (const auto i : idx.order)
      idx.starts.push_back(items[i].start);
  }
}

template <typename T>
std::vector<std::size_t> Annotation::query(const std::vector<T>& items,
                                           const std::map<std::string, IntervalIndex, std::less<>>& index,
                                           const Region& region) {
  std::vector<std::size_t> out;
  const auto it = index.find(region.chrom);
  if (it == index.end()) return out;
  const IntervalIndex& idx = it->second;
  const std::int64_t qend =
      region.end == Region::to_end ? std::numeric_limits<std::int64_t>::max() : region.end;
  // Anything overlapping starts after region.start - max_length and before the region's end.
  const auto lo = std::lower_bound(idx.starts.begin(), idx.starts.end(), region.start - idx.max_length);
  const auto hi = std::lower_bound(idx.starts.begin(), idx.starts.end(), qend);
  for (auto p = lo; p < hi; ++p) {
    const std::size_t i = idx.order[static_cast<std::size_t>(p - idx.starts.begin())];
    if (items[i].end > region.start && items[i].start < qend) out.push_back(i);
  }
  return out;
}

std::vector<std::size_t> Annotation::genes_in(const Region& region) const {
  return query(m_genes, m_gene_index, region);
}

std::vector<std::size_t> Annotation::transcripts_in(const Region& region) const {
  return query(m_transcripts, m_transcript_index, region);
}

const Gene* Annotation::find_gene(std::string_view name_or_id) const {
  const std::string key = lower(name_or_id);
  const Gene* found = nullptr;
  for (auto it =
           std::lower_bound(m_lookup.begin(), m_lookup.end(), std::pair<std::string, std::size_t>{key, 0});
       it != m_lookup.end() && it->first == key; ++it) {
    const Gene& g = m_genes[it->second];
    if (g.id == name_or_id) return &g; // an exact id beats a case-insensitive name
    if (found == nullptr) found = &g;
  }
  return found;
}

std::vector<std::string> Annotation::complete(std::string_view prefix, std::size_t limit) const {
  std::vector<std::string> out;
  const std::string key = lower(prefix);
  for (auto it =
           std::lower_bound(m_lookup.begin(), m_lookup.end(), std::pair<std::string, std::size_t>{key, 0});
       it != m_lookup.end() && it->first.starts_with(key) && out.size() < limit; ++it) {
    const Gene& g = m_genes[it->second];
    const std::string& shown = lower(g.id) == it->first ? g.id : g.name;
    if (std::find(out.begin(), out.end(), shown) == out.end()) out.push_back(shown);
  }
  return out;
}

} // namespace gc::genome
