#pragma once
// RAII wrapper over the HDF5 C API for the formats built on it (cooler, AnnData, 10x). Every
// hid_t lives in an owning object; failures become gc::Error (gc::InputError while reading)
// naming the file and the object path, and HDF5's own error-stack printing is silenced.
// Files, groups and datasets are created without modification times, so writing the same
// content twice gives byte-identical files.
#include "gc/util/error.h"

#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace gc::hdf5 {

// Owns one HDF5 identifier and closes it with the matching H5*close.
class Id {
public:
  Id() = default;
  explicit Id(hid_t id) noexcept : m_id(id) {}
  ~Id();
  Id(Id&& o) noexcept : m_id(o.release()) {}
  Id& operator=(Id&& o) noexcept;
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  [[nodiscard]] hid_t get() const noexcept { return m_id; }
  [[nodiscard]] bool valid() const noexcept { return m_id >= 0; }
  hid_t release() noexcept {
    const hid_t id = m_id;
    m_id = H5I_INVALID_HID;
    return id;
  }

private:
  hid_t m_id = H5I_INVALID_HID;
};

enum class TypeClass { integer, floating, string, compound, enumeration, other };

// Maps C++ element types to HDF5 memory types.
template <typename T>
hid_t native_type() {
  if constexpr (std::is_same_v<T, float>)
    return H5T_NATIVE_FLOAT;
  else if constexpr (std::is_same_v<T, double>)
    return H5T_NATIVE_DOUBLE;
  else if constexpr (std::is_same_v<T, std::int8_t>)
    return H5T_NATIVE_INT8;
  else if constexpr (std::is_same_v<T, std::uint8_t>)
    return H5T_NATIVE_UINT8;
  else if constexpr (std::is_same_v<T, std::int16_t>)
    return H5T_NATIVE_INT16;
  else if constexpr (std::is_same_v<T, std::uint16_t>)
    return H5T_NATIVE_UINT16;
  else if constexpr (std::is_same_v<T, std::int32_t>)
    return H5T_NATIVE_INT32;
  else if constexpr (std::is_same_v<T, std::uint32_t>)
    return H5T_NATIVE_UINT32;
  else if constexpr (std::is_same_v<T, std::int64_t>)
    return H5T_NATIVE_INT64;
  else if constexpr (std::is_same_v<T, std::uint64_t>)
    return H5T_NATIVE_UINT64;
  else if constexpr (std::is_same_v<T, bool>)
    return H5T_NATIVE_HBOOL;
  else
    static_assert(sizeof(T) == 0, "unsupported HDF5 element type");
}

class Object;
class Group;
class Dataset;

// Attributes are shared by groups and datasets.
class Object {
public:
  [[nodiscard]] hid_t id() const noexcept { return m_id.get(); }
  [[nodiscard]] const std::string& path() const noexcept { return m_path; }
  [[nodiscard]] const std::string& file_name() const noexcept { return m_file; }

  [[nodiscard]] bool has_attribute(const std::string& name) const;
  [[nodiscard]] std::vector<std::string> attribute_names() const;
  [[nodiscard]] TypeClass attribute_type(const std::string& name) const;
  // Reads a string attribute (fixed or variable length, scalar or a 1-element array).
  [[nodiscard]] std::string attribute_string(const std::string& name) const;
  [[nodiscard]] std::vector<std::string> attribute_strings(const std::string& name) const;
  [[nodiscard]] double attribute_double(const std::string& name) const;
  [[nodiscard]] std::int64_t attribute_int(const std::string& name) const;
  [[nodiscard]] std::vector<std::int64_t> attribute_ints(const std::string& name) const;

  void set_attribute(const std::string& name, const std::string& value) const;
  void set_attribute(const std::string& name, const char* value) const {
    set_attribute(name, std::string(value));
  }
  void set_attribute(const std::string& name, std::int64_t value) const;
  void set_attribute(const std::string& name, double value) const;
  void set_attribute(const std::string& name, const std::vector<std::int64_t>& values) const;
  void set_attribute(const std::string& name, const std::vector<std::string>& values) const;

  // An InputError naming this object's file and path.
  [[nodiscard]] InputError input_error(const std::string& message) const;

protected:
  Object(Id id, std::string file, std::string path)
      : m_id(std::move(id)), m_file(std::move(file)), m_path(std::move(path)) {}
  Id m_id;
  std::string m_file;
  std::string m_path;
};

// One member of a compound (record) datatype, in storage order.
struct CompoundField {
  std::string name;
  TypeClass type = TypeClass::other;
};

struct DatasetOptions {
  std::size_t chunk = 0;  // elements per chunk along the first axis; 0 = contiguous (no compression)
  int compression = 0;    // gzip level 0–9 (needs chunk > 0)
  bool shuffle = true;    // byte shuffle before gzip
  bool resizable = false; // unlimited first axis (for append)
};

class Dataset : public Object {
public:
  Dataset(Id id, std::string file, std::string path)
      : Object(std::move(id), std::move(file), std::move(path)) {}

  [[nodiscard]] std::vector<std::uint64_t> shape() const;
  [[nodiscard]] std::uint64_t size() const; // total elements
  [[nodiscard]] TypeClass type_class() const;
  [[nodiscard]] bool is_variable_string() const;
  [[nodiscard]] std::size_t element_size() const;
  [[nodiscard]] bool is_signed_integer() const;

  // Reads all elements (any rank, row-major), converting to T.
  template <typename T>
  [[nodiscard]] std::vector<T> read() const {
    std::vector<T> out(static_cast<std::size_t>(size()));
    read_raw(native_type<T>(), out.data(), 0, size());
    return out;
  }
  // Reads elements [offset, offset + count) of a 1-D dataset.
  template <typename T>
  [[nodiscard]] std::vector<T> read_range(std::uint64_t offset, std::uint64_t count) const {
    std::vector<T> out(static_cast<std::size_t>(count));
    read_raw(native_type<T>(), out.data(), offset, count);
    return out;
  }
  template <typename T>
  [[nodiscard]] T read_scalar() const {
    T v{};
    read_raw(native_type<T>(), &v, 0, 1);
    return v;
  }
  // Fixed- or variable-length strings, any rank.
  [[nodiscard]] std::vector<std::string> read_strings() const;
  // Enum datasets (e.g. h5py booleans) read as their integer values.
  [[nodiscard]] std::vector<std::int64_t> read_enum_values() const;

  // Compound (record) datasets, e.g. numpy structured arrays written by h5py: the members, and
  // one member of every record (all elements, any rank). Each throws InputError naming the
  // dataset when it is not compound, lacks the member, or the member has another kind.
  [[nodiscard]] std::vector<CompoundField> compound_fields() const;
  // Integer, float or enum (h5py boolean) members, enums as their integer values.
  [[nodiscard]] std::vector<double> read_field_numbers(const std::string& field) const;
  // Integer or enum members.
  [[nodiscard]] std::vector<std::int64_t> read_field_integers(const std::string& field) const;
  // Fixed- or variable-length string members.
  [[nodiscard]] std::vector<std::string> read_field_strings(const std::string& field) const;

  // Writes elements [offset, offset + count) of a 1-D dataset (grows it when resizable).
  template <typename T>
  void write_range(std::uint64_t offset, const T* data, std::uint64_t count) const {
    write_raw(native_type<T>(), data, offset, count);
  }

private:
  void read_raw(hid_t mem_type, void* out, std::uint64_t offset, std::uint64_t count) const;
  [[nodiscard]] Id field_type(const std::string& field) const;
  // Reads member `field` of every record through a one-member memory compound of `mem_member`.
  void read_field_raw(const std::string& field, hid_t mem_member, std::size_t width, void* out) const;
  [[nodiscard]] std::vector<std::int64_t> read_enum_field(const std::string& field, hid_t member) const;
  void write_raw(hid_t mem_type, const void* data, std::uint64_t offset, std::uint64_t count) const;
};

class Group : public Object {
public:
  Group(Id id, std::string file, std::string path)
      : Object(std::move(id), std::move(file), std::move(path)) {}

  // `name` may be a relative path ("bins/chrom").
  [[nodiscard]] bool exists(const std::string& name) const;
  [[nodiscard]] bool is_group(const std::string& name) const;
  [[nodiscard]] bool is_dataset(const std::string& name) const;
  [[nodiscard]] std::vector<std::string> children() const;
  // Throws InputError naming the file and path when missing or of the wrong kind.
  [[nodiscard]] Group group(const std::string& name) const;
  [[nodiscard]] Dataset dataset(const std::string& name) const;

  Group create_group(const std::string& name) const;
  // Creates a 1-D dataset of `count` elements of T (or of total shape `dims`).
  template <typename T>
  Dataset create_dataset(const std::string& name, std::uint64_t count, const DatasetOptions& opt = {}) const {
    return create_dataset_raw(name, native_type<T>(), {count}, opt);
  }
  template <typename T>
  Dataset write_dataset(const std::string& name, const std::vector<T>& values,
                        const DatasetOptions& opt = {}) const {
    auto ds = create_dataset_raw(name, native_type<T>(), {values.size()}, opt);
    if (!values.empty()) ds.write_range(0, values.data(), values.size());
    return ds;
  }
  template <typename T>
  Dataset write_dataset_2d(const std::string& name, const std::vector<T>& values, std::uint64_t rows,
                           std::uint64_t cols, const DatasetOptions& opt = {}) const;
  // Variable-length UTF-8 strings (what h5py writes for str) or fixed-length ASCII.
  Dataset write_strings(const std::string& name, const std::vector<std::string>& values,
                        bool variable_length = true) const;
  // Fixed-length strings of exactly `width` bytes (cooler's chroms/name uses this).
  Dataset write_fixed_strings(const std::string& name, const std::vector<std::string>& values,
                              std::size_t width) const;

private:
  Dataset create_dataset_raw(const std::string& name, hid_t type, const std::vector<std::uint64_t>& dims,
                             const DatasetOptions& opt) const;
};

class File : public Group {
public:
  enum class Mode { read, read_write, create };
  // read: InputError when the file is missing, not HDF5, or corrupt.
  static File open(const std::filesystem::path& path, Mode mode = Mode::read);
  // True when the file starts with the HDF5 signature (cheap check before opening).
  [[nodiscard]] static bool is_hdf5(const std::filesystem::path& path);
  void flush() const;

private:
  File(Id id, std::string file) : Group(std::move(id), std::move(file), "/") {}
};

template <typename T>
Dataset Group::write_dataset_2d(const std::string& name, const std::vector<T>& values, std::uint64_t rows,
                                std::uint64_t cols, const DatasetOptions& opt) const {
  auto ds = create_dataset_raw(name, native_type<T>(), {rows, cols}, opt);
  if (!values.empty()) ds.write_range(0, values.data(), values.size());
  return ds;
}

} // namespace gc::hdf5
