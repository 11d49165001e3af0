// Format detection and opening through gc::data on every file in ../shared/data: each data file
// is recognised as its format and opens (or is described) without error; the few files that are
// not data (a README, a licence, an R workspace) are refused with a message naming them.
#include "gc/data/importer.h"
#include "gc/plugins/host.h"
#include "gc/util/error.h"

#include "gc_qtest_main.h"

#include <QTest>

#include <filesystem>
#include <regex>
#include <set>

namespace fs = std::filesystem;

namespace {

// The expected importer id of each shared file, by the first pattern its relative path matches.
const std::vector<std::pair<std::regex, std::string>>& expectations() {
  static const std::vector<std::pair<std::regex, std::string>> table = [] {
    std::vector<std::pair<std::string, std::string>> raw = {
        {R"(.*/ExpressionData\.csv)", "expression"},
        {R"(.*/(PseudoTime|DeterministicPT)\.csv)", "pseudotime"},
        {R"(.*/refNetwork\.csv)", "edge_list"},
        {R"(.*\.(fa|fasta)(\.gz)?)", "fasta"},
        {R"(.*\.(gtf|gff)(\.gz)?)", "annotation"},
        {R"(.*\.vcf(\.gz)?)", "vcf"},
        {R"(.*\.(tbi|fai))", "index"},
        {R"(.*\.narrowPeak)", "narrowpeak"},
        {R"(.*\.bg)", "bedgraph"},
        {R"(.*\.bw)", "bigwig"},
        {R"(.*\.(bg2|coo))", "contact_dump"},
        {R"(.*\.chrom\.sizes)", "chrom_sizes"},
        {R"(.*\.bed(\.gz)?)", "bed"},
        {R"(.*\.(cool|mcool|scool))", "cooler"},
        {R"(.*\.hic)", "juicer"},
        {R"(.*\.pairs(\.gz)?)", "pairs"},
        {R"(motifs/(JASPAR|pwmenrich).*\.txt)", "motifs"},
        {R"(.*\.(h5ad|h5|mtx|mtx\.gz))", "expression"},
        {R"(expression/scanpy/(krumsiek11|toggleswitch)\.txt)", "expression"},
        {R"(expression/yeast_spellman/spellman_cell_cycle\.tsv)", "expression"},
        {R"(perturb/kemmeren/kemmeren_log2\.tsv)", "expression"},
        // DREAM4 steady states and time series are genes-as-columns expression tables.
        {R"(perturb/dream4/.*_(wildtype|knockouts|knockdowns|multifactorial|timeseries|nonoise_dualknockouts|dualknockouts_indexes)\.tsv)",
         "expression"},
        // Tables we recognise but no view interprets: id maps, TF and gene lists, headerless gold
        // standards, sample sheets, NetProphet's headerless inputs, 10x feature/barcode lists.
        {R"(.*(barcodes|features|genes)\.tsv(\.gz)?)", "table"},
        {R"(grn/yeast/.*)", "table"},
        {R"(perturb/dream4/.*(GoldStandard|goldstandard_ref).*\.tsv)", "table"},
        {R"(perturb/kemmeren/(conditions|genes|regulators|data\.expr|data\.fc|signed\.de\.adj))", "table"},
        {R"(expression/yeast_spellman/spellman_samples\.tsv)", "table"},
        {R"(README\.md|motifs/LICENSE\.txt|expression/yeast_spellman/spYCCES\.rda)", "refused"},
    };
    std::vector<std::pair<std::regex, std::string>> out;
    for (auto& [pattern, id] : raw)
      out.emplace_back(std::regex(pattern), id);
    return out;
  }();
  return table;
}

std::string expected_for(const std::string& rel) {
  for (const auto& [re, id] : expectations())
    if (std::regex_match(rel, re)) return id;
  return "unlisted";
}

} // namespace

class TestDataLayerShared : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase();
  void every_file_is_recognised();
  void every_data_file_opens();
};

void TestDataLayerShared::initTestCase() {
  if (!fs::exists(gc::test::shared_data_dir()))
    QSKIP("../shared/data is absent: the shared-data tests cannot run");
  // The .pairs importer is a plugin: load the ones this build ships.
  gc::plugins::Host::global().load({{fs::path(GC_PLUGIN_DIR), "install"}});
  const auto& problems = gc::plugins::Host::global().problems();
  QVERIFY2(problems.empty(), problems.empty() ? "" : problems.front().message.c_str());
  QCOMPARE(gc::plugins::Host::global().plugins().size(), std::size_t(1));
}

void TestDataLayerShared::every_file_is_recognised() {
  const fs::path root(gc::test::shared_data_dir());
  int files = 0;
  QStringList wrong;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    ++files;
    const auto rel = fs::relative(e.path(), root).generic_string();
    const auto expected = expected_for(rel);
    std::string got;
    try {
      got = gc::data::detect(e.path().string())->id();
    } catch (const gc::InputError& ex) {
      got = "refused";
      if (std::string(ex.what()).find(e.path().filename().string()) == std::string::npos)
        wrong << QString::fromStdString(rel + ": refusal does not name the file: " + ex.what());
    }
    if (got != expected)
      wrong << QString::fromStdString(rel + ": expected " + expected + ", detected " + got);
  }
  QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join("\n")));
  QVERIFY(files > 700);
}

void TestDataLayerShared::every_data_file_opens() {
  const fs::path root(gc::test::shared_data_dir());
  QStringList failed;
  int opened = 0;
  std::set<std::string> beeline_groups;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    const auto rel = fs::relative(e.path(), root).generic_string();
    if (expected_for(rel) == "refused") continue;
    // One folder of each BEELINE collection is opened whole; the rest were detected above.
    if (rel.starts_with("beeline/")) {
      const auto group = rel.substr(0, rel.find('/', rel.find('/', 8) + 1));
      if (!beeline_groups.insert(group + "|" + e.path().filename().string()).second) continue;
    }
    try {
      const auto d = gc::data::open(e.path().string());
      if (d->summary.empty() || !d->info.contains("format"))
        failed << QString::fromStdString(rel + ": opened without a summary or format");
      ++opened;
    } catch (const std::exception& ex) {
      failed << QString::fromStdString(rel + ": " + ex.what());
    }
  }
  QVERIFY2(failed.isEmpty(), qPrintable(failed.join("\n")));
  QVERIFY2(opened > 120, qPrintable(QString("only %1 files opened").arg(opened)));
}

GC_QTEST_GUILESS_MAIN(TestDataLayerShared)
#include "test_data_layer_shared.moc"
