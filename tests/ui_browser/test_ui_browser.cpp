// The data views' workspace and genome browser under Xvfb: locus parsing and gene completion,
// zoom arithmetic, chromosome-name reconciliation, sessions (v2 and v1), figure export of the
// browser, the export-figure CLI, non-modal load errors and cancelled loads.
#include "gc/genome/bigwig.h"
#include "gc/session/session.h"
#include "gc/ui/browser/genome_browser.h"
#include "gc/ui/browser/interval_index.h"
#include "gc/ui/browser/signal_cache.h"
#include "gc/ui/browser/track_list_model.h"
#include "gc/ui/chromatin/chromatin_view.h"
#include "gc/ui/common/export_dialog.h"
#include "gc/ui/common/figure_export.h"
#include "gc/ui/common/headless_figure.h"
#include "gc/ui/common/vtk_view.h"
#include "gc/ui/hic/hic_map_view.h"
#include "gc/ui/main_window.h"
#include "gc/ui/task_runner.h"
#include "gc/ui/workspace.h"
#include "gc/util/error.h"
#include "gc/util/temp_dir.h"

#include "gc_qtest_main.h"
#include "gc_session_wait.h"

#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QMessageBox>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QToolButton>
#include <QTreeView>
#include <QtTest>

namespace {

using Window = std::pair<std::int64_t, std::int64_t>;

void write_file(const QString& path, const QByteArray& text) {
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(text);
}

// A deterministic 60 kb sequence (no randomness needed: a repeating non-periodic pattern).
QByteArray sequence(int n) {
  QByteArray s;
  const char* bases = "ACGT";
  unsigned x = 12345;
  for (int i = 0; i < n; ++i) {
    x = x * 1103515245u + 12345u;
    s += bases[(x >> 16) & 3u];
  }
  return s;
}

QByteArray gtf_gene(const char* chrom, const char* name, int start, int end, char strand) {
  const QByteArray attrs = QByteArray("gene_id \"") + name + "_id\"; gene_name \"" + name + "\";";
  const QByteArray tattrs = attrs + " transcript_id \"" + name + "-T1\";";
  QByteArray out;
  const auto line = [&](const char* type, int s, int e, const QByteArray& a) {
    out += QByteArray(chrom) + "\ttest\t" + type + "\t" + QByteArray::number(s) + "\t" +
           QByteArray::number(e) + "\t.\t" + strand + "\t.\t" + a + "\n";
  };
  line("gene", start, end, attrs);
  line("transcript", start, end, tattrs);
  line("exon", start, start + 199, tattrs);
  line("exon", end - 299, end, tattrs);
  return out;
}

bool has_colour(const QImage& img, QColor c, int tolerance = 40) {
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) {
      const QColor p = img.pixelColor(x, y);
      if (std::abs(p.red() - c.red()) + std::abs(p.green() - c.green()) + std::abs(p.blue() - c.blue()) <
          tolerance)
        return true;
    }
  return false;
}

} // namespace

class TestUiBrowser : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase();
  void zoom_maths();
  void locus_parsing_completion_and_reconciliation();
  void browser_draws_bases_only_when_zoomed_in();
  void tracks_reorder();
  void interval_index_matches_a_scan();
  void track_model_reorders_rows();
  void sequence_errors_are_reported();
  void bigwig_signal_is_read_on_workers();
  void session_round_trip_and_missing_file();
  void reads_version_1_sessions();
  void browser_exports_valid_figures_of_requested_size();
  void cli_export_matches_gui_export();
  void failed_load_shows_non_modal_error();
  void loading_can_be_cancelled();
  void failed_genome_leaves_another_reference();
  void export_dialog_is_non_modal_and_converts_inches();

private:
  [[nodiscard]] gc::ui::Workspace* loaded_workspace(gc::ui::TaskRunner* tasks);
  QTemporaryDir m_dir;
  QString m_fasta, m_gtf, m_bed, m_vcf, m_bedgraph;
};

void TestUiBrowser::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  QVERIFY(m_dir.isValid());
  m_fasta = m_dir.filePath("genome.fa");
  m_gtf = m_dir.filePath("genes.gtf");
  m_bed = m_dir.filePath("peaks.bed");
  m_vcf = m_dir.filePath("sites.vcf");
  m_bedgraph = m_dir.filePath("signal.bedgraph");
  // The FASTA says chrI/chrII; the annotation says I/II (resolved through the alias table).
  const QByteArray s1 = sequence(60000), s2 = sequence(30000);
  QByteArray fa = ">chrI\n";
  for (int i = 0; i < s1.size(); i += 60)
    fa += s1.mid(i, 60) + "\n";
  fa += ">chrII\n";
  for (int i = 0; i < s2.size(); i += 60)
    fa += s2.mid(i, 60) + "\n";
  write_file(m_fasta, fa);
  write_file(m_gtf, gtf_gene("I", "ACT1", 1001, 5000, '+') + gtf_gene("I", "ACT2", 20001, 26000, '-') +
                        gtf_gene("II", "ADH1", 3001, 9000, '+'));
  write_file(m_bed, "chrI\t1500\t2500\tpeak1\t10\t+\nchrI\t30000\t31000\tpeak2\t5\t-\n");
  write_file(m_bedgraph, "track type=bedGraph\nchrI\t0\t10000\t1.5\nchrI\t10000\t20000\t-0.5\n");
  // The VCF's contig length disagrees with the FASTA: a warning, not an error.
  write_file(m_vcf, "##fileformat=VCFv4.2\n##contig=<ID=I,length=59000>\n"
                    "##INFO=<ID=AF,Number=A,Type=Float,Description=\"AF\">\n"
                    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                    "I\t2000\t.\tA\tG\t50\tPASS\tAF=0.25\nI\t4000\t.\tC\tT\t50\tPASS\tAF=0.75\n");
}

void TestUiBrowser::zoom_maths() {
  using namespace gc::ui::browser;
  QCOMPARE(bp_per_pixel(0, 1000, 500), 2.0);
  QCOMPARE(bp_per_pixel(100, 100, 500), 1.0 / 500); // never zero width
  QCOMPARE(zoom(1000, 2000, 0.5, 0.5, 10000), Window(1250, 1750));
  QCOMPARE(zoom(1000, 2000, 0.5, 0.0, 10000), Window(1000, 1500));
  QCOMPARE(zoom(1000, 2000, 2.0, 1.0, 10000), Window(0, 2000));
  // Zooming out stops at the chromosome; a window near the end is pushed back inside.
  QCOMPARE(zoom(0, 1000, 4.0, 0.5, 2000), Window(0, 2000));
  QCOMPARE(zoom(9000, 9800, 2.0, 0.5, 10000), Window(8400, 10000));
  // Zooming in stops at min_window_bp.
  const auto tiny = zoom(100, 140, 0.01, 0.5, 1000);
  QCOMPARE(tiny.second - tiny.first, min_window_bp);
  QCOMPARE(pan(9000, 10000, 500, 10000), Window(9000, 10000));
  QCOMPARE(pan(100, 200, -500, 10000), Window(0, 100));
  QCOMPARE(pan(100, 200, 50, 10000), Window(150, 250));
  QCOMPARE(tick_step(100.0, 80.0), std::int64_t(10000));
  QCOMPARE(tick_step(0.1, 80.0), std::int64_t(10));
  QCOMPARE(tick_step(13.0, 80.0), std::int64_t(2000));
  QCOMPARE(tick_label(1'500'000, 500'000), QString("1.5 Mb"));
  QCOMPARE(tick_label(250'000, 50'000), QString("250 kb"));
  QCOMPARE(tick_label(1'230, 10), QString("1,230 bp"));
  // Base-level threshold: coloured boxes from 2 px per base, letters from 8 px per base.
  QVERIFY(bp_per_pixel(0, 400, 800) <= base_bp_per_pixel);
  QVERIFY(bp_per_pixel(0, 2000, 800) > base_bp_per_pixel);
  QVERIFY(bp_per_pixel(0, 100, 800) <= text_bp_per_pixel);
}

gc::ui::Workspace* TestUiBrowser::loaded_workspace(gc::ui::TaskRunner* tasks) {
  auto* ws = new gc::ui::Workspace(tasks, tasks);
  // The GTF first: it is reconciled again when the reference genome arrives.
  for (const auto& p : {m_gtf, m_fasta, m_bed, m_vcf, m_bedgraph})
    ws->add(gc::ui::load_dataset(p, gc::Progress()));
  return ws;
}

void TestUiBrowser::locus_parsing_completion_and_reconciliation() {
  gc::ui::TaskRunner tasks;
  auto* ws = loaded_workspace(&tasks);
  QCOMPARE(ws->reference().size(), std::size_t(2));
  QCOMPARE(ws->reference()[0].name, std::string("chrI"));
  // Regions (UCSC, 1-based inclusive) in the reference's names, from either naming.
  auto r = ws->find_locus("chrI:1,001-2,000");
  QCOMPARE(r.chrom, std::string("chrI"));
  QCOMPARE(r.start, std::int64_t(1000));
  QCOMPARE(r.end, std::int64_t(2000));
  r = ws->find_locus("II:5kb-6kb");
  QCOMPARE(r.chrom, std::string("chrII"));
  QCOMPARE(r.start, std::int64_t(4999));
  QCOMPARE(r.end, std::int64_t(6000));
  r = ws->find_locus("chrII");
  QCOMPARE(r.end, std::int64_t(30000));
  // Gene names and ids, case-insensitive, on the reference's chromosome with some context.
  r = ws->find_locus("act2");
  QCOMPARE(r.chrom, std::string("chrI"));
  QVERIFY(r.start < 20000 && r.start >= 18000);
  QVERIFY(r.end > 26000 && r.end <= 28000);
  QCOMPARE(ws->find_locus("ADH1_id").chrom, std::string("chrII"));
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)ws->find_locus("NOPE1"));
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)ws->find_locus("chrV:1-100"));
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)ws->find_locus("chrI:70000-80000"));
  QCOMPARE(ws->complete("ac"), (QStringList{"ACT1", "ACT1_id", "ACT2", "ACT2_id"}));
  QCOMPARE(ws->complete("AD", 1), (QStringList{"ADH1"}));
  // Reconciliation: the annotation's I/II map to chrI/chrII; the VCF's contig length mismatch
  // is a warning naming both lengths.
  const auto gtf = ws->datasets()[0];
  QCOMPARE(gtf->local_name("chrII").value_or(""), std::string("II"));
  QVERIFY(gtf->warnings.isEmpty());
  const auto vcf = ws->first_of(gc::ui::DatasetKind::variants);
  QCOMPARE(vcf->warnings.size(), 1);
  QVERIFY2(vcf->warnings[0].contains("59000") && vcf->warnings[0].contains("60000"),
           qPrintable(vcf->warnings[0]));
  QCOMPARE(vcf->summary, QString("2 sites, 0 samples"));
  QCOMPARE(gtf->summary, QString("3 genes, 3 transcripts, 6 exons"));
  QCOMPARE(ws->first_of(gc::ui::DatasetKind::genome)->summary, QString("2 sequences, 90.0 kb"));
  QCOMPARE(ws->first_of(gc::ui::DatasetKind::signal)->intervals->at(1).score, -0.5);

  // The browser's locus box goes to genes and regions and reports unknown text.
  gc::ui::GenomeBrowser browser(ws, &tasks);
  QSignalSpy changed(&browser, &gc::ui::GenomeBrowser::locus_changed);
  QSignalSpy errors(&browser, &gc::ui::GenomeBrowser::error_occurred);
  QVERIFY(browser.go_to("adh1"));
  QCOMPARE(browser.locus().chrom, std::string("chrII"));
  QCOMPARE(browser.locus_edit()->text(), QString::fromStdString(browser.locus().to_string()));
  QVERIFY(changed.count() >= 1);
  browser.locus_edit()->setText("I:101-300");
  QTest::keyClick(browser.locus_edit(), Qt::Key_Return);
  QCOMPARE(browser.locus().chrom, std::string("chrI"));
  QCOMPARE(browser.locus().start, std::int64_t(100));
  QCOMPARE(browser.locus().end, std::int64_t(300));
  QVERIFY(!browser.go_to("no-such-gene"));
  QCOMPARE(errors.count(), 1);
  QVERIFY(errors.at(0).at(0).toString().contains("no-such-gene"));
  // Completion model follows typing.
  QTest::keyClicks(browser.locus_edit(), "");
  browser.locus_edit()->clear();
  QTest::keyClicks(browser.locus_edit(), "AC");
  auto* model = browser.locus_edit()->completer()->model();
  QCOMPARE(model->rowCount(), 4);
  QCOMPARE(model->index(0, 0).data().toString(), QString("ACT1"));
}

void TestUiBrowser::browser_draws_bases_only_when_zoomed_in() {
  gc::ui::TaskRunner tasks;
  auto* ws = loaded_workspace(&tasks);
  gc::ui::GenomeBrowser browser(ws, &tasks);
  browser.resize(900, 500);
  const auto render = [&] {
    QImage img(900, 500, QImage::Format_RGB32);
    img.fill(Qt::white);
    QPainter p(&img);
    browser.render_figure(p, QRectF(0, 0, 900, 500));
    return img;
  };
  const QColor a_green(0, 150, 0), t_red(212, 0, 0);
  browser.set_locus({"chrI", 0, 60000});
  QImage far = render();
  QVERIFY(!has_colour(far, a_green, 10));
  browser.set_locus({"chrI", 1000, 1200}); // 200 bp in ~770 px: coloured bases
  // The bases are read on a worker, never while painting.
  QTRY_VERIFY(!browser.loading());
  QImage near = render();
  QVERIFY(has_colour(near, a_green, 10));
  QVERIFY(has_colour(near, t_red, 10));
  // Wheel and keys zoom; zooming out from the whole chromosome stays clamped.
  browser.set_locus({"chrI", 10000, 20000});
  QTest::keyClick(&browser, Qt::Key_Plus);
  QCOMPARE(browser.locus().end - browser.locus().start, std::int64_t(5000));
  QCOMPARE(browser.locus().start, std::int64_t(12500));
  QTest::keyClick(&browser, Qt::Key_Minus);
  QTest::keyClick(&browser, Qt::Key_Minus);
  QTest::keyClick(&browser, Qt::Key_Minus);
  QTest::keyClick(&browser, Qt::Key_Minus);
  QCOMPARE(browser.locus().start, std::int64_t(0));
  QCOMPARE(browser.locus().end, std::int64_t(60000));
}

void TestUiBrowser::tracks_reorder() {
  gc::ui::TaskRunner tasks;
  auto* ws = loaded_workspace(&tasks);
  gc::ui::GenomeBrowser browser(ws, &tasks);
  QCOMPARE(browser.track_names(), (QStringList{"genes.gtf", "peaks.bed", "sites.vcf", "signal.bedgraph"}));
  browser.move_track(3, 0);
  QCOMPARE(browser.track_names(), (QStringList{"signal.bedgraph", "genes.gtf", "peaks.bed", "sites.vcf"}));
  const auto state = browser.save_state();
  gc::ui::GenomeBrowser other(ws, &tasks);
  other.restore_state(state);
  QCOMPARE(other.track_names(), browser.track_names());
}

void TestUiBrowser::interval_index_matches_a_scan() {
  // Random intervals on three chromosomes: short and long ones, nested and empty ones, and one
  // spanning everything, so the running maximum of the ends matters.
  struct Interval {
    std::string chrom;
    std::int64_t start, end;
  };
  std::vector<Interval> all;
  unsigned x = 7;
  const auto next = [&x](unsigned n) {
    x = x * 1103515245u + 12345u;
    return static_cast<std::int64_t>((x >> 8) % n);
  };
  const std::vector<std::string> chroms{"chrI", "chrII", "chrM"};
  for (int i = 0; i < 3000; ++i) {
    const auto start = next(100'000);
    const auto len = next(10) == 0 ? next(40'000) : next(10) == 0 ? 0 : next(600);
    all.push_back({chroms[static_cast<std::size_t>(next(3))], start, start + len});
  }
  all.push_back({"chrI", 0, 200'000});
  const gc::ui::browser::IntervalIndex index(all.size(), [&](std::size_t i) {
    return gc::ui::browser::IntervalRef{all[i].chrom, all[i].start, all[i].end};
  });
  QCOMPARE(index.size(), all.size());
  std::size_t hits = 0;
  for (int q = 0; q < 500; ++q) {
    const std::string& chrom = chroms[static_cast<std::size_t>(q % 3)];
    const auto start = next(110'000) - 5'000;
    const auto end = start + (q % 7 == 0 ? 0 : next(q % 5 == 0 ? 50'000 : 2'000));
    std::vector<std::size_t> expected;
    for (std::size_t i = 0; i < all.size(); ++i)
      if (all[i].chrom == chrom && all[i].start < end && all[i].end > start) expected.push_back(i);
    auto got = index.query(chrom, start, end);
    // By start, ties in input order.
    QVERIFY(std::is_sorted(got.begin(), got.end(), [&](std::size_t a, std::size_t b) {
      return all[a].start < all[b].start || (all[a].start == all[b].start && a < b);
    }));
    std::sort(got.begin(), got.end());
    QCOMPARE(got, expected);
    hits += got.size();
  }
  QVERIFY(hits > 2000); // the queries did find intervals
  QVERIFY(index.query("chrV", 0, 1'000'000).empty());
  const auto on_chr1 =
      std::count_if(all.begin(), all.end(), [](const Interval& i) { return i.chrom == "chrI"; });
  QCOMPARE(index.on("chrI").size(), static_cast<std::size_t>(on_chr1));
}

void TestUiBrowser::track_model_reorders_rows() {
  gc::ui::TaskRunner tasks;
  auto* ws = loaded_workspace(&tasks);
  gc::ui::GenomeBrowser browser(ws, &tasks);
  browser.resize(900, 600);
  auto* model = browser.track_model();
  QCOMPARE(model->rowCount(), 4); // the genome is the sequence row, not a track
  QCOMPARE(model->index(1, 0).data().toString(), QString("peaks.bed"));
  QCOMPARE(model->index(1, 0).data(gc::ui::browser::TrackListModel::KindRole).toString(),
           QString("intervals"));
  QSignalSpy moved(model, &QAbstractItemModel::rowsMoved);
  // Qt's convention: rows [3, 4) move to before row 0.
  QVERIFY(model->moveRows({}, 3, 1, {}, 0));
  QCOMPARE(browser.track_names(), (QStringList{"signal.bedgraph", "genes.gtf", "peaks.bed", "sites.vcf"}));
  // Two rows at once, to the end.
  QVERIFY(model->moveRows({}, 0, 2, {}, 4));
  QCOMPARE(browser.track_names(), (QStringList{"peaks.bed", "sites.vcf", "signal.bedgraph", "genes.gtf"}));
  QCOMPARE(moved.count(), 2);
  // Moves onto themselves, out of range or into a child are refused and change nothing.
  QVERIFY(!model->moveRows({}, 1, 1, {}, 1));
  QVERIFY(!model->moveRows({}, 1, 1, {}, 2));
  QVERIFY(!model->moveRows({}, 3, 2, {}, 0));
  QVERIFY(!model->moveRows({}, 0, 1, model->index(2, 0), 0));
  QVERIFY(!model->move(0, 9));
  QCOMPARE(moved.count(), 2);
  QCOMPARE(browser.track_names(), (QStringList{"peaks.bed", "sites.vcf", "signal.bedgraph", "genes.gtf"}));
  // move() puts a track at a row, as the context menu's up and down do.
  QVERIFY(model->move(3, 0));
  QCOMPARE(browser.track_names(), (QStringList{"genes.gtf", "peaks.bed", "sites.vcf", "signal.bedgraph"}));
  // The rows the browser draws (and its context menu finds) follow the model: below the header,
  // ruler and sequence, each kind has its height, stacked in the model's order.
  browser.set_locus({"chrI", 0, 30000});
  const gc::ui::browser::BrowserScene scene{browser.locus(), *model,
                                            ws->first_of(gc::ui::DatasetKind::genome), nullptr};
  const QRectF area(0, 0, 900, 600);
  const double top = gc::ui::browser::header_h + gc::ui::browser::ruler_h + gc::ui::browser::sequence_h;
  QCOMPARE(gc::ui::browser::track_at(scene, area, top - 1), -1);
  QCOMPARE(gc::ui::browser::track_at(scene, area, top + 1), 0);
  double y = top;
  std::vector<double> heights;
  for (int row = 0; row < model->rowCount(); ++row) {
    double h = 0;
    while (gc::ui::browser::track_at(scene, area, y + h) == row)
      h += 1;
    heights.push_back(h);
    y += h;
  }
  QCOMPARE(gc::ui::browser::track_at(scene, area, y + 1), -1);
  // BED 3 rows of 22 px, VCF 48 px, bedGraph 54 px, each with a 6 px gap.
  QCOMPARE(heights[1], 72.0);
  QCOMPARE(heights[2], 54.0);
  QCOMPARE(heights[3], 60.0);
  QVERIFY(model->move(3, 1));
  QCOMPARE(gc::ui::browser::track_at(scene, area, top + heights[0] + 59), 1);
  QCOMPARE(gc::ui::browser::track_at(scene, area, top + heights[0] + 61), 2);
}

void TestUiBrowser::sequence_errors_are_reported() {
  // A FASTA cut short after it was indexed: reading a window past the cut fails on the worker,
  // and the browser says so (the error used to be swallowed while painting).
  QTemporaryDir dir;
  const QString fasta = dir.filePath("cut.fa");
  QVERIFY(QFile::copy(m_fasta, fasta));
  gc::ui::TaskRunner tasks;
  gc::ui::Workspace ws(&tasks);
  ws.add(gc::ui::load_dataset(fasta, gc::Progress()));
  {
    QFile f(fasta);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.resize(20000));
  }
  gc::ui::GenomeBrowser browser(&ws, &tasks);
  browser.resize(900, 300);
  QSignalSpy errors(&browser, &gc::ui::GenomeBrowser::error_occurred);
  browser.set_locus({"chrI", 50000, 50200});
  QTRY_VERIFY(!browser.loading());
  QCOMPARE(errors.count(), 1);
  QVERIFY2(errors.at(0).at(0).toString().contains("cut.fa"), qPrintable(errors.at(0).at(0).toString()));
  // The problem is reported once, not on every pan over the broken stretch.
  browser.set_locus({"chrI", 50100, 50300});
  QTRY_VERIFY(!browser.loading());
  QCOMPARE(errors.count(), 1);
  // Bases before the cut still load and show.
  browser.set_locus({"chrI", 1000, 1200});
  QTRY_VERIFY(!browser.loading());
  QImage img(900, 300, QImage::Format_RGB32);
  img.fill(Qt::white);
  {
    QPainter p(&img);
    browser.render_figure(p, QRectF(0, 0, 900, 300));
  }
  QVERIFY(has_colour(img, QColor(0, 150, 0), 10));
}

void TestUiBrowser::bigwig_signal_is_read_on_workers() {
  // A step signal on chrI (the FASTA's name): 2 over [0, 20 kb), 6 over [20 kb, 40 kb), no data
  // after; read window by window, never held as records.
  gc::TempDir tmp("gc-bigwig");
  const auto bw = tmp.path() / "step.bw";
  gc::genome::write_bigwig(bw, {{"chrI", 60000}, {"chrII", 30000}},
                           {{"chrI", {{0, 20000, 2.0F}, {20000, 40000, 6.0F}}}});
  const QString bw_path = QString::fromStdString(bw.string());
  gc::ui::TaskRunner tasks;
  gc::ui::Workspace ws(&tasks);
  ws.add(gc::ui::load_dataset(m_fasta, gc::Progress()));
  ws.add(gc::ui::load_dataset(bw_path, gc::Progress()));
  const auto track = ws.datasets().back();
  QVERIFY(track->bigwig);
  QVERIFY(!track->intervals);
  gc::ui::GenomeBrowser browser(&ws, &tasks);
  QCOMPARE(browser.track_names(), QStringList{"step.bw"});
  browser.resize(900, 300);
  browser.set_locus({"chrI", 0, 60000});
  // 900 px less the 118 px gutter and the 10 px margin: one bin per pixel.
  const gc::ui::browser::SignalWindow window{"chrI", 0, 60000, 772};
  // Requested, not read here: nothing is cached until the worker's result reaches the GUI thread.
  QVERIFY(browser.loading());
  QVERIFY(browser.signal_cache().signal(*track->bigwig, window) == nullptr);
  QTRY_VERIFY(!browser.loading());
  const auto* bins = browser.signal_cache().signal(*track->bigwig, window);
  QVERIFY(bins);
  QVERIFY(bins->window == window);
  QCOMPARE(bins->mean.size(), std::size_t(772));
  QCOMPARE(bins->low, 0.0);
  QCOMPARE(bins->high, 6.0);
  int low = 0, high = 0, empty = 0;
  for (int i = 0; i < 772; ++i) {
    const std::int64_t s = std::int64_t(i) * 60000 / 772, e = std::int64_t(i + 1) * 60000 / 772;
    const auto k = static_cast<std::size_t>(i);
    if (e <= 20000) {
      QCOMPARE(bins->mean[k], 2.0);
      QCOMPARE(bins->max[k], 2.0);
      ++low;
    } else if (s >= 20000 && e <= 40000) {
      QCOMPARE(bins->mean[k], 6.0);
      ++high;
    } else if (s >= 40000) {
      QVERIFY(std::isnan(bins->mean[k]));
      ++empty;
    }
  }
  QCOMPARE(low + high + empty, 770); // every bin but the two astride a step
  // The widget shows the step: the mean bar's top at y(v) = 76 + 44 (6 − v) / 6 above the zero
  // line at y = 120 (tracks start at 72, below title, ruler and sequence).
  browser.show();
  QVERIFY(QTest::qWaitForWindowExposed(&browser));
  QTRY_VERIFY(!browser.loading());
  const auto x_of = [](double pos) { return static_cast<int>(118 + pos / 60000.0 * 772); };
  const QColor bar(60, 90, 180);
  const auto is_bar = [&](const QImage& img, int x, int y) {
    const QColor c = img.pixelColor(x, y);
    return std::abs(c.red() - bar.red()) + std::abs(c.green() - bar.green()) +
               std::abs(c.blue() - bar.blue()) <
           10;
  };
  const auto check_step = [&](const QImage& img) {
    QVERIFY(is_bar(img, x_of(10000), 112));  // 2: from y 105.3 down
    QVERIFY(!is_bar(img, x_of(10000), 100)); // above the 2 bar
    QVERIFY(is_bar(img, x_of(30000), 80));   // 6: the full height
    QVERIFY(is_bar(img, x_of(30000), 112));
    QVERIFY(!is_bar(img, x_of(50000), 112)); // no data
  };
  QImage shot = browser.grab().toImage();
  shot = shot.scaled(900, 300); // device pixels to logical ones
  check_step(shot);
  // A headless figure (export-figure) reads the bins itself and draws the same step.
  const auto data = gc::ui::load_headless_data({m_fasta, bw_path});
  const QString out = QString::fromStdString((tmp.path() / "fig.png").string());
  gc::ui::render_headless_figure("browser", browser.save_state(), data, out,
                                 {.dpi = 96, .width_mm = 900 * 25.4 / 96, .height_mm = 300 * 25.4 / 96});
  const QImage fig(out);
  QCOMPARE(fig.size(), QSize(900, 300));
  check_step(fig);
}

void TestUiBrowser::session_round_trip_and_missing_file() {
  QTemporaryDir dir;
  const QString bed = dir.filePath("data/peaks.bed");
  QDir(dir.path()).mkpath("data");
  QVERIFY(QFile::copy(m_bed, bed));
  const QString session = dir.filePath("s.gcsession.json");
  {
    gc::ui::MainWindow w;
    QSignalSpy idle(w.workspace(), &gc::ui::Workspace::idle);
    w.open_files({m_fasta, m_gtf, bed});
    QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 20000);
    QCOMPARE(w.data_panel()->model()->rowCount(), 3);
    QCOMPARE(w.data_panel()->model()->index(1, 2).data().toString(),
             QString("3 genes, 3 transcripts, 6 exons"));
    QVERIFY(w.browser()->go_to("chrI:20,001-30,000"));
    w.browser()->move_track(1, 0);
    w.show_view("hic");
    QVERIFY(gc::test::finish_session(w, [&] { w.save_session(session); }));
  }
  QFile f(session);
  QVERIFY(f.open(QIODevice::ReadOnly));
  const QJsonObject json = QJsonDocument::fromJson(f.readAll()).object();
  QCOMPARE(json.value("format").toString(), QString("genocircuit-session"));
  QCOMPARE(json.value("version").toInt(), gc::session::current_version);
  const auto files = json.value("files").toArray();
  QCOMPARE(files.size(), 3);
  QCOMPARE(files.at(2).toString(), QString("data/peaks.bed"));
  QVERIFY(files.at(0).toString().endsWith("genome.fa"));
  QCOMPARE(json.value("current_view").toString(), QString("hic"));
  const QJsonObject views = json.value("views").toObject();
  QCOMPARE(views.value("browser").toObject().value("locus").toString(), QString("chrI:20001-30000"));
  QVERIFY(views.contains("hic"));
  QVERIFY(views.contains("3d"));

  QVERIFY(QFile::remove(bed));
  gc::ui::MainWindow restored;
  QSignalSpy idle(restored.workspace(), &gc::ui::Workspace::idle);
  QVERIFY(gc::test::finish_session(restored, [&] { restored.restore_session(session); }));
  QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 20000);
  QCOMPARE(restored.data_panel()->model()->rowCount(), 2);
  QCOMPARE(restored.browser()->locus().to_string(), std::string("chrI:20001-30000"));
  QCOMPARE(restored.current_view_name(), QString("hic"));
  auto* box = restored.findChild<QMessageBox*>("ErrorMessage");
  QVERIFY(box);
  QVERIFY(!box->isModal());
  QVERIFY(box->text().contains("peaks.bed"));
}

void TestUiBrowser::reads_version_1_sessions() {
  QTemporaryDir dir;
  QVERIFY(QFile::copy(m_gtf, dir.filePath("genes.gtf")));
  const QString session = dir.filePath("old.gcsession.json");
  write_file(session, R"({"format": "genocircuit-session", "version": 1, "files": ["genes.gtf"],
                          "current_view": "3D chromatin"})");
  gc::ui::MainWindow w;
  QSignalSpy idle(w.workspace(), &gc::ui::Workspace::idle);
  QVERIFY(gc::test::finish_session(w, [&] { w.restore_session(session); }));
  QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 20000);
  QCOMPARE(w.data_panel()->model()->rowCount(), 1);
  QCOMPARE(w.current_view_name(), QString("3d"));
  // A future version and a non-session are refused with a message.
  write_file(session, R"({"format": "genocircuit-session", "version": 99, "files": []})");
  QVERIFY(!gc::test::finish_session(w, [&] { w.restore_session(session); }));
  write_file(session, R"({"files": []})");
  QSignalSpy errors(&w, &gc::ui::MainWindow::error_shown);
  QVERIFY(!gc::test::finish_session(w, [&] { w.restore_session(session); }));
  QCOMPARE(errors.count(), 1);
  QVERIFY(errors.at(0).at(0).toString().contains("not a GenoCircuit session"));
}

void TestUiBrowser::browser_exports_valid_figures_of_requested_size() {
  gc::ui::TaskRunner tasks;
  auto* ws = loaded_workspace(&tasks);
  gc::ui::GenomeBrowser browser(ws, &tasks);
  browser.set_locus({"chrI", 0, 30000});
  QTemporaryDir dir;
  gc::ui::export_figure(browser, dir.filePath("b.png"), {.dpi = 300, .width_mm = 85.0});
  QImage png(dir.filePath("b.png"));
  QCOMPARE(png.width(), 1004); // 85 mm × 300 / 25.4
  QCOMPARE(png.height(), 602); // 51 mm (0.6 × the width)
  QCOMPARE(qRound(png.dotsPerMeterX() * 0.0254), 300);
  QVERIFY(has_colour(png, QColor(20, 60, 140), 10)); // gene models drawn
  gc::ui::export_figure(browser, dir.filePath("c.png"),
                        {.dpi = 150, .width_mm = 2 * 25.4, .height_mm = 25.4});
  QCOMPARE(QImage(dir.filePath("c.png")).size(), QSize(300, 150));
  // Text and lines keep their physical size at any DPI: the same figure at 96 and 288 dpi covers
  // the same fraction of the image (fonts scaled twice would cover far more at 288 dpi).
  const auto ink = [](const QImage& img) {
    qint64 n = 0;
    for (int y = 0; y < img.height(); ++y)
      for (int x = 0; x < img.width(); ++x)
        n += qGray(img.pixel(x, y)) < 160;
    return static_cast<double>(n) / (img.width() * img.height());
  };
  gc::ui::export_figure(browser, dir.filePath("d96.png"), {.dpi = 96, .width_mm = 120.0});
  gc::ui::export_figure(browser, dir.filePath("d288.png"), {.dpi = 288, .width_mm = 120.0});
  const double ink96 = ink(QImage(dir.filePath("d96.png"))), ink288 = ink(QImage(dir.filePath("d288.png")));
  QVERIFY(ink96 > 0.005);
  QVERIFY2(std::abs(ink288 - ink96) / ink96 < 0.35, qPrintable(QString("%1 vs %2").arg(ink96).arg(ink288)));
  gc::ui::export_figure(browser, dir.filePath("b.svg"));
  QFile svg(dir.filePath("b.svg"));
  QVERIFY(svg.open(QIODevice::ReadOnly));
  const QByteArray text = svg.readAll();
  QVERIFY(text.startsWith("<?xml") || text.contains("<svg"));
  QVERIFY(text.trimmed().endsWith("</svg>"));
  QVERIFY(text.contains(">ACT1<") || text.contains("ACT1")); // names stay text
  QVERIFY(!text.contains("<image"));                         // vectors, no embedded bitmap
  gc::ui::export_figure(browser, dir.filePath("b.pdf"), {.dpi = 300, .width_mm = 85.0});
  QFile pdf(dir.filePath("b.pdf"));
  QVERIFY(pdf.open(QIODevice::ReadOnly));
  const QByteArray bytes = pdf.readAll();
  QVERIFY(bytes.startsWith("%PDF-"));
  QVERIFY(bytes.trimmed().endsWith("%%EOF"));
  // The page is 85 mm wide: 240.9 pt.
  const auto box = QRegularExpression(R"(/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\])")
                       .match(QString::fromLatin1(bytes));
  QVERIFY(box.hasMatch());
  QVERIFY2(std::abs(box.captured(1).toDouble() - 85.0 / 25.4 * 72.0) < 1.0, qPrintable(box.captured(0)));
  QVERIFY2(std::abs(box.captured(2).toDouble() - 51.0 / 25.4 * 72.0) < 1.0, qPrintable(box.captured(0)));
  QVERIFY_THROWS_EXCEPTION(gc::InputError, gc::ui::export_figure(browser, dir.filePath("b.gif")));
  QVERIFY(!QFile::exists(dir.filePath("b.gif")));
}

void TestUiBrowser::cli_export_matches_gui_export() {
  QTemporaryDir dir;
  const QString session = dir.filePath("s.gcsession.json");
  const QString gui_png = dir.filePath("gui.png");
  {
    gc::ui::MainWindow w;
    QSignalSpy idle(w.workspace(), &gc::ui::Workspace::idle);
    w.open_files({m_fasta, m_gtf, m_vcf});
    QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 20000);
    QVERIFY(w.browser()->go_to("ACT1"));
    QVERIFY(gc::test::finish_session(w, [&] { w.save_session(session); }));
    w.export_view(gui_png, {.dpi = 200, .width_mm = 120.0}, "browser");
  }
  const auto cli = [&](const QStringList& args, QByteArray* err = nullptr) {
    QProcess p;
    p.start(GC_CLI_PATH, args);
    if (!p.waitForFinished(120000)) return -1;
    if (err) *err = p.readAllStandardError();
    return p.exitCode();
  };
  const QString cli_png = dir.filePath("cli.png"), cli_svg = dir.filePath("cli.svg");
  QByteArray err;
  QCOMPARE(cli({"export-figure", "--session", session, "--view", "browser", "--out", cli_png, "--dpi", "200",
                "--width-mm", "120"},
               &err),
           0);
  const QImage gui(gui_png), headless(cli_png);
  QVERIFY(!headless.isNull());
  QCOMPARE(headless.size(), gui.size());
  QCOMPARE(headless.size(), QSize(945, 567)); // 120 mm and 72 mm at 200 dpi
  QVERIFY(has_colour(headless, QColor(20, 60, 140), 10));
  QCOMPARE(cli({"export-figure", "--session", session, "--view", "browser", "--out", cli_svg}), 0);
  QFile svg(cli_svg);
  QVERIFY(svg.open(QIODevice::ReadOnly));
  const QByteArray text = svg.readAll();
  QVERIFY(text.contains("<svg") && text.trimmed().endsWith("</svg>"));
  QVERIFY(text.contains("ACT1"));
  // Without a display the browser and the map render offscreen; the 3D view refuses clearly.
  const auto cli_offscreen = [&](const QStringList& args, QByteArray* err_out) {
    QProcess p;
    auto env = QProcessEnvironment::systemEnvironment();
    env.remove("DISPLAY");
    env.remove("WAYLAND_DISPLAY");
    p.setProcessEnvironment(env);
    p.start(GC_CLI_PATH, args);
    if (!p.waitForFinished(120000)) return -1;
    *err_out = p.readAllStandardError();
    return p.exitCode();
  };
  const QString offscreen_png = dir.filePath("offscreen.png");
  QCOMPARE(cli_offscreen({"export-figure", "--session", session, "--view", "browser", "--out", offscreen_png,
                          "--dpi", "200", "--width-mm", "120"},
                         &err),
           0);
  QCOMPARE(QImage(offscreen_png).size(), gui.size());
  QCOMPARE(
      cli_offscreen({"export-figure", "--session", session, "--view", "3d", "--out", offscreen_png}, &err),
      2);
  QVERIFY2(err.contains("needs a display"), err.constData());
  // Unknown view and bad session: exit 2 with the list of views / the reason.
  QCOMPARE(cli({"export-figure", "--session", session, "--view", "nope", "--out", cli_svg}, &err), 2);
  QVERIFY2(err.contains("browser") && err.contains("hic") && err.contains("3d"), err.constData());
  write_file(dir.filePath("bad.json"), "{\"hello\": 1}");
  QCOMPARE(
      cli({"export-figure", "--session", dir.filePath("bad.json"), "--view", "browser", "--out", cli_svg},
          &err),
      2);
  QVERIFY2(err.contains("not a GenoCircuit session"), err.constData());
}

void TestUiBrowser::failed_load_shows_non_modal_error() {
  QTemporaryDir dir;
  const QString bad = dir.filePath("broken.gtf");
  write_file(bad, "I\ttest\tgene\t100\n");
  gc::ui::MainWindow w;
  w.show();
  QSignalSpy failed(w.workspace(), &gc::ui::Workspace::load_failed);
  QSignalSpy idle(w.workspace(), &gc::ui::Workspace::idle);
  w.open_files({bad});
  QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 20000);
  QCOMPARE(failed.count(), 1);
  QVERIFY(failed.at(0).at(1).toString().contains("broken.gtf"));
  QMessageBox* box = nullptr;
  QTRY_VERIFY((box = w.findChild<QMessageBox*>("ErrorMessage")) != nullptr);
  QVERIFY(!box->isModal());
  QVERIFY2(box->text().contains("broken.gtf") && box->text().contains("line 1"), qPrintable(box->text()));
  QCOMPARE(w.data_panel()->model()->rowCount(), 0);
  // The application keeps working.
  w.open_files({m_gtf});
  QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 2, 20000);
  QCOMPARE(w.data_panel()->model()->rowCount(), 1);
}

void TestUiBrowser::loading_can_be_cancelled() {
  QTemporaryDir dir;
  const QString big = dir.filePath("big.bed");
  {
    QFile f(big);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QByteArray chunk;
    for (int i = 0; i < 800000; ++i)
      chunk += "chrI\t" + QByteArray::number(i * 10) + "\t" + QByteArray::number(i * 10 + 5) + "\tf\n";
    f.write(chunk);
  }
  gc::ui::MainWindow w;
  w.show();
  QSignalSpy finished(w.tasks(), &gc::ui::TaskRunner::finished);
  QSignalSpy idle(w.workspace(), &gc::ui::Workspace::idle);
  w.open_files({big});
  QVERIFY(w.cancel_button()->isVisible());
  QTest::mouseClick(w.cancel_button(), Qt::LeftButton);
  QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 60000);
  QCOMPARE(finished.count(), 1);
  QCOMPARE(finished.at(0).at(1).value<gc::ui::TaskOutcome>(), gc::ui::TaskOutcome::cancelled);
  QVERIFY(w.workspace()->datasets().empty());
  QCOMPARE(w.data_panel()->model()->rowCount(), 0);
  QVERIFY(!w.findChild<QMessageBox*>("ErrorMessage"));
}

void TestUiBrowser::failed_genome_leaves_another_reference() {
  QTemporaryDir dir;
  const QString bad = dir.filePath("broken.fa");
  write_file(bad, "this is not FASTA\n");
  gc::ui::MainWindow w;
  QSignalSpy idle(w.workspace(), &gc::ui::Workspace::idle);
  w.open_files({bad, m_gtf});
  QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 20000);
  QCOMPARE(w.data_panel()->model()->rowCount(), 1);
  // The annotation's chromosomes became the reference, so the browser can still navigate.
  QCOMPARE(w.workspace()->reference().size(), std::size_t(2));
  QVERIFY(w.browser()->go_to("ACT2"));
  QCOMPARE(w.browser()->locus().chrom, std::string("I"));
}

void TestUiBrowser::export_dialog_is_non_modal_and_converts_inches() {
  gc::ui::MainWindow w;
  w.show();
  w.show_export_dialog();
  auto* dialog = w.findChild<gc::ui::ExportDialog*>("ExportDialog");
  QVERIFY(dialog);
  QVERIFY(dialog->isVisible());
  QVERIFY(!dialog->isModal());
  QCOMPARE(dialog->options().dpi, 300);
  QCOMPARE(dialog->options().width_mm, 180.0);
  QCOMPARE(dialog->options().height_mm, 108.0);
  auto* units = dialog->findChild<QComboBox*>();
  QVERIFY(units);
  units->setCurrentIndex(1); // inches: the same size, shown in inches
  QVERIFY(std::abs(dialog->options().width_mm - 180.0) < 0.2);
  const auto spins = dialog->findChildren<QDoubleSpinBox*>();
  QCOMPARE(spins.size(), 2);
  spins[0]->setValue(3.5);
  QVERIFY(std::abs(dialog->options().width_mm - 88.9) < 1e-9);
  // Saving exports the current view (the browser) to the chosen file.
  QTemporaryDir dir;
  dialog->set_path(dir.filePath("fig.png"));
  QSignalSpy requested(dialog, &gc::ui::ExportDialog::export_requested);
  QMetaObject::invokeMethod(dialog->findChild<QDialogButtonBox*>(), "accepted");
  QCOMPARE(requested.count(), 1);
  QTRY_VERIFY(QFile::exists(dir.filePath("fig.png")));
  QCOMPARE(QImage(dir.filePath("fig.png")).width(), qRound(88.9 * 300 / 25.4));
}

int main(int argc, char** argv) {
  QSurfaceFormat::setDefaultFormat(gc::ui::VtkView::surface_format());
  QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
  QApplication app(argc, argv);
  TestUiBrowser t;
  return gc::test::qexec(&t, argc, argv);
}
#include "test_ui_browser.moc"
