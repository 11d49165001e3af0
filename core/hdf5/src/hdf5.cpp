#include "gc/hdf5/hdf5.h"

#include <array>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>

namespace gc::hdf5 {
namespace {

// HDF5 prints its error stack to stderr by default; we report our own messages instead.
void silence_hdf5() {
  static std::once_flag once;
  std::call_once(once, [] { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); });
}

// Object creation properties without modification times, so that writing the same content
// twice gives identical bytes (reproducible outputs, byte-level round-trip tests).
Id untimed_plist(hid_t plist_class) {
  Id plist(H5Pcreate(plist_class));
  H5Pset_obj_track_times(plist.get(), 0);
  return plist;
}

std::string join(const std::string& base, const std::string& name) {
  if (base.empty() || base == "/") return "/" + name;
  return base + "/" + name;
}

Id check(hid_t id, const std::string& file, const std::string& what) {
  if (id < 0) throw InputError(what).file(file);
  return Id(id);
}

Id open_attribute(const Object& obj, const std::string& name) {
  silence_hdf5();
  const hid_t a = H5Aopen(obj.id(), name.c_str(), H5P_DEFAULT);
  if (a < 0) throw obj.input_error("missing attribute '" + name + "'");
  return Id(a);
}

TypeClass classify(hid_t type) {
  switch (H5Tget_class(type)) {
  case H5T_INTEGER: return TypeClass::integer;
  case H5T_FLOAT: return TypeClass::floating;
  case H5T_STRING: return TypeClass::string;
  case H5T_COMPOUND: return TypeClass::compound;
  case H5T_ENUM: return TypeClass::enumeration;
  default: return TypeClass::other;
  }
}

std::uint64_t space_size(hid_t space) {
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank <= 0) return rank == 0 ? 1 : 0;
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  std::uint64_t n = 1;
  for (auto d : dims)
    n *= d;
  return n;
}

// Reads strings from an attribute or dataset given its file type and space.
template <typename ReadFn>
std::vector<std::string> read_string_data(hid_t file_type, std::uint64_t n, ReadFn&& read_fn,
                                          const Object& where) {
  if (H5Tget_class(file_type) != H5T_STRING) throw where.input_error("expected strings");
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(n));
  if (H5Tis_variable_str(file_type) > 0) {
    Id mem(H5Tcopy(H5T_C_S1));
    H5Tset_size(mem.get(), H5T_VARIABLE);
    H5Tset_cset(mem.get(), H5Tget_cset(file_type));
    std::vector<char*> ptrs(static_cast<std::size_t>(n), nullptr);
    if (n > 0 && read_fn(mem.get(), ptrs.data()) < 0) throw where.input_error("cannot read strings");
    for (char* p : ptrs)
      out.emplace_back(p ? p : "");
    // Variable-length strings are allocated by HDF5 and must be returned to it.
    Id space(H5Screate_simple(1, std::array<hsize_t, 1>{n}.data(), nullptr));
    if (n > 0) H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, ptrs.data());
    return out;
  }
  const std::size_t width = H5Tget_size(file_type);
  Id mem(H5Tcopy(H5T_C_S1));
  H5Tset_size(mem.get(), width);
  H5Tset_strpad(mem.get(), H5T_STR_NULLPAD);
  std::vector<char> buf(width * static_cast<std::size_t>(n) + 1, '\0');
  if (n > 0 && read_fn(mem.get(), buf.data()) < 0) throw where.input_error("cannot read strings");
  for (std::uint64_t i = 0; i < n; ++i) {
    const char* s = buf.data() + i * width;
    out.emplace_back(s, strnlen(s, width));
  }
  return out;
}

} // namespace

Id::~Id() {
  if (m_id < 0) return;
  switch (H5Iget_type(m_id)) {
  case H5I_FILE: H5Fclose(m_id); break;
  case H5I_GROUP: H5Gclose(m_id); break;
  case H5I_DATASET: H5Dclose(m_id); break;
  case H5I_DATASPACE: H5Sclose(m_id); break;
  case H5I_DATATYPE: H5Tclose(m_id); break;
  case H5I_ATTR: H5Aclose(m_id); break;
  case H5I_GENPROP_LST: H5Pclose(m_id); break;
  default: break;
  }
}

Id& Id::operator=(Id&& o) noexcept {
  if (this != &o) {
    Id tmp(m_id);
    m_id = o.release();
  }
  return *this;
}

InputError Object::input_error(const std::string& message) const {
  InputError e(message);
  e.file(m_file);
  e.record(m_path);
  return e;
}

bool Object::has_attribute(const std::string& name) const {
  silence_hdf5();
  return H5Aexists(id(), name.c_str()) > 0;
}

std::vector<std::string> Object::attribute_names() const {
  std::vector<std::string> names;
  H5O_info_t info{};
#if H5_VERSION_GE(1, 12, 0)
  H5Oget_info3(id(), &info, H5O_INFO_NUM_ATTRS);
#else
  H5Oget_info2(id(), &info, H5O_INFO_NUM_ATTRS);
#endif
  for (hsize_t i = 0; i < info.num_attrs; ++i) {
    const ssize_t len =
        H5Aget_name_by_idx(id(), ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (len < 0) {
      // Attribute creation order is not tracked in every file: fall back to name order.
      const ssize_t l2 =
          H5Aget_name_by_idx(id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
      if (l2 < 0) continue;
      std::string n(static_cast<std::size_t>(l2), '\0');
      H5Aget_name_by_idx(id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, n.data(), n.size() + 1, H5P_DEFAULT);
      names.push_back(n);
      continue;
    }
    std::string n(static_cast<std::size_t>(len), '\0');
    H5Aget_name_by_idx(id(), ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, n.data(), n.size() + 1, H5P_DEFAULT);
    names.push_back(n);
  }
  return names;
}

TypeClass Object::attribute_type(const std::string& name) const {
  const Id attr = open_attribute(*this, name);
  const Id type(H5Aget_type(attr.get()));
  return classify(type.get());
}

std::vector<std::string> Object::attribute_strings(const std::string& name) const {
  const Id attr = open_attribute(*this, name);
  const Id type(H5Aget_type(attr.get()));
  const Id space(H5Aget_space(attr.get()));
  const auto n = space_size(space.get());
  return read_string_data(
      type.get(), n, [&](hid_t mem, void* buf) { return H5Aread(attr.get(), mem, buf); }, *this);
}

std::string Object::attribute_string(const std::string& name) const {
  auto v = attribute_strings(name);
  if (v.empty()) throw input_error("attribute '" + name + "' is empty");
  return v.front();
}

double Object::attribute_double(const std::string& name) const {
  const Id attr = open_attribute(*this, name);
  const Id type(H5Aget_type(attr.get()));
  const auto tc = classify(type.get());
  if (tc != TypeClass::integer && tc != TypeClass::floating)
    throw input_error("attribute '" + name + "' is not numeric");
  double v = 0;
  if (H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &v) < 0)
    throw input_error("cannot read attribute '" + name + "'");
  return v;
}

std::vector<std::int64_t> Object::attribute_ints(const std::string& name) const {
  const Id attr = open_attribute(*this, name);
  const Id type(H5Aget_type(attr.get()));
  const auto tc = classify(type.get());
  if (tc != TypeClass::integer && tc != TypeClass::floating && tc != TypeClass::enumeration)
    throw input_error("attribute '" + name + "' is not numeric");
  const Id space(H5Aget_space(attr.get()));
  std::vector<std::int64_t> v(static_cast<std::size_t>(space_size(space.get())));
  if (!v.empty() && H5Aread(attr.get(), H5T_NATIVE_INT64, v.data()) < 0)
    throw input_error("cannot read attribute '" + name + "'");
  return v;
}

std::int64_t Object::attribute_int(const std::string& name) const {
  auto v = attribute_ints(name);
  if (v.empty()) throw input_error("attribute '" + name + "' is empty");
  return v.front();
}

namespace {
void replace_attribute(const Object& obj, const std::string& name) {
  if (H5Aexists(obj.id(), name.c_str()) > 0) H5Adelete(obj.id(), name.c_str());
}

void write_attribute(const Object& obj, const std::string& name, hid_t type, hid_t space, const void* data) {
  replace_attribute(obj, name);
  const Id attr(H5Acreate2(obj.id(), name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT));
  // Zero-length attributes (e.g. an empty column list) have nothing to write; HDF5 rejects a null buffer.
  const bool empty = H5Sget_simple_extent_npoints(space) == 0;
  if (!attr.valid() || (!empty && H5Awrite(attr.get(), type, data) < 0))
    throw Error("cannot write attribute '" + name + "'").file(obj.file_name()).record(obj.path());
}
} // namespace

void Object::set_attribute(const std::string& name, const std::string& value) const {
  // Variable-length UTF-8, as h5py writes str attributes.
  const Id type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  const Id space(H5Screate(H5S_SCALAR));
  const char* p = value.c_str();
  write_attribute(*this, name, type.get(), space.get(), &p);
}

void Object::set_attribute(const std::string& name, std::int64_t value) const {
  const Id space(H5Screate(H5S_SCALAR));
  write_attribute(*this, name, H5T_NATIVE_INT64, space.get(), &value);
}

void Object::set_attribute(const std::string& name, double value) const {
  const Id space(H5Screate(H5S_SCALAR));
  write_attribute(*this, name, H5T_NATIVE_DOUBLE, space.get(), &value);
}

void Object::set_attribute(const std::string& name, const std::vector<std::int64_t>& values) const {
  const hsize_t n = values.size();
  const Id space(H5Screate_simple(1, &n, nullptr));
  write_attribute(*this, name, H5T_NATIVE_INT64, space.get(), values.data());
}

void Object::set_attribute(const std::string& name, const std::vector<std::string>& values) const {
  const Id type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  const hsize_t n = values.size();
  const Id space(H5Screate_simple(1, &n, nullptr));
  std::vector<const char*> ptrs;
  ptrs.reserve(values.size());
  for (const auto& s : values)
    ptrs.push_back(s.c_str());
  write_attribute(*this, name, type.get(), space.get(), ptrs.data());
}

std::vector<std::uint64_t> Dataset::shape() const {
  const Id space(H5Dget_space(id()));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  if (rank > 0) H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return {dims.begin(), dims.end()};
}

std::uint64_t Dataset::size() const {
  const Id space(H5Dget_space(id()));
  return space_size(space.get());
}

TypeClass Dataset::type_class() const {
  const Id type(H5Dget_type(id()));
  return classify(type.get());
}

bool Dataset::is_variable_string() const {
  const Id type(H5Dget_type(id()));
  return H5Tget_class(type.get()) == H5T_STRING && H5Tis_variable_str(type.get()) > 0;
}

std::size_t Dataset::element_size() const {
  const Id type(H5Dget_type(id()));
  return H5Tget_size(type.get());
}

bool Dataset::is_signed_integer() const {
  const Id type(H5Dget_type(id()));
  return H5Tget_class(type.get()) == H5T_INTEGER && H5Tget_sign(type.get()) == H5T_SGN_2;
}

void Dataset::read_raw(hid_t mem_type, void* out, std::uint64_t offset, std::uint64_t count) const {
  if (count == 0) return;
  const auto tc = type_class();
  if (tc != TypeClass::integer && tc != TypeClass::floating && tc != TypeClass::enumeration)
    throw input_error("dataset is not numeric");
  const Id file_space(H5Dget_space(id()));
  const int rank = H5Sget_simple_extent_ndims(file_space.get());
  const std::uint64_t total = space_size(file_space.get());
  if (offset + count > total)
    throw input_error("read of elements [" + std::to_string(offset) + ", " + std::to_string(offset + count) +
                      ") past the end (" + std::to_string(total) + " elements)");
  herr_t status;
  if (rank <= 1 && !(offset == 0 && count == total)) {
    const hsize_t start = offset, n = count;
    H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &start, nullptr, &n, nullptr);
    const Id mem_space(H5Screate_simple(1, &n, nullptr));
    status = H5Dread(id(), mem_type, mem_space.get(), file_space.get(), H5P_DEFAULT, out);
  } else if (offset == 0 && count == total) {
    status = H5Dread(id(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out);
  } else {
    throw input_error("partial reads of multi-dimensional datasets are not supported");
  }
  if (status < 0) throw input_error("cannot read dataset (corrupt or truncated file?)");
}

void Dataset::write_raw(hid_t mem_type, const void* data, std::uint64_t offset, std::uint64_t count) const {
  if (count == 0) return;
  Id file_space(H5Dget_space(id()));
  const int rank = H5Sget_simple_extent_ndims(file_space.get());
  herr_t status;
  if (rank > 1) {
    if (offset != 0 || count != space_size(file_space.get()))
      throw Error("partial writes of multi-dimensional datasets are not supported")
          .file(m_file)
          .record(m_path);
    status = H5Dwrite(id(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
  } else {
    hsize_t cur = 0;
    H5Sget_simple_extent_dims(file_space.get(), &cur, nullptr);
    if (offset + count > cur) {
      const hsize_t grown = offset + count;
      if (H5Dset_extent(id(), &grown) < 0)
        throw Error("cannot grow dataset (not created resizable?)").file(m_file).record(m_path);
      file_space = Id(H5Dget_space(id()));
    }
    const hsize_t start = offset, n = count;
    H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &start, nullptr, &n, nullptr);
    const Id mem_space(H5Screate_simple(1, &n, nullptr));
    status = H5Dwrite(id(), mem_type, mem_space.get(), file_space.get(), H5P_DEFAULT, data);
  }
  if (status < 0) throw Error("cannot write dataset").file(m_file).record(m_path);
}

std::vector<std::string> Dataset::read_strings() const {
  const Id type(H5Dget_type(id()));
  return read_string_data(
      type.get(), size(),
      [&](hid_t mem, void* buf) { return H5Dread(id(), mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf); }, *this);
}

std::vector<std::int64_t> Dataset::read_enum_values() const {
  std::vector<std::int64_t> out(static_cast<std::size_t>(size()));
  const Id type(H5Dget_type(id()));
  if (H5Tget_class(type.get()) == H5T_ENUM) {
    const Id base(H5Tget_super(type.get()));
    if (!out.empty() && H5Dread(id(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0) {
      // Enum → integer conversion is not always registered; read the base type's bytes.
      std::vector<std::int8_t> raw(out.size());
      if (H5Dread(id(), H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0)
        throw input_error("cannot read enum dataset");
      for (std::size_t i = 0; i < raw.size(); ++i)
        out[i] = raw[i];
    }
    return out;
  }
  if (!out.empty() && H5Dread(id(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
    throw input_error("cannot read dataset as integers");
  return out;
}

namespace {
// Member names are allocated by HDF5 and must be returned to it.
struct HdfFree {
  void operator()(char* p) const noexcept { H5free_memory(p); }
};
} // namespace

std::vector<CompoundField> Dataset::compound_fields() const {
  const Id type(H5Dget_type(id()));
  if (H5Tget_class(type.get()) != H5T_COMPOUND) throw input_error("not a compound dataset");
  const int n = H5Tget_nmembers(type.get());
  if (n < 0) throw input_error("cannot read the members of the compound type");
  std::vector<CompoundField> fields;
  for (int i = 0; i < n; ++i) {
    const std::unique_ptr<char, HdfFree> name(H5Tget_member_name(type.get(), static_cast<unsigned>(i)));
    const Id member(H5Tget_member_type(type.get(), static_cast<unsigned>(i)));
    if (!name || !member.valid()) throw input_error("cannot read compound member " + std::to_string(i));
    fields.push_back({name.get(), classify(member.get())});
  }
  return fields;
}

Id Dataset::field_type(const std::string& field) const {
  const Id type(H5Dget_type(id()));
  if (H5Tget_class(type.get()) != H5T_COMPOUND) throw input_error("not a compound dataset");
  const int index = H5Tget_member_index(type.get(), field.c_str());
  if (index < 0) throw input_error("compound dataset has no field '" + field + "'");
  Id member(H5Tget_member_type(type.get(), static_cast<unsigned>(index)));
  if (!member.valid()) throw input_error("cannot read the type of field '" + field + "'");
  return member;
}

void Dataset::read_field_raw(const std::string& field, hid_t mem_member, std::size_t width, void* out) const {
  if (size() == 0) return;
  // HDF5 matches compound members by name, so a memory type with only this member reads just it.
  const Id mem(H5Tcreate(H5T_COMPOUND, width));
  if (!mem.valid() || H5Tinsert(mem.get(), field.c_str(), 0, mem_member) < 0)
    throw input_error("cannot build a memory type for field '" + field + "'");
  if (H5Dread(id(), mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0)
    throw input_error("cannot read field '" + field + "' (corrupt or truncated file?)");
}

std::vector<std::int64_t> Dataset::read_enum_field(const std::string& field, hid_t member) const {
  // Enum → integer conversion is not registered in HDF5: read the enum in its native form and
  // take the bytes of its base integer type.
  const Id native(H5Tget_native_type(member, H5T_DIR_ASCEND));
  const Id base(native.valid() ? H5Tget_super(native.get()) : H5I_INVALID_HID);
  if (!base.valid()) throw input_error("cannot read the base type of enum field '" + field + "'");
  const std::size_t width = H5Tget_size(native.get());
  const bool is_signed = H5Tget_sign(base.get()) == H5T_SGN_2;
  if (width != 1 && width != 2 && width != 4 && width != 8)
    throw input_error("enum field '" + field + "' has an unsupported size of " + std::to_string(width));
  const auto n = static_cast<std::size_t>(size());
  std::vector<unsigned char> bytes(n * width);
  read_field_raw(field, native.get(), width, bytes.data());
  std::vector<std::int64_t> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char* p = bytes.data() + i * width;
    auto load = [p]<typename T>(T) {
      T v;
      std::memcpy(&v, p, sizeof v);
      return static_cast<std::int64_t>(v);
    };
    switch (width) {
    case 1: out[i] = is_signed ? load(std::int8_t{}) : load(std::uint8_t{}); break;
    case 2: out[i] = is_signed ? load(std::int16_t{}) : load(std::uint16_t{}); break;
    case 4: out[i] = is_signed ? load(std::int32_t{}) : load(std::uint32_t{}); break;
    default: out[i] = load(std::int64_t{}); break;
    }
  }
  return out;
}

std::vector<double> Dataset::read_field_numbers(const std::string& field) const {
  const Id member = field_type(field);
  const auto tc = classify(member.get());
  if (tc == TypeClass::enumeration) {
    const auto ints = read_enum_field(field, member.get());
    return {ints.begin(), ints.end()};
  }
  if (tc != TypeClass::integer && tc != TypeClass::floating)
    throw input_error("field '" + field + "' is not numeric");
  std::vector<double> out(static_cast<std::size_t>(size()));
  read_field_raw(field, H5T_NATIVE_DOUBLE, sizeof(double), out.data());
  return out;
}

std::vector<std::int64_t> Dataset::read_field_integers(const std::string& field) const {
  const Id member = field_type(field);
  const auto tc = classify(member.get());
  if (tc == TypeClass::enumeration) return read_enum_field(field, member.get());
  if (tc != TypeClass::integer) throw input_error("field '" + field + "' is not an integer");
  std::vector<std::int64_t> out(static_cast<std::size_t>(size()));
  read_field_raw(field, H5T_NATIVE_INT64, sizeof(std::int64_t), out.data());
  return out;
}

std::vector<std::string> Dataset::read_field_strings(const std::string& field) const {
  const Id member = field_type(field);
  if (H5Tget_class(member.get()) != H5T_STRING) throw input_error("field '" + field + "' is not a string");
  const auto n = static_cast<std::size_t>(size());
  std::vector<std::string> out;
  out.reserve(n);
  if (H5Tis_variable_str(member.get()) > 0) {
    const Id mem_member(H5Tcopy(H5T_C_S1));
    H5Tset_size(mem_member.get(), H5T_VARIABLE);
    H5Tset_cset(mem_member.get(), H5Tget_cset(member.get()));
    std::vector<char*> ptrs(n, nullptr);
    // HDF5 allocates the strings; give them back however the read or the copy ends.
    struct Reclaim {
      std::vector<char*>& ptrs;
      ~Reclaim() {
        for (char* p : ptrs)
          if (p != nullptr) H5free_memory(p);
      }
    } reclaim{ptrs};
    read_field_raw(field, mem_member.get(), sizeof(char*), ptrs.data());
    for (const char* p : ptrs)
      out.emplace_back(p ? p : "");
    return out;
  }
  const std::size_t width = H5Tget_size(member.get());
  const Id mem_member(H5Tcopy(H5T_C_S1));
  H5Tset_size(mem_member.get(), width);
  H5Tset_strpad(mem_member.get(), H5T_STR_NULLPAD);
  std::vector<char> buf(width * n, '\0');
  read_field_raw(field, mem_member.get(), width, buf.data());
  for (std::size_t i = 0; i < n; ++i) {
    const char* s = buf.data() + i * width;
    out.emplace_back(s, strnlen(s, width));
  }
  return out;
}

namespace {
H5O_type_t object_type(hid_t loc, const std::string& name) {
  silence_hdf5();
  // Walk the path so that a missing intermediate group is "missing", not an error.
  std::string partial;
  std::size_t pos = 0;
  while (true) {
    const auto slash = name.find('/', pos);
    partial = name.substr(0, slash);
    if (!partial.empty() && H5Lexists(loc, partial.c_str(), H5P_DEFAULT) <= 0) return H5O_TYPE_UNKNOWN;
    if (slash == std::string::npos) break;
    pos = slash + 1;
  }
  H5O_info_t info{};
#if H5_VERSION_GE(1, 12, 0)
  if (H5Oget_info_by_name3(loc, name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0)
    return H5O_TYPE_UNKNOWN;
#else
  if (H5Oget_info_by_name2(loc, name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0)
    return H5O_TYPE_UNKNOWN;
#endif
  return info.type;
}

herr_t collect_child(hid_t, const char* name, const H5L_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}
} // namespace

bool Group::exists(const std::string& name) const { return object_type(id(), name) != H5O_TYPE_UNKNOWN; }
bool Group::is_group(const std::string& name) const { return object_type(id(), name) == H5O_TYPE_GROUP; }
bool Group::is_dataset(const std::string& name) const { return object_type(id(), name) == H5O_TYPE_DATASET; }

std::vector<std::string> Group::children() const {
  std::vector<std::string> names;
  hsize_t idx = 0;
  H5Literate(id(), H5_INDEX_NAME, H5_ITER_INC, &idx, collect_child, &names);
  return names;
}

Group Group::group(const std::string& name) const {
  if (!is_group(name)) throw input_error("missing group '" + name + "'");
  return Group(check(H5Gopen2(id(), name.c_str(), H5P_DEFAULT), m_file, "cannot open group " + name), m_file,
               join(m_path, name));
}

Dataset Group::dataset(const std::string& name) const {
  if (!is_dataset(name)) throw input_error("missing dataset '" + name + "'");
  return Dataset(check(H5Dopen2(id(), name.c_str(), H5P_DEFAULT), m_file, "cannot open dataset " + name),
                 m_file, join(m_path, name));
}

Group Group::create_group(const std::string& name) const {
  silence_hdf5();
  const Id lcpl(H5Pcreate(H5P_LINK_CREATE));
  H5Pset_create_intermediate_group(lcpl.get(), 1);
  const Id gcpl = untimed_plist(H5P_GROUP_CREATE);
  const hid_t g = H5Gcreate2(id(), name.c_str(), lcpl.get(), gcpl.get(), H5P_DEFAULT);
  if (g < 0) throw Error("cannot create group '" + name + "'").file(m_file).record(m_path);
  return Group(Id(g), m_file, join(m_path, name));
}

Dataset Group::create_dataset_raw(const std::string& name, hid_t type, const std::vector<std::uint64_t>& dims,
                                  const DatasetOptions& opt) const {
  silence_hdf5();
  std::vector<hsize_t> cur(dims.begin(), dims.end());
  std::vector<hsize_t> max = cur;
  if (opt.resizable && !max.empty()) max[0] = H5S_UNLIMITED;
  const Id space(H5Screate_simple(static_cast<int>(cur.size()), cur.data(), max.data()));
  const Id dcpl = untimed_plist(H5P_DATASET_CREATE);
  const bool chunked = opt.chunk > 0 || opt.resizable;
  if (chunked) {
    std::vector<hsize_t> chunk = cur;
    chunk[0] = std::max<hsize_t>(1, opt.chunk > 0 ? opt.chunk : 65536);
    if (!opt.resizable && cur[0] > 0) chunk[0] = std::min(chunk[0], cur[0]);
    for (std::size_t i = 1; i < chunk.size(); ++i)
      chunk[i] = std::max<hsize_t>(chunk[i], 1);
    H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data());
    if (opt.compression > 0) {
      if (opt.shuffle) H5Pset_shuffle(dcpl.get());
      H5Pset_deflate(dcpl.get(), static_cast<unsigned>(opt.compression));
    }
  }
  const Id lcpl(H5Pcreate(H5P_LINK_CREATE));
  H5Pset_create_intermediate_group(lcpl.get(), 1);
  const hid_t d = H5Dcreate2(id(), name.c_str(), type, space.get(), lcpl.get(), dcpl.get(), H5P_DEFAULT);
  if (d < 0) throw Error("cannot create dataset '" + name + "'").file(m_file).record(m_path);
  return Dataset(Id(d), m_file, join(m_path, name));
}

Dataset Group::write_strings(const std::string& name, const std::vector<std::string>& values,
                             bool variable_length) const {
  if (!variable_length) {
    std::size_t width = 1;
    for (const auto& s : values)
      width = std::max(width, s.size());
    return write_fixed_strings(name, values, width);
  }
  const Id type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  const hsize_t n = values.size();
  const Id space(H5Screate_simple(1, &n, nullptr));
  const Id lcpl(H5Pcreate(H5P_LINK_CREATE));
  H5Pset_create_intermediate_group(lcpl.get(), 1);
  const Id dcpl = untimed_plist(H5P_DATASET_CREATE);
  const Id d(H5Dcreate2(id(), name.c_str(), type.get(), space.get(), lcpl.get(), dcpl.get(), H5P_DEFAULT));
  if (!d.valid()) throw Error("cannot create dataset '" + name + "'").file(m_file).record(m_path);
  std::vector<const char*> ptrs;
  ptrs.reserve(values.size());
  for (const auto& s : values)
    ptrs.push_back(s.c_str());
  if (n > 0 && H5Dwrite(d.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()) < 0)
    throw Error("cannot write dataset '" + name + "'").file(m_file).record(m_path);
  Id owned(H5Dopen2(id(), name.c_str(), H5P_DEFAULT));
  return Dataset(std::move(owned), m_file, join(m_path, name));
}

Dataset Group::write_fixed_strings(const std::string& name, const std::vector<std::string>& values,
                                   std::size_t width) const {
  const Id type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.get(), std::max<std::size_t>(width, 1));
  H5Tset_strpad(type.get(), H5T_STR_NULLPAD);
  const hsize_t n = values.size();
  const Id space(H5Screate_simple(1, &n, nullptr));
  const Id lcpl(H5Pcreate(H5P_LINK_CREATE));
  H5Pset_create_intermediate_group(lcpl.get(), 1);
  const Id dcpl = untimed_plist(H5P_DATASET_CREATE);
  const hid_t d =
      H5Dcreate2(id(), name.c_str(), type.get(), space.get(), lcpl.get(), dcpl.get(), H5P_DEFAULT);
  if (d < 0) throw Error("cannot create dataset '" + name + "'").file(m_file).record(m_path);
  Dataset ds(Id(d), m_file, join(m_path, name));
  std::vector<char> buf(std::max<std::size_t>(width, 1) * values.size(), '\0');
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i].size() > width)
      throw Error("string '" + values[i] + "' longer than the field width " + std::to_string(width))
          .file(m_file)
          .record(join(m_path, name));
    std::memcpy(buf.data() + i * width, values[i].data(), values[i].size());
  }
  if (n > 0 && H5Dwrite(d, type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()) < 0)
    throw Error("cannot write dataset '" + name + "'").file(m_file).record(m_path);
  return ds;
}

bool File::is_hdf5(const std::filesystem::path& path) {
  // The signature sits at offset 0, or at 512, 1024, ... when a user block precedes it.
  static const char sig[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  char buf[8];
  for (std::streamoff off = 0; off <= 8192; off = off == 0 ? 512 : off * 2) {
    in.seekg(off);
    if (!in.read(buf, 8)) return false;
    if (std::memcmp(buf, sig, 8) == 0) return true;
  }
  return false;
}

File File::open(const std::filesystem::path& path, Mode mode) {
  silence_hdf5();
  const std::string name = path.string();
  if (mode == Mode::create) {
    const Id fcpl = untimed_plist(H5P_FILE_CREATE);
    const hid_t f = H5Fcreate(name.c_str(), H5F_ACC_TRUNC, fcpl.get(), H5P_DEFAULT);
    if (f < 0) throw Error("cannot create HDF5 file (is the folder writable?)").file(name);
    return File(Id(f), name);
  }
  require_readable_file(name);
  if (!is_hdf5(path)) throw InputError("not an HDF5 file (no HDF5 signature)").file(name);
  const hid_t f = H5Fopen(name.c_str(), mode == Mode::read ? H5F_ACC_RDONLY : H5F_ACC_RDWR, H5P_DEFAULT);
  if (f < 0) throw InputError("cannot open HDF5 file (truncated or corrupt?)").file(name);
  return File(Id(f), name);
}

void File::flush() const { H5Fflush(id(), H5F_SCOPE_GLOBAL); }

} // namespace gc::hdf5
