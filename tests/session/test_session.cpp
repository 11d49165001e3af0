// gc::session through the core alone: round trip, relative paths, old versions, missing files,
// bad documents and atomic saves.
#include "gc/session/session.h"
#include "gc/util/atomic_file.h"
#include "gc/util/error.h"
#include "gc/util/temp_dir.h"

#include "gc_qtest_main.h"

#include <QTest>

#include <fstream>

namespace fs = std::filesystem;
using gc::session::Session;

namespace {
void touch(const fs::path& p) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << "x\n";
}
} // namespace

class TestSession : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void round_trip_keeps_everything();
  void paths_are_relative_to_the_session_folder();
  void reads_version_1_and_2();
  void missing_files_are_reported_not_fatal();
  void bad_documents_are_input_errors();
  void save_is_atomic();
};

void TestSession::round_trip_keeps_everything() {
  gc::TempDir dir("session");
  touch(dir.path() / "data" / "genome.fa");
  touch(dir.path() / "data" / "map.mcool");
  Session s;
  s.files = {dir.path() / "data" / "genome.fa", dir.path() / "data" / "map.mcool"};
  s.current_view = "hic";
  s.views["browser"]["locus"] = "chr1:1,001-2,000";
  s.views["hic"]["normalisation"] = "ice";
  s.colormaps["fall"] = "builtin";
  s.results.push_back({"knockout_scenario", "TF3 KO", gc::Json::object()});
  s.results.back().data["genes"] = gc::Json::array_of(std::vector<std::string>{"TF3"});
  s.figures.push_back({"hic", "fig/hic.svg", 600, 85.0, 0.0});
  s.window_state = "AAAA";
  const fs::path file = dir.path() / "work.gcsession.json";
  gc::session::write(s, file);
  const auto loaded = gc::session::read(file);
  QCOMPARE(loaded.version, gc::session::current_version);
  QVERIFY(loaded.missing.empty());
  QVERIFY(loaded.session == s);
  QCOMPARE(*loaded.session.locus("browser"), std::string("chr1:1,001-2,000"));
  QVERIFY(!loaded.session.locus("hic"));
}

void TestSession::paths_are_relative_to_the_session_folder() {
  gc::TempDir dir("session");
  touch(dir.path() / "a" / "genes.gtf");
  Session s;
  s.files = {dir.path() / "a" / "genes.gtf"};
  gc::session::write(s, dir.path() / "s.json");
  const auto json = gc::Json::parse(gc::read_text_file(dir.path() / "s.json"));
  QCOMPARE(json.at("files").at(0).as_string(), std::string("a/genes.gtf"));
  // The folder moves: the session finds its files in the new place.
  fs::rename(dir.path() / "a", dir.path() / "b");
  fs::create_directories(dir.path() / "moved");
  fs::rename(dir.path() / "b", dir.path() / "moved" / "a");
  fs::rename(dir.path() / "s.json", dir.path() / "moved" / "s.json");
  const auto loaded = gc::session::read(dir.path() / "moved" / "s.json");
  QCOMPARE(loaded.session.files.size(), std::size_t(1));
  QCOMPARE(loaded.session.files[0], (dir.path() / "moved" / "a" / "genes.gtf").lexically_normal());
}

void TestSession::reads_version_1_and_2() {
  gc::TempDir dir("session");
  touch(dir.path() / "g.fa");
  // As the GUI wrote them before gc::session: version 2 with view names, version 1 with a tab title.
  const std::string v2 = R"({"format": "genocircuit-session", "version": 2, "files": ["g.fa"],
    "current_view": "browser", "views": {"browser": {"locus": "chrI:1-100"}}, "window_state": "AQID"})";
  auto loaded = gc::session::parse(v2, dir.path());
  QCOMPARE(loaded.version, 2);
  QCOMPARE(loaded.session.files.size(), std::size_t(1));
  QCOMPARE(loaded.session.current_view, std::string("browser"));
  QCOMPARE(*loaded.session.locus("browser"), std::string("chrI:1-100"));
  QCOMPARE(loaded.session.window_state, std::string("AQID"));
  QVERIFY(loaded.session.results.empty());
  const std::string v1 =
      R"({"format": "genocircuit-session", "version": 1, "files": [], "current_view": "Genome"})";
  loaded = gc::session::parse(v1, dir.path());
  QCOMPARE(loaded.version, 1);
  QCOMPARE(loaded.session.current_view, std::string("Genome"));
}

void TestSession::missing_files_are_reported_not_fatal() {
  gc::TempDir dir("session");
  touch(dir.path() / "here.bed");
  const std::string text = R"({"format": "genocircuit-session", "version": 3,
    "files": ["here.bed", "gone.cool"], "views": {"hic": {"uri": "gone.cool"}}})";
  const auto loaded = gc::session::parse(text, dir.path());
  QCOMPARE(loaded.session.files.size(), std::size_t(1));
  QCOMPARE(loaded.missing.size(), std::size_t(1));
  QCOMPARE(loaded.missing[0].filename().string(), std::string("gone.cool"));
  QVERIFY(loaded.session.view_state("hic") != nullptr);
}

void TestSession::bad_documents_are_input_errors() {
  gc::TempDir dir("session");
  const auto message = [&](const std::string& text) -> std::string {
    try {
      (void)gc::session::parse(text, dir.path());
    } catch (const gc::InputError& e) {
      return e.what();
    }
    return "no error";
  };
  QVERIFY(message("{not json").find("line 1") != std::string::npos);
  QVERIFY(message(R"({"version": 2})").find("not a GenoCircuit session") != std::string::npos);
  QVERIFY(message(R"({"format": "genocircuit-session", "version": 99})").find("version 99") !=
          std::string::npos);
  QVERIFY(message(R"({"format": "genocircuit-session", "version": "2"})").find("\"version\" must be") !=
          std::string::npos);
  QVERIFY(message(R"({"format": "genocircuit-session", "version": 3, "files": [1]})").find("\"files\"") !=
          std::string::npos);
  QVERIFY(message(R"({"format": "genocircuit-session", "version": 3, "figures": [{"dpi": 300}]})")
              .find("\"view\"") != std::string::npos);
  // Found writing fuzz_session (UBSan): numbers beyond int64/int were cast (undefined for 1e300; 2^32 + 300
  // was read as dpi 300, 2^32 + 1 as version 1).
  QVERIFY(
      message(
          R"({"format": "genocircuit-session", "version": 3, "figures": [{"view": "hic", "dpi": 1e300}]})")
          .find("expected integer") != std::string::npos);
  QVERIFY(
      message(
          R"({"format": "genocircuit-session", "version": 3, "figures": [{"view": "hic", "dpi": 4294967596}]})")
          .find("\"dpi\" must be between 1 and 10000") != std::string::npos);
  QVERIFY(message(R"({"format": "genocircuit-session", "version": 4294967297})").find("version 4294967297") !=
          std::string::npos);
  // A missing session file is an error naming it, not an empty session.
  try {
    (void)gc::session::read(dir.path() / "nope.gcsession.json");
    QFAIL("reading a missing session did not throw");
  } catch (const gc::InputError& e) {
    QVERIFY(std::string(e.what()).find("nope.gcsession.json") != std::string::npos);
    QVERIFY(std::string(e.what()).find("no such session file") != std::string::npos);
  }
}

void TestSession::save_is_atomic() {
  gc::TempDir dir("session");
  const fs::path file = dir.path() / "s.json";
  Session a;
  a.current_view = "browser";
  gc::session::write(a, file);
  const std::string before = gc::read_text_file(file);
  // The save of a second session fails at its last step (its target is replaced by a folder the
  // rename cannot overwrite): what was there stays as it was, and no temporary is left behind.
  const fs::path blocked = dir.path() / "blocked.json";
  fs::create_directories(blocked / "inside");
  Session b;
  b.current_view = "hic";
  QVERIFY_THROWS_EXCEPTION(gc::Error, gc::session::write(b, blocked));
  QVERIFY(fs::is_directory(blocked / "inside"));
  QCOMPARE(gc::read_text_file(file), before);
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path()))
    ++entries;
  QCOMPARE(entries, 2); // s.json and the folder: no temporary
  // A successful save over an existing session replaces it whole.
  gc::session::write(b, file);
  QCOMPARE(gc::session::read(file).session.current_view, std::string("hic"));
}

GC_QTEST_GUILESS_MAIN(TestSession)
#include "test_session.moc"
