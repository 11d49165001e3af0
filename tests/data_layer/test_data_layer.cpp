// gc::data on files written by the test: detection by content before extension, typed datasets,
// errors that name the file, cancellation, and importers added to the registry.
#include "gc/data/importer.h"
#include "gc/hic/cooler.h"
#include "gc/util/error.h"
#include "gc/util/temp_dir.h"

#include "gc_qtest_main.h"

#include <QTest>

#include <fstream>

namespace fs = std::filesystem;

namespace {

fs::path write(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const gc::InputError& e) {
    return e.what();
  }
  return "no error";
}

const std::string fasta_text = ">chrA\nACGTACGTAC\nGT\n>chrB\nNNNNACGT\n";
const std::string gtf_text =
    "chrA\tsrc\tgene\t1\t10\t.\t+\t.\tgene_id \"g1\"; gene_name \"G1\";\n"
    "chrA\tsrc\ttranscript\t1\t10\t.\t+\t.\tgene_id \"g1\"; transcript_id \"t1\"; gene_name \"G1\";\n"
    "chrA\tsrc\texon\t1\t10\t.\t+\t.\tgene_id \"g1\"; transcript_id \"t1\"; gene_name \"G1\";\n";

} // namespace

class TestDataLayer : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void content_wins_over_extension();
  void opens_typed_datasets();
  void hic_opens_every_resolution_once();
  void errors_name_the_file();
  void cancelled_open_throws_cancelled();
  void added_importer_is_asked_first();
};

void TestDataLayer::content_wins_over_extension() {
  gc::TempDir dir("data");
  // A FASTA saved as .txt is FASTA; a bedGraph called .bed is still bedGraph by its track line.
  QCOMPARE(gc::data::detect(write(dir.path() / "genome.txt", fasta_text).string())->id(),
           std::string("fasta"));
  QCOMPARE(
      gc::data::detect(write(dir.path() / "signal.bed", "track type=bedGraph\nchrA\t0\t5\t1.5\n").string())
          ->id(),
      std::string("bedgraph"));
  QCOMPARE(gc::data::detect(write(dir.path() / "peaks.bed", "chrA\t0\t5\tp1\t10\t+\n").string())->id(),
           std::string("bed"));
  // Content that says nothing leaves the extension to decide.
  QCOMPARE(gc::data::detect(write(dir.path() / "s.bedgraph", "chrA\t0\t5\t2\n").string())->id(),
           std::string("bedgraph"));
  QCOMPARE(gc::data::detect(write(dir.path() / "genes.gtf", gtf_text).string())->id(),
           std::string("annotation"));
}

void TestDataLayer::opens_typed_datasets() {
  gc::TempDir dir("data");
  const auto fa = gc::data::open(write(dir.path() / "g.fa", fasta_text).string());
  QCOMPARE(fa->kind, gc::data::Kind::genome);
  QVERIFY(fa->fasta != nullptr);
  QCOMPARE(fa->chroms.size(), std::size_t(2));
  QCOMPARE(fa->chroms[0].length, std::int64_t(12));
  QCOMPARE(fa->summary, std::string("2 sequences, 20 bp"));
  QCOMPARE(fa->path, fs::absolute(dir.path() / "g.fa").lexically_normal());

  const auto bg =
      gc::data::open(write(dir.path() / "s.bedgraph", "chrA\t0\t5\t2.5\nchrB\t5\t9\t-1\n").string());
  QCOMPARE(bg->kind, gc::data::Kind::signal);
  QCOMPARE(bg->intervals->size(), std::size_t(2));
  QCOMPARE(bg->intervals->at(0).score, 2.5);
  QCOMPARE(bg->intervals->at(1).score, -1.0);
  QCOMPARE(bg->info.at("max").as_double(), 2.5);

  const auto gtf = gc::data::open(write(dir.path() / "genes.gtf", gtf_text).string());
  QCOMPARE(gtf->kind, gc::data::Kind::annotation);
  QCOMPARE(gtf->annotation->genes().size(), std::size_t(1));

  const auto csv = gc::data::open(
      write(dir.path() / "ExpressionData.csv", ",c1,c2,c3\nG1,1.0,2.0,0\nG2,0,0.5,3\n").string());
  QCOMPARE(csv->kind, gc::data::Kind::expression);
  QVERIFY(csv->expression != nullptr);
  QCOMPARE(csv->expression->n_genes(), std::int64_t(2));
  QCOMPARE(csv->expression->n_cells(), std::int64_t(3));
}

void TestDataLayer::hic_opens_every_resolution_once() {
  gc::TempDir dir("data");
  const fs::path cool = dir.path() / "m.cool";
  gc::hic::write_cooler(cool, {{"chrA", 100}, {"chrB", 60}}, 10, {{0, 0, 5}, {0, 3, 2}, {10, 12, 1}});
  gc::hic::zoomify(cool.string(), dir.path() / "m.mcool", {1, 2, 4});
  const auto d = gc::data::open((dir.path() / "m.mcool").string());
  QCOMPARE(d->kind, gc::data::Kind::hic);
  QCOMPARE(d->format, std::string("mcool"));
  QVERIFY(d->hic != nullptr);
  std::vector<std::int64_t> sizes;
  for (const auto& m : d->hic->maps)
    sizes.push_back(m->bins().bin_size);
  QCOMPARE(sizes, (std::vector<std::int64_t>{10, 20, 40}));
  QCOMPARE(d->chroms.size(), std::size_t(2));
  QCOMPARE(d->chroms[1].length, std::int64_t(60));
  QCOMPARE(d->info.at("resolutions").size(), std::size_t(3));
}

void TestDataLayer::errors_name_the_file() {
  gc::TempDir dir("data");
  const auto missing = (dir.path() / "nope.cool").string();
  QVERIFY(error_of([&] { (void)gc::data::open(missing); }).find("nope.cool: no such file") !=
          std::string::npos);
  const auto empty = write(dir.path() / "empty.bed", "").string();
  QVERIFY(error_of([&] { (void)gc::data::open(empty); }).find("empty.bed: file is empty") !=
          std::string::npos);
  const auto junk = write(dir.path() / "notes.xyz", "\x01\x02 binary junk").string();
  const auto message = error_of([&] { (void)gc::data::detect(junk); });
  QVERIFY2(message.find("notes.xyz: unrecognised file format") != std::string::npos, message.c_str());
  QVERIFY(message.find("fasta") != std::string::npos); // lists what it can read
  // A file that claims a format and breaks it is that reader's error, with the file named.
  const auto bad = write(dir.path() / "bad.bedgraph", "chrA\t0\t5\tabc\n").string();
  const auto bad_message = error_of([&] { (void)gc::data::open(bad); });
  QVERIFY2(bad_message.find("bad.bedgraph") != std::string::npos, bad_message.c_str());
  QVERIFY(bad_message.find("'abc' is not a number") != std::string::npos);
}

void TestDataLayer::cancelled_open_throws_cancelled() {
  gc::TempDir dir("data");
  const auto fa = write(dir.path() / "g.fa", fasta_text).string();
  gc::CancelToken token;
  token.cancel();
  const gc::Progress progress(nullptr, token);
  QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)gc::data::open(fa, progress));
}

namespace {
// Claims BED files whose first record is on chrNotes, by content, as a plugin might claim a
// dialect of a built-in format.
class NotesImporter final : public gc::data::Importer {
public:
  std::string id() const override { return "notes"; }
  std::string description() const override { return "test notes"; }
  gc::data::Kind kind() const override { return gc::data::Kind::network; }
  gc::data::Match recognise(const gc::data::Probe& p) const override {
    return p.first_data_line().starts_with("chrNotes\t") ? gc::data::Match::content : gc::data::Match::none;
  }
  gc::data::Dataset open(const gc::data::Probe& p, const gc::Progress&) const override {
    gc::data::Dataset d;
    d.summary = "notes: " + std::to_string(p.head.size()) + " bytes";
    return d;
  }
};
} // namespace

void TestDataLayer::added_importer_is_asked_first() {
  gc::TempDir dir("data");
  // Valid BED: the built-in BED importer recognises it by content too.
  const auto file = write(dir.path() / "x.bed", "chrNotes\t1\t2\n").string();
  QCOMPARE(gc::data::detect(file)->id(), std::string("bed"));
  gc::data::Registry::global().add(std::make_shared<NotesImporter>(), "test plugin");
  const auto d = gc::data::open(file);
  QCOMPARE(d->format, std::string("notes"));
  QCOMPARE(d->summary, std::string("notes: 13 bytes"));
  bool listed = false;
  for (const auto& r : gc::data::Registry::global().importers())
    listed = listed || (r.importer->id() == "notes" && r.origin == "test plugin");
  QVERIFY(listed);
}

GC_QTEST_GUILESS_MAIN(TestDataLayer)
#include "test_data_layer.moc"
