// Unit tests of what GRN inference reads and writes: ranked networks (CSV, TSV, GraphML, SIF)
// written byte for byte and read back, GraphML checked by Qt's XML parser (an independent one),
// ground truths and TF lists in their layouts, name reconciliation, expression checks, and
// BEELINE / DREAM4 inputs built here (the shared data sets are in test_grn_data.cpp).
#include "gc/expr/grn_input.h"
#include "gc/expr/h5ad.h"
#include "gc/grn/names.h"
#include "gc/grn/network_io.h"
#include "gc/util/error.h"

#include "gc_qtest_main.h"

#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using namespace gc::grn;
namespace fs = std::filesystem;

namespace {

void write_text(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The message of the InputError `f` throws ("" when it throws none).
template <typename F>
std::string input_error(F&& f) {
  try {
    f();
  } catch (const gc::InputError& e) {
    return e.what();
  }
  return {};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

const gc::expr::Column& column(const gc::expr::ExpressionMatrix& m, const std::string& name) {
  const auto* c = m.obs.find(name);
  if (c == nullptr) throw gc::Error("no obs column " + name);
  return *c;
}

// GraphML through QXmlStreamReader: well-formedness, and what the file says, decoded.
struct ParsedGraphml {
  QString error;
  std::map<std::string, std::string> key_name;                  // key id -> attr.name
  std::vector<std::map<std::string, std::string>> nodes, edges; // attr.name -> text, plus "@id" etc.
};

ParsedGraphml parse_with_qt(const fs::path& path) {
  ParsedGraphml g;
  const auto bytes = QByteArray::fromStdString(read_text(path));
  QXmlStreamReader xml(bytes);
  std::map<std::string, std::string>* current = nullptr;
  std::string key;
  while (!xml.atEnd()) {
    xml.readNext();
    if (xml.isStartElement()) {
      const auto a = xml.attributes();
      const auto name = xml.name().toString().toStdString();
      if (name == "key") {
        g.key_name[a.value("id").toString().toStdString()] = a.value("attr.name").toString().toStdString();
      } else if (name == "node") {
        g.nodes.emplace_back();
        current = &g.nodes.back();
        (*current)["@id"] = a.value("id").toString().toStdString();
      } else if (name == "edge") {
        g.edges.emplace_back();
        current = &g.edges.back();
        (*current)["@source"] = a.value("source").toString().toStdString();
        (*current)["@target"] = a.value("target").toString().toStdString();
      } else if (name == "data" && current != nullptr) {
        key = a.value("key").toString().toStdString();
        (*current)[g.key_name[key]] = xml.readElementText().toStdString();
      }
    } else if (xml.isEndElement() &&
               (xml.name() == QLatin1String("node") || xml.name() == QLatin1String("edge"))) {
      current = nullptr;
    }
  }
  if (xml.hasError()) g.error = xml.errorString();
  return g;
}

Network small_network() {
  Network n;
  n.edges = {{"A", "B", 0.5, 1}, {"B", "C", 1.0 / 3.0, -1}, {"C", "A", 0.1, 0}};
  n.method = "pearson";
  n.source = "input.csv";
  return n;
}

} // namespace

class TestGrnIo : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void formats_by_extension() {
    QCOMPARE(network_format_of("x/ranked.csv"), NetworkFormat::csv);
    QCOMPARE(network_format_of("RANKED.TSV"), NetworkFormat::tsv);
    QCOMPARE(network_format_of("net.graphml"), NetworkFormat::graphml);
    QCOMPARE(network_format_of("net.sif"), NetworkFormat::sif);
    const auto e = input_error([] { (void)network_format_of("out/ranked.txt"); });
    QVERIFY2(contains(e, "out/ranked.txt") && contains(e, "'.txt'") &&
                 contains(e, ".csv, .tsv, .graphml, .sif"),
             e.c_str());
    QVERIFY(contains(input_error([] { (void)network_format_of("ranked"); }), "(no extension)"));
  }

  void csv_tsv_sif_bytes_and_round_trip() {
    const auto net = small_network();
    const fs::path csv = tmp("n.csv"), tsv = tmp("n.tsv"), sif = tmp("n.sif");
    write_network(csv, net);
    write_network(tsv, net);
    write_network(sif, net);
    // Weights are written in their shortest exact form: 1/3 reads back as the same double.
    QCOMPARE(read_text(csv),
             std::string("Gene1,Gene2,EdgeWeight\nA,B,0.5\nB,C,0.3333333333333333\nC,A,0.1\n"));
    QCOMPARE(read_text(tsv),
             std::string("Gene1\tGene2\tEdgeWeight\tSign\nA\tB\t0.5\t+\nB\tC\t0.3333333333333333\t-\n"
                         "C\tA\t0.1\t.\n"));
    QCOMPARE(read_text(sif), std::string("A\tactivates\tB\nB\trepresses\tC\nC\tregulates\tA\n"));
    for (const auto& p : {csv, tsv}) {
      const auto back = read_network(p);
      QCOMPARE(back.edges.size(), std::size_t{3});
      for (std::size_t i = 0; i < 3; ++i) {
        QCOMPARE(back.edges[i].regulator, net.edges[i].regulator);
        QCOMPARE(back.edges[i].target, net.edges[i].target);
        QCOMPARE(back.edges[i].weight, net.edges[i].weight); // exact
        QCOMPARE(back.edges[i].sign, p == tsv ? net.edges[i].sign : 0);
      }
    }
    // Without signs, no Sign column and plain `regulates`.
    auto unsigned_net = net;
    for (auto& e : unsigned_net.edges)
      e.sign = 0;
    write_network(tsv, unsigned_net);
    QVERIFY(read_text(tsv).rfind("Gene1\tGene2\tEdgeWeight\nA\tB\t0.5\n", 0) == 0);
    write_network(sif, unsigned_net);
    QCOMPARE(read_text(sif), std::string("A\tregulates\tB\nB\tregulates\tC\nC\tregulates\tA\n"));
    // SIF has no weights: not a ranked list.
    QVERIFY(contains(input_error([&] { (void)read_network(sif); }), "no edge weights"));
    write_text(tmp("noweight.csv"), "Gene1,Gene2,Type\nA,B,+\n");
    QVERIFY(contains(input_error([&] { (void)read_network(tmp("noweight.csv")); }), "no weight column"));
  }

  void graphml_is_well_formed_escaped_and_reads_back() {
    Network net;
    // Names that need escaping, a UTF-8 name and one that is no XML NMTOKEN (so ids are n0...).
    net.edges = {
        {"A&B", "<x>", 0.75, 1}, {"q\"uote", "it's", 0.5, -1}, {"two words", "g\xc3\xa8ne", 0.25, 0}};
    net.tfs = std::vector<std::string>{"A&B", "two words"};
    net.method = "genie3";
    net.source = "data <1>.csv";
    const auto path = tmp("escaped.graphml");
    write_network(path, net);
    const auto g = parse_with_qt(path);
    QVERIFY2(g.error.isEmpty(), qPrintable(g.error));
    QCOMPARE(g.nodes.size(), std::size_t{6});
    QCOMPARE(g.edges.size(), std::size_t{3});
    std::map<std::string, std::string> name_of;
    for (const auto& n : g.nodes) {
      QVERIFY(n.at("@id").rfind('n', 0) == 0);
      name_of[n.at("@id")] = n.at("name");
    }
    QCOMPARE(name_of.at(g.edges[0].at("@source")), std::string("A&B"));
    QCOMPARE(name_of.at(g.edges[0].at("@target")), std::string("<x>"));
    QCOMPARE(name_of.at(g.edges[1].at("@source")), std::string("q\"uote"));
    QCOMPARE(name_of.at(g.edges[2].at("@target")), std::string("g\xc3\xa8ne"));
    QCOMPARE(g.edges[1].at("weight"), std::string("0.5"));
    QCOMPARE(g.edges[1].at("rank"), std::string("2"));
    QCOMPARE(g.edges[1].at("sign"), std::string("-1"));
    QCOMPARE(g.edges[1].at("interaction"), std::string("represses"));
    QCOMPARE(g.nodes[0].at("is_tf"), std::string("true"));  // A&B
    QCOMPARE(g.nodes[1].at("is_tf"), std::string("false")); // <x>

    const auto back = read_network(path);
    QCOMPARE(back.edges.size(), std::size_t{3});
    for (std::size_t i = 0; i < 3; ++i) {
      QCOMPARE(back.edges[i].regulator, net.edges[i].regulator);
      QCOMPARE(back.edges[i].target, net.edges[i].target);
      QCOMPARE(back.edges[i].weight, net.edges[i].weight);
      QCOMPARE(back.edges[i].sign, net.edges[i].sign);
    }
    QVERIFY(back.tfs.has_value());
    QCOMPARE(*back.tfs, (std::vector<std::string>{"A&B", "two words"}));
    QCOMPARE(back.method, std::string("genie3"));
    QCOMPARE(back.source, std::string("data <1>.csv"));

    // Plain names are the node ids themselves; no is_tf or sign keys when unknown.
    auto plain = small_network();
    for (auto& e : plain.edges)
      e.sign = 0;
    write_network(path, plain);
    const auto text = read_text(path);
    QVERIFY(contains(text, "<node id=\"A\">"));
    QVERIFY(!contains(text, "is_tf"));
    QVERIFY(!contains(text, "attr.name=\"sign\""));
    const auto p = parse_with_qt(path);
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QCOMPARE(p.edges[0].at("@source"), std::string("A"));
  }

  void graphml_from_other_tools_and_malformed() {
    // Cytoscape-style keys, a comment, CDATA, character references, a self-closing node,
    // elements of another namespace inside data, and pretty-printed numbers.
    const auto path = tmp("foreign.graphml");
    write_text(path,
               "<?xml version='1.0'?>\n<!-- exported -->\n"
               "<graphml xmlns='http://graphml.graphdrawing.org/xmlns' xmlns:y='http://www.yworks.com'>\n"
               "<key id='d0' for='edge' attr.name='EdgeWeight' attr.type='double'/>\n"
               "<key id='d1' for='node' attr.name='name' attr.type='string'/>\n"
               "<key id='d2' for='node' attr.name='label'/>\n"
               "<graph edgedefault='directed'>\n"
               "<node id='a'><data key='d1'><![CDATA[TF<1>]]></data></node>\n"
               "<node id='b'><data key='d2'><y:Label>B</y:Label></data></node>\n"
               "<node id='c'><data key='d1'>&#x47;&#233;</data></node>\n"
               "<edge source='a' target='b'><data key='d0'>2.5</data></edge>\n"
               "<edge source='b' target='c'><data key='d0'>\n  1e-3\n</data></edge>\n"
               "</graph></graphml>\n");
    const auto net = read_network(path);
    QCOMPARE(net.edges.size(), std::size_t{2});
    QCOMPARE(net.edges[0].regulator, std::string("TF<1>"));
    QCOMPARE(net.edges[0].target, std::string("b")); // no name data: the id
    QCOMPARE(net.edges[1].target, std::string("G\xc3\xa9"));
    QCOMPARE(net.edges[0].weight, 2.5);
    QCOMPARE(net.edges[1].weight, 1e-3);
    QVERIFY(!net.tfs.has_value());

    auto bad = [&](const std::string& text) {
      write_text(tmp("bad.graphml"), text);
      return input_error([&] { (void)read_truth(tmp("bad.graphml")); });
    };
    const std::string head = "<graphml>\n<key id='w' for='edge' attr.name='weight'/>\n<graph>\n";
    auto e = bad(head + "<node id='a'/>\n<node id='b'>\n</edge>\n</graph></graphml>");
    QVERIFY2(contains(e, "bad.graphml") && contains(e, "line 6") && contains(e, "does not close <node>"),
             e.c_str());
    e = bad(head + "<node id='a'/><edge source='a' target='z'/>\n</graph></graphml>");
    QVERIFY2(contains(e, "undeclared node 'z'") && contains(e, "line 4"), e.c_str());
    e = bad(head + "<node id='a'/><node id='b'/><edge source='a' target='b'/>");
    QVERIFY2(contains(e, "ends inside <graph>"), e.c_str());
    e = bad(head +
            "<node id='a'/><node id='b'/>\n<edge source='a' target='b'><data key='w'>x1</data></edge>\n"
            "</graph></graphml>");
    QVERIFY2(contains(e, "line 5") && contains(e, "'x1' is not a number"), e.c_str());
    e = bad("<graph><node id='a'/></graph>");
    QVERIFY2(contains(e, "not <graphml>"), e.c_str());
    e = bad(head + "<node id='a' id='b'/></graph></graphml>");
    QVERIFY2(contains(e, "given twice"), e.c_str());
    e = bad(head + "<node id='a'><data key='zz'>1</data></node></graph></graphml>");
    QVERIFY2(contains(e, "undeclared key 'zz'"), e.c_str());
    e = bad(head + "<node id='a&bogus;'/></graph></graphml>");
    QVERIFY2(contains(e, "unknown entity"), e.c_str());
    // A truth needs no weights; a ranked list does.
    write_text(tmp("truth.graphml"),
               head + "<node id='a'/><node id='b'/><edge source='a' target='b'/></graph></graphml>\n");
    QCOMPARE(read_truth(tmp("truth.graphml")).edges.size(), std::size_t{1});
    write_text(tmp("noweight.graphml"), "<graphml><graph><node id='a'/><node id='b'/>"
                                        "<edge source='a' target='b'/></graph></graphml>");
    QVERIFY(contains(input_error([&] { (void)read_network(tmp("noweight.graphml")); }), "no edge key"));
  }

  void unwritable_names_leave_no_file() {
    const auto dir = fs::path(m_dir.path().toStdString()) / "unwritable";
    fs::create_directories(dir);
    write_text(dir / "ranked.csv", "old content\n");
    Network net;
    net.edges = {{"A", "C,D", 0.5, 0}};
    auto e = input_error([&] { write_network(dir / "ranked.csv", net); });
    QVERIFY2(contains(e, "'C,D'") && contains(e, ".tsv"), e.c_str());
    net.edges = {{"A\tB", "C", 0.5, 0}};
    QVERIFY(contains(input_error([&] { write_network(dir / "ranked.tsv", net); }), "tab"));
    QVERIFY(contains(input_error([&] { write_network(dir / "ranked.sif", net); }), "tab"));
    net.edges = {{"A\x01", "C", 0.5, 0}};
    QVERIFY(contains(input_error([&] { write_network(dir / "ranked.graphml", net); }), "control characters"));
    net.edges = {{"A", "C", std::nan(""), 0}};
    QVERIFY(contains(input_error([&] { write_network(dir / "ranked.csv", net); }), "no finite weight"));
    // The old file is untouched and no temporary is left behind.
    QCOMPARE(read_text(dir / "ranked.csv"), std::string("old content\n"));
    QCOMPARE(files_in(dir), std::vector<std::string>{"ranked.csv"});
  }

  void truth_layouts() {
    write_text(tmp("ref.csv"), "Gene1,Gene2,Type\ng2,g3,+\ng7,g1,-\ng7,g7,+\n");
    auto t = read_truth(tmp("ref.csv"));
    QCOMPARE(t.layout, std::string("edge-list"));
    QCOMPARE(t.edges.size(), std::size_t{3});
    QCOMPARE(t.signs, (std::vector<int>{1, -1, 1}));
    // DREAM gold standard: 1s are edges, 0s listed non-edges.
    write_text(tmp("gold.tsv"), "G1\tG2\t1\nG3\tG1\t1\nG1\tG3\t0\nG2\tG1\t0\nG2\tG3\t0\n");
    t = read_truth(tmp("gold.tsv"));
    QCOMPARE(t.layout, std::string("labelled"));
    QCOMPARE(t.edges, (std::vector<std::pair<std::string, std::string>>{{"G1", "G2"}, {"G3", "G1"}}));
    QCOMPARE(t.negatives, std::int64_t{3});
    QVERIFY(t.signs.empty());
    // DREAM5: only the 1s are listed.
    write_text(tmp("dream5.tsv"), "G15\tG1\t1\nG98\tG1\t1\n");
    t = read_truth(tmp("dream5.tsv"));
    QCOMPARE(t.layout, std::string("labelled"));
    QCOMPARE(t.edges.size(), std::size_t{2});
    QCOMPARE(t.negatives, std::int64_t{0});
    // A third column of other numbers is a weight: every listed edge is true.
    write_text(tmp("weighted.tsv"), "A\tB\t0.5\nB\tC\t0\n");
    t = read_truth(tmp("weighted.tsv"));
    QCOMPARE(t.layout, std::string("edge-list"));
    QCOMPARE(t.edges.size(), std::size_t{2});
    write_text(tmp("zeros.tsv"), "A\tB\t0\nB\tA\t0\n");
    QVERIFY(contains(input_error([&] { (void)read_truth(tmp("zeros.tsv")); }), "labelled 0"));
    // SIF: several targets on a line; a lone name is a node.
    write_text(tmp("net.sif"), "A activates B C\nD\trepresses\tE\nF\n");
    t = read_truth(tmp("net.sif"));
    QCOMPARE(t.layout, std::string("sif"));
    QCOMPARE(t.edges, (std::vector<std::pair<std::string, std::string>>{{"A", "B"}, {"A", "C"}, {"D", "E"}}));
    QCOMPARE(t.signs, (std::vector<int>{1, 1, -1}));
    write_text(tmp("bad.sif"), "A B C\nA B\n");
    auto e = input_error([&] { (void)read_truth(tmp("bad.sif")); });
    QVERIFY2(contains(e, "bad.sif") && contains(e, "line 2"), e.c_str());
    e = input_error([&] { (void)read_truth(tmp("missing.csv")); });
    QVERIFY2(contains(e, "missing.csv"), e.c_str());
  }

  void tf_lists() {
    write_text(tmp("tfs.txt"), "TF\nGata1\n# a comment\n\nPu1\nGata1\n\"Spi1\"\n");
    QCOMPARE(read_tf_list(tmp("tfs.txt")), (std::vector<std::string>{"Gata1", "Pu1", "Spi1"}));
    write_text(tmp("tfs.tsv"), "name\tfamily\nA\tbZIP\nB\tHMG\n");
    QCOMPARE(read_tf_list(tmp("tfs.tsv")), (std::vector<std::string>{"A", "B"}));
    write_text(tmp("tfs.csv"), "A,x\nB,y\n");
    QCOMPARE(read_tf_list(tmp("tfs.csv")), (std::vector<std::string>{"A", "B"}));
    write_text(tmp("none.txt"), "# nothing\n\n");
    QVERIFY(contains(input_error([&] { (void)read_tf_list(tmp("none.txt")); }), "no TF names"));
  }

  void reconcile_names_counts_examples_and_case() {
    const std::vector<std::string> genes{"Gata1", "Pu1", "Spi1", "Klf1", "Abc", "ABC"};
    const NamePairs truth{{"gata1 ", "Pu1"}, {"Pu1", "Spi1"}, {"X1", "Spi1"},  {"X2", "X3"},
                          {"abc", "Klf1"},   {"Klf1", "Pu1"}, {"Spi1", "Klf1"}};
    const std::vector<std::string> tfs{"PU1", "Gata1", "Y1", "Klf1", "Gata1"};
    const auto r = reconcile_names(genes, truth, tfs, {"expr.csv", "ref.csv", "tfs.txt"});
    const auto& rep = r.report;
    QCOMPARE(rep.expression_genes, std::int64_t{6});
    QCOMPARE(rep.tfs, std::int64_t{4}); // Gata1 listed twice
    QCOMPARE(rep.tfs_in_expression, std::int64_t{3});
    QCOMPARE(*r.tfs, (std::vector<std::string>{"Pu1", "Gata1", "Klf1"}));
    QCOMPARE(rep.tfs_not_in_expression.count, std::int64_t{1});
    QCOMPARE(rep.tfs_not_in_expression.examples, std::vector<std::string>{"Y1"});
    // "abc" matches both Abc and ABC ignoring case: ambiguous, so not matched.
    QCOMPARE(rep.truth_not_in_expression.count, std::int64_t{4});
    QCOMPARE(rep.truth_not_in_expression.examples, (std::vector<std::string>{"X1", "X2", "X3", "abc"}));
    QCOMPARE(r.shared_genes, (std::vector<std::string>{"Gata1", "Pu1", "Spi1", "Klf1"}));
    QCOMPARE(rep.shared_genes, std::int64_t{4});
    QCOMPARE(rep.truth_genes, std::int64_t{8});
    QCOMPARE(rep.truth_regulators_not_tfs.count, std::int64_t{1});
    QCOMPARE(rep.truth_regulators_not_tfs.examples, std::vector<std::string>{"Spi1"});
    QCOMPARE(rep.case_mismatches.count, std::int64_t{2});
    QCOMPARE(rep.case_mismatches.examples,
             (std::vector<std::string>{"'PU1' -> 'Pu1'", "'gata1 ' -> 'Gata1'"}));
    QCOMPARE((*r.truth)[0], (std::pair<std::string, std::string>{"Gata1", "Pu1"}));
    QCOMPARE((*r.truth)[4], (std::pair<std::string, std::string>{"abc", "Klf1"}));
    QCOMPARE(rep.warnings.size(), std::size_t{4});
    QVERIFY(contains(rep.warnings[0], "ignoring case"));
    for (std::size_t i = 0; i < 3; ++i)
      QVERIFY2(contains(rep.warnings[i], "expr.csv"), rep.warnings[i].c_str());
    QVERIFY(contains(rep.warnings[3], "ref.csv") && contains(rep.warnings[3], "tfs.txt"));
    const auto j = rep.to_json();
    QCOMPARE(j.at("case_mismatches").at("count").as_int(), std::int64_t{2});
    QCOMPARE(j.at("truth_not_in_expression").at("examples").size(), std::size_t{4});

    // Only 5 examples however many names.
    NamePairs many;
    for (int i = 0; i < 9; ++i)
      many.emplace_back("Gata1", "Z" + std::to_string(i));
    many.emplace_back("Gata1", "Pu1");
    const auto m = reconcile_names(genes, many, std::nullopt, {"e", "t", ""});
    QCOMPARE(m.report.truth_not_in_expression.count, std::int64_t{9});
    QCOMPARE(m.report.truth_not_in_expression.examples.size(), std::size_t{5});
    QVERIFY(!m.tfs.has_value());

    auto e = input_error([&] {
      (void)reconcile_names(genes, NamePairs{{"X", "Y"}}, std::nullopt, {"expr.csv", "ref.csv", ""});
    });
    QVERIFY2(contains(e, "ref.csv") && contains(e, "expr.csv") && contains(e, "X, Y") &&
                 contains(e, "Gata1, Pu1"),
             e.c_str());
    e = input_error([&] {
      (void)reconcile_names(genes, NamePairs{{"Gata1", "Y"}}, std::nullopt, {"e", "t", ""});
    });
    QVERIFY2(contains(e, "only 1"), e.c_str());
    e = input_error([&] {
      (void)reconcile_names(genes, std::nullopt, std::vector<std::string>{"Q", "R"},
                            {"expr.csv", "", "tfs.txt"});
    });
    QVERIFY2(contains(e, "tfs.txt") && contains(e, "expr.csv") && contains(e, "Q, R"), e.c_str());
  }

  void expression_checks() {
    gc::expr::ExpressionMatrix m;
    m.x = gc::expr::Matrix::dense(3, 3, {1, 4, 7, 2, 5, 7, 3, 6, 7});
    m.var.index = {"A", "B", "C"};
    m.obs.index = {"c1", "c2", "c3"};
    auto c = check_expression(m, "m.csv");
    QCOMPARE(c.constant_genes.count, std::int64_t{1});
    QCOMPARE(c.constant_genes.examples, std::vector<std::string>{"C"});
    QCOMPARE(c.warnings.size(), std::size_t{1});
    QVERIFY(contains(c.warnings[0], "m.csv") && contains(c.warnings[0], "weight 0"));

    auto bad = m;
    bad.x = gc::expr::Matrix::dense(3, 3, {1, 4, 7, 2, std::nanf(""), 7, 3, 6, 7});
    auto e = input_error([&] { (void)check_expression(bad, "m.csv"); });
    QVERIFY2(contains(e, "m.csv") && contains(e, "NaN") && contains(e, "'B'") && contains(e, "'c2'"),
             e.c_str());
    bad.x = gc::expr::Matrix::dense(3, 3, {1, 4, 7, 2, 5, 7, 3, 6, INFINITY});
    e = input_error([&] { (void)check_expression(bad, "m.csv"); });
    QVERIFY2(contains(e, "Inf") && contains(e, "'C'") && contains(e, "'c3'"), e.c_str());
    bad.x = gc::expr::Matrix::dense(3, 3, {1, 2, 7, 1, 2, 7, 1, 2, 7});
    QVERIFY(contains(input_error([&] { (void)check_expression(bad, "m.csv"); }), "nothing to rank"));
    bad = m;
    bad.var.index = {"A", "B", "A"};
    QVERIFY(contains(input_error([&] { (void)check_expression(bad, "m.csv"); }), "'A' is named twice"));
    bad.x = gc::expr::Matrix::dense(0, 3, {});
    bad.obs.index.clear();
    QVERIFY(contains(input_error([&] { (void)check_expression(bad, "m.csv"); }), "empty"));
    bad = m;
    bad.x = gc::expr::Matrix::dense(1, 3, {1, 2, 3});
    bad.obs.index = {"c1"};
    QVERIFY(contains(input_error([&] { (void)check_expression(bad, "m.csv"); }), "at least 2 samples"));

    // Sparse: g0 stored as 5 everywhere (constant), g1 stored in one row only (5 vs implicit 0:
    // varies), g2 never stored (constant 0), g3 an explicit 0 beside implicit ones (constant).
    gc::expr::CsrMatrix csr;
    csr.rows = 3;
    csr.cols = 4;
    csr.indptr = {0, 3, 4, 5};
    csr.indices = {0, 1, 3, 0, 0};
    csr.data = {5, 5, 0, 5, 5};
    gc::expr::ExpressionMatrix s;
    s.x = gc::expr::Matrix::sparse(csr);
    s.var.index = {"g0", "g1", "g2", "g3"};
    s.obs.index = {"a", "b", "c"};
    c = check_expression(s, "s.h5ad");
    QCOMPARE(c.constant_genes.examples, (std::vector<std::string>{"g0", "g2", "g3"}));
    csr.data = {5, 5, 0, 5, NAN};
    s.x = gc::expr::Matrix::sparse(csr);
    e = input_error([&] { (void)check_expression(s, "s.h5ad"); });
    QVERIFY2(contains(e, "'g0'") && contains(e, "'c'"), e.c_str());
  }

  void beeline_folder_with_pseudotime() {
    const auto dir = fs::path(m_dir.path().toStdString()) / "beeline";
    fs::create_directories(dir);
    write_text(dir / "ExpressionData.csv", ",c1,c2,c3,c4\ng1,1,2,3,4\ng2,5,6,7,8\ng3,0,1,0,2\n");
    write_text(dir / "PseudoTime.csv",
               ",PseudoTime1,PseudoTime2\nc1,0.1,NA\nc2,NA,0.5\nc3,0.3,0.7\nc9,1,1\n");
    for (const auto& path : {dir, dir / "ExpressionData.csv"}) {
      const auto in = gc::expr::read_grn_expression(path);
      QCOMPARE(in.layout, std::string("beeline"));
      QCOMPARE(in.matrix.n_cells(), std::int64_t{4});
      QCOMPARE(in.matrix.n_genes(), std::int64_t{3});
      QCOMPARE(in.matrix.var.index, (std::vector<std::string>{"g1", "g2", "g3"}));
      QCOMPARE(in.matrix.x.at(2, 1), 7.0f); // cell c3, gene g2
      const auto& p1 = column(in.matrix, "PseudoTime1").numbers;
      const auto& p2 = column(in.matrix, "PseudoTime2").numbers;
      QCOMPARE(p1[0], 0.1);
      QVERIFY(std::isnan(p1[1]));
      QCOMPARE(p1[2], 0.3);
      QVERIFY(std::isnan(p1[3])); // c4 has no pseudotime
      QVERIFY(std::isnan(p2[0]));
      QCOMPARE(p2[2], 0.7);
      QCOMPARE(in.files.size(), std::size_t{2});
      QCOMPARE(in.warnings.size(), std::size_t{2});
      QVERIFY(contains(in.warnings[0], "1 of 4 cells") && contains(in.warnings[0], "c4"));
      QVERIFY(contains(in.warnings[1], "1 cell ids"));
    }
    write_text(dir / "PseudoTime.csv", ",Time\nx1,1\nx2,2\n");
    const auto e = input_error([&] { (void)gc::expr::read_grn_expression(dir); });
    QVERIFY2(contains(e, "PseudoTime.csv") && contains(e, "ExpressionData.csv") && contains(e, "'x1'"),
             e.c_str());
  }

  void dream4_folder() {
    const auto dir = fs::path(m_dir.path().toStdString()) / "dream4";
    fs::create_directories(dir);
    write_text(dir / "net_wildtype.tsv", "\"G1\"\t\"G2\"\t\"G3\"\n0.5\t0.6\t0.7\n");
    write_text(dir / "net_knockouts.tsv", "\"G1\"\t\"G2\"\t\"G3\"\n0\t0.1\t0.2\n0.3\t0\t0.4\n0.5\t0.6\t0\n");
    // Columns in another order: row i still perturbs the i-th gene of this header.
    write_text(dir / "net_knockdowns.tsv",
               "\"G3\"\t\"G1\"\t\"G2\"\n0.35\t0.5\t0.6\n0.7\t0.25\t0.6\n0.7\t0.5\t0.3\n");
    write_text(dir / "net_timeseries.tsv",
               "\"Time\"\t\"G1\"\t\"G2\"\t\"G3\"\n\n0.0\t1\t2\t3\n50.0\t4\t5\t6\n\n"
               "0.0\t7\t8\t9\n50.0\t10\t11\t12\n");
    // Renamed genes: new G1 is old G2, new G2 old G3, new G3 old G1.
    write_text(dir / "net_multifactorial.tsv", "\"G1\"\t\"G2\"\t\"G3\"\n0.2\t0.3\t0.1\n");
    write_text(dir / "net_multifactorial_goldstandard_ref.tsv", "\"New\"\t\"Old\"\nG1\tG2\nG2\tG3\nG3\tG1\n");
    // The challenge's answers and gold standards are never input.
    write_text(dir / "net_dualknockouts_indexes.tsv", "\"G_i\"\t\"G_j\"\n1\t2\n");
    write_text(dir / "net_nonoise_dualknockouts.tsv", "0\t0\t1\n");
    write_text(dir / "DREAM4_GoldStandard_net.tsv", "G1\tG2\t1\n");

    auto in = gc::expr::read_grn_expression(dir);
    QCOMPARE(in.layout, std::string("dream4"));
    const auto& m = in.matrix;
    QCOMPARE(m.n_cells(), std::int64_t{12});
    QCOMPARE(m.var.index, (std::vector<std::string>{"G1", "G2", "G3"}));
    QVERIFY(in.warnings.empty());
    QCOMPARE(m.obs.index, (std::vector<std::string>{"wildtype", "knockout_G1", "knockout_G2", "knockout_G3",
                                                    "knockdown_G3", "knockdown_G1", "knockdown_G2",
                                                    "timeseries1_t0", "timeseries1_t50", "timeseries2_t0",
                                                    "timeseries2_t50", "multifactorial"}));
    std::vector<std::string> conditions, perturbations;
    for (std::size_t i = 0; i < 12; ++i) {
      conditions.push_back(column(m, "condition").text(i));
      perturbations.push_back(column(m, "perturbation").text(i));
    }
    QCOMPARE(conditions,
             (std::vector<std::string>{"wildtype", "knockout", "knockout", "knockout", "knockdown",
                                       "knockdown", "knockdown", "timeseries", "timeseries", "timeseries",
                                       "timeseries", "multifactorial"}));
    QCOMPARE(perturbations,
             (std::vector<std::string>{"", "G1", "G2", "G3", "G3", "G1", "G2", "", "", "", "", ""}));
    // Each knocked-down gene has its lowered value, in the matrix's column order.
    QCOMPARE(m.x.at(4, 2), 0.35f); // knockdown of G3
    QCOMPARE(m.x.at(5, 0), 0.25f); // knockdown of G1
    QCOMPARE(m.x.at(6, 1), 0.3f);  // knockdown of G2
    for (std::int64_t r = 1; r <= 3; ++r)
      QCOMPARE(m.x.at(r, r - 1), 0.0f); // knockout of gene r
    const auto& series = column(m, "series").numbers;
    const auto& time = column(m, "time").numbers;
    QVERIFY(std::isnan(series[0]) && std::isnan(time[0]));
    QCOMPARE(series[7], 1.0);
    QCOMPARE(series[9], 2.0);
    QCOMPARE(time[8], 50.0);
    QCOMPARE(m.x.at(10, 2), 12.0f);
    // Multifactorial values under the other tables' names.
    QCOMPARE(m.x.at(11, 0), 0.1f);
    QCOMPARE(m.x.at(11, 1), 0.2f);
    QCOMPARE(m.x.at(11, 2), 0.3f);
    QCOMPARE(in.files.size(), std::size_t{6}); // 5 tables + the name map

    // A single table.
    in = gc::expr::read_grn_expression(dir / "net_knockdowns.tsv");
    QCOMPARE(in.matrix.n_cells(), std::int64_t{3});
    QCOMPARE(in.matrix.var.index, (std::vector<std::string>{"G3", "G1", "G2"}));

    // Without the name map the multifactorial table is skipped, with a warning.
    fs::remove(dir / "net_multifactorial_goldstandard_ref.tsv");
    in = gc::expr::read_grn_expression(dir);
    QCOMPARE(in.matrix.n_cells(), std::int64_t{11});
    QCOMPARE(in.warnings.size(), std::size_t{1});
    QVERIFY(contains(in.warnings[0], "net_multifactorial.tsv") &&
            contains(in.warnings[0], "goldstandard_ref"));
    auto e = input_error([&] { (void)gc::expr::read_grn_expression(dir / "net_multifactorial.tsv"); });
    QVERIFY2(contains(e, "no DREAM4 table could be used"), e.c_str());

    // Malformed tables name the file and line.
    write_text(dir / "net_knockouts.tsv", "\"G1\"\t\"G2\"\t\"G3\"\n0\t0.1\t0.2\n0.3\tx\t0.4\n0.5\t0.6\t0\n");
    e = input_error([&] { (void)gc::expr::read_grn_expression(dir); });
    QVERIFY2(contains(e, "net_knockouts.tsv") && contains(e, "line 3") && contains(e, "'x' of G2"),
             e.c_str());
    write_text(dir / "net_knockouts.tsv", "\"G1\"\t\"G2\"\t\"G3\"\n0\t0.1\t0.2\n0.3\t0\t0.4\n");
    e = input_error([&] { (void)gc::expr::read_grn_expression(dir); });
    QVERIFY2(contains(e, "one row per gene (3), found 2"), e.c_str());
    write_text(dir / "net_knockouts.tsv", "\"G1\"\t\"G2\"\t\"G4\"\n0\t0.1\t0.2\n0.3\t0\t0.4\n0.5\t0.6\t0\n");
    e = input_error([&] { (void)gc::expr::read_grn_expression(dir); });
    QVERIFY2(contains(e, "net_knockouts.tsv") && contains(e, "'G4'") && contains(e, "net_wildtype.tsv"),
             e.c_str());
    fs::remove(dir / "net_knockouts.tsv");
    write_text(dir / "net_timeseries.tsv", "\"G1\"\t\"G2\"\t\"G3\"\n1\t2\t3\n");
    e = input_error([&] { (void)gc::expr::read_grn_expression(dir); });
    QVERIFY2(contains(e, "net_timeseries.tsv") && contains(e, "\"Time\""), e.c_str());
    fs::remove(dir / "net_timeseries.tsv");
    write_text(dir / "other_wildtype.tsv", "\"G1\"\t\"G2\"\t\"G3\"\n0.5\t0.6\t0.7\n");
    e = input_error([&] { (void)gc::expr::read_grn_expression(dir); });
    QVERIFY2(contains(e, "two DREAM4 networks") && contains(e, "'net'") && contains(e, "'other'"), e.c_str());

    const auto empty = fs::path(m_dir.path().toStdString()) / "empty_folder";
    fs::create_directories(empty);
    e = input_error([&] { (void)gc::expr::read_grn_expression(empty); });
    QVERIFY2(contains(e, "empty_folder") && contains(e, "ExpressionData.csv") &&
                 contains(e, "_knockouts.tsv"),
             e.c_str());
  }

  void other_expression_files() {
    gc::expr::ExpressionMatrix m;
    m.x = gc::expr::Matrix::dense(3, 2, {1, 2, 3, 4, 5, 7});
    m.var.index = {"A", "B"};
    m.obs.index = {"c1", "c2", "c3"};
    m.var.columns.push_back(gc::expr::Column::categorical("is_tf", {"False", "True"}, {1, 0}));
    gc::expr::write_h5ad(tmp("m.h5ad"), m);
    auto in = gc::expr::read_grn_expression(tmp("m.h5ad"));
    QCOMPARE(in.layout, std::string("h5ad"));
    QCOMPARE(in.matrix.x.at(2, 1), 7.0f);
    QVERIFY(in.matrix.var.find("is_tf") != nullptr);
    write_text(tmp("cells.csv"), "cell,A,B\nc1,1,2\nc2,3,4\nc3,5,7\n");
    in = gc::expr::read_grn_expression(tmp("cells.csv"));
    QCOMPARE(in.layout, std::string("csv"));
    QCOMPARE(in.matrix.n_cells(), std::int64_t{3});
    QCOMPARE(in.matrix.x.at(2, 1), 7.0f);
    QVERIFY(contains(input_error([&] { (void)gc::expr::read_grn_expression(tmp("nothing_here")); }),
                     "no such file"));
  }

private:
  fs::path tmp(const std::string& name) const { return fs::path(m_dir.path().toStdString()) / name; }
  QTemporaryDir m_dir;
};

GC_QTEST_GUILESS_MAIN(TestGrnIo)
#include "test_grn_io.moc"
