// gc::expr on real public files from ../shared/data (scanpy, 10x, BEELINE): exact shapes,
// nnz, categories and edge counts.
#include "gc/expr/edge_list.h"
#include "gc/expr/formats.h"
#include "gc/expr/h5ad.h"
#include "gc/expr/tenx.h"
#include "gc/expr/text_matrix.h"
#include "gc/util/error.h"

#include "gc_qtest_main.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <map>

using namespace gc::expr;
namespace fs = std::filesystem;

class TestExprData : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase();
  void pbmcH5ad();
  void tenxH5();
  void tenxMtx();
  void beeline();
  void beelineSimulatedPseudoTime();
  void scanpyText();

private:
  fs::path m_data{gc::test::shared_data_dir()};
  fs::path m_scanpy = m_data / "expression/scanpy";
};

void TestExprData::initTestCase() {
  if (!fs::is_directory(m_data))
    QSKIP(qPrintable("shared test data not found at " + QString::fromStdString(m_data.string())));
}

void TestExprData::pbmcH5ad() {
  const auto path = m_scanpy / "10x_pbmc68k_reduced.h5ad";
  QCOMPARE(detect_expression_format(path), std::optional<ExpressionFormat>(ExpressionFormat::h5ad));
  const auto m = read_h5ad(path);
  QCOMPARE(m.n_cells(), 700);
  QCOMPARE(m.n_genes(), 765);
  QVERIFY(!m.x.is_sparse());
  QCOMPARE(m.obs.index.front(), std::string("AAAGCCTGGCTAAC-1"));
  QCOMPARE(m.var.index.front(), std::string("HES4"));
  QCOMPARE(*m.gene_index("SRM"), 5);
  QVERIFY(m.raw.has_value());
  QVERIFY(m.raw->x.is_sparse());
  QCOMPARE(m.raw->x.rows(), 700);
  QCOMPARE(m.raw->x.cols(), 765);
  QCOMPARE(m.raw->x.nnz(), 174400);
  QCOMPARE(m.raw->x.csr().indptr[1], 217);
  QCOMPARE(m.raw->x.csr().indptr[2], 448);
  QCOMPARE(m.raw->var.index.size(), std::size_t{765});
  const auto* bulk = m.obs.find("bulk_labels");
  QVERIFY(bulk && bulk->kind == Column::Kind::categorical);
  QCOMPARE(bulk->categories.size(), std::size_t{10});
  QCOMPARE(bulk->categories.front(), std::string("CD4+/CD25 T Reg"));
  QCOMPARE(bulk->categories[5], std::string("CD14+ Monocyte"));
  QVERIFY(std::all_of(bulk->codes.begin(), bulk->codes.end(), [](auto c) { return c >= 0 && c < 10; }));
  QCOMPARE(m.obs.find("louvain")->categories.size(), std::size_t{11});
  QCOMPARE(m.obs.find("phase")->categories.size(), std::size_t{3});
  QCOMPARE(m.obs.find("n_counts")->kind, Column::Kind::numeric);
  QCOMPARE(m.uns.at("bulk_labels_colors").size(), std::size_t{10});
  const auto s = summarize_h5ad(path);
  QCOMPARE(s.obs_columns.size(), std::size_t{8});
  QCOMPARE(s.raw_genes, 765);
}

void TestExprData::tenxH5() {
  const auto v2 = m_scanpy / "10x_data/1.2.0/filtered_gene_bc_matrices_h5.h5";
  QCOMPARE(detect_expression_format(v2), std::optional<ExpressionFormat>(ExpressionFormat::tenx_h5));
  const auto a = read_10x_h5(v2);
  QCOMPARE(a.n_cells(), 12);
  QCOMPARE(a.n_genes(), 343);
  QCOMPARE(a.x.nnz(), 12);
  QCOMPARE(a.var.index.front(), std::string("DSCAM"));
  QCOMPARE(a.obs.index.front(), std::string("AACACGTGTACGCTGC-1"));
  // Same numbers as the .mtx export of this sample: gene 201 (1-based) in the first cell.
  QCOMPARE(a.x.at(0, 200), 1.0F);

  const auto multi = m_scanpy / "10x_data/1.2.0/multiple_genomes.h5";
  QCOMPARE(tenx_genomes(multi), (std::vector<std::string>{"another_genome", "hg19_chr21"}));
  const auto b = read_10x_h5(multi, "hg19_chr21");
  QCOMPARE(b.n_cells(), 12);
  QCOMPARE(b.n_genes(), 343);
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)read_10x_h5(multi, "mm10"));

  const auto v3 = read_10x_h5(m_scanpy / "10x_data/3.0.0/filtered_feature_bc_matrix.h5");
  QCOMPARE(v3.n_cells(), 1107);
  QCOMPARE(v3.n_genes(), 507);
  QCOMPARE(v3.x.nnz(), 23866);
  QCOMPARE(v3.var.index.front(), std::string("CH507-9B2.2"));
  QCOMPARE(v3.var.find("gene_ids")->strings.front(), std::string("ENSG00000279493"));
  QCOMPARE(v3.var.find("feature_types")->text(0), std::string("Gene Expression"));
  // The h5 and the .mtx folder of the v3 sample hold the same matrix.
  const auto mtx = read_10x_mtx(m_scanpy / "10x_data/3.0.0/filtered_feature_bc_matrix");
  QCOMPARE(mtx.x.to_dense(), v3.x.to_dense());
  QCOMPARE(mtx.obs.index, v3.obs.index);
}

void TestExprData::tenxMtx() {
  const auto v12 = read_10x_mtx(m_scanpy / "10x_data/1.2.0/filtered_gene_bc_matrices/hg19_chr21");
  QCOMPARE(v12.n_cells(), 12);
  QCOMPARE(v12.n_genes(), 343);
  QCOMPARE(v12.x.nnz(), 12);
  QCOMPARE(v12.x.at(0, 200), 1.0F);
  QCOMPARE(v12.x.at(11, 126), 1.0F);
  const auto ids = read_10x_mtx(m_scanpy / "10x_data/int-ids");
  QCOMPARE(ids.n_cells(), 5);
  QCOMPARE(ids.n_genes(), 6);
  QCOMPARE(ids.x.nnz(), 3);
  QCOMPARE(ids.var.index.front(), std::string("Pwwp4b"));
  QCOMPARE(ids.var.find("gene_ids")->strings.front(), std::string("574405"));
  QCOMPARE(ids.x.at(2, 3), 6.0F);
}

void TestExprData::beeline() {
  const auto dir = m_data / "beeline/Synthetic/dyn-LI/dyn-LI_500_0";
  TextMatrixLayout layout;
  const auto m = read_text_matrix(dir / "ExpressionData.csv", {}, &layout);
  QCOMPARE(layout.orientation, Orientation::genes_by_cells);
  QCOMPARE(m.n_cells(), 500);
  QCOMPARE(m.n_genes(), 7);
  QCOMPARE(m.obs.index.front(), std::string("E16_3_507"));
  QVERIFY(m.gene_index("g7").has_value());
  QCOMPARE(detect_expression_format(dir / "ExpressionData.csv"),
           std::optional<ExpressionFormat>(ExpressionFormat::csv));
  const auto net = read_edge_list(dir / "refNetwork.csv");
  QCOMPARE(net.edges.size(), std::size_t{8});
  QCOMPARE(net.nodes.size(), std::size_t{7});
  QCOMPARE(net.self_loops(), std::size_t{1});
  QCOMPARE(std::count_if(net.edges.begin(), net.edges.end(), [](const Edge& e) { return e.sign < 0; }), 1);
  const auto pt = read_pseudotime(dir / "PseudoTime.csv");
  QCOMPARE(pt.cells.size(), std::size_t{500});
  QCOMPARE(pt.columns, (std::vector<std::string>{"Time"}));
  QCOMPARE(pt.values[0][0], 3.5069999999999997);
  QCOMPARE(pt.cells, m.obs.index);
  // Branching trajectory: two pseudotime columns with gaps.
  const auto bf = m_data / "beeline/Synthetic/dyn-BF/dyn-BF_500_0";
  const auto bpt = read_pseudotime(bf / "PseudoTime.csv");
  QCOMPARE(bpt.columns.size(), std::size_t{2});
  QVERIFY(std::isnan(bpt.values[1][0]));
  QCOMPARE(bpt.values[0][0], 4.96);
  QCOMPARE(read_edge_list(bf / "refNetwork.csv").edges.size(), std::size_t{12});
  QCOMPARE(read_edge_list(bf / "refNetwork.csv").nodes.size(), std::size_t{7});
  const auto hsc = read_edge_list(m_data / "beeline/Simulated/HSC/HSC_2000_0/refNetwork.csv");
  QCOMPARE(hsc.edges.size(), std::size_t{30});
  QCOMPARE(hsc.nodes.size(), std::size_t{11});
}

// The curated-model folders write PseudoTime.csv as pandas does: the header leaves out the
// row-index column, and a cell off a trajectory is NA there. Counts checked with awk.
void TestExprData::beelineSimulatedPseudoTime() {
  const auto root = m_data / "beeline/Simulated";
  const std::map<std::string, std::pair<std::size_t, std::int64_t>> models = {
      {"HSC", {4, 11}}, {"mCAD", {2, 5}}, {"VSC", {5, 8}}}; // trajectories, genes
  std::size_t folders = 0;
  for (const auto& [model, expected] : models) {
    for (const auto& entry : fs::directory_iterator(root / model)) {
      const auto pt_path = entry.path() / "PseudoTime.csv";
      if (!fs::is_regular_file(pt_path)) continue;
      ++folders;
      const std::string where = pt_path.string();
      const auto pt = read_pseudotime(pt_path);
      QVERIFY2(pt.cells.size() == 2000, where.c_str());
      QVERIFY2(pt.columns.size() == expected.first, where.c_str());
      QVERIFY2(pt.columns.front() == "PseudoTime1", where.c_str());
      // Every cell lies on at least one trajectory.
      const auto combined = pt.combined();
      QVERIFY2(std::none_of(combined.begin(), combined.end(), [](double v) { return std::isnan(v); }),
               where.c_str());
      // The expression matrix next to it has the same cells, in the same order.
      const auto m = read_text_matrix(entry.path() / "ExpressionData.csv");
      QVERIFY2(m.obs.index == pt.cells, where.c_str());
      QVERIFY2(m.n_genes() == expected.second, where.c_str());
    }
  }
  QCOMPARE(folders, std::size_t{90}); // 3 models × 10 simulations × {no dropout, 20 %, 50 %}

  const auto missing = [](const PseudoTime& pt) {
    std::vector<std::int64_t> out;
    for (const auto& col : pt.values)
      out.push_back(std::count_if(col.begin(), col.end(), [](double v) { return std::isnan(v); }));
    return out;
  };
  const auto hsc = read_pseudotime(root / "HSC/HSC_2000_0/PseudoTime.csv");
  QCOMPARE(hsc.columns,
           (std::vector<std::string>{"PseudoTime1", "PseudoTime2", "PseudoTime3", "PseudoTime4"}));
  QCOMPARE(missing(hsc), (std::vector<std::int64_t>{1639, 1328, 867, 1622}));
  QCOMPARE(hsc.cells.front(), std::string("E2_2_003"));
  QCOMPARE(hsc.values[0][0], 80.2890093593064);
  QVERIFY(std::isnan(hsc.values[1][0]) && std::isnan(hsc.values[3][0]));
  // Dropout changes the expression values, not the trajectories.
  QCOMPARE(missing(read_pseudotime(root / "HSC/HSC_2000_0_50/PseudoTime.csv")), missing(hsc));
  const auto mcad = read_pseudotime(root / "mCAD/mCAD_2000_0/PseudoTime.csv");
  QCOMPARE(missing(mcad), (std::vector<std::int64_t>{390, 1182}));
  QCOMPARE(mcad.values[0][0], 52.1525834992971);
  const auto vsc = read_pseudotime(root / "VSC/VSC_2000_0/PseudoTime.csv");
  QCOMPARE(missing(vsc), (std::vector<std::int64_t>{1687, 1370, 1382, 1400, 1645}));
  QCOMPARE(missing(read_pseudotime(root / "VSC/VSC_2000_3_20/PseudoTime.csv")),
           (std::vector<std::int64_t>{1309, 1718, 1344, 1206, 1714}));
  const auto info = describe_pseudotime(root / "VSC/VSC_2000_0/PseudoTime.csv");
  QCOMPARE(info.at("cells").as_int(), std::int64_t(2000));
  QCOMPARE(info.at("missing").size(), std::size_t{5});
}

void TestExprData::scanpyText() {
  TextMatrixLayout layout;
  const auto k = read_text_matrix(m_scanpy / "krumsiek11.txt", {}, &layout);
  QVERIFY(layout.header_from_comment);
  QCOMPARE(k.n_cells(), 640);
  QCOMPARE(k.n_genes(), 11);
  QCOMPARE(k.var.index.front(), std::string("Gata2"));
  QCOMPARE(k.var.index.back(), std::string("Gfi1"));
  QCOMPARE(k.x.at(0, 0), 0.8032F);
  QCOMPARE(k.x.at(1, 10), 0.0941F);
  const auto t = read_text_matrix(m_scanpy / "toggleswitch.txt");
  QCOMPARE(t.n_cells(), 200);
  QCOMPARE(t.n_genes(), 2);
  QCOMPARE(t.x.at(0, 1), 0.7880F);
}

GC_QTEST_GUILESS_MAIN(TestExprData)
#include "test_expr_data.moc"
