// gc::hdf5: round trips of numbers, strings and attributes; clear errors for bad files.
#include "gc/hdf5/hdf5.h"

#include "gc_qtest_main.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

class TestHdf5 : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void numeric_round_trip();
  void strings_and_attributes();
  void resizable_append_and_ranges();
  void bad_files_are_input_errors();

private:
  QTemporaryDir m_dir;
  std::string path(const char* name) const { return (m_dir.path() + "/" + name).toStdString(); }
};

void TestHdf5::numeric_round_trip() {
  {
    auto f = gc::hdf5::File::open(path("a.h5"), gc::hdf5::File::Mode::create);
    f.write_dataset<std::int32_t>("pixels/bin1_id", {0, 0, 1, 5});
    f.write_dataset<double>("bins/weight", {1.5, 2.5, 0.125},
                            {.chunk = 2, .compression = 6, .shuffle = true, .resizable = false});
    f.write_dataset_2d<float>("X", {1, 2, 3, 4, 5, 6}, 2, 3);
  }
  auto f = gc::hdf5::File::open(path("a.h5"));
  QVERIFY(f.is_group("pixels"));
  QVERIFY(f.is_dataset("pixels/bin1_id"));
  QVERIFY(!f.exists("pixels/nope/deeper"));
  QCOMPARE(f.dataset("pixels/bin1_id").read<std::int64_t>(), (std::vector<std::int64_t>{0, 0, 1, 5}));
  QCOMPARE(f.dataset("bins/weight").read<double>(), (std::vector<double>{1.5, 2.5, 0.125}));
  QCOMPARE(f.dataset("bins/weight").read_range<float>(1, 2), (std::vector<float>{2.5f, 0.125f}));
  auto x = f.dataset("X");
  QCOMPARE(x.shape(), (std::vector<std::uint64_t>{2, 3}));
  QCOMPARE(x.read<double>(), (std::vector<double>{1, 2, 3, 4, 5, 6}));
  QVERIFY(x.type_class() == gc::hdf5::TypeClass::floating);
  QCOMPARE(f.children(), (std::vector<std::string>{"X", "bins", "pixels"}));
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)f.dataset("bins/weight").read_range<double>(2, 5));
}

void TestHdf5::strings_and_attributes() {
  {
    auto f = gc::hdf5::File::open(path("s.h5"), gc::hdf5::File::Mode::create);
    f.write_strings("var/names", {"GATA1", "", "Spi1"});
    f.write_fixed_strings("chroms/name", {"chrI", "chrXVI"}, 6);
    auto g = f.create_group("meta");
    g.set_attribute("format", "HDF5::Cooler");
    g.set_attribute("bin-size", std::int64_t{10000});
    g.set_attribute("ratio", 0.25);
    g.set_attribute("order", std::vector<std::string>{"b", "a"});
  }
  auto f = gc::hdf5::File::open(path("s.h5"));
  QCOMPARE(f.dataset("var/names").read_strings(), (std::vector<std::string>{"GATA1", "", "Spi1"}));
  QVERIFY(f.dataset("var/names").is_variable_string());
  QCOMPARE(f.dataset("chroms/name").read_strings(), (std::vector<std::string>{"chrI", "chrXVI"}));
  auto g = f.group("meta");
  QCOMPARE(g.attribute_string("format"), std::string("HDF5::Cooler"));
  QCOMPARE(g.attribute_int("bin-size"), std::int64_t{10000});
  QCOMPARE(g.attribute_double("ratio"), 0.25);
  QCOMPARE(g.attribute_strings("order"), (std::vector<std::string>{"b", "a"}));
  QVERIFY(!g.has_attribute("missing"));
  try {
    (void)g.attribute_string("missing");
    QFAIL("expected an error");
  } catch (const gc::InputError& e) {
    QVERIFY(std::string(e.what()).find("s.h5") != std::string::npos);
    QVERIFY(std::string(e.what()).find("/meta") != std::string::npos);
  }
}

void TestHdf5::resizable_append_and_ranges() {
  {
    auto f = gc::hdf5::File::open(path("r.h5"), gc::hdf5::File::Mode::create);
    auto ds = f.create_dataset<std::int64_t>(
        "count", 0, {.chunk = 4, .compression = 1, .shuffle = true, .resizable = true});
    std::vector<std::int64_t> a{1, 2, 3}, b{4, 5, 6, 7, 8};
    ds.write_range(0, a.data(), a.size());
    ds.write_range(3, b.data(), b.size());
  }
  auto f = gc::hdf5::File::open(path("r.h5"));
  QCOMPARE(f.dataset("count").read<std::int64_t>(), (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8}));
  QCOMPARE(f.dataset("count").read_range<std::int64_t>(6, 2), (std::vector<std::int64_t>{7, 8}));
}

void TestHdf5::bad_files_are_input_errors() {
  std::ofstream(path("text.h5")) << "not hdf5 at all";
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)gc::hdf5::File::open(path("text.h5")));
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)gc::hdf5::File::open(path("missing.h5")));
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)gc::hdf5::File::open(m_dir.path().toStdString()));
  // A truncated file keeps its signature but loses its metadata.
  {
    auto f = gc::hdf5::File::open(path("full.h5"), gc::hdf5::File::Mode::create);
    f.write_dataset<double>("x", std::vector<double>(10000, 1.0));
  }
  std::ifstream in(path("full.h5"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  std::ofstream(path("trunc.h5"), std::ios::binary).write(bytes.data(), 1200);
  bool failed_cleanly = false;
  try {
    auto f = gc::hdf5::File::open(path("trunc.h5"));
    (void)f.dataset("x").read<double>();
  } catch (const gc::InputError&) {
    failed_cleanly = true;
  }
  QVERIFY(failed_cleanly);
}

GC_QTEST_GUILESS_MAIN(TestHdf5)
#include "test_hdf5.moc"
