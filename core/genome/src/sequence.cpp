#include "gc/genome/sequence.h"

#include "gc/util/error.h"

#include <cctype>
#include <string>

namespace gc::genome {
namespace {

// Bit mask over (A=1, C=2, G=4, T=8) per IUPAC code; 0 = not a code, 16 = gap.
constexpr unsigned char gap_mask = 16;

constexpr unsigned char code_mask(char c) noexcept {
  switch (c) {
  case 'A': return 1;
  case 'C': return 2;
  case 'G': return 4;
  case 'T':
  case 'U': return 8;
  case 'R': return 1 | 4;
  case 'Y': return 2 | 8;
  case 'S': return 2 | 4;
  case 'W': return 1 | 8;
  case 'K': return 4 | 8;
  case 'M': return 1 | 2;
  case 'B': return 2 | 4 | 8;
  case 'D': return 1 | 4 | 8;
  case 'H': return 1 | 2 | 8;
  case 'V': return 1 | 2 | 4;
  case 'N': return 15;
  case '-':
  case '.': return gap_mask;
  default: return 0;
  }
}

unsigned char mask_of(char c) noexcept {
  return code_mask(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
}

} // namespace

bool iupac_distribution(char code, std::array<float, 4>& out) noexcept {
  const unsigned char m = mask_of(code);
  out = {0.0f, 0.0f, 0.0f, 0.0f};
  if (m == 0) return false;
  if (m == gap_mask) return true;
  const int bits = ((m & 1) != 0) + ((m & 2) != 0) + ((m & 4) != 0) + ((m & 8) != 0);
  const float p = 1.0f / static_cast<float>(bits);
  for (int i = 0; i < 4; ++i) {
    if ((m & (1 << i)) != 0) out[static_cast<std::size_t>(i)] = p;
  }
  return true;
}

std::vector<float> one_hot(std::string_view sequence) {
  // Table lookup: one-hot encoding runs over whole chromosomes for the model.
  static const auto table = [] {
    std::array<std::array<float, 4>, 256> t{};
    std::array<bool, 256> ok{};
    for (int c = 0; c < 256; ++c)
      ok[static_cast<std::size_t>(c)] =
          iupac_distribution(static_cast<char>(c), t[static_cast<std::size_t>(c)]);
    return std::pair{t, ok};
  }();
  std::vector<float> out(sequence.size() * 4);
  for (std::size_t i = 0; i < sequence.size(); ++i) {
    const auto c = static_cast<unsigned char>(sequence[i]);
    if (!table.second[c]) {
      throw InputError("not a nucleotide code: '" + std::string(1, sequence[i]) + "' at position " +
                       std::to_string(i + 1));
    }
    const auto& d = table.first[c];
    std::copy(d.begin(), d.end(), out.begin() + static_cast<std::ptrdiff_t>(i * 4));
  }
  return out;
}

std::string reverse_complement(std::string_view sequence) {
  static const auto table = [] {
    std::array<char, 256> t{};
    for (int c = 0; c < 256; ++c)
      t[static_cast<std::size_t>(c)] = static_cast<char>(c);
    const std::string from = "ACGTURYSWKMBDHVN";
    const std::string to = "TGCAAYRSWMKVHDBN";
    for (std::size_t i = 0; i < from.size(); ++i) {
      t[static_cast<unsigned char>(from[i])] = to[i];
      t[static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(from[i])))] =
          static_cast<char>(std::tolower(static_cast<unsigned char>(to[i])));
    }
    return t;
  }();
  std::string out(sequence.rbegin(), sequence.rend());
  for (auto& c : out)
    c = table[static_cast<unsigned char>(c)];
  return out;
}

} // namespace gc::genome
