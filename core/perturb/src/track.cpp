#include "gc/perturb/track.h"

#include "gc/genome/bigwig.h"
#include "gc/util/atomic_file.h"
#include "gc/util/error.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <unistd.h>

namespace gc::perturb {

namespace fs = std::filesystem;

namespace {

struct Placed {
  std::size_t chrom = 0; // index into ImpactTrack::chromosomes
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::size_t input = 0; // index into the values
};

// The annotation's chromosome names mapped to the track's chromosomes (nullopt: not in the genome).
class ChromMap {
public:
  ChromMap(const std::vector<genome::ChromLength>& chromosomes, bool by_alias,
           const genome::ChromAliases& aliases)
      : m_by_alias(by_alias), m_aliases(aliases) {
    for (std::size_t i = 0; i < chromosomes.size(); ++i) {
      m_names.push_back(chromosomes[i].name);
      m_index.emplace(chromosomes[i].name, i);
    }
  }
  [[nodiscard]] std::optional<std::size_t> find(const std::string& annotation_name) {
    const auto cached = m_cache.find(annotation_name);
    if (cached != m_cache.end()) return cached->second;
    std::optional<std::size_t> found;
    const auto name = m_by_alias ? m_aliases.find(annotation_name, m_names) : std::optional(annotation_name);
    if (name)
      if (const auto it = m_index.find(*name); it != m_index.end()) found = it->second;
    m_cache.emplace(annotation_name, found);
    return found;
  }

private:
  bool m_by_alias;
  const genome::ChromAliases& m_aliases;
  std::vector<std::string> m_names;
  std::map<std::string, std::size_t> m_index;
  std::map<std::string, std::optional<std::size_t>> m_cache;
};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string examples(const std::vector<std::string>& names) {
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < 3; ++i)
    text += (i ? ", '" : "'") + names[i] + "'";
  return text + (names.size() > 3 ? ", ..." : "");
}

// A track line's attribute value: IGV reads it up to the closing quote, on one line.
std::string quoted(std::string text) {
  std::replace(text.begin(), text.end(), '"', '\'');
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  return '"' + text + '"';
}

// The value as the 32-bit float a bigWig stores, in the shortest text that reads back to it, so
// both formats carry the same numbers; std::to_chars ignores the locale (the GUI sets one).
std::string number(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, static_cast<float>(v));
  return {buf, r.ptr};
}

} // namespace

ImpactTrack impact_track(const std::vector<GeneValue>& values, const genome::Annotation& annotation,
                         const std::vector<genome::ChromLength>& genome, const std::string& origin,
                         const genome::ChromAliases& aliases) {
  ImpactTrack track;
  if (genome.empty()) {
    // Without a genome the annotation is all there is to size the chromosomes by; a chromosome
    // then ends at its last gene, which is enough for IGV to place every interval.
    track.sizes_from_annotation = true;
    std::map<std::string, std::int64_t> longest;
    for (const auto& g : annotation.genes())
      longest[g.chrom] = std::max(longest[g.chrom], g.end);
    for (const auto& c : annotation.chromosomes())
      if (longest[c] > 0) track.chromosomes.push_back({c, longest[c]});
  } else {
    for (const auto& c : genome)
      if (c.length > 0) track.chromosomes.push_back(c);
  }
  ChromMap chroms(track.chromosomes, !genome.empty(), aliases);

  std::vector<Placed> placed;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto& v = values[i];
    if (!std::isfinite(v.value))
      throw InputError("the track value of gene '" + v.gene + "' is not a finite number").file(origin);
    const genome::Gene* g = annotation.find_gene(v.gene);
    if (g == nullptr) {
      track.missing.push_back(v.gene);
      continue;
    }
    const auto chrom = chroms.find(g->chrom);
    if (!chrom) {
      track.off_genome.push_back(v.gene);
      continue;
    }
    const auto& c = track.chromosomes[*chrom];
    if (g->end > c.length) {
      throw InputError("gene '" + g->name + "' ends at " + std::to_string(g->end) + ", past the end of " +
                       c.name + " (" + std::to_string(c.length) +
                       " bp) in the genome: are the annotation and the genome the same assembly?")
          .file(origin);
    }
    placed.push_back({*chrom, g->start, g->end, i});
  }
  track.placed = placed.size();
  if (placed.empty()) {
    if (!track.off_genome.empty()) {
      throw InputError("none of the " + std::to_string(values.size()) +
                       " genes is on a chromosome of the genome (" + examples(track.off_genome) +
                       " are on other chromosomes)")
          .file(origin);
    }
    throw InputError("none of the " + std::to_string(values.size()) + " genes (" + examples(track.missing) +
                     ") is a gene of the annotation")
        .file(origin);
  }

  // Rank by |value|, largest first (ties: the gene given first), so the strongest gene covering
  // a base is the first of the active set. Where genes overlap (nested genes, genes on opposite
  // strands), the piece shows the strongest response: a weaker one must not hide it, and an
  // average would show a value no gene has.
  std::vector<std::size_t> by_strength(placed.size());
  for (std::size_t i = 0; i < placed.size(); ++i)
    by_strength[i] = i;
  std::sort(by_strength.begin(), by_strength.end(), [&](std::size_t a, std::size_t b) {
    const double va = std::abs(values[placed[a].input].value);
    const double vb = std::abs(values[placed[b].input].value);
    return va != vb ? va > vb : placed[a].input < placed[b].input;
  });
  std::vector<std::size_t> rank(placed.size());
  for (std::size_t r = 0; r < by_strength.size(); ++r)
    rank[by_strength[r]] = r;

  std::vector<std::size_t> by_start(placed.size());
  for (std::size_t i = 0; i < placed.size(); ++i)
    by_start[i] = i;
  std::sort(by_start.begin(), by_start.end(), [&](std::size_t a, std::size_t b) {
    return placed[a].chrom != placed[b].chrom ? placed[a].chrom < placed[b].chrom
                                              : placed[a].start < placed[b].start;
  });

  // A sweep over each chromosome's gene boundaries: between two consecutive boundaries the set
  // of covering genes is constant, and the strongest of them gives the piece its value.
  for (std::size_t first = 0; first < by_start.size();) {
    const std::size_t chrom = placed[by_start[first]].chrom;
    std::size_t last = first;
    while (last < by_start.size() && placed[by_start[last]].chrom == chrom)
      ++last;
    std::vector<std::size_t> by_end(by_start.begin() + static_cast<std::ptrdiff_t>(first),
                                    by_start.begin() + static_cast<std::ptrdiff_t>(last));
    std::sort(by_end.begin(), by_end.end(),
              [&](std::size_t a, std::size_t b) { return placed[a].end < placed[b].end; });
    std::vector<std::int64_t> bounds;
    for (const auto p : by_end) {
      bounds.push_back(placed[p].start);
      bounds.push_back(placed[p].end);
    }
    std::sort(bounds.begin(), bounds.end());
    bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
    std::set<std::size_t> active; // ranks
    std::size_t next_start = first;
    std::size_t next_end = 0;
    for (std::size_t k = 0; k + 1 < bounds.size(); ++k) {
      const std::int64_t at = bounds[k];
      while (next_end < by_end.size() && placed[by_end[next_end]].end == at)
        active.erase(rank[by_end[next_end++]]);
      while (next_start < last && placed[by_start[next_start]].start == at)
        active.insert(rank[by_start[next_start++]]);
      if (active.empty()) continue;
      const auto& winner = values[placed[by_strength[*active.begin()]].input];
      auto& out = track.intervals;
      if (!out.empty() && out.back().chrom == track.chromosomes[chrom].name && out.back().end == at &&
          out.back().gene == winner.gene) {
        out.back().end = bounds[k + 1];
        continue;
      }
      out.push_back({track.chromosomes[chrom].name, at, bounds[k + 1], winner.value, winner.gene});
    }
    first = last;
  }
  return track;
}

TrackFormat track_output_format(const fs::path& path) {
  const auto ext = lower(path.extension().string());
  TrackFormat format = TrackFormat::bedgraph;
  if (ext == ".bw" || ext == ".bigwig") {
    format = TrackFormat::bigwig;
  } else if (ext != ".bedgraph" && ext != ".bg") {
    throw InputError("cannot tell the track format from the extension '" + ext +
                     "': use .bedgraph or .bg (bedGraph), .bw or .bigwig (bigWig)")
        .file(path.string());
  }
  const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    throw InputError("cannot write the track: the folder " + folder.string() + " does not exist")
        .file(path.string());
  }
  if (::access(folder.c_str(), W_OK) != 0) {
    throw InputError("cannot write the track: the folder " + folder.string() + " is not writable")
        .file(path.string());
  }
  if (fs::is_directory(path, ec))
    throw InputError("cannot write the track: this is a folder").file(path.string());
  return format;
}

void write_impact_track(const fs::path& path, const ImpactTrack& track, const std::string& name,
                        const std::string& description) {
  const auto format = track_output_format(path);
  if (track.intervals.empty())
    throw InputError("nothing to write: the track has no intervals").file(path.string());
  if (format == TrackFormat::bigwig) {
    genome::BigWigTrack intervals;
    for (const auto& iv : track.intervals)
      intervals[iv.chrom].push_back({iv.start, iv.end, static_cast<float>(iv.value)});
    genome::write_bigwig(path, track.chromosomes, intervals);
    return;
  }
  AtomicFile file(path);
  auto& out = file.stream();
  out << "track type=bedGraph name=" << quoted(name);
  if (!description.empty()) out << " description=" << quoted(description);
  out << '\n';
  for (const auto& iv : track.intervals)
    out << iv.chrom << '\t' << iv.start << '\t' << iv.end << '\t' << number(iv.value) << '\n';
  file.commit();
}

} // namespace gc::perturb
