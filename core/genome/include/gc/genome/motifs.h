#pragma once
// Transcription-factor motifs from JASPAR, TRANSFAC and MEME files (plain or gzip), held as the
// counts the file gives, with the derived matrices a promoter scanner needs: frequencies, a log2
// position weight matrix (PWM) with its score range, the reverse complement and an IUPAC consensus.
#include "gc/util/json.h"

#include <array>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gc::genome {

// One value per base, in the order A, C, G, T.
using BaseValues = std::array<double, 4>;
inline constexpr BaseValues uniform_background{0.25, 0.25, 0.25, 0.25};

enum class MotifFormat { jaspar, transfac, meme };

// A C G T (either case) -> 0..3, anything else (N, IUPAC codes) -> -1.
[[nodiscard]] int base_index(char c) noexcept;

// "jaspar", "transfac", "meme".
[[nodiscard]] const char* motif_format_name(MotifFormat format) noexcept;

// A log2-odds matrix: score of a site = sum over positions of scores[i][base].
struct Pwm {
  std::vector<BaseValues> scores;

  [[nodiscard]] std::size_t length() const noexcept { return scores.size(); }
  // Best and worst achievable site scores (-inf when a zero count met a zero pseudocount).
  [[nodiscard]] double max_score() const noexcept;
  [[nodiscard]] double min_score() const noexcept;
  // Score of `window` (exactly length() bases, either case); nullopt when it holds any letter
  // other than A, C, G, T (N, IUPAC codes, gaps), which a scanner skips. Throws InputError when
  // the window has the wrong length.
  [[nodiscard]] std::optional<double> score(std::string_view window) const;
};

struct Motif {
  std::string id;   // JASPAR/TRANSFAC accession (MA0004.1), MEME motif id
  std::string name; // factor name (Arnt), empty when the file gives none
  // Per position A, C, G, T as in the file: counts for JASPAR/TRANSFAC; MEME probabilities times
  // nsites when the file gives nsites, else the probabilities themselves.
  std::vector<BaseValues> counts;
  // MEME's nsites when given, else the largest column sum (JASPAR columns need not sum equally).
  double sites = 0.0;
  // The file's background letter frequencies (MEME), when it gives them.
  std::optional<BaseValues> background;

  [[nodiscard]] std::size_t length() const noexcept { return counts.size(); }

  // Per-position frequencies p[b] = (count[b] + 4·pseudocount·bg[b]) / (column sum + 4·pseudocount):
  // the pseudocount is added per letter under a uniform background and spread in proportion to
  // `background` otherwise. A column with no counts and no pseudocount gives the background.
  // Throws InputError for a negative pseudocount or a background that is not a distribution.
  [[nodiscard]] std::vector<BaseValues>
  probabilities(double pseudocount, const BaseValues& background = uniform_background) const;
  // log2(p[b] / bg[b]) with p from probabilities(pseudocount, background).
  [[nodiscard]] Pwm log_odds(const BaseValues& background, double pseudocount) const;
  // The motif of the opposite strand: positions reversed, A<->T and C<->G swapped.
  [[nodiscard]] Motif reverse_complement() const;
  // IUPAC consensus after Cavener (1987): a base above 50% and twice the next; else the two-base
  // code when the top two exceed 75%; else the three-base code when one base is absent; else N.
  [[nodiscard]] std::string consensus() const;
};

// Content sniffer over the first bytes of a file (decompressed). nullopt when it is not a motif
// file; in particular a FASTA file is never claimed: a JASPAR '>' header must be followed by rows
// of numbers (optionally labelled `A [ ... ]`), a TRANSFAC file needs a `P0`/`PO A C G T` row and
// a MEME file its `MEME version` line.
[[nodiscard]] std::optional<MotifFormat> detect_motif_format(std::string_view head);

// Reads every motif of a file (plain or gzip), format detected from the content. Throws
// gc::InputError naming the file, line and motif for malformed input, and for a file that is not
// a motif file or holds no motifs.
[[nodiscard]] std::vector<Motif> read_motifs(const std::filesystem::path& path);
[[nodiscard]] std::vector<Motif> read_motifs(const std::filesystem::path& path, MotifFormat format);
// The same over in-memory text; `origin` names it in errors.
[[nodiscard]] std::vector<Motif> parse_motifs(std::string_view text, MotifFormat format,
                                              const std::string& origin = "<text>");

// format "motifs", motif_format, motifs, min_length, max_length, ids and names (first 10 each).
[[nodiscard]] Json summarize_motifs(const std::filesystem::path& path);
// The same for motifs already read (no second read of the file).
[[nodiscard]] Json summarize_motifs(const std::vector<Motif>& motifs, MotifFormat format);

} // namespace gc::genome
