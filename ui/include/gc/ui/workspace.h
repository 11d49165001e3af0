#pragma once
// The loaded datasets (DESIGN §10: state lives here, views observe). Files are read in
// TaskRunner workers; results are added on the GUI thread. Chromosome names of every dataset are
// reconciled against the reference (the first genome FASTA, else the first dataset with
// chromosomes) through gc::genome's alias table; length mismatches become warnings.
#include "gc/data/dataset.h"
#include "gc/genome/annotation.h"
#include "gc/genome/bed.h"
#include "gc/genome/chrom_aliases.h"
#include "gc/genome/fasta.h"
#include "gc/genome/region.h"
#include "gc/genome/vcf.h"
#include "gc/util/progress.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace gc::ui {

class TaskRunner;

// What the views draw a dataset as; everything the data layer opens that no view draws yet
// (networks, pseudotime, motifs, tables, ...) is `other`, listed in the Data panel.
enum class DatasetKind { genome, annotation, intervals, signal, variants, hic, expression, other };
[[nodiscard]] QString to_string(DatasetKind kind);

// A dataset opened through gc::data (shared with every view that shows it), with the
// reconciliation of its chromosome names against the workspace's reference.
struct Dataset {
  std::shared_ptr<const gc::data::Dataset> source; // what gc::data opened
  QString path;                                    // absolute
  DatasetKind kind = DatasetKind::genome;
  QString kind_label;                       // for the Data panel ("genome", "network", ...)
  QString summary;                          // one line for the Data panel
  std::vector<genome::ChromLength> chroms;  // as named in the file (lengths 0 when unknown)
  QStringList warnings;                     // from reconciliation
  std::vector<std::string> reference_names; // per chroms[i]: the reference's name, or empty
  std::shared_ptr<const genome::FastaReader> fasta;
  std::shared_ptr<const genome::Annotation> annotation;
  std::shared_ptr<const std::vector<genome::BedRecord>> intervals; // BED, or bedGraph (value in score)
  std::shared_ptr<const genome::VariantTable> variants;
  // bigWig: read on demand, window by window (the browser's signal rows ask it on workers).
  std::shared_ptr<const genome::BigWigReader> bigwig;
  std::shared_ptr<const hic::Resolutions> hic; // every resolution, opened once for every Hi-C view
  QString hic_uri;

  // This dataset's name for a reference chromosome, or nullopt when it has none.
  [[nodiscard]] std::optional<std::string> local_name(const std::string& reference_chrom) const;
};

// Opens one file through gc::data (worker thread); throws gc::Error with the core's message.
[[nodiscard]] Dataset load_dataset(const QString& path, const gc::Progress& progress);

class Workspace : public QObject {
  Q_OBJECT
public:
  explicit Workspace(TaskRunner* tasks, QObject* parent = nullptr);

  // Loads each file in its own worker task; failures are reported through load_failed.
  void open(const QStringList& paths);
  // Adds an already loaded dataset (GUI thread): reconciles names and emits dataset_added.
  // Datasets keep the order in which they were requested, whatever order the loads end in.
  void add(Dataset dataset);
  void clear();

  [[nodiscard]] const std::vector<std::shared_ptr<const Dataset>>& datasets() const { return m_datasets; }
  [[nodiscard]] int loading() const noexcept { return m_loading; }
  // Chromosomes of the reference (names and lengths) in file order.
  [[nodiscard]] const std::vector<genome::ChromLength>& reference() const { return m_reference; }
  [[nodiscard]] std::int64_t chrom_length(const std::string& reference_chrom) const;
  // The reference's name for `name` as written by the user or another file; nullopt if none.
  [[nodiscard]] std::optional<std::string> reference_name(const std::string& name) const;
  [[nodiscard]] std::shared_ptr<const Dataset> first_of(DatasetKind kind) const;

  // Gene names and ids starting with `prefix`, over every annotation.
  [[nodiscard]] QStringList complete(const QString& prefix, int limit = 12) const;
  // A UCSC region, a chromosome or a gene name/id -> a clamped region on reference names.
  // Throws gc::InputError naming the text when nothing matches.
  [[nodiscard]] genome::Region find_locus(const QString& text) const;

Q_SIGNALS:
  void dataset_added(int index);
  void cleared();
  // Every dataset was reconciled again against a new reference (names and warnings changed).
  void reconciled();
  void load_failed(const QString& path, const QString& message);
  // Every requested load has ended (loaded, failed or cancelled).
  void idle();

private:
  // Makes `chroms` the reference and reconciles every loaded dataset again.
  void set_reference(const std::vector<genome::ChromLength>& chroms, const QString& source);
  void reconcile(Dataset& dataset);
  void finish_one();
  void insert(Dataset dataset, std::uint64_t order);

  TaskRunner* m_tasks;
  std::vector<std::shared_ptr<const Dataset>> m_datasets;
  std::vector<std::uint64_t> m_order; // request number of each dataset, ascending
  std::uint64_t m_next_order = 0;
  std::vector<genome::ChromLength> m_reference;
  QString m_reference_source;
  int m_loading = 0;
};

} // namespace gc::ui
