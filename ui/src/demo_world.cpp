#include "gc/ui/demo_world.h"

#include "gc/simulate/world.h"
#include "gc/util/atomic_file.h"
#include "gc/util/error.h"
#include "gc/util/log.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTextStream>

#include <algorithm>

namespace gc::ui {
namespace {

// The demo world's files the main window opens, in loading order; grn.csv (the ground-truth
// network) is the graph view's reference; the screen and the true responses are the what-if
// view's training data and truth.
const QStringList demo_files{
    "genome.fa.gz",    "genes.gtf",   "elements.bed",          "compartments.bedgraph",
    "variants.vcf.gz", "hic.mcool",   "motifs.jaspar",         "expression.h5ad",
    "grn.csv",         "screen.h5ad", "perturbation_truth.tsv"};

// The loop in loops.bedpe with the widest anchor distance, as a region with context either side.
QString widest_loop(const QString& dir) {
  QFile f(dir + "/loops.bedpe");
  if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) return {};
  QTextStream in(&f);
  QString best;
  qint64 best_span = -1;
  while (!in.atEnd()) {
    const auto cols = in.readLine().split('\t');
    if (cols.size() < 6) continue;
    const qint64 a = cols[1].toLongLong(), b = cols[5].toLongLong();
    if (b - a > best_span && b - a <= 400'000) {
      best_span = b - a;
      const qint64 pad = std::max<qint64>(60'000, (b - a) / 2);
      best = QString("%1:%2-%3").arg(cols[0]).arg(std::max<qint64>(1, a - pad + 1)).arg(b + pad);
    }
  }
  return best;
}

// Whether the world's manifest is of this generator's version: an older one lacks ground truth
// added since (version 2: the responses of perturbations the screen does not show).
bool current_manifest(const QString& dir) {
  try {
    const auto m = gc::Json::parse(gc::read_text_file((dir + "/manifest.json").toStdString()));
    return m.is_object() && m.contains("manifest_version") &&
           m.at("manifest_version").as_int() >= gc::simulate::manifest_version;
  } catch (const gc::Error&) {
    return false;
  }
}

bool complete(const QString& dir) {
  return std::all_of(demo_files.begin(), demo_files.end(),
                     [&](const QString& f) { return QFileInfo::exists(dir + "/" + f); });
}

} // namespace

QString demo_world_dir() {
  // The installed copy is read-only: one that is incomplete or older than this program is never
  // rewritten in place, the cache's copy is used instead.
  const QString installed =
      QDir::cleanPath(QCoreApplication::applicationDirPath() + "/../share/genocircuit/demo-world");
  if (complete(installed) && current_manifest(installed)) return installed;
  return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + "/genocircuit/demo-world";
}

DemoWorld prepare_demo_world(const QString& dir, const gc::Progress& progress) {
  // A world written by an older version may lack files or truth added since: write it again.
  if (!complete(dir) || !current_manifest(dir)) {
    gc::log::info("generating the demo world in ", dir.toStdString());
    const auto world =
        gc::simulate::generate(gc::simulate::WorldSpec::preset_named("demo"), progress.sub(0.0, 0.8));
    (void)gc::simulate::write_world(world, dir.toStdString(), progress.sub(0.8, 1.0));
  }
  DemoWorld out;
  out.dir = dir;
  for (const auto& f : demo_files)
    if (QFileInfo::exists(dir + "/" + f)) out.files << dir + "/" + f;
  out.locus = widest_loop(dir);
  progress.update(1.0);
  return out;
}

} // namespace gc::ui
