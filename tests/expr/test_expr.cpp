// Unit tests of gc::expr: .h5ad round trips (dense, CSR, CSC, old and new categorical
// layouts), CSV orientation detection, MatrixMarket, perturbation labels, edge lists and
// malformed input.
#include "gc/expr/edge_list.h"
#include "gc/expr/formats.h"
#include "gc/expr/h5ad.h"
#include "gc/expr/perturbation.h"
#include "gc/expr/tenx.h"
#include "gc/expr/text_matrix.h"
#include "gc/hdf5/hdf5.h"
#include "gc/util/error.h"
#include "gc/util/temp_dir.h"

#include "gc_progress_recorder.h"
#include "gc_qtest_main.h"

#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

#include <cmath>
#include <fstream>

using namespace gc::expr;
namespace fs = std::filesystem;

namespace {

void write_text(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

void write_gz(const fs::path& p, const std::string& text) {
  gzFile f = gzopen(p.c_str(), "wb");
  gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
  gzclose(f);
}

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// 3 cells × 4 genes with annotations of every kind and a raw layer.
ExpressionMatrix sample(bool sparse) {
  const std::vector<float> dense{0, 1, 0, 2, 3, 0, 0, 0, 0, 4, 5, 6};
  ExpressionMatrix m;
  m.x = sparse ? Matrix::sparse(CsrMatrix::from_dense(dense, 3, 4)) : Matrix::dense(3, 4, dense);
  m.obs.index = {"c1", "c2", "c3"};
  m.obs.columns.push_back(Column::categorical("cell_type", {"B", "T"}, {1, 0, -1}, true));
  m.obs.columns.push_back(Column::numeric("n_counts", {3.0, 3.0, 15.5}));
  m.obs.columns.push_back(Column::text_column("batch", {"a", "b", "a"}));
  m.var.index = {"GATA1", "SPI1", "CEBPA", "KLF1"};
  m.var.columns.push_back(Column::categorical_from("kind", {"tf", "tf", "tf", "other"}));
  RawLayer raw;
  raw.x = Matrix::sparse(CsrMatrix::from_dense({1, 0, 2, 0, 0, 7, 0, 0, 9}, 3, 3));
  raw.var.index = {"r1", "r2", "r3"};
  m.raw = std::move(raw);
  m.uns["kind_colors"] = {"#ff0000", "#00ff00"};
  return m;
}

template <typename Fn>
gc::InputError expect_input_error(Fn&& fn) {
  try {
    fn();
  } catch (const gc::InputError& e) {
    return e;
  }
  throw std::runtime_error("expected gc::InputError");
}

// The pieces of an anndata < 0.7 file that h5py wrote from numpy record arrays: obs/var as
// compound datasets (written here with the HDF5 C API), strings fixed-length (numpy 'S') or
// variable-length (h5py's str), booleans as h5py's FALSE/TRUE enum.
gc::hdf5::Id fixed_string_type(std::size_t width) {
  gc::hdf5::Id t(H5Tcopy(H5T_C_S1));
  H5Tset_size(t.get(), width);
  H5Tset_strpad(t.get(), H5T_STR_NULLPAD);
  return t;
}

gc::hdf5::Id vlen_string_type() {
  gc::hdf5::Id t(H5Tcopy(H5T_C_S1));
  H5Tset_size(t.get(), H5T_VARIABLE);
  H5Tset_cset(t.get(), H5T_CSET_UTF8);
  return t;
}

gc::hdf5::Id h5py_bool_type() {
  gc::hdf5::Id t(H5Tenum_create(H5T_NATIVE_INT8));
  const std::int8_t no = 0, yes = 1;
  H5Tenum_insert(t.get(), "FALSE", &no);
  H5Tenum_insert(t.get(), "TRUE", &yes);
  return t;
}

template <typename Record>
void write_records(const gc::hdf5::Group& parent, const char* name, hid_t type,
                   const std::vector<Record>& records) {
  const hsize_t n = records.size();
  const gc::hdf5::Id space(H5Screate_simple(1, &n, nullptr));
  const gc::hdf5::Id ds(
      H5Dcreate2(parent.id(), name, type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  if (!ds.valid() || H5Dwrite(ds.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, records.data()) < 0)
    throw std::runtime_error(std::string("cannot write the compound dataset ") + name);
}

struct FixedObs {
  char index[8];
  float n_counts;
  std::int8_t cell_type;
};
struct FixedVar {
  char index[8];
  double mean;
  std::int8_t highly_variable;
};
struct VlenObs {
  const char* index;
  double n_counts;
  const char* batch;
  std::int16_t cell_type;
};

gc::hdf5::Id fixed_obs_type() {
  gc::hdf5::Id t(H5Tcreate(H5T_COMPOUND, sizeof(FixedObs)));
  H5Tinsert(t.get(), "index", HOFFSET(FixedObs, index), fixed_string_type(8).get());
  H5Tinsert(t.get(), "n_counts", HOFFSET(FixedObs, n_counts), H5T_NATIVE_FLOAT);
  H5Tinsert(t.get(), "cell_type", HOFFSET(FixedObs, cell_type), H5T_NATIVE_INT8);
  return t;
}

// Dense X; obs and var with fixed-length names; a float, a categorical and a boolean column.
void write_legacy_dense(const fs::path& path, const std::vector<FixedObs>& obs) {
  const auto f = gc::hdf5::File::open(path, gc::hdf5::File::Mode::create);
  std::vector<float> x(12);
  for (std::size_t i = 0; i < x.size(); ++i)
    x[i] = 0.5F * static_cast<float>(i);
  (void)f.write_dataset_2d("X", x, 3, 4);
  write_records(f, "obs", fixed_obs_type().get(), obs);
  const gc::hdf5::Id var_type(H5Tcreate(H5T_COMPOUND, sizeof(FixedVar)));
  H5Tinsert(var_type.get(), "index", HOFFSET(FixedVar, index), fixed_string_type(8).get());
  H5Tinsert(var_type.get(), "mean", HOFFSET(FixedVar, mean), H5T_NATIVE_DOUBLE);
  H5Tinsert(var_type.get(), "highly_variable", HOFFSET(FixedVar, highly_variable), h5py_bool_type().get());
  write_records(
      f, "var", var_type.get(),
      std::vector<FixedVar>{{"Gata1", 0.5, 1}, {"Spi1", 1.0, 0}, {"Klf1", 1.5, 0}, {"Fli1", 2.0, 1}});
  const auto uns = f.create_group("uns");
  (void)uns.write_strings("cell_type_categories", {"B", "T"}, false);
  (void)uns.write_strings("note", {"legacy"});
}

// CSR X marked as h5sparse did; variable-length strings; a text column; codes with -1 (missing).
void write_legacy_csr(const fs::path& path) {
  const auto f = gc::hdf5::File::open(path, gc::hdf5::File::Mode::create);
  const auto x = f.create_group("X");
  x.set_attribute("h5sparse_format", "csr");
  x.set_attribute("h5sparse_shape", std::vector<std::int64_t>{3, 4});
  // [[1,0,0,2],[0,0,0,0],[0,3,4,0]]
  (void)x.write_dataset("data", std::vector<float>{1, 2, 3, 4});
  (void)x.write_dataset("indices", std::vector<std::int32_t>{0, 3, 1, 2});
  (void)x.write_dataset("indptr", std::vector<std::int64_t>{0, 2, 2, 4});
  const auto str = vlen_string_type();
  const gc::hdf5::Id obs_type(H5Tcreate(H5T_COMPOUND, sizeof(VlenObs)));
  H5Tinsert(obs_type.get(), "index", HOFFSET(VlenObs, index), str.get());
  H5Tinsert(obs_type.get(), "n_counts", HOFFSET(VlenObs, n_counts), H5T_NATIVE_DOUBLE);
  H5Tinsert(obs_type.get(), "batch", HOFFSET(VlenObs, batch), str.get());
  H5Tinsert(obs_type.get(), "cell_type", HOFFSET(VlenObs, cell_type), H5T_NATIVE_INT16);
  write_records(
      f, "obs", obs_type.get(),
      std::vector<VlenObs>{{"AAAC-1", 3.0, "a", 0}, {"AAAG-1", 0.0, "b", -1}, {"AAAT-1", 7.0, "a", 1}});
  struct VlenVar {
    const char* index;
  };
  const gc::hdf5::Id var_type(H5Tcreate(H5T_COMPOUND, sizeof(VlenVar)));
  H5Tinsert(var_type.get(), "index", HOFFSET(VlenVar, index), str.get());
  write_records(f, "var", var_type.get(), std::vector<VlenVar>{{"g1"}, {"g2"}, {"g3"}, {"g4"}});
  (void)f.create_group("uns").write_strings("cell_type_categories", {"HSC", "MEP"});
}

} // namespace

class TestExpr : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void matrixHelpers();
  void h5adRoundTripCsr();
  void h5adRoundTripDense();
  void h5adDeterministicBytes();
  void h5adCscAndOldLayout();
  void h5adLegacyCompound();
  void h5adMalformed();
  void h5adLargeDirectRead();
  void csvOrientation();
  void csvGzipAndComments();
  void csvMalformed();
  void pseudotime();
  void matrixMarket();
  void matrixMarketMalformed();
  void perturbationLabels();
  void edgeLists();
  void edgeListMalformed();
  void formatDetection();
  void textMatrixProgress();
  void matrixMarketProgress();
  void h5adProgress();
  void tenxH5Progress();

private:
  QTemporaryDir m_dir;
  [[nodiscard]] fs::path tmp(const std::string& name) const {
    return fs::path(m_dir.path().toStdString()) / name;
  }
};

void TestExpr::matrixHelpers() {
  const auto m = sample(true);
  QCOMPARE(m.n_cells(), 3);
  QCOMPARE(m.n_genes(), 4);
  QCOMPARE(m.x.nnz(), 6);
  QCOMPARE(*m.gene_index("KLF1"), 3);
  QVERIFY(!m.gene_index("NOPE"));
  QCOMPARE(m.gene_values("KLF1"), (std::vector<float>{2, 0, 6}));
  QCOMPARE(m.x.row(2), (std::vector<float>{0, 4, 5, 6}));
  QCOMPARE(m.x.at(1, 0), 3.0F);
  QCOMPARE(m.x.at(1, 1), 0.0F);
  QCOMPARE(m.library_sizes(), (std::vector<double>{3, 3, 15}));
  QCOMPARE(m.x.to_dense(), sample(false).x.dense_values());
  const auto norm = m.x.log1p_normalized(10.0);
  QVERIFY(norm.is_sparse());
  QCOMPARE(norm.at(0, 1), static_cast<float>(std::log1p(10.0 / 3.0)));
  QCOMPARE(norm.at(2, 3), static_cast<float>(std::log1p(6.0 * 10.0 / 15.0)));
  const auto t = m.x.csr().transposed();
  QCOMPARE(t.rows, 4);
  QCOMPARE(Matrix::sparse(t).at(3, 2), 6.0F);
  QCOMPARE(m.obs.columns[0].text(0), std::string("T"));
  QCOMPARE(m.obs.columns[0].text(2), std::string());
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)m.gene_values("NOPE"));
}

void TestExpr::h5adRoundTripCsr() {
  const auto in = sample(true);
  const auto path = tmp("csr.h5ad");
  write_h5ad(path, in);
  const auto out = read_h5ad(path);
  QVERIFY(out.x.is_sparse());
  QCOMPARE(out.x.csr().indptr, in.x.csr().indptr);
  QCOMPARE(out.x.csr().indices, in.x.csr().indices);
  QCOMPARE(out.x.csr().data, in.x.csr().data);
  QCOMPARE(out.obs.index, in.obs.index);
  QCOMPARE(out.var.index, in.var.index);
  QCOMPARE(out.obs.column_names(), (std::vector<std::string>{"cell_type", "n_counts", "batch"}));
  const auto* ct = out.obs.find("cell_type");
  QVERIFY(ct && ct->kind == Column::Kind::categorical);
  QCOMPARE(ct->categories, (std::vector<std::string>{"B", "T"}));
  QCOMPARE(ct->codes, (std::vector<std::int32_t>{1, 0, -1}));
  QVERIFY(ct->ordered);
  QCOMPARE(out.obs.find("n_counts")->numbers, (std::vector<double>{3.0, 3.0, 15.5}));
  QCOMPARE(out.obs.find("batch")->strings, (std::vector<std::string>{"a", "b", "a"}));
  QCOMPARE(out.var.find("kind")->categories, (std::vector<std::string>{"tf", "other"}));
  QVERIFY(out.raw.has_value());
  QCOMPARE(out.raw->x.to_dense(), in.raw->x.to_dense());
  QCOMPARE(out.raw->var.index, in.raw->var.index);
  QCOMPARE(out.uns.at("kind_colors"), in.uns.at("kind_colors"));
  // anndata's on-disk conventions
  const auto f = gc::hdf5::File::open(path);
  QCOMPARE(f.attribute_string("encoding-type"), std::string("anndata"));
  QCOMPARE(f.group("X").attribute_string("encoding-type"), std::string("csr_matrix"));
  QCOMPARE(f.group("X").attribute_ints("shape"), (std::vector<std::int64_t>{3, 4}));
  QCOMPARE(f.group("obs").attribute_string("_index"), std::string("_index"));
  QCOMPARE(f.group("obs/cell_type").attribute_string("encoding-type"), std::string("categorical"));
  QCOMPARE(f.dataset("obs/cell_type/codes").element_size(), std::size_t{1});
  const auto s = summarize_h5ad(path);
  QCOMPARE(s.cells, 3);
  QCOMPARE(s.genes, 4);
  QCOMPARE(s.nnz, 6);
  QVERIFY(s.sparse && s.has_raw);
  QCOMPARE(s.raw_genes, 3);
}

void TestExpr::h5adRoundTripDense() {
  const auto in = sample(false);
  const auto path = tmp("dense.h5ad");
  write_h5ad(path, in, {.sparse_x = false, .compression = 4});
  const auto out = read_h5ad(path);
  QVERIFY(!out.x.is_sparse());
  QCOMPARE(out.x.dense_values(), in.x.dense_values());
  QCOMPARE(gc::hdf5::File::open(path).dataset("X").attribute_string("encoding-type"), std::string("array"));
  // A dense input written with sparse_x (the default) becomes CSR with the same values.
  write_h5ad(tmp("dense_as_csr.h5ad"), in);
  const auto csr = read_h5ad(tmp("dense_as_csr.h5ad"));
  QVERIFY(csr.x.is_sparse());
  QCOMPARE(csr.x.to_dense(), in.x.dense_values());
}

void TestExpr::h5adDeterministicBytes() {
  write_h5ad(tmp("a.h5ad"), sample(true));
  write_h5ad(tmp("b.h5ad"), sample(true));
  const auto a = read_bytes(tmp("a.h5ad"));
  QVERIFY(a.size() > 1000);
  QVERIFY(a == read_bytes(tmp("b.h5ad")));
  auto changed = sample(true);
  changed.obs.index[0] = "c0";
  write_h5ad(tmp("c.h5ad"), changed);
  QVERIFY(a != read_bytes(tmp("c.h5ad")));
}

void TestExpr::h5adCscAndOldLayout() {
  // Old layout by hand: CSC X marked with h5sparse attributes, obs with fixed-length names in
  // "index", codes in obs/cell_type and categories in obs/__categories/cell_type.
  const auto path = tmp("old.h5ad");
  {
    const auto f = gc::hdf5::File::open(path, gc::hdf5::File::Mode::create);
    const auto x = f.create_group("X");
    x.set_attribute("h5sparse_format", "csc");
    x.set_attribute("h5sparse_shape", std::vector<std::int64_t>{2, 3});
    // dense [[1,0,2],[0,3,0]] by column
    (void)x.write_dataset("data", std::vector<float>{1, 3, 2});
    (void)x.write_dataset("indices", std::vector<std::int64_t>{0, 1, 0});
    (void)x.write_dataset("indptr", std::vector<std::int64_t>{0, 1, 2, 3});
    const auto obs = f.create_group("obs");
    (void)obs.write_strings("index", {"cellA", "cellB"}, false);
    (void)obs.write_dataset("cell_type", std::vector<std::int8_t>{1, 0});
    (void)obs.write_dataset("score", std::vector<double>{0.5, 1.5});
    (void)f.create_group("obs/__categories").write_strings("cell_type", {"erythroid", "myeloid"}, false);
    const auto var = f.create_group("var");
    var.set_attribute("_index", "gene_ids");
    (void)var.write_strings("gene_ids", {"g1", "g2", "g3"});
    // New-layout categorical next to it, in the same file.
    const auto cat = var.create_group("module");
    cat.set_attribute("encoding-type", "categorical");
    (void)cat.write_strings("categories", {"m1", "m2"});
    (void)cat.write_dataset("codes", std::vector<std::int16_t>{0, 1, 1});
  }
  const auto m = read_h5ad(path);
  QVERIFY(m.x.is_sparse());
  QCOMPARE(m.x.rows(), 2);
  QCOMPARE(m.x.to_dense(), (std::vector<float>{1, 0, 2, 0, 3, 0}));
  QCOMPARE(m.obs.index, (std::vector<std::string>{"cellA", "cellB"}));
  const auto* ct = m.obs.find("cell_type");
  QVERIFY(ct && ct->kind == Column::Kind::categorical);
  QCOMPARE(ct->text(0), std::string("myeloid"));
  QCOMPARE(ct->text(1), std::string("erythroid"));
  QCOMPARE(m.obs.find("score")->numbers, (std::vector<double>{0.5, 1.5}));
  QCOMPARE(m.var.index, (std::vector<std::string>{"g1", "g2", "g3"}));
  QCOMPARE(m.var.find("module")->codes, (std::vector<std::int32_t>{0, 1, 1}));
  QVERIFY(!m.raw);
}

void TestExpr::h5adLegacyCompound() {
  const gc::TempDir dir("gc-test-legacy-h5ad");
  const auto dense_path = dir.path() / "legacy_dense.h5ad";
  write_legacy_dense(dense_path, {{"cell_1", 1.5F, 1}, {"cell_2", 2.25F, 0}, {"cell_3", 10.0F, 1}});
  QCOMPARE(detect_expression_format(dense_path), std::optional<ExpressionFormat>(ExpressionFormat::h5ad));
  const auto d = read_h5ad(dense_path);
  QVERIFY(!d.x.is_sparse());
  QCOMPARE(d.n_cells(), 3);
  QCOMPARE(d.n_genes(), 4);
  QCOMPARE(d.x.at(0, 1), 0.5F);
  QCOMPARE(d.x.at(2, 3), 5.5F);
  QCOMPARE(d.obs.index, (std::vector<std::string>{"cell_1", "cell_2", "cell_3"}));
  QCOMPARE(d.obs.column_names(), (std::vector<std::string>{"n_counts", "cell_type"}));
  QCOMPARE(d.obs.find("n_counts")->kind, Column::Kind::numeric);
  QCOMPARE(d.obs.find("n_counts")->numbers, (std::vector<double>{1.5, 2.25, 10.0}));
  const auto* ct = d.obs.find("cell_type");
  QVERIFY(ct && ct->kind == Column::Kind::categorical);
  QCOMPARE(ct->categories, (std::vector<std::string>{"B", "T"}));
  QCOMPARE(ct->codes, (std::vector<std::int32_t>{1, 0, 1}));
  QCOMPARE(ct->text(1), std::string("B"));
  QCOMPARE(d.var.index, (std::vector<std::string>{"Gata1", "Spi1", "Klf1", "Fli1"}));
  QCOMPARE(d.var.find("mean")->numbers, (std::vector<double>{0.5, 1.0, 1.5, 2.0}));
  QCOMPARE(d.var.find("highly_variable")->numbers, (std::vector<double>{1, 0, 0, 1}));
  // The categories moved into the column; other uns entries stay.
  QCOMPARE(d.uns.count("cell_type_categories"), std::size_t{0});
  QCOMPARE(d.uns.at("note"), (std::vector<std::string>{"legacy"}));
  const auto ds = summarize_h5ad(dense_path);
  QCOMPARE(ds.encoding, std::string("array"));
  QCOMPARE(ds.obs_columns, (std::vector<std::string>{"n_counts", "cell_type"}));
  QCOMPARE(ds.var_columns, (std::vector<std::string>{"mean", "highly_variable"}));

  const auto csr_path = dir.path() / "legacy_csr.h5ad";
  write_legacy_csr(csr_path);
  const auto s = read_h5ad(csr_path);
  QVERIFY(s.x.is_sparse());
  QCOMPARE(s.x.csr().indptr, (std::vector<std::int64_t>{0, 2, 2, 4}));
  QCOMPARE(s.x.to_dense(), (std::vector<float>{1, 0, 0, 2, 0, 0, 0, 0, 0, 3, 4, 0}));
  QCOMPARE(s.obs.index, (std::vector<std::string>{"AAAC-1", "AAAG-1", "AAAT-1"}));
  QCOMPARE(s.obs.find("n_counts")->numbers, (std::vector<double>{3.0, 0.0, 7.0}));
  QCOMPARE(s.obs.find("batch")->kind, Column::Kind::string);
  QCOMPARE(s.obs.find("batch")->strings, (std::vector<std::string>{"a", "b", "a"}));
  const auto* st = s.obs.find("cell_type");
  QVERIFY(st && st->kind == Column::Kind::categorical);
  QCOMPARE(st->categories, (std::vector<std::string>{"HSC", "MEP"}));
  QCOMPARE(st->codes, (std::vector<std::int32_t>{0, -1, 1}));
  QCOMPARE(st->text(1), std::string());
  QCOMPARE(s.var.index, (std::vector<std::string>{"g1", "g2", "g3", "g4"}));
  QVERIFY(s.var.columns.empty());
  QVERIFY(s.uns.empty());
  QCOMPARE(read_h5ad_x(csr_path).nnz(), 4);
  const auto ss = summarize_h5ad(csr_path);
  QCOMPARE(ss.encoding, std::string("csr_matrix"));
  QCOMPARE(ss.nnz, 4);
  QCOMPARE(ss.obs_columns, (std::vector<std::string>{"n_counts", "batch", "cell_type"}));

  // A category code past the categories: bad input naming the file and the dataset.
  const auto bad_codes = dir.path() / "bad_codes.h5ad";
  write_legacy_dense(bad_codes, {{"cell_1", 1.5F, 1}, {"cell_2", 2.25F, 2}, {"cell_3", 10.0F, 0}});
  auto e = expect_input_error([&] { (void)read_h5ad(bad_codes); });
  QCOMPARE(e.file_name(), bad_codes.string());
  QCOMPARE(e.record_name(), std::string("/obs"));
  QVERIFY(std::string(e.what()).find("code 2 at row 1") != std::string::npos);
  QVERIFY(std::string(e.what()).find("/uns/cell_type_categories has 2 categories") != std::string::npos);

  // A compound frame without the "index" field, in read and in summary.
  const auto no_index = dir.path() / "no_index.h5ad";
  write_legacy_dense(no_index, {{"cell_1", 1.5F, 1}, {"cell_2", 2.25F, 0}, {"cell_3", 10.0F, 1}});
  {
    const auto f = gc::hdf5::File::open(no_index, gc::hdf5::File::Mode::read_write);
    H5Ldelete(f.id(), "var", H5P_DEFAULT);
    struct Unnamed {
      double mean;
    };
    const gc::hdf5::Id type(H5Tcreate(H5T_COMPOUND, sizeof(Unnamed)));
    H5Tinsert(type.get(), "mean", HOFFSET(Unnamed, mean), H5T_NATIVE_DOUBLE);
    write_records(f, "var", type.get(), std::vector<Unnamed>{{1}, {2}, {3}, {4}});
  }
  for (const auto& err : {expect_input_error([&] { (void)read_h5ad(no_index); }),
                          expect_input_error([&] { (void)summarize_h5ad(no_index); })}) {
    QCOMPARE(err.file_name(), no_index.string());
    QCOMPARE(err.record_name(), std::string("/var"));
    QVERIFY(std::string(err.what()).find("without an 'index' field") != std::string::npos);
  }
}

void TestExpr::h5adMalformed() {
  const auto make = [&](const std::string& name, auto&& fill) {
    const auto p = tmp(name);
    const auto f = gc::hdf5::File::open(p, gc::hdf5::File::Mode::create);
    fill(f);
    return p;
  };
  const auto no_x = make("no_x.h5ad", [](const gc::hdf5::File& f) { (void)f.create_group("obs"); });
  auto e = expect_input_error([&] { (void)read_h5ad(no_x); });
  QCOMPARE(e.file_name(), no_x.string());
  QVERIFY(std::string(e.what()).find("no X") != std::string::npos);

  auto csr = [](std::vector<std::int64_t> shape, std::vector<std::int64_t> indptr,
                std::vector<std::int32_t> indices) {
    return [=](const gc::hdf5::File& f) {
      const auto x = f.create_group("X");
      x.set_attribute("encoding-type", "csr_matrix");
      x.set_attribute("shape", shape);
      (void)x.write_dataset("data", std::vector<float>(indices.size(), 1.0F));
      (void)x.write_dataset("indices", indices);
      (void)x.write_dataset("indptr", indptr);
    };
  };
  const auto bad_indptr = make("bad_indptr.h5ad", csr({3, 4}, {0, 1, 2}, {0, 1}));
  e = expect_input_error([&] { (void)read_h5ad(bad_indptr); });
  QCOMPARE(e.file_name(), bad_indptr.string());
  QCOMPARE(e.record_name(), std::string("/X"));
  QVERIFY(std::string(e.what()).find("indptr has 3 entries") != std::string::npos);

  const auto bad_index = make("bad_index.h5ad", csr({2, 4}, {0, 1, 2}, {0, 4}));
  e = expect_input_error([&] { (void)read_h5ad(bad_index); });
  QCOMPARE(e.record_name(), std::string("/X"));
  QVERIFY(std::string(e.what()).find("outside [0, 4)") != std::string::npos);

  const auto bad_end = make("bad_end.h5ad", csr({2, 4}, {0, 1, 3}, {0, 1}));
  e = expect_input_error([&] { (void)read_h5ad(bad_end); });
  QVERIFY(std::string(e.what()).find("indptr ends at 3") != std::string::npos);

  const auto bad_obs = make("bad_obs.h5ad", [](const gc::hdf5::File& f) {
    (void)f.write_dataset_2d("X", std::vector<float>(6, 1.0F), 2, 3);
    (void)f.create_group("obs").write_strings("_index", {"only_one"});
  });
  e = expect_input_error([&] { (void)read_h5ad(bad_obs); });
  QCOMPARE(e.record_name(), std::string("/obs"));
  QVERIFY(std::string(e.what()).find("has 1 rows but the matrix has 2") != std::string::npos);

  // Found by fuzz_h5ad: an indptr whose dataspace claims ~2^56 elements made the reader allocate
  // before any size check (std::bad_alloc, an internal error); it is bad input.
  const auto huge = fs::path(GC_SOURCE_DIR) / "tests/data/bad/expr_h5ad_huge_indptr.h5ad";
  e = expect_input_error([&] { (void)read_h5ad(huge); });
  QCOMPARE(e.file_name(), huge.string());
  QVERIFY(std::string(e.what()).find("indptr has") != std::string::npos);

  write_text(tmp("not_hdf5.h5ad"), "hello");
  e = expect_input_error([&] { (void)read_h5ad(tmp("not_hdf5.h5ad")); });
  QCOMPARE(e.file_name(), tmp("not_hdf5.h5ad").string());
}

// Above 65,536 stored values X is read with pread on a worker thread while obs/var are read;
// values, names and every validation must be the same as on the HDF5 path.
void TestExpr::h5adLargeDirectRead() {
  CsrMatrix m;
  m.rows = 400;
  m.cols = 1000;
  for (std::int64_t r = 0; r < m.rows; ++r) {
    for (std::int64_t c = r % 3; c < m.cols; c += 5) {
      m.indices.push_back(static_cast<std::int32_t>(c));
      m.data.push_back(static_cast<float>(r * 7 + c) * 0.5F);
    }
    m.indptr.push_back(m.nnz());
  }
  QVERIFY(m.nnz() > (1 << 16));
  ExpressionMatrix in;
  in.x = Matrix::sparse(m);
  for (std::int64_t r = 0; r < m.rows; ++r)
    in.obs.index.push_back("cell_" + std::to_string(r));
  for (std::int64_t c = 0; c < m.cols; ++c)
    in.var.index.push_back("gene_" + std::to_string(c));
  const auto path = tmp("large.h5ad");
  write_h5ad(path, in);
  const auto out = read_h5ad(path);
  QCOMPARE(out.x.csr().indptr, m.indptr);
  QCOMPARE(out.x.csr().indices, m.indices);
  QCOMPARE(out.x.csr().data, m.data);
  QCOMPARE(out.obs.index.back(), std::string("cell_399"));
  QCOMPARE(out.var.index.size(), std::size_t{1000});
  const auto x_only = read_h5ad_x(path);
  QCOMPARE(x_only.csr().indices, m.indices);
  QCOMPARE(x_only.csr().data, m.data);
  // Compressed arrays take the HDF5 path and give the same matrix.
  write_h5ad(tmp("large_gzip.h5ad"), in, {.compression = 1});
  QCOMPARE(read_h5ad(tmp("large_gzip.h5ad")).x.csr().data, m.data);

  // A bad index deep in a large array is reported from the worker with its position.
  auto bad = m;
  bad.indices[70000] = -3;
  const auto write_raw = [&](const fs::path& p, const CsrMatrix& c, auto indices) {
    const auto f = gc::hdf5::File::open(p, gc::hdf5::File::Mode::create);
    const auto x = f.create_group("X");
    x.set_attribute("encoding-type", "csr_matrix");
    x.set_attribute("shape", std::vector<std::int64_t>{c.rows, c.cols});
    (void)x.write_dataset("data", c.data);
    (void)x.write_dataset("indices", indices);
    (void)x.write_dataset("indptr", c.indptr);
  };
  write_raw(tmp("large_bad.h5ad"), bad, bad.indices);
  auto e = expect_input_error([&] { (void)read_h5ad(tmp("large_bad.h5ad")); });
  QCOMPARE(e.file_name(), tmp("large_bad.h5ad").string());
  QCOMPARE(e.record_name(), std::string("/X"));
  QVERIFY(std::string(e.what()).find("index -3 at position 70000 is outside [0, 1000)") != std::string::npos);
  // 64-bit indices are narrowed on the HDF5 path with the same check.
  write_raw(tmp("large_bad64.h5ad"), bad, std::vector<std::int64_t>(bad.indices.begin(), bad.indices.end()));
  e = expect_input_error([&] { (void)read_h5ad(tmp("large_bad64.h5ad")); });
  QVERIFY(std::string(e.what()).find("index -3 at position 70000") != std::string::npos);

  // Truncated files are bad input, whichever array the cut falls in.
  const auto bytes = read_bytes(path);
  for (const double keep : {0.9, 0.6, 0.3}) {
    const auto cut = tmp("large_cut_" + std::to_string(static_cast<int>(keep * 10)) + ".h5ad");
    write_text(cut, bytes.substr(0, static_cast<std::size_t>(static_cast<double>(bytes.size()) * keep)));
    e = expect_input_error([&] { (void)read_h5ad(cut); });
    QCOMPARE(e.file_name(), cut.string());
    e = expect_input_error([&] { (void)read_h5ad_x(cut); });
    QCOMPARE(e.file_name(), cut.string());
  }
}

void TestExpr::csvOrientation() {
  // BEELINE layout: genes × cells, detected by the file name.
  const auto beeline = tmp("beeline");
  fs::create_directories(beeline);
  write_text(beeline / "ExpressionData.csv", ",E1,E2,E3\ng1,1,2,3\ng2,4,5,6\n");
  TextMatrixLayout layout;
  auto m = read_text_matrix(beeline / "ExpressionData.csv", {}, &layout);
  QCOMPARE(layout.orientation, Orientation::genes_by_cells);
  QCOMPARE(m.n_cells(), 3);
  QCOMPARE(m.n_genes(), 2);
  QCOMPARE(m.obs.index, (std::vector<std::string>{"E1", "E2", "E3"}));
  QCOMPARE(m.gene_values("g2"), (std::vector<float>{4, 5, 6}));

  // Same table under another name, with a PseudoTime.csv naming the cells next to it.
  const auto pt_dir = tmp("pt");
  fs::create_directories(pt_dir);
  write_text(pt_dir / "expr.csv", ",E1,E2,E3\ng1,1,2,3\ng2,4,5,6\n");
  write_text(pt_dir / "PseudoTime.csv", ",PseudoTime\nE1,0.1\nE2,0.2\nE3,0.3\n");
  m = read_text_matrix(pt_dir / "expr.csv", {}, &layout);
  QCOMPARE(layout.orientation, Orientation::genes_by_cells);
  QCOMPARE(m.n_cells(), 3);

  // Without hints: rows are cells; a "gene" header flips it; an explicit option overrides.
  write_text(tmp("plain.csv"), ",g1,g2\nc1,1,2\nc2,3,4\nc3,5,6\n");
  m = read_text_matrix(tmp("plain.csv"), {}, &layout);
  QCOMPARE(layout.orientation, Orientation::cells_by_genes);
  QCOMPARE(m.n_cells(), 3);
  QCOMPARE(m.var.index, (std::vector<std::string>{"g1", "g2"}));
  write_text(tmp("genes.tsv"), "gene\tc1\tc2\tc3\ng1\t1\t3\t5\ng2\t2\t4\t6\n");
  m = read_text_matrix(tmp("genes.tsv"), {}, &layout);
  QCOMPARE(layout.orientation, Orientation::genes_by_cells);
  QCOMPARE(layout.delimiter, '\t');
  QCOMPARE(m.x.dense_values(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
  m = read_text_matrix(tmp("plain.csv"), {.orientation = Orientation::genes_by_cells});
  QCOMPARE(m.n_cells(), 2);
  QCOMPARE(m.n_genes(), 3);
  QCOMPARE(parse_orientation("genes-by-cells"), Orientation::genes_by_cells);
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)parse_orientation("sideways"));
}

void TestExpr::csvGzipAndComments() {
  // krumsiek11-style: comments, column names in the last comment line, a row counter first.
  const std::string text = "# model = x\n# it  A  B\n 0 0.5 1.5\n 1 0.25 2\n 0 1 NA\n";
  write_gz(tmp("sim.txt.gz"), text);
  TextMatrixLayout layout;
  const auto m = read_text_matrix(tmp("sim.txt.gz"), {}, &layout);
  QVERIFY(layout.header_from_comment);
  QCOMPARE(layout.delimiter, ' ');
  QCOMPARE(m.n_cells(), 3);
  QCOMPARE(m.var.index, (std::vector<std::string>{"A", "B"}));
  QCOMPARE(m.x.at(1, 0), 0.25F);
  QVERIFY(std::isnan(m.x.at(2, 1)));
  // No header at all: generated names.
  write_text(tmp("noheader.txt"), "0 1 2\n1 3 4\n");
  const auto n = read_text_matrix(tmp("noheader.txt"));
  QCOMPARE(n.var.index, (std::vector<std::string>{"0", "1"}));
  QCOMPARE(n.x.dense_values(), (std::vector<float>{1, 2, 3, 4}));
}

void TestExpr::csvMalformed() {
  const fs::path ragged = fs::path(GC_SOURCE_DIR) / "tests/data/bad/expr_matrix_ragged.csv";
  auto e = expect_input_error([&] { (void)read_text_matrix(ragged); });
  QCOMPARE(e.file_name(), ragged.string());
  QCOMPARE(e.record_name(), std::string("line 3"));
  write_text(tmp("word.csv"), ",c1,c2\ng1,1,x\n");
  e = expect_input_error([&] { (void)read_text_matrix(tmp("word.csv")); });
  QCOMPARE(e.record_name(), std::string("line 2"));
  QVERIFY(std::string(e.what()).find("'x'") != std::string::npos);
  write_text(tmp("corrupt.csv.gz"), std::string("\x1f\x8b\x08\x00garbage-that-is-not-deflate", 31));
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)read_text_matrix(tmp("corrupt.csv.gz")));
}

void TestExpr::pseudotime() {
  write_text(tmp("PseudoTime.csv"), ",PseudoTime0,PseudoTime1\nE1,0.5,\nE2,,1.5\nE3,NA,NA\n");
  const auto pt = read_pseudotime(tmp("PseudoTime.csv"));
  QCOMPARE(pt.cells, (std::vector<std::string>{"E1", "E2", "E3"}));
  QCOMPARE(pt.columns.size(), std::size_t{2});
  QCOMPARE(pt.values[0][0], 0.5);
  QVERIFY(std::isnan(pt.values[0][1]));
  const auto c = pt.combined();
  QCOMPARE(c[0], 0.5);
  QCOMPARE(c[1], 1.5);
  QVERIFY(std::isnan(c[2]));
  write_text(tmp("pt_bad.csv"), ",T\nE1,soon\n");
  const auto e = expect_input_error([&] { (void)read_pseudotime(tmp("pt_bad.csv")); });
  QCOMPARE(e.record_name(), std::string("line 2"));
  // pandas/R layout (BEELINE Simulated): the header leaves out the row-index column.
  write_text(tmp("pt_unnamed.csv"), "PseudoTime1,PseudoTime2\nE1,0.25,NA\nE2,NA,2\nE3,NA,NA\n");
  const auto u = read_pseudotime(tmp("pt_unnamed.csv"));
  QCOMPARE(u.columns, (std::vector<std::string>{"PseudoTime1", "PseudoTime2"}));
  QCOMPARE(u.cells, (std::vector<std::string>{"E1", "E2", "E3"}));
  QCOMPARE(u.values[0][0], 0.25);
  QVERIFY(std::isnan(u.values[1][0]) && std::isnan(u.values[0][1]) && std::isnan(u.values[0][2]));
  QCOMPARE(u.values[1][1], 2.0);
  // One trajectory, unnamed index: "PseudoTime" over "cell,value" rows.
  write_text(tmp("pt_one.csv"), "PseudoTime\nE1,0.5\nE2,NA\n");
  QCOMPARE(read_pseudotime(tmp("pt_one.csv")).columns, (std::vector<std::string>{"PseudoTime"}));
  // Every row of the layout must have the extra field.
  write_text(tmp("pt_ragged.csv"), "P1,P2\nE1,1,2\nE2,1,2,3\n");
  const auto r = expect_input_error([&] { (void)read_pseudotime(tmp("pt_ragged.csv")); });
  QCOMPARE(r.record_name(), std::string("line 3"));
  QVERIFY(std::string(r.what()).find("expected 3 fields, found 4") != std::string::npos);
}

void TestExpr::matrixMarket() {
  const auto dir = tmp("mtx_v3");
  fs::create_directories(dir);
  // 3 genes × 2 cells, entries out of order.
  write_gz(dir / "matrix.mtx.gz",
           "%%MatrixMarket matrix coordinate integer general\n%comment\n3 2 4\n3 1 7\n1 1 2\n"
           "2 2 5\n1 2 1\n");
  write_gz(dir / "features.tsv.gz", "ENSG1\tGATA1\tGene Expression\nENSG2\tSPI1\tGene Expression\n"
                                    "ENSG3\tCD4\tAntibody Capture\n");
  write_gz(dir / "barcodes.tsv.gz", "AAAC-1\nAAAG-1\n");
  const auto m = read_10x_mtx(dir);
  QCOMPARE(m.n_cells(), 2);
  QCOMPARE(m.n_genes(), 3);
  QCOMPARE(m.x.to_dense(), (std::vector<float>{2, 0, 7, 1, 5, 0}));
  QCOMPARE(m.var.index, (std::vector<std::string>{"GATA1", "SPI1", "CD4"}));
  QCOMPARE(m.var.find("gene_ids")->strings[2], std::string("ENSG3"));
  QCOMPARE(m.var.find("feature_types")->text(2), std::string("Antibody Capture"));
  QCOMPARE(m.obs.index[1], std::string("AAAG-1"));
  QCOMPARE(detect_expression_format(dir), std::optional<ExpressionFormat>(ExpressionFormat::mtx));
  const auto h = read_matrix_market_header(dir / "matrix.mtx.gz");
  QCOMPARE(h.nnz, 4);
  // v2 folder: plain files, genes.tsv, real values.
  const auto v2 = tmp("mtx_v2");
  fs::create_directories(v2);
  write_text(v2 / "matrix.mtx", "%%MatrixMarket matrix coordinate real general\n2 1 1\n2 1 0.5\n");
  write_text(v2 / "genes.tsv", "id1\tA\nid2\tB\n");
  write_text(v2 / "barcodes.tsv", "x-1\n");
  QCOMPARE(read_10x_mtx(v2 / "matrix.mtx").x.at(0, 1), 0.5F);
}

void TestExpr::matrixMarketMalformed() {
  const auto dir = tmp("mtx_bad");
  fs::create_directories(dir);
  write_text(dir / "matrix.mtx", "%%MatrixMarket matrix coordinate integer general\n2 2 2\n1 1 1\n3 1 1\n");
  auto e = expect_input_error([&] { (void)read_matrix_market(dir / "matrix.mtx", true); });
  QCOMPARE(e.file_name(), (dir / "matrix.mtx").string());
  QCOMPARE(e.record_name(), std::string("line 4"));
  write_text(dir / "matrix.mtx", "%%MatrixMarket matrix coordinate integer general\n2 2 3\n1 1 1\n");
  e = expect_input_error([&] { (void)read_matrix_market(dir / "matrix.mtx", true); });
  QVERIFY(std::string(e.what()).find("declares 3 entries but the file has 1") != std::string::npos);
  write_text(dir / "matrix.mtx", "%%MatrixMarket matrix array real general\n2 2\n");
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)read_matrix_market(dir / "matrix.mtx", true));
  write_text(dir / "matrix.mtx", "%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 1\n");
  write_text(dir / "genes.tsv", "a\tA\n");
  write_text(dir / "barcodes.tsv", "b1\nb2\n");
  e = expect_input_error([&] { (void)read_10x_mtx(dir); });
  QVERIFY(std::string(e.what()).find("1 features but the matrix has 2 rows") != std::string::npos);
}

void TestExpr::perturbationLabels() {
  const std::vector<std::string> labels{"GATA1", "GATA1+SPI1", "SPI1_GATA1", "non-targeting",
                                        "NT_3",  "CEBPE_ctrl", "control",    "GATA1"};
  const auto p = parse_perturbations(labels);
  QCOMPARE(p.targets[1], (std::vector<std::string>{"GATA1", "SPI1"}));
  QCOMPARE(p.targets[2], (std::vector<std::string>{"GATA1", "SPI1"}));
  QCOMPARE(p.targets[5], (std::vector<std::string>{"CEBPE"}));
  QVERIFY(p.control[3] && p.control[4] && p.control[6]);
  QVERIFY(!p.control[5]);
  QCOMPARE(p.control_cells, 3);
  QCOMPARE(p.single_cells, 3);
  QCOMPARE(p.multiple_cells, 2);
  QCOMPARE(p.groups.size(), std::size_t{4});
  QCOMPARE(p.groups[0].key, std::string("control"));
  QCOMPARE(p.groups[0].cells, 3);
  QCOMPARE(p.groups[1].key, std::string("GATA1"));
  QCOMPARE(p.groups[2].key, std::string("GATA1+SPI1"));
  QCOMPARE(p.cells_targeting("SPI1"), (std::vector<std::int64_t>{1, 2}));
  // Custom separator: '_' is part of the gene name here.
  PerturbationOptions o;
  o.separators = "|";
  const auto q = parse_perturbations({"HLA_A|B2M"}, o);
  QCOMPARE(q.targets[0], (std::vector<std::string>{"B2M", "HLA_A"}));
  // From an obs column, found by its default name.
  ExpressionMatrix m;
  m.x = Matrix::dense(2, 1, {1, 2});
  m.obs.index = {"a", "b"};
  m.var.index = {"g"};
  m.obs.columns.push_back(Column::categorical_from("guide", {"KLF1", "ctrl"}));
  const auto r = perturbations_from_obs(m);
  QCOMPARE(r.column, std::string("guide"));
  QCOMPARE(r.control_cells, 1);
  m.obs.columns.clear();
  const auto e = expect_input_error([&] { (void)perturbations_from_obs(m); });
  QVERIFY(std::string(e.what()).find("no perturbation column") != std::string::npos);
}

void TestExpr::edgeLists() {
  write_text(tmp("refNetwork.csv"), "Gene1,Gene2,Type\ng2,g3,+\ng7,g1,-\ng7,g7,+\n");
  const auto ref = read_edge_list(tmp("refNetwork.csv"));
  QCOMPARE(ref.edges.size(), std::size_t{3});
  QCOMPARE(ref.nodes, (std::vector<std::string>{"g2", "g3", "g7", "g1"}));
  QVERIFY(ref.has_signs && !ref.has_weights);
  QCOMPARE(ref.edges[1].sign, -1);
  QCOMPARE(ref.self_loops(), std::size_t{1});
  // Headerless TSV with weights.
  write_text(tmp("edges.tsv"), "TF1\tG1\t0.5\nTF1\tG2\t2\n");
  const auto w = read_edge_list(tmp("edges.tsv"));
  QVERIFY(w.has_weights && !w.has_signs);
  QCOMPARE(w.edges[1].weight, 2.0);
  // Ranked output round trip, sorted by weight.
  write_ranked_edges(tmp("ranked.csv"), w.edges);
  QCOMPARE(read_bytes(tmp("ranked.csv")), std::string("Gene1,Gene2,EdgeWeight\nTF1,G2,2\nTF1,G1,0.5\n"));
  const auto back = read_edge_list(tmp("ranked.csv"));
  QVERIFY(back.has_weights);
  QCOMPARE(back.edges[0].target, std::string("G2"));
  QVERIFY(looks_like_edge_list_header("Gene1,Gene2,Type"));
  QVERIFY(!looks_like_edge_list_header(",E1,E2"));
}

void TestExpr::edgeListMalformed() {
  const fs::path bad = fs::path(GC_SOURCE_DIR) / "tests/data/bad/expr_refnetwork_bad_sign.csv";
  auto e = expect_input_error([&] { (void)read_edge_list(bad); });
  QCOMPARE(e.file_name(), bad.string());
  QCOMPARE(e.record_name(), std::string("line 3"));
  write_text(tmp("short.csv"), "Gene1,Gene2,Type\ng1\n");
  e = expect_input_error([&] { (void)read_edge_list(tmp("short.csv")); });
  QCOMPARE(e.record_name(), std::string("line 2"));
  write_text(tmp("empty_edges.csv"), "Gene1,Gene2\n");
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)read_edge_list(tmp("empty_edges.csv")));
}

void TestExpr::formatDetection() {
  write_h5ad(tmp("detect.h5ad"), sample(true));
  QCOMPARE(detect_expression_format(tmp("detect.h5ad")),
           std::optional<ExpressionFormat>(ExpressionFormat::h5ad));
  // An HDF5 file with another layout (like a cooler file) is not claimed.
  {
    const auto f = gc::hdf5::File::open(tmp("other.h5"), gc::hdf5::File::Mode::create);
    (void)f.create_group("pixels").write_dataset("count", std::vector<std::int32_t>{1, 2});
  }
  QVERIFY(!detect_expression_format(tmp("other.h5")));
  write_text(tmp("m.csv"), ",g1,g2\nc1,1,2\nc2,3,4\n");
  QCOMPARE(detect_expression_format(tmp("m.csv")), std::optional<ExpressionFormat>(ExpressionFormat::csv));
  write_text(tmp("refNetwork2.csv"), "Gene1,Gene2,Type\na,b,+\n");
  QVERIFY(!detect_expression_format(tmp("refNetwork2.csv")));
  write_text(tmp("notes.txt"), "hello world\nthis is prose\n");
  QVERIFY(!detect_expression_format(tmp("notes.txt")));
  const auto j = describe_expression(tmp("detect.h5ad"), ExpressionFormat::h5ad);
  QCOMPARE(j.at("cells").as_int(), 3);
  QCOMPARE(j.at("nnz").as_int(), 6);
  QVERIFY(j.at("sparse").as_bool());
  const auto loaded = load_expression(tmp("m.csv"));
  QCOMPARE(loaded.n_cells(), 2);
}

// A CSV of `rows` cells × 40 genes (about 240 bytes a line), values i * 40 + j.
void write_progress_csv(const fs::path& path, int rows) {
  std::string text = "cell";
  for (int j = 0; j < 40; ++j)
    text += ",g" + std::to_string(j);
  text += '\n';
  for (int i = 0; i < rows; ++i) {
    text += "c" + std::to_string(i);
    for (int j = 0; j < 40; ++j)
      text += "," + std::to_string(i * 40 + j);
    text += '\n';
  }
  write_text(path, text);
}

void TestExpr::textMatrixProgress() {
  const gc::TempDir dir("gc-test-expr-progress");
  const auto csv = dir.path() / "big.csv";
  write_progress_csv(csv, 6000); // about 1.4 MB: eleven 128 KiB reads
  const auto rec = gc::test::ProgressRecorder::make();
  const auto m = load_expression(csv, {}, rec->progress());
  QCOMPARE(m.n_cells(), 6000);
  QCOMPARE(m.n_genes(), 40);
  QCOMPARE(m.x.at(5999, 39), 5999.0F * 40 + 39);
  QVERIFY2(rec->complete(5).empty(), rec->complete(5).c_str());
  const auto stop = gc::test::ProgressRecorder::make(true);
  QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)read_text_matrix(csv, {}, nullptr, stop->progress()));
  QVERIFY2(stop->stopped_midway().empty(), stop->stopped_midway().c_str());
}

void TestExpr::matrixMarketProgress() {
  const gc::TempDir dir("gc-test-expr-progress");
  // 10x v2 folder: 500 genes × 2000 cells, 500 000 entries (about 5.8 MB: the line reader takes
  // 1 MiB at a time), in reverse order so that the per-row sort has work to do.
  std::string mtx = "%%MatrixMarket matrix coordinate integer general\n500 2000 500000\n";
  for (int k = 499'999; k >= 0; --k)
    mtx += std::to_string(k % 500 + 1) + " " + std::to_string(k / 250 + 1) + " " + std::to_string(k % 7 + 1) +
           "\n";
  write_text(dir.path() / "matrix.mtx", mtx);
  std::string genes, barcodes;
  for (int g = 0; g < 500; ++g)
    genes += "ENSG" + std::to_string(g) + "\tG" + std::to_string(g) + "\n";
  for (int c = 0; c < 2000; ++c)
    barcodes += "B" + std::to_string(c) + "-1\n";
  write_text(dir.path() / "genes.tsv", genes);
  write_text(dir.path() / "barcodes.tsv", barcodes);
  const auto rec = gc::test::ProgressRecorder::make();
  const auto m = load_expression(dir.path(), {}, rec->progress());
  QCOMPARE(m.n_cells(), 2000);
  QCOMPARE(m.n_genes(), 500);
  QCOMPARE(m.x.nnz(), std::int64_t{500'000});
  // Entry k = 1234: gene 235, cell 5 (1-based), value 1234 % 7 + 1 = 3.
  QCOMPARE(m.x.at(4, 234), 3.0F);
  QVERIFY2(rec->complete(5).empty(), rec->complete(5).c_str());
  const auto stop = gc::test::ProgressRecorder::make(true);
  QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)read_10x_mtx(dir.path(), stop->progress()));
  QVERIFY2(stop->stopped_midway().empty(), stop->stopped_midway().c_str());
}

void TestExpr::h5adProgress() {
  const gc::TempDir dir("gc-test-expr-progress");
  // Large enough (> 2^16 stored values) for X to be read on the worker thread, with a raw layer.
  CsrMatrix m;
  m.rows = 300;
  m.cols = 1200;
  for (std::int64_t r = 0; r < m.rows; ++r) {
    for (std::int64_t c = r % 4; c < m.cols; c += 4) {
      m.indices.push_back(static_cast<std::int32_t>(c));
      m.data.push_back(static_cast<float>(r + c));
    }
    m.indptr.push_back(m.nnz());
  }
  ExpressionMatrix in;
  in.x = Matrix::sparse(m);
  for (std::int64_t r = 0; r < m.rows; ++r)
    in.obs.index.push_back("cell_" + std::to_string(r));
  for (std::int64_t c = 0; c < m.cols; ++c)
    in.var.index.push_back("gene_" + std::to_string(c));
  RawLayer raw;
  raw.x = Matrix::sparse(m);
  raw.var.index = in.var.index;
  in.raw = std::move(raw);
  const auto path = dir.path() / "p.h5ad";
  write_h5ad(path, in);
  const auto rec = gc::test::ProgressRecorder::make();
  const auto out = read_h5ad(path, {}, rec->progress());
  QCOMPARE(out.x.csr().data, m.data);
  QVERIFY(out.raw.has_value());
  QCOMPARE(out.raw->x.csr().indices, m.indices);
  // Stages: obs, var, raw (and raw X), X.
  QVERIFY2(rec->complete(4).empty(), rec->complete(4).c_str());
  // Cancelled at the first stage after X started: obs is read, var is not.
  const auto stop = gc::test::ProgressRecorder::make(true);
  QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)read_h5ad(path, {}, stop->progress()));
  QVERIFY2(stop->stopped_midway().empty(), stop->stopped_midway().c_str());
  QCOMPARE(stop->messages().back(), std::string("reading obs"));
}

void TestExpr::tenxH5Progress() {
  const gc::TempDir dir("gc-test-expr-progress");
  const auto path = dir.path() / "filtered_feature_bc_matrix.h5";
  {
    // CellRanger v3 layout: CSC genes × cells (2 cells, 3 genes).
    const auto f = gc::hdf5::File::open(path, gc::hdf5::File::Mode::create);
    const auto g = f.create_group("matrix");
    (void)g.write_strings("barcodes", {"AAAC-1", "AAAG-1"});
    (void)g.write_dataset("data", std::vector<float>{2, 7, 1, 5});
    (void)g.write_dataset("indices", std::vector<std::int32_t>{0, 2, 0, 1});
    (void)g.write_dataset("indptr", std::vector<std::int64_t>{0, 2, 4});
    (void)g.write_dataset("shape", std::vector<std::int64_t>{3, 2});
    const auto features = g.create_group("features");
    (void)features.write_strings("name", {"GATA1", "SPI1", "CD4"});
    (void)features.write_strings("id", {"ENSG1", "ENSG2", "ENSG3"});
  }
  const auto rec = gc::test::ProgressRecorder::make();
  const auto m = load_expression(path, {}, rec->progress());
  QCOMPARE(m.x.to_dense(), (std::vector<float>{2, 0, 7, 1, 5, 0}));
  QCOMPARE(m.var.index[2], std::string("CD4"));
  QVERIFY2(rec->complete(3).empty(), rec->complete(3).c_str());
  const auto stop = gc::test::ProgressRecorder::make(true);
  QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)read_10x_h5(path, "", stop->progress()));
  QVERIFY2(stop->stopped_midway().empty(), stop->stopped_midway().c_str());
  QCOMPARE(stop->messages().back(), std::string("reading indices"));
}

GC_QTEST_GUILESS_MAIN(TestExpr)
#include "test_expr.moc"
