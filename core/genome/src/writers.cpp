#include "gc/genome/writers.h"

#include "hts_handles.h"

#include "gc/util/atomic_file.h"
#include "gc/util/error.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace gc::genome {

namespace fs = std::filesystem;

namespace {

// Writes `text` chunks to a BGZF file; closing checks for errors so a full disk is reported.
class BgzfWriter {
public:
  explicit BgzfWriter(const fs::path& path) : m_path(path.string()), m_file(bgzf_open(m_path.c_str(), "w")) {
    if (!m_file) throw Error("cannot create " + m_path);
  }
  void write(std::string_view text) {
    if (bgzf_write(m_file.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
      throw Error("write failed: " + m_path);
    }
  }
  void close() {
    if (bgzf_close(m_file.release()) != 0) throw Error("cannot finish writing " + m_path);
  }

private:
  std::string m_path;
  detail::BgzfPtr m_file;
};

// Fixed formatting independent of the locale, so output bytes are reproducible.
std::string format_number(double v) {
  if (std::isnan(v)) return ".";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

char strand_char(Strand s) { return static_cast<char>(s); }

} // namespace

void write_fasta_bgzip(const fs::path& path, const std::vector<FastaSequence>& sequences, std::size_t width) {
  detail::quiet_htslib();
  if (sequences.empty()) throw Error("write_fasta_bgzip: no sequences for " + path.string());
  if (width == 0) throw Error("write_fasta_bgzip: line width must be positive");
  const fs::path fai = path.string() + ".fai";
  const fs::path gzi = path.string() + ".gzi";
  write_atomically(path, [&](const fs::path& tmp) {
    BgzfWriter out(tmp);
    for (const auto& s : sequences) {
      if (s.name.empty() || s.name.find_first_of(" \t\n") != std::string::npos) {
        throw Error("write_fasta_bgzip: invalid sequence name '" + s.name + "'");
      }
      out.write(">" + s.name + "\n");
      for (std::size_t i = 0; i < s.sequence.size(); i += width) {
        out.write(std::string_view(s.sequence).substr(i, width));
        out.write("\n");
      }
    }
    out.close();
    // The index describes the bytes just written; it is renamed into place before the FASTA.
    write_atomically(fai, [&](const fs::path& tmp_fai) {
      write_atomically(gzi, [&](const fs::path& tmp_gzi) {
        if (fai_build3(tmp.c_str(), tmp_fai.c_str(), tmp_gzi.c_str()) != 0) {
          throw Error("cannot index the FASTA just written: " + path.string());
        }
      });
    });
  });
}

void write_gtf(const fs::path& path, const Annotation& annotation, const std::string& source) {
  AtomicFile file(path);
  auto& out = file.stream();
  auto line = [&](const std::string& chrom, const char* type, std::int64_t start, std::int64_t end,
                  Strand strand, int phase, const std::string& attrs) {
    out << chrom << '\t' << source << '\t' << type << '\t' << start + 1 << '\t' << end << "\t.\t"
        << strand_char(strand) << '\t' << (phase < 0 ? std::string(".") : std::to_string(phase)) << '\t'
        << attrs << '\n';
  };
  auto quote = [](const char* key, const std::string& value) {
    return std::string(key) + " \"" + value + "\"; ";
  };
  for (const auto& g : annotation.genes()) {
    std::string gene_attrs = quote("gene_id", g.id) + quote("gene_name", g.name);
    if (!g.biotype.empty()) gene_attrs += quote("gene_biotype", g.biotype);
    gene_attrs.pop_back();
    line(g.chrom, "gene", g.start, g.end, g.strand, -1, gene_attrs);
    for (const auto ti : g.transcripts) {
      const Transcript& t = annotation.transcripts()[ti];
      std::string tx_attrs = quote("gene_id", g.id) + quote("transcript_id", t.id) +
                             quote("gene_name", g.name) + quote("transcript_name", t.name);
      if (!g.biotype.empty()) tx_attrs += quote("gene_biotype", g.biotype);
      if (!t.biotype.empty()) tx_attrs += quote("transcript_biotype", t.biotype);
      tx_attrs.pop_back();
      line(t.chrom, "transcript", t.start, t.end, t.strand, -1, tx_attrs);
      int number = 0;
      for (const auto ei : t.exons) {
        const Segment& e = annotation.exons()[ei];
        line(e.chrom, "exon", e.start, e.end, e.strand, -1,
             tx_attrs + " exon_number \"" + std::to_string(++number) + "\";");
      }
      for (const auto ci : t.cds) {
        const Segment& c = annotation.cds()[ci];
        line(c.chrom, "CDS", c.start, c.end, c.strand, c.phase, tx_attrs);
      }
    }
  }
  file.commit();
}

void write_bed(const fs::path& path, const std::vector<BedRecord>& records) {
  std::string text;
  for (const auto& r : records) {
    std::ostringstream line;
    line << r.chrom << '\t' << r.start << '\t' << r.end;
    const int n = r.columns;
    if (n > 3) line << '\t' << (r.name.empty() ? "." : r.name);
    if (n > 4) line << '\t' << format_number(r.score);
    if (n > 5) line << '\t' << strand_char(r.strand);
    if (r.format == BedFormat::narrow_peak || r.format == BedFormat::broad_peak) {
      line << '\t' << format_number(r.signal_value) << '\t' << format_number(r.p_value) << '\t'
           << format_number(r.q_value);
      if (r.format == BedFormat::narrow_peak) line << '\t' << r.peak;
      line << '\n';
      text += line.str();
      continue;
    }
    if (n > 6) line << '\t' << r.thick_start;
    if (n > 7) line << '\t' << r.thick_end;
    if (n > 8) line << '\t' << (r.item_rgb.empty() ? "0" : r.item_rgb);
    if (n > 9) {
      line << '\t' << r.block_sizes.size() << '\t';
      for (const auto v : r.block_sizes)
        line << v << ',';
      line << '\t';
      for (const auto v : r.block_starts)
        line << v << ',';
    }
    line << '\n';
    text += line.str();
  }
  if (path.extension() == ".gz") {
    write_atomically(path, [&](const fs::path& tmp) {
      BgzfWriter out(tmp);
      out.write(text);
      out.close();
    });
    return;
  }
  AtomicFile file(path);
  file.stream() << text;
  file.commit();
}

void write_vcf(const fs::path& path, const VariantTable& table) {
  detail::quiet_htslib();
  const std::size_t n_samples = table.samples.size();
  if (table.dosage.size() != table.sites.size() * n_samples) {
    throw Error("write_vcf: dosage matrix is " + std::to_string(table.dosage.size()) + " values for " +
                std::to_string(table.sites.size()) + " sites x " + std::to_string(n_samples) + " samples");
  }
  std::string header = "##fileformat=VCFv4.2\n##source=genocircuit\n";
  for (const auto& c : table.contigs) {
    header += "##contig=<ID=" + c.name + (c.length > 0 ? ",length=" + std::to_string(c.length) : "") + ">\n";
  }
  header += "##INFO=<ID=AF,Number=A,Type=Float,Description=\"Allele frequency\">\n"
            "##FILTER=<ID=PASS,Description=\"All filters passed\">\n"
            "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
            "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO";
  if (n_samples > 0) header += "\tFORMAT";
  for (const auto& s : table.samples)
    header += "\t" + s;
  header += "\n";
  const fs::path tbi = path.string() + ".tbi";
  write_atomically(path, [&](const fs::path& tmp) {
    BgzfWriter out(tmp);
    out.write(header);
    std::string line;
    for (std::size_t i = 0; i < table.sites.size(); ++i) {
      const VariantSite& s = table.sites[i];
      line = s.chrom + "\t" + std::to_string(s.pos + 1) + "\t" + (s.id.empty() ? "." : s.id) + "\t" + s.ref +
             "\t";
      if (s.alts.empty()) line += ".";
      for (std::size_t a = 0; a < s.alts.size(); ++a)
        line += (a ? "," : "") + s.alts[a];
      line += "\t" + format_number(s.qual) + "\t" + (s.filter.empty() ? "." : s.filter) + "\t";
      line += std::isnan(s.allele_frequency) ? std::string(".") : "AF=" + format_number(s.allele_frequency);
      if (n_samples > 0) line += "\tGT";
      for (std::size_t j = 0; j < n_samples; ++j) {
        switch (table.dosage[i * n_samples + j]) {
        case 0: line += "\t0/0"; break;
        case 1: line += "\t0/1"; break;
        case 2: line += "\t1/1"; break;
        case -1: line += "\t./."; break;
        default: throw Error("write_vcf: dosage must be -1, 0, 1 or 2 for diploid output");
        }
      }
      line += '\n';
      out.write(line);
    }
    out.close();
    write_atomically(tbi, [&](const fs::path& tmp_tbi) {
      if (tbx_index_build2(tmp.c_str(), tmp_tbi.c_str(), 0, &tbx_conf_vcf) != 0) {
        throw Error("cannot build the tabix index (are sites sorted by contig and position?): " +
                    path.string());
      }
    });
  });
}

} // namespace gc::genome
