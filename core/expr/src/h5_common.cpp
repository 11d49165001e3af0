#include "h5_common.h"

#include "gc/util/error.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
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

namespace {

// Owns a POSIX file descriptor.
class Fd {
public:
  explicit Fd(int fd) noexcept : m_fd(fd) {}
  ~Fd() {
    if (m_fd >= 0) ::close(m_fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  [[nodiscard]] int get() const noexcept { return m_fd; }

private:
  int m_fd;
};

} // namespace

std::optional<FileExtent> raw_extent(const hdf5::Dataset& ds, hid_t native_type) {
  const hdf5::Id type(H5Dget_type(ds.id()));
  if (!type.valid() || H5Tequal(type.get(), native_type) <= 0) return std::nullopt;
  const hdf5::Id dcpl(H5Dget_create_plist(ds.id()));
  if (!dcpl.valid() || H5Pget_layout(dcpl.get()) != H5D_CONTIGUOUS || H5Pget_nfilters(dcpl.get()) != 0)
    return std::nullopt;
  // Dataset addresses are relative to the end of a user block; files with one take the HDF5 path.
  const hdf5::Id file(H5Iget_file_id(ds.id()));
  if (!file.valid()) return std::nullopt;
  const hdf5::Id fcpl(H5Fget_create_plist(file.get()));
  hsize_t user_block = 0;
  if (!fcpl.valid() || H5Pget_userblock(fcpl.get(), &user_block) < 0 || user_block != 0) return std::nullopt;
  const haddr_t offset = H5Dget_offset(ds.id());
  if (offset == HADDR_UNDEF) return std::nullopt;
  const std::uint64_t bytes = ds.size() * H5Tget_size(native_type);
  if (H5Dget_storage_size(ds.id()) != bytes) return std::nullopt;
  return FileExtent{offset, bytes};
}

void read_extent(const std::filesystem::path& path, const std::string& object, const FileExtent& extent,
                 void* out, const std::function<void(std::uint64_t bytes)>& on_chunk) {
  const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0)
    throw InputError(std::string("cannot reopen the file: ") + std::strerror(errno))
        .file(path.string())
        .record(object);
  auto* dest = static_cast<char*>(out);
  std::uint64_t done = 0;
  while (done < extent.bytes) {
    const std::uint64_t want = std::min(extent.bytes - done, read_extent_chunk);
    const ssize_t n = ::pread(fd.get(), dest + done, want, static_cast<off_t>(extent.offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      throw InputError(std::string("cannot read dataset: ") + std::strerror(errno))
          .file(path.string())
          .record(object);
    if (n == 0)
      throw InputError("dataset extends past the end of the file (truncated file?)")
          .file(path.string())
          .record(object);
    done += static_cast<std::uint64_t>(n);
    if (on_chunk) on_chunk(static_cast<std::uint64_t>(n));
  }
}

} // namespace gc::expr
