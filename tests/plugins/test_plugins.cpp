// The plugin host and the .pairs importer we ship through it.
#include "gc/data/importer.h"
#include "gc/hic/cooler.h"
#include "gc/plugins/host.h"
#include "gc/util/json.h"
#include "gc/util/temp_dir.h"

#include "gc_qtest_main.h"
#include "gc_test_env.h"

#include <QProcess>
#include <QTest>

#include <cstdlib>
#include <fstream>

namespace fs = std::filesystem;

namespace {
const fs::path shared(gc::test::shared_data_dir());
} // namespace

class TestPlugins : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase();
  void shipped_pairs_importer_loads();
  void pairs_open_as_cooler_bins_them();
  void bad_plugins_are_refused_with_a_reason();
  void current_directory_is_never_searched();
  void cli_lists_plugins();
};

void TestPlugins::initTestCase() {
  // Keep the binned-pairs cache and the user plugin folder inside the test.
  static gc::TempDir home("plugins-home");
  qputenv("XDG_CACHE_HOME", QByteArray::fromStdString((home.path() / "cache").string()));
  qputenv("XDG_DATA_HOME", QByteArray::fromStdString((home.path() / "data").string()));
  gc::plugins::Host::global().load({{fs::path(GC_PLUGIN_DIR), "install"}});
}

void TestPlugins::shipped_pairs_importer_loads() {
  const auto& host = gc::plugins::Host::global();
  QCOMPARE(host.plugins().size(), std::size_t(1));
  const auto& p = host.plugins().front();
  QCOMPARE(p.name, std::string("pairs-importer"));
  QCOMPARE(p.importers, std::vector<std::string>{"pairs"});
  QCOMPARE(p.folder_kind, std::string("install"));
  bool registered = false;
  for (const auto& r : gc::data::Registry::global().importers())
    registered = registered || (r.importer->id() == "pairs" && r.origin == p.file.string());
  QVERIFY(registered);
}

void TestPlugins::pairs_open_as_cooler_bins_them() {
  if (!fs::exists(shared)) QSKIP("../shared/data is absent");
  // toy.pairs has no #chromsize lines: the importer takes toy.chrom.sizes beside it, bins at the
  // finest 1-2-5 size (1 bp for this 64 bp genome) and zoomifies by factors of 2.
  const auto d = gc::data::open((shared / "hic/cooler/toy.pairs").string());
  QCOMPARE(d->format, std::string("pairs"));
  QCOMPARE(d->kind, gc::data::Kind::hic);
  QVERIFY(d->hic && d->hic->maps.size() >= 3);
  QCOMPARE(d->info.at("chrom_sizes_from").as_string(), std::string("toy.chrom.sizes"));
  // Each zoom level equals cooler's own `cload pairs` output at that bin size.
  for (const int size : {2, 4}) {
    const gc::hic::CoolerMap reference(
        (shared / ("hic/cooler/toy.symm.upper." + std::to_string(size) + ".cool")).string());
    const gc::hic::ContactMap* ours = nullptr;
    for (const auto& m : d->hic->maps)
      if (m->bins().bin_size == size) ours = m.get();
    QVERIFY2(ours, qPrintable(QString("no %1 bp level").arg(size)));
    QCOMPARE(ours->bins().size(), reference.bins().size());
    QCOMPARE(ours->bins().start, reference.bins().start);
    QCOMPARE(ours->bins().chrom, reference.bins().chrom);
    QVERIFY(ours->all_pixels() == reference.all_pixels());
  }
  // Opening again reuses the binned file.
  const auto again = gc::data::open((shared / "hic/cooler/toy.pairs").string());
  QCOMPARE(again->info.at("binned_cooler").as_string(), d->info.at("binned_cooler").as_string());
}

void TestPlugins::bad_plugins_are_refused_with_a_reason() {
  gc::TempDir folder("bad-plugins");
  for (const auto& e : fs::directory_iterator(GC_BAD_PLUGIN_DIR))
    fs::copy_file(e.path(), folder.path() / e.path().filename());
  std::ofstream(folder.path() / "not_a_library.so") << "plain text, not ELF\n";
  auto& host = gc::plugins::Host::global();
  const auto before = host.problems().size();
  const auto plugins_before = host.plugins().size();
  host.load({{folder.path(), "user"}});
  QCOMPARE(host.plugins().size(), plugins_before); // none of them loaded
  std::map<std::string, std::string> why;
  for (std::size_t i = before; i < host.problems().size(); ++i)
    why[host.problems()[i].file.filename().string()] = host.problems()[i].message;
  QCOMPARE(why.size(), std::size_t(5));
  QVERIFY2(why["test_plugin_throws_gc.so"].find("the plugin's own gc::InputError") != std::string::npos,
           why["test_plugin_throws_gc.so"].c_str());
  QVERIFY2(why["test_plugin_wrong_abi.so"].find("built for plugin ABI 42") != std::string::npos,
           why["test_plugin_wrong_abi.so"].c_str());
  QVERIFY(why["test_plugin_throws.so"].find("constructor failed on purpose") != std::string::npos);
  QVERIFY(why["test_plugin_no_entry.so"].find("not a GenoCircuit plugin") != std::string::npos);
  QVERIFY(why["not_a_library.so"].find("cannot load the plugin") != std::string::npos);
  // Relative folders are refused, not resolved against the current directory.
  host.load({{fs::path("plugins"), "user"}});
  QVERIFY(host.problems().back().message.find("must be absolute") != std::string::npos);
}

void TestPlugins::current_directory_is_never_searched() {
  // A plugin in the current folder is neither loaded nor even tried by the default search.
  gc::TempDir cwd("plugin-cwd");
  fs::copy_file(fs::path(GC_BAD_PLUGIN_DIR) / "test_plugin_throws.so", cwd.path() / "test_plugin_throws.so");
  const auto old = fs::current_path();
  fs::current_path(cwd.path());
  auto& host = gc::plugins::Host::global();
  host.load_default();
  const auto folders = gc::plugins::Host::default_folders();
  fs::current_path(old);
  for (const auto& p : host.plugins())
    QVERIFY(p.file.parent_path() != cwd.path());
  for (const auto& p : host.problems())
    QVERIFY2(p.file.parent_path() != cwd.path(), p.file.c_str());
  QCOMPARE(folders.size(), std::size_t(2));
  for (const auto& f : folders) {
    QVERIFY(f.path.is_absolute());
    QVERIFY(f.path != cwd.path());
  }
  QCOMPARE(folders[1].path, fs::path(qgetenv("XDG_DATA_HOME").toStdString()) / "genocircuit" / "plugins");
}

void TestPlugins::cli_lists_plugins() {
  QProcess cli;
  cli.start(QString(GC_BINARY_DIR) + "/app/cli/genocircuit-cli", {"plugins", "--json"});
  QVERIFY(cli.waitForFinished(60000));
  QCOMPARE(cli.exitCode(), 0);
  const auto json = gc::Json::parse(cli.readAllStandardOutput().toStdString());
  QCOMPARE(json.at("abi_version").as_int(), std::int64_t(gc::plugins::abi_version));
  QCOMPARE(json.at("plugins").size(), std::size_t(1));
  QCOMPARE(json.at("plugins").at(0).at("name").as_string(), std::string("pairs-importer"));
  QCOMPARE(json.at("plugins").at(0).at("folder").as_string(), std::string("install"));
  bool pairs = false;
  for (const auto& i : json.at("importers").as_array())
    pairs = pairs || (i.at("id").as_string() == "pairs" && i.at("kind").as_string() == "hic");
  QVERIFY(pairs);
}

GC_QTEST_GUILESS_MAIN(TestPlugins)
#include "test_plugins.moc"
