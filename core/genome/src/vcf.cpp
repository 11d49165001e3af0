#include "gc/genome/vcf.h"

#include "hts_handles.h"

#include "gc/util/error.h"
#include "gc/util/step_progress.h"

#include <htslib/hfile.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace gc::genome {

namespace fs = std::filesystem;

namespace {

// Share of the file consumed so far (compressed bytes for BGZF and gzip, which htslib reads
// through BGZF), for progress reports; 0 when htslib gives no position (CRAM cannot occur here).
double read_fraction(htsFile* fp, double size) {
  hFILE* h = fp->is_bgzf ? fp->fp.bgzf->fp : fp->is_cram ? nullptr : fp->fp.hfile;
  if (h == nullptr || size <= 0) return 0.0;
  return std::min(1.0, static_cast<double>(htell(h)) / size);
}

} // namespace

std::vector<float> VariantTable::dosage_as_float() const {
  std::vector<float> out(dosage.size());
  for (std::size_t i = 0; i < dosage.size(); ++i) {
    out[i] = dosage[i] < 0 ? std::numeric_limits<float>::quiet_NaN() : static_cast<float>(dosage[i]);
  }
  return out;
}

struct VcfReader::Impl {
  fs::path path;
  VariantFormat format = VariantFormat::vcf;
  std::vector<std::string> samples;
  std::vector<ChromLength> contigs;
  bool has_index = false;

  struct Open {
    detail::HtsFilePtr file;
    detail::HdrPtr header;
  };

  Open open() const {
    Open o;
    o.file.reset(hts_open(path.c_str(), "r"));
    if (!o.file) throw InputError("cannot open as VCF/BCF").file(path.string());
    const htsFormat* fmt = hts_get_format(o.file.get());
    if (fmt->format != vcf && fmt->format != bcf) {
      throw InputError(std::string("not a VCF or BCF file (htslib sees ") + hts_format_file_extension(fmt) +
                       ")")
          .file(path.string());
    }
    o.header.reset(bcf_hdr_read(o.file.get()));
    if (!o.header) {
      throw InputError("broken VCF header (missing ##fileformat or #CHROM line, or a malformed ## line)")
          .file(path.string());
    }
    return o;
  }

  static std::vector<ChromLength> header_contigs(const bcf_hdr_t* hdr) {
    std::vector<ChromLength> out;
    const int n = hdr->n[BCF_DT_CTG];
    for (int i = 0; i < n; ++i) {
      const auto& entry = hdr->id[BCF_DT_CTG][i];
      out.push_back({entry.key, entry.val != nullptr ? static_cast<std::int64_t>(entry.val->info[0]) : 0});
    }
    return out;
  }

  // Appends one record to `table`; `buffers` are reused across records.
  void append(bcf_hdr_t* hdr, bcf1_t* rec, bool genotypes, VariantTable& table, int*& gt, int& n_gt,
              float*& af, int& n_af, std::size_t record_no) const {
    // htslib parses leniently and only flags problems; undefined contigs/tags are common and
    // harmless (htslib adds them), the other flags mean the line itself is malformed.
    constexpr int fatal =
        BCF_ERR_NCOLS | BCF_ERR_LIMITS | BCF_ERR_CHAR | BCF_ERR_CTG_INVALID | BCF_ERR_TAG_INVALID;
    if ((rec->errcode & fatal) != 0 || rec->n_allele == 0 || rec->pos < 0) {
      throw InputError(std::string("malformed record: ") +
                       (rec->n_allele == 0 ? "no REF allele"
                        : rec->pos < 0     ? "invalid POS"
                                           : "invalid field") +
                       " (htslib error " + std::to_string(rec->errcode) + ")")
          .file(path.string())
          .record("record " + std::to_string(record_no));
    }
    if (bcf_unpack(rec, genotypes ? BCF_UN_ALL : BCF_UN_SHR) != 0) {
      throw InputError("cannot decode the record")
          .file(path.string())
          .record("record " + std::to_string(record_no));
    }
    VariantSite s;
    s.chrom = bcf_hdr_id2name(hdr, rec->rid);
    s.pos = rec->pos;
    s.id = rec->d.id != nullptr ? rec->d.id : ".";
    if (rec->n_allele > 0) s.ref = rec->d.allele[0];
    for (int a = 1; a < rec->n_allele; ++a)
      s.alts.emplace_back(rec->d.allele[a]);
    s.qual = bcf_float_is_missing(rec->qual) ? std::numeric_limits<float>::quiet_NaN() : rec->qual;
    if (rec->d.n_flt == 0) {
      s.filter = ".";
    } else {
      for (int f = 0; f < rec->d.n_flt; ++f) {
        if (f > 0) s.filter += ';';
        s.filter += bcf_hdr_int2id(hdr, BCF_DT_ID, rec->d.flt[f]);
      }
    }
    s.allele_frequency = std::numeric_limits<float>::quiet_NaN();
    if (bcf_get_info_float(hdr, rec, "AF", &af, &n_af) > 0 && !bcf_float_is_missing(af[0])) {
      s.allele_frequency = af[0];
    }
    const std::size_t n_samples = table.samples.size();
    if (genotypes && n_samples > 0) {
      const std::size_t row = table.dosage.size();
      table.dosage.resize(row + n_samples, -1);
      const int n = bcf_get_genotypes(hdr, rec, &gt, &n_gt);
      std::int64_t alt_alleles = 0;
      std::int64_t called_alleles = 0;
      if (n > 0) {
        const int ploidy = n / static_cast<int>(n_samples);
        for (std::size_t j = 0; j < n_samples; ++j) {
          const int* call = gt + j * static_cast<std::size_t>(ploidy);
          int dosage = 0;
          int called = 0;
          bool missing = false;
          for (int k = 0; k < ploidy; ++k) {
            if (call[k] == bcf_int32_vector_end) break;
            if (bcf_gt_is_missing(call[k])) {
              missing = true;
              break;
            }
            ++called;
            if (bcf_gt_allele(call[k]) > 0) ++dosage;
          }
          if (missing || called == 0) continue;
          table.dosage[row + j] = static_cast<std::int8_t>(dosage);
          alt_alleles += dosage;
          called_alleles += called;
        }
      }
      if (std::isnan(s.allele_frequency) && called_alleles > 0) {
        s.allele_frequency =
            static_cast<float>(static_cast<double>(alt_alleles) / static_cast<double>(called_alleles));
      }
    }
    table.sites.push_back(std::move(s));
  }

  VariantTable read(const Region* region, bool genotypes, const Progress& progress) const;
};

VariantTable VcfReader::Impl::read(const Region* region, bool genotypes, const Progress& progress) const {
  progress.update(0.0, "reading " + path.filename().string());
  Open o = open();
  StepProgress steps(progress, "reading " + path.filename().string());
  VariantTable table;
  table.samples = samples;
  detail::Bcf1Ptr rec(bcf_init());
  int* gt = nullptr;
  int n_gt = 0;
  float* af = nullptr;
  int n_af = 0;
  struct Buffers {
    int*& gt;
    float*& af;
    ~Buffers() {
      std::free(gt);
      std::free(af);
    }
  } buffers{gt, af};
  std::size_t record_no = 0;
  auto fail_record = [&](int ret) {
    return InputError("malformed record (htslib code " + std::to_string(ret) + ")")
        .file(path.string())
        .record("record " + std::to_string(record_no + 1));
  };

  if (region == nullptr || !has_index) {
    std::error_code ec;
    const auto size = static_cast<double>(fs::file_size(path, ec));
    int ret = 0;
    while ((ret = bcf_read(o.file.get(), o.header.get(), rec.get())) == 0) {
      ++record_no;
      steps.tick([&] { return ec ? 0.0 : read_fraction(o.file.get(), size); });
      if (region != nullptr) {
        const std::string chrom = bcf_hdr_id2name(o.header.get(), rec->rid);
        const std::int64_t end = rec->pos + rec->rlen;
        if (!region->overlaps(chrom, rec->pos, std::max(end, rec->pos + 1))) continue;
      }
      append(o.header.get(), rec.get(), genotypes, table, gt, n_gt, af, n_af, record_no);
    }
    if (ret < -1) throw fail_record(ret);
    table.contigs = header_contigs(o.header.get());
    progress.update(1.0, "read " + path.filename().string());
    return table;
  }
  // An indexed query reads only part of the file, so it checks for cancellation without a share.
  const auto no_share = [] { return 0.0; };

  const hts_pos_t beg = region->start;
  const hts_pos_t end = region->end == Region::to_end ? HTS_POS_MAX : region->end;
  if (format == VariantFormat::bcf) {
    detail::IdxPtr idx(bcf_index_load(path.c_str()));
    if (!idx) throw InputError("cannot load the .csi index").file(path.string());
    const int tid = bcf_hdr_name2id(o.header.get(), region->chrom.c_str());
    if (tid >= 0) {
      detail::ItrPtr itr(bcf_itr_queryi(idx.get(), tid, beg, end));
      int ret = 0;
      while (itr && (ret = bcf_itr_next(o.file.get(), itr.get(), rec.get())) >= 0) {
        ++record_no;
        steps.tick(no_share);
        append(o.header.get(), rec.get(), genotypes, table, gt, n_gt, af, n_af, record_no);
      }
      if (ret < -1) throw fail_record(ret);
    }
  } else {
    detail::TbxPtr tbx(tbx_index_load(path.c_str()));
    if (!tbx) throw InputError("cannot load the .tbi/.csi index").file(path.string());
    const int tid = tbx_name2id(tbx.get(), region->chrom.c_str());
    if (tid >= 0) {
      detail::ItrPtr itr(tbx_itr_queryi(tbx.get(), tid, beg, end));
      kstring_t line = KS_INITIALIZE;
      struct KsFree {
        kstring_t& s;
        ~KsFree() { ks_free(&s); }
      } line_owner{line};
      int ret = 0;
      while (itr && (ret = tbx_itr_next(o.file.get(), tbx.get(), itr.get(), &line)) >= 0) {
        ++record_no;
        steps.tick(no_share);
        if (vcf_parse1(&line, o.header.get(), rec.get()) < 0) throw fail_record(-2);
        append(o.header.get(), rec.get(), genotypes, table, gt, n_gt, af, n_af, record_no);
      }
      if (ret < -1) throw fail_record(ret);
    }
  }
  table.contigs = header_contigs(o.header.get());
  progress.update(1.0, "read " + path.filename().string());
  return table;
}

VcfReader::VcfReader(const fs::path& path) : m_impl(std::make_unique<Impl>()) {
  detail::quiet_htslib();
  m_impl->path = path;
  require_readable_file(path.string());
  if (fs::file_size(path) == 0) throw InputError("file is empty").file(path.string());
  Impl::Open o = m_impl->open();
  const htsFormat* fmt = hts_get_format(o.file.get());
  m_impl->format = fmt->format == bcf         ? VariantFormat::bcf
                   : fmt->compression == bgzf ? VariantFormat::vcf_gz
                                              : VariantFormat::vcf;
  for (int i = 0; i < bcf_hdr_nsamples(o.header.get()); ++i)
    m_impl->samples.emplace_back(o.header->samples[i]);
  m_impl->contigs = Impl::header_contigs(o.header.get());
  // Probe for the index files first: htslib logs an error for every missing index it looks for.
  const bool index_file = fs::exists(path.string() + ".csi") || fs::exists(path.string() + ".tbi");
  if (!index_file) {
    m_impl->has_index = false;
  } else if (m_impl->format == VariantFormat::bcf) {
    m_impl->has_index = detail::IdxPtr(bcf_index_load(path.c_str())) != nullptr;
  } else if (m_impl->format == VariantFormat::vcf_gz) {
    m_impl->has_index = detail::TbxPtr(tbx_index_load(path.c_str())) != nullptr;
  }
}

VcfReader::~VcfReader() = default;
VcfReader::VcfReader(VcfReader&&) noexcept = default;
VcfReader& VcfReader::operator=(VcfReader&&) noexcept = default;

VariantFormat VcfReader::format() const noexcept { return m_impl->format; }
const std::vector<std::string>& VcfReader::samples() const noexcept { return m_impl->samples; }
const std::vector<ChromLength>& VcfReader::contigs() const noexcept { return m_impl->contigs; }
bool VcfReader::has_index() const noexcept { return m_impl->has_index; }

std::size_t VcfReader::count_records() const {
  Impl::Open o = m_impl->open();
  detail::Bcf1Ptr rec(bcf_init());
  std::size_t n = 0;
  int ret = 0;
  while ((ret = bcf_read(o.file.get(), o.header.get(), rec.get())) == 0) {
    ++n;
    if ((rec->errcode & (BCF_ERR_NCOLS | BCF_ERR_LIMITS | BCF_ERR_CHAR)) != 0 || rec->n_allele == 0 ||
        rec->pos < 0) {
      throw InputError("malformed record (htslib error " + std::to_string(rec->errcode) + ")")
          .file(m_impl->path.string())
          .record("record " + std::to_string(n));
    }
  }
  if (ret < -1) {
    throw InputError("malformed record")
        .file(m_impl->path.string())
        .record("record " + std::to_string(n + 1));
  }
  return n;
}

VariantTable VcfReader::read_all(bool genotypes, const Progress& progress) const {
  return m_impl->read(nullptr, genotypes, progress);
}

VariantTable VcfReader::query(const Region& region, bool genotypes, const Progress& progress) const {
  std::vector<std::string> names;
  if (m_impl->has_index && m_impl->format != VariantFormat::bcf) {
    detail::TbxPtr tbx(tbx_index_load(m_impl->path.c_str()));
    int n = 0;
    detail::MallocPtr<const char*> seqs(tbx ? tbx_seqnames(tbx.get(), &n) : nullptr);
    for (int i = 0; i < n; ++i)
      names.emplace_back(seqs.get()[i]);
  } else {
    for (const auto& c : m_impl->contigs)
      names.push_back(c.name);
  }
  Region r = region;
  if (const auto found = ChromAliases::builtin().find(region.chrom, names)) {
    r.chrom = *found;
  } else if (!names.empty()) {
    return {m_impl->contigs, m_impl->samples, {}, {}};
  }
  return m_impl->read(&r, genotypes, progress);
}

} // namespace gc::genome
