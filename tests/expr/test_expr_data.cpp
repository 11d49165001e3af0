// gc::expr on real public files from ../shared/data (scanpy, 10x, BEELINE): exact shapes,
// nnz, categories and edge counts.
#include "gc/expr/edge_list.h"
#include "gc/expr/formats.h"
#include "gc/expr/h5ad.h"
#include "gc/expr/tenx.h"
#include "gc/expr/text_matrix.h"
#include "gc/util/error.h"

#include <QtTest>

#include <cmath>

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
  void scanpyText();

private:
  fs::path m_data{GC_SHARED_DATA_DIR};
  fs::path m_scanpy = m_data / "expression/scanpy";
};

void TestExprData::initTestCase() {
  if (!fs::is_directory(m_data)) QSKIP("shared test data not found at " GC_SHARED_DATA_DIR);
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

QTEST_GUILESS_MAIN(TestExprData)
#include "test_expr_data.moc"
