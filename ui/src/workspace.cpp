#include "gc/ui/workspace.h"

#include "gc/data/importer.h"
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

DatasetKind kind_of(gc::data::Kind kind) {
  switch (kind) {
  case gc::data::Kind::genome: return DatasetKind::genome;
  case gc::data::Kind::annotation: return DatasetKind::annotation;
  case gc::data::Kind::intervals: return DatasetKind::intervals;
  case gc::data::Kind::signal: return DatasetKind::signal;
  case gc::data::Kind::variants: return DatasetKind::variants;
  case gc::data::Kind::hic: return DatasetKind::hic;
  case gc::data::Kind::expression: return DatasetKind::expression;
  default: return DatasetKind::other;
  }
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
  case DatasetKind::other: return "other";
  }
  return {};
}

std::optional<std::string> Dataset::local_name(const std::string& reference_chrom) const {
  for (std::size_t i = 0; i < chroms.size(); ++i)
    if (reference_names[i] == reference_chrom) return chroms[i].name;
  return std::nullopt;
}

Dataset load_dataset(const QString& path, const gc::Progress& progress) {
  // One opening layer for the GUI, the CLI and plugins: gc::data picks the importer by content.
  const auto opened = gc::data::open(QFileInfo(path).absoluteFilePath().toStdString(), progress);
  Dataset d;
  d.source = opened;
  d.path = QString::fromStdString(opened->path.string());
  d.kind = kind_of(opened->kind);
  d.kind_label = d.kind == DatasetKind::other
                     ? QString::fromStdString(std::string(gc::data::to_string(opened->kind)))
                     : to_string(d.kind);
  d.summary = QString::fromStdString(opened->summary);
  d.chroms = opened->chroms;
  d.fasta = opened->fasta;
  d.annotation = opened->annotation;
  d.intervals = opened->intervals;
  d.variants = opened->variants;
  d.bigwig = opened->bigwig;
  d.hic = opened->hic;
  if (d.hic) d.hic_uri = QString::fromStdString(d.hic->uri);
  return d;
}

Workspace::Workspace(TaskRunner* tasks, QObject* parent) : QObject(parent), m_tasks(tasks) {}

void Workspace::open(const QStringList& paths) {
  for (const QString& path : paths) {
    const QString abs = QFileInfo(path).absoluteFilePath();
    ++m_loading;
    const std::uint64_t order = m_next_order++;
    // Each file is its own task so one bad file does not stop the others.
    TaskRunner::Options options;
    options.context = this;
    options.on_error = [this, abs](const QString& error) { Q_EMIT load_failed(abs, error); };
    options.on_finished = [this, abs](TaskOutcome outcome) {
      if (outcome == TaskOutcome::cancelled) gc::log::info("cancelled loading ", abs.toStdString());
      finish_one();
    };
    m_tasks->run(
        "Loading " + QFileInfo(path).fileName(),
        [abs](const gc::Progress& p) { return load_dataset(abs, p); },
        [this, order](Dataset dataset) { insert(std::move(dataset), order); }, std::move(options));
  }
}

void Workspace::finish_one() {
  if (--m_loading > 0) return;
  // Without a genome the first dataset that names chromosomes (in request order) is the reference.
  if (m_reference.empty())
    for (const auto& d : m_datasets)
      if (!d->chroms.empty()) {
        set_reference(d->chroms, QFileInfo(d->path).fileName());
        Q_EMIT reconciled();
        break;
      }
  Q_EMIT idle();
}

void Workspace::add(Dataset dataset) { insert(std::move(dataset), m_next_order++); }

void Workspace::insert(Dataset dataset, std::uint64_t order) {
  // The first genome becomes the reference; earlier datasets are reconciled again against it.
  // Without a genome, once nothing else is loading (a genome still might be), the first dataset
  // in request order that names chromosomes does: an earlier one that already arrived, or this.
  const bool is_genome = dataset.kind == DatasetKind::genome;
  if (is_genome && !first_of(DatasetKind::genome) && !dataset.chroms.empty()) {
    set_reference(dataset.chroms, QFileInfo(dataset.path).fileName());
  } else if (m_reference.empty() && m_loading <= 1) {
    std::shared_ptr<const Dataset> earlier;
    for (std::size_t i = 0; i < m_datasets.size() && m_order[i] < order && !earlier; ++i)
      if (!m_datasets[i]->chroms.empty()) earlier = m_datasets[i];
    if (earlier) {
      set_reference(earlier->chroms, QFileInfo(earlier->path).fileName());
      Q_EMIT reconciled();
    } else if (!dataset.chroms.empty()) {
      set_reference(dataset.chroms, QFileInfo(dataset.path).fileName());
    }
  }
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
