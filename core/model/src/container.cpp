#include "container.h"

#include "gc/util/atomic_file.h"
#include "gc/util/error.h"

#include <array>
#include <cstring>
#include <fstream>
#include <iterator>

namespace gc::model::detail {

namespace {

std::uint32_t crc32(const std::string& data) {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k)
        c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xFFFFFFFFU;
  for (unsigned char b : data)
    c = table[(c ^ b) & 0xFFU] ^ (c >> 8);
  return c ^ 0xFFFFFFFFU;
}

template <typename T>
void put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

} // namespace

void write_container(const std::string& path, const char (&magic)[8], const Container& c) {
  std::string bytes(magic, sizeof(magic));
  put<std::uint32_t>(bytes, c.version);
  put<std::uint64_t>(bytes, c.header.size());
  bytes += c.header;
  put<std::uint64_t>(bytes, c.payload.size());
  bytes += c.payload;
  put<std::uint32_t>(bytes, crc32(bytes));
  AtomicFile file(path, /*binary=*/true);
  file.stream().write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  file.commit();
}

Container read_container(const std::string& path, const char (&magic)[8], std::uint32_t version,
                         const std::string& what, const std::string& hint) {
  require_readable_file(path);
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) throw InputError("cannot read the " + what + " checkpoint").file(path);
  }
  if (bytes.size() < sizeof(magic) || bytes.compare(0, sizeof(magic), magic, sizeof(magic)) != 0)
    throw InputError("not a " + what + " checkpoint (" + hint + ")").file(path);
  std::size_t at = sizeof(magic);
  const auto truncated = [&] { return InputError(what + " checkpoint is truncated").file(path); };
  const auto get = [&](auto zero) {
    using T = decltype(zero);
    if (at + sizeof(T) > bytes.size()) throw truncated();
    T value;
    std::memcpy(&value, bytes.data() + at, sizeof(T));
    at += sizeof(T);
    return value;
  };
  Container c;
  c.version = get(std::uint32_t{});
  if (c.version != version)
    throw InputError(what + " checkpoint version " + std::to_string(c.version) +
                     " is not supported (this build reads " + std::to_string(version) + ")")
        .file(path);
  const auto header_len = get(std::uint64_t{});
  if (header_len > bytes.size() - at) throw truncated();
  c.header = bytes.substr(at, header_len);
  at += header_len;
  const auto payload_len = get(std::uint64_t{});
  if (payload_len > bytes.size() - at || bytes.size() - at - payload_len < sizeof(std::uint32_t))
    throw truncated();
  c.payload = bytes.substr(at, payload_len);
  at += payload_len;
  const auto stored_crc = get(std::uint32_t{});
  if (at != bytes.size()) throw InputError(what + " checkpoint has trailing bytes").file(path);
  if (crc32(bytes.substr(0, bytes.size() - sizeof(std::uint32_t))) != stored_crc)
    throw InputError(what + " checkpoint is corrupted (checksum mismatch)").file(path);
  return c;
}

} // namespace gc::model::detail
