#include "gc/ui/workspace.h"

#include "gc/expr/formats.h"
#include "gc/hic/contact_map.h"
#include "gc/hic/cooler.h"
#include "gc/ui/task_runner.h"
#include "gc/util/error.h"
#include "gc/util/log.h"

#include <QFileInfo>
#include <QLocale>

#include <algorithm>
#include <map>
#include <set>

namespace gc::ui {
namespace {

bool ends_with_any(const QString& name, std::initializer_list<const char*> exts) {
  for (const char* e : exts)
    if (name.endsWith(QLatin1String(e))) return true;
  return false;
}

QString bp(std::int64_t length) {
  if (length >= 1'000'000) return QString::number(length / 1e6, 'f', 2) + " Mb";
  if (length >= 1'000) return QString::number(length / 1e3, 'f', 1) + " kb";
  return QString::number(length) + " bp";
}

QString count(std::size_t n) { return QLocale(QLocale::English).toString(static_cast<qulonglong>(n)); }

// Chromosomes in order of first appearance, lengths unknown (0) for files that do not give them.
template <typename Records, typename Name>
std::vector<genome::ChromLength> chroms_of(const Records& records, Name name_of) {
  std::vector<genome::ChromLength> out;
  std::set<std::string> seen;
  for (const auto& r : records) {
    const std::string& n = name_of(r);
    if (seen.insert(n).second) out.push_back({n, 0});
  }
  return out;
}

Dataset load_hic(Dataset d) {
  const std::filesystem::path file = d.path.toStdString();
  std::string uri = file.string();
  QString resolutions;
  if (hic::sniff_cooler(file) == hic::CoolerKind::multires) {
    const auto res = hic::list_resolutions(file);
    uri += "::/resolutions/" + std::to_string(res.front());
    for (auto r : res)
      resolutions += (resolutions.isEmpty() ? "" : ", ") + bp(r);
  }
  const auto map = hic::open_contact_map(uri);
  const auto& bins = map->bins();
  for (const auto& c : bins.chroms)
    d.chroms.push_back({c.name, c.length});
  if (resolutions.isEmpty()) resolutions = bins.bin_size > 0 ? bp(bins.bin_size) : QString("variable bins");
  d.hic_uri = d.path; // the Hi-C views pick their resolution per zoom level
  d.summary = QString("%1 chromosomes, %2 bins, %3 contacts; resolutions %4")
                  .arg(bins.chroms.size())
                  .arg(count(static_cast<std::size_t>(bins.size())))
                  .arg(count(static_cast<std::size_t>(map->nnz())))
                  .arg(resolutions);
  return d;
}

} // namespace

QString to_string(DatasetKind kind) {
  switch (kind) {
  case DatasetKind::genome: return "genome";
  case DatasetKind::annotation: return "annotation";
  case DatasetKind::intervals: return "intervals";
  case DatasetKind::signal: return "signal";
  case DatasetKind::variants: return "variants";
  case DatasetKind::hic: return "Hi-C";
  case DatasetKind::expression: return "expression";
  }
  return {};
}

std::optional<DatasetKind> kind_from_path(const QString& path) {
  const QString n = QFileInfo(path).fileName().toLower();
  if (ends_with_any(n, {".fa", ".fasta", ".fna", ".fa.gz", ".fasta.gz", ".fna.gz"}))
    return DatasetKind::genome;
  if (ends_with_any(n, {".gtf", ".gtf.gz", ".gff", ".gff3", ".gff.gz", ".gff3.gz"}))
    return DatasetKind::annotation;
  if (ends_with_any(n, {".vcf", ".vcf.gz", ".bcf"})) return DatasetKind::variants;
  if (ends_with_any(n, {".bedgraph", ".bedgraph.gz", ".bg", ".bg.gz"})) return DatasetKind::signal;
  if (ends_with_any(n, {".bed", ".bed.gz"})) return DatasetKind::intervals;
  if (ends_with_any(n, {".cool", ".mcool", ".hic"})) return DatasetKind::hic;
  if (ends_with_any(n, {".h5ad", ".h5", ".mtx", ".mtx.gz", ".csv", ".tsv", ".csv.gz", ".tsv.gz"}))
    return DatasetKind::expression;
  return std::nullopt;
}

std::optional<std::string> Dataset::local_name(const std::string& reference_chrom) const {
  for (std::size_t i = 0; i < chroms.size(); ++i)
    if (reference_names[i] == reference_chrom) return chroms[i].name;
  return std::nullopt;
}

Dataset load_dataset(const QString& path, const gc::Progress& progress) {
  const QFileInfo info(path);
  const std::filesystem::path file = info.absoluteFilePath().toStdString();
  gc::require_readable_file(file);
  const auto kind = kind_from_path(path);
  if (!kind)
    throw gc::InputError("unknown file type (expected FASTA, GTF/GFF3, BED, bedGraph, VCF, cooler/.hic or "
                         "an expression matrix)")
        .file(file.string());
  Dataset d;
  d.path = info.absoluteFilePath();
  d.kind = *kind;
  progress.update(0.05, "reading " + info.fileName().toStdString());
  switch (*kind) {
  case DatasetKind::genome: {
    auto fasta = std::make_shared<genome::FastaReader>(file);
    d.chroms = fasta->sequences();
    d.summary = QString("%1 sequences, %2").arg(d.chroms.size()).arg(bp(fasta->total_length()));
    d.fasta = std::move(fasta);
    break;
  }
  case DatasetKind::annotation: {
    auto a = std::make_shared<genome::Annotation>(genome::Annotation::load(file));
    for (const auto& c : a->chromosomes())
      d.chroms.push_back({c, 0});
    d.summary = QString("%1 genes, %2 transcripts, %3 exons")
                    .arg(count(a->genes().size()), count(a->transcripts().size()), count(a->exons().size()));
    d.annotation = std::move(a);
    break;
  }
  case DatasetKind::intervals:
  case DatasetKind::signal: {
    auto records = genome::read_bed(file);
    if (*kind == DatasetKind::signal) {
      // bedGraph's fourth column is the value; the BED reader keeps it as the name.
      for (auto& r : records) {
        bool ok = false;
        r.score = QString::fromStdString(r.name).toDouble(&ok);
        if (!ok)
          throw gc::InputError("bedGraph value '" + r.name + "' is not a number")
              .file(file.string())
              .record(r.chrom + ":" + std::to_string(r.start + 1));
      }
    }
    d.chroms = chroms_of(records, [](const genome::BedRecord& r) -> const std::string& { return r.chrom; });
    d.summary = QString("%1 records on %2 chromosomes").arg(count(records.size())).arg(d.chroms.size());
    d.intervals = std::make_shared<const std::vector<genome::BedRecord>>(std::move(records));
    break;
  }
  case DatasetKind::variants: {
    const genome::VcfReader reader(file);
    auto table = std::make_shared<genome::VariantTable>(reader.read_all(false));
    d.chroms = !table->contigs.empty()
                   ? table->contigs
                   : chroms_of(table->sites,
                               [](const genome::VariantSite& s) -> const std::string& { return s.chrom; });
    d.summary = QString("%1 sites, %2 samples").arg(count(table->sites.size())).arg(reader.samples().size());
    d.variants = std::move(table);
    break;
  }
  case DatasetKind::hic: d = load_hic(std::move(d)); break;
  case DatasetKind::expression: {
    const auto format = expr::detect_expression_format(file);
    if (!format) throw gc::InputError("not a recognised expression matrix").file(file.string());
    const Json j = expr::describe_expression(file, *format);
    d.summary = QString("%1: %2 cells × %3 genes")
                    .arg(QString::fromStdString(j.value("format", std::string())))
                    .arg(count(static_cast<std::size_t>(j.value("cells", 0.0))))
                    .arg(count(static_cast<std::size_t>(j.value("genes", 0.0))));
    break;
  }
  }
  progress.check();
  progress.update(1.0);
  return d;
}

Workspace::Workspace(TaskRunner* tasks, QObject* parent) : QObject(parent), m_tasks(tasks) {}

void Workspace::open(const QStringList& paths) {
  for (const QString& path : paths) {
    const QString abs = QFileInfo(path).absoluteFilePath();
    ++m_loading;
    const bool genome = kind_from_path(abs) == DatasetKind::genome;
    if (genome) ++m_genomes_pending;
    auto result = std::make_shared<Dataset>();
    const std::uint64_t order = m_next_order++;
    // Each file is its own task so one bad file does not stop the others.
    m_tasks->run(
        "Loading " + QFileInfo(path).fileName(),
        [abs, result](const gc::Progress& p) { *result = load_dataset(abs, p); },
        [this, result, order] { insert(std::move(*result), order); });
    const QString title = "Loading " + QFileInfo(path).fileName();
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(
        m_tasks, &TaskRunner::finished, this,
        [this, title, abs, connection, genome](const QString& t, bool cancelled, const QString& error) {
          if (t != title) return;
          disconnect(*connection);
          if (genome) --m_genomes_pending;
          // The genome that was to be the reference failed: fall back to the first dataset.
          if (genome && m_genomes_pending == 0 && m_reference.empty())
            for (const auto& d : m_datasets)
              if (!d->chroms.empty()) {
                set_reference(d->chroms, QFileInfo(d->path).fileName());
                Q_EMIT reconciled();
                break;
              }
          if (cancelled) gc::log::info("cancelled loading ", abs.toStdString());
          if (!error.isEmpty()) Q_EMIT load_failed(abs, error);
          finish_one();
        });
  }
}

void Workspace::finish_one() {
  if (--m_loading == 0) Q_EMIT idle();
}

void Workspace::add(Dataset dataset) { insert(std::move(dataset), m_next_order++); }

void Workspace::insert(Dataset dataset, std::uint64_t order) {
  // The first genome becomes the reference; earlier datasets are reconciled again against it.
  const bool is_genome = dataset.kind == DatasetKind::genome;
  const bool new_reference = (is_genome && !first_of(DatasetKind::genome)) ||
                             (m_reference.empty() && (is_genome || m_genomes_pending == 0));
  if (new_reference && !dataset.chroms.empty())
    set_reference(dataset.chroms, QFileInfo(dataset.path).fileName());
  reconcile(dataset);
  for (const auto& w : dataset.warnings)
    gc::log::warning(w.toStdString());
  gc::log::info("opened ", dataset.path.toStdString(), ": ", dataset.summary.toStdString());
  const auto at = std::upper_bound(m_order.begin(), m_order.end(), order) - m_order.begin();
  m_order.insert(m_order.begin() + at, order);
  m_datasets.insert(m_datasets.begin() + at, std::make_shared<const Dataset>(std::move(dataset)));
  Q_EMIT dataset_added(static_cast<int>(at));
}

void Workspace::set_reference(const std::vector<genome::ChromLength>& chroms, const QString& source) {
  m_reference = chroms;
  m_reference_source = source;
  for (auto& existing : m_datasets) {
    Dataset copy = *existing;
    reconcile(copy);
    for (const auto& w : copy.warnings)
      gc::log::warning(w.toStdString());
    existing = std::make_shared<const Dataset>(std::move(copy));
  }
}

void Workspace::reconcile(Dataset& d) {
  d.warnings.clear();
  d.reference_names.assign(d.chroms.size(), std::string());
  if (m_reference.empty()) return;
  std::vector<std::string> known;
  for (const auto& c : m_reference)
    known.push_back(c.name);
  const auto& aliases = genome::ChromAliases::builtin();
  int unmatched = 0;
  for (std::size_t i = 0; i < d.chroms.size(); ++i) {
    const auto name = aliases.find(d.chroms[i].name, known);
    if (!name) {
      ++unmatched;
      continue;
    }
    d.reference_names[i] = *name;
    const std::int64_t ref_len = chrom_length(*name);
    if (d.chroms[i].length > 0 && ref_len > 0 && d.chroms[i].length != ref_len)
      d.warnings << QString("%1: chromosome %2 is %3 bp but %4 in %5")
                        .arg(QFileInfo(d.path).fileName(), QString::fromStdString(d.chroms[i].name))
                        .arg(d.chroms[i].length)
                        .arg(ref_len)
                        .arg(m_reference_source);
  }
  if (unmatched > 0)
    d.warnings << QString("%1: %2 of %3 chromosomes have no match in %4")
                      .arg(QFileInfo(d.path).fileName())
                      .arg(unmatched)
                      .arg(d.chroms.size())
                      .arg(m_reference_source);
}

void Workspace::clear() {
  m_datasets.clear();
  m_order.clear();
  m_reference.clear();
  m_reference_source.clear();
  Q_EMIT cleared();
}

std::int64_t Workspace::chrom_length(const std::string& reference_chrom) const {
  for (const auto& c : m_reference)
    if (c.name == reference_chrom) return c.length;
  return 0;
}

std::optional<std::string> Workspace::reference_name(const std::string& name) const {
  std::vector<std::string> known;
  for (const auto& c : m_reference)
    known.push_back(c.name);
  return genome::ChromAliases::builtin().find(name, known);
}

std::shared_ptr<const Dataset> Workspace::first_of(DatasetKind kind) const {
  for (const auto& d : m_datasets)
    if (d->kind == kind) return d;
  return nullptr;
}

QStringList Workspace::complete(const QString& prefix, int limit) const {
  QStringList out;
  for (const auto& d : m_datasets) {
    if (!d->annotation) continue;
    for (const auto& s : d->annotation->complete(prefix.toStdString(), static_cast<std::size_t>(limit))) {
      const QString q = QString::fromStdString(s);
      if (!out.contains(q)) out << q;
    }
  }
  out.sort(Qt::CaseInsensitive);
  while (out.size() > limit)
    out.removeLast();
  return out;
}

genome::Region Workspace::find_locus(const QString& text) const {
  const std::string t = text.trimmed().toStdString();
  if (t.empty()) throw gc::InputError("empty locus");
  for (const auto& d : m_datasets) {
    if (!d->annotation) continue;
    if (const auto* g = d->annotation->find_gene(t)) {
      const auto ref = reference_name(g->chrom);
      genome::Region r{ref ? *ref : g->chrom, g->start, g->end};
      // A little context either side, as genome browsers do.
      const std::int64_t pad = std::max<std::int64_t>(200, (g->end - g->start) / 5);
      r.start = std::max<std::int64_t>(0, r.start - pad);
      r.end += pad;
      const std::int64_t len = chrom_length(r.chrom);
      if (len > 0) r.end = std::min(r.end, len);
      return r;
    }
  }
  genome::Region r;
  try {
    r = genome::parse_region(t);
  } catch (const gc::InputError&) {
    throw gc::InputError("'" + t + "' is neither a region (chr:start-end) nor a known gene name or id");
  }
  const auto ref = reference_name(r.chrom);
  if (!ref) throw gc::InputError("unknown chromosome '" + r.chrom + "' in locus '" + t + "'");
  r.chrom = *ref;
  const std::int64_t len = chrom_length(r.chrom);
  // Without a genome or a Hi-C map the length is unknown: whole chromosomes show 1 Mb.
  if (len <= 0) {
    if (r.end == genome::Region::to_end) r.end = r.start + 1'000'000;
    return r;
  }
  return genome::clamp_to_chromosome(r, len);
}

} // namespace gc::ui
