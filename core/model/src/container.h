#pragma once
// The file layout every checkpoint of the model core shares: 8-byte magic, u32 version, u64
// header length, header JSON, u64 payload length, payload (a torch archive), u32 CRC-32 of
// everything before it; written atomically. Internal to gc::model.
#include <cstdint>
#include <string>

namespace gc::model::detail {

struct Container {
  std::uint32_t version = 0;
  std::string header;  // JSON text
  std::string payload; // torch archive bytes
};

// `magic` is 8 bytes; `what` names the kind of file in messages ("GenoCircuit model").
void write_container(const std::string& path, const char (&magic)[8], const Container& c);
// gc::InputError naming `path` for a file of another kind (with `hint`), a version other than
// `version`, truncation, trailing bytes or a checksum mismatch.
[[nodiscard]] Container read_container(const std::string& path, const char (&magic)[8], std::uint32_t version,
                                       const std::string& what, const std::string& hint);

} // namespace gc::model::detail
