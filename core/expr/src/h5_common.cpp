#include "h5_common.h"

#include <cmath>
#include <sstream>

namespace gc::expr {

std::string string_attribute_or(const hdf5::Object& o, const std::string& name, const std::string& fallback) {
  if (!o.has_attribute(name) || o.attribute_type(name) != hdf5::TypeClass::string) return fallback;
  return o.attribute_string(name);
}

std::vector<std::int32_t> read_indices(const hdf5::Dataset& ds, std::int64_t bound) {
  if (ds.type_class() != hdf5::TypeClass::integer) throw ds.input_error("indices are not integers");
  // 32-bit indices are read as they are stored (no conversion pass); CsrMatrix::validate checks them.
  if (ds.element_size() <= 4 && ds.is_signed_integer()) return ds.read<std::int32_t>();
  const auto wide = ds.read<std::int64_t>();
  std::vector<std::int32_t> out(wide.size());
  for (std::size_t k = 0; k < wide.size(); ++k) {
    if (wide[k] < 0 || wide[k] >= bound)
      throw ds.input_error("index " + std::to_string(wide[k]) + " at position " + std::to_string(k) +
                           " is outside [0, " + std::to_string(bound) + ")");
    out[k] = static_cast<std::int32_t>(wide[k]);
  }
  return out;
}

std::vector<std::string> read_labels(const hdf5::Dataset& ds) {
  const auto tc = ds.type_class();
  if (tc == hdf5::TypeClass::string) return ds.read_strings();
  if (tc != hdf5::TypeClass::integer && tc != hdf5::TypeClass::floating && tc != hdf5::TypeClass::enumeration)
    throw ds.input_error("expected strings or numbers");
  std::vector<std::string> out;
  for (const double v : read_numbers(ds)) {
    std::ostringstream os;
    os.precision(17);
    os << v;
    out.push_back(os.str());
  }
  return out;
}

std::vector<double> read_numbers(const hdf5::Dataset& ds) {
  if (ds.type_class() == hdf5::TypeClass::enumeration) {
    const auto ints = ds.read_enum_values();
    return {ints.begin(), ints.end()};
  }
  return ds.read<double>();
}

} // namespace gc::expr
