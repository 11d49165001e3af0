#include "gc/perturb/tables.h"

#include "gc/util/error.h"
#include "gc/util/line_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <unordered_set>

namespace gc::perturb {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string unquote(std::string_view f) {
  while (!f.empty() && (f.front() == ' ' || f.front() == '\t'))
    f.remove_prefix(1);
  while (!f.empty() && (f.back() == ' ' || f.back() == '\t'))
    f.remove_suffix(1);
  if (f.size() >= 2 && f.front() == '"' && f.back() == '"') f = f.substr(1, f.size() - 2);
  return std::string(f);
}

std::vector<std::string_view> fields_of(std::string_view line) {
  return line.find('\t') != std::string_view::npos ? split_tabs(line) : split_whitespace(line);
}

// A header of names and rows of numbers, as DREAM4 writes them (quoted names, tab-separated);
// `header` false reads rows only (the noise-free answers have no header).
struct NumericTable {
  std::vector<std::string> names;
  std::vector<std::vector<double>> rows;
};

NumericTable read_numeric_table(const fs::path& path, bool header, std::size_t columns = 0) {
  LineReader reader(path);
  NumericTable t;
  std::string_view line;
  bool have_header = !header;
  while (reader.next_line(line)) {
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    const auto f = fields_of(line);
    if (!have_header) {
      for (const auto& name : f)
        t.names.push_back(unquote(name));
      have_header = true;
      continue;
    }
    const std::size_t expected = header ? t.names.size() : (columns ? columns : f.size());
    if (f.size() != expected)
      throw reader.error("expected " + std::to_string(expected) + " values, found " +
                         std::to_string(f.size()));
    std::vector<double> row(f.size());
    for (std::size_t i = 0; i < f.size(); ++i) {
      if (!parse_double(unquote(f[i]), row[i]) || !std::isfinite(row[i]))
        throw reader.error("value " + std::to_string(i + 1) + " ('" + std::string(f[i]) +
                           "') is not a number");
    }
    t.rows.push_back(std::move(row));
  }
  if (!have_header) throw InputError("no header line").file(path.string());
  return t;
}

std::optional<fs::path> find_suffix(const fs::path& folder, const std::string& suffix) {
  std::vector<fs::path> hits;
  for (const auto& e : fs::directory_iterator(folder)) {
    const auto name = lower(e.path().filename().string());
    if (e.is_regular_file() && ends_with(name, suffix)) hits.push_back(e.path());
  }
  if (hits.empty()) return std::nullopt;
  if (hits.size() > 1)
    throw InputError("more than one *" + suffix + " file (" + hits[0].filename().string() + ", " +
                     hits[1].filename().string() + ")")
        .file(folder.string());
  return hits.front();
}

double dream4_log(double v) { return std::log2(std::max(v, 0.0) + 1.0); }

bool is_wild_type_name(const std::string& name) {
  static const std::unordered_set<std::string> names{"wt",        "wildtype", "wild_type", "wild-type",
                                                     "wild type", "control",  "ctrl"};
  return names.count(lower(name)) != 0;
}

// "N names (e.g. A, B, C)".
std::string examples(const std::vector<std::string>& names, std::size_t n = 5) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < n; ++i)
    out += (i ? ", " : "") + names[i];
  return out;
}

} // namespace

bool is_dream4_folder(const fs::path& folder) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return false;
  for (const auto& e : fs::directory_iterator(folder, ec)) {
    const auto name = lower(e.path().filename().string());
    if (ends_with(name, "_knockouts.tsv") || ends_with(name, "_knockdowns.tsv")) return true;
  }
  return false;
}

PerturbationDataset read_dream4(const fs::path& folder) {
  if (!fs::is_directory(folder)) throw InputError("not a folder").file(folder.string());
  PerturbationDataset d;
  d.source = folder.string();
  d.layout = "dream4";
  d.scale = Scale::log2_pseudocount;
  const auto wildtype = find_suffix(folder, "_wildtype.tsv");
  if (!wildtype)
    throw InputError("a DREAM4 folder needs *_wildtype.tsv (the control) beside its knockouts and "
                     "knockdowns")
        .file(folder.string());
  const auto wt = read_numeric_table(*wildtype, true);
  if (wt.rows.size() != 1)
    throw InputError("expected one wild-type row, found " + std::to_string(wt.rows.size()))
        .file(wildtype->string());
  d.genes = wt.names;
  d.index_genes();
  const auto n = d.genes.size();
  std::vector<double> control(n);
  for (std::size_t g = 0; g < n; ++g)
    control[g] = dream4_log(wt.rows[0][g]);
  d.control = {control};
  d.control_samples = {1};
  d.expression_level = control;

  auto add = [&](Intervention iv, const std::vector<double>& values) {
    Observation o;
    o.intervention = std::move(iv);
    o.samples = 1;
    o.mean.resize(n);
    o.delta.resize(n);
    for (std::size_t g = 0; g < n; ++g) {
      o.mean[g] = dream4_log(values[g]);
      o.delta[g] = o.mean[g] - control[g];
    }
    d.observations.push_back(std::move(o));
  };
  Json files = Json::object();
  files["wildtype"] = wildtype->filename().string();
  for (const auto& [suffix, mode] : {std::pair<std::string, std::string>{"_knockouts.tsv", "ko"},
                                     std::pair<std::string, std::string>{"_knockdowns.tsv", "kd:0.5"}}) {
    const auto path = find_suffix(folder, suffix);
    if (!path) continue;
    const auto t = read_numeric_table(*path, true);
    if (t.names != d.genes)
      throw InputError("the header differs from the wild type's (" + wildtype->filename().string() + ")")
          .file(path->string())
          .record("line 1");
    if (t.rows.size() != n)
      throw InputError("row i perturbs gene i: expected " + std::to_string(n) + " rows, found " +
                       std::to_string(t.rows.size()))
          .file(path->string());
    for (std::size_t i = 0; i < n; ++i)
      add(make_intervention(d.genes[i], mode), t.rows[i]);
    files[mode == "ko" ? "knockouts" : "knockdowns"] = path->filename().string();
  }
  const auto pairs = find_suffix(folder, "_dualknockouts_indexes.tsv");
  const auto answers = find_suffix(folder, "_nonoise_dualknockouts.tsv");
  if (pairs && answers) {
    const auto idx = read_numeric_table(*pairs, true);
    const auto values = read_numeric_table(*answers, false, n);
    if (idx.rows.size() != values.rows.size())
      throw InputError(std::to_string(idx.rows.size()) + " pairs but " + std::to_string(values.rows.size()) +
                       " answers in " + answers->filename().string())
          .file(pairs->string());
    for (std::size_t r = 0; r < idx.rows.size(); ++r) {
      std::vector<std::string> names;
      for (const double v : idx.rows[r]) {
        if (v != std::floor(v) || v < 1 || v > static_cast<double>(n))
          throw InputError("gene number " + std::to_string(v) + " is not between 1 and " + std::to_string(n))
              .file(pairs->string())
              .record("pair " + std::to_string(r + 1));
        names.push_back(d.genes[static_cast<std::size_t>(v) - 1]);
      }
      add(make_intervention(names.at(0) + "," + names.at(1), "ko"), values.rows[r]);
    }
    files["double_knockouts"] = answers->filename().string();
    d.notes["double_knockouts"] = "noise-free steady states (ODE), unlike the noisy single perturbations";
  }
  if (d.observations.empty())
    throw InputError("no *_knockouts.tsv or *_knockdowns.tsv in the folder").file(folder.string());
  d.notes["files"] = files;
  d.notes["values"] = "steady-state levels read as log2(x + 1)";
  d.check();
  return d;
}

PerturbationDataset read_profile_table(const fs::path& path) {
  LineReader reader(path);
  PerturbationDataset d;
  d.source = path.string();
  d.layout = "profiles";
  d.scale = Scale::log2_ratio;
  std::vector<std::string> profile_names;
  std::vector<std::vector<double>> columns; // [profile][gene]
  std::string_view line;
  while (reader.next_line(line)) {
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    const auto f = fields_of(line);
    if (profile_names.empty()) {
      if (f.size() < 2) throw reader.error("the header names no profiles");
      for (std::size_t i = 1; i < f.size(); ++i) {
        profile_names.push_back(unquote(f[i]));
        if (profile_names.back().empty()) throw reader.error("profile " + std::to_string(i) + " has no name");
      }
      columns.resize(profile_names.size());
      continue;
    }
    if (f.size() != profile_names.size() + 1)
      throw reader.error("expected a gene name and " + std::to_string(profile_names.size()) +
                         " values as in the header, found " + std::to_string(f.size()) + " fields");
    d.genes.push_back(unquote(f[0]));
    for (std::size_t i = 0; i + 1 < f.size(); ++i) {
      double v = 0;
      if (!parse_double(f[i + 1], v) || !std::isfinite(v))
        throw reader.error("value '" + std::string(f[i + 1]) + "' of profile '" + profile_names[i] +
                           "' (gene " + d.genes.back() + ") is not a number");
      columns[i].push_back(v);
    }
  }
  if (profile_names.empty()) throw InputError("no header line").file(path.string());
  if (d.genes.empty()) throw InputError("no gene rows after the header").file(path.string());
  d.index_genes();
  const auto n = d.genes.size();
  d.control = {std::vector<double>(n, 0.0)};

  // Profiles with the same intervention are replicates: averaged.
  std::map<std::string, std::size_t> by_label;
  std::vector<std::string> unmatched;
  std::int64_t wild_type = 0, replicates = 0;
  for (std::size_t p = 0; p < profile_names.size(); ++p) {
    if (is_wild_type_name(profile_names[p])) {
      ++wild_type;
      continue;
    }
    Intervention iv;
    try {
      iv = parse_label(profile_names[p]);
    } catch (InputError& e) {
      throw e.file(path.string()).record("header, profile " + std::to_string(p + 1));
    }
    const auto label = iv.label();
    const auto [it, fresh] = by_label.emplace(label, d.observations.size());
    if (fresh) {
      Observation o;
      o.intervention = std::move(iv);
      o.delta.assign(n, 0.0);
      d.observations.push_back(std::move(o));
      for (const auto& g : d.observations.back().intervention.genes)
        if (!d.gene_index(g.gene)) unmatched.push_back(g.gene);
    } else {
      ++replicates;
    }
    auto& o = d.observations[it->second];
    for (std::size_t g = 0; g < n; ++g)
      o.delta[g] += columns[p][g];
    ++o.samples;
  }
  for (auto& o : d.observations) {
    for (auto& v : o.delta)
      v /= static_cast<double>(o.samples);
    o.mean = o.delta;
  }
  d.control_samples = {wild_type};
  std::int64_t measured = 0;
  for (const auto& o : d.observations)
    measured += d.all_measured(o.intervention) ? 1 : 0;
  d.notes["values"] = "log2 ratios vs wild type as given; control = 0";
  d.notes["wild_type_profiles"] = wild_type;
  if (replicates) d.notes["replicate_profiles_averaged"] = replicates;
  if (!unmatched.empty()) {
    d.notes["perturbed_genes_not_measured"] = static_cast<std::int64_t>(unmatched.size());
    d.notes["perturbed_genes_not_measured_examples"] = Json::array_of(std::vector<std::string>(
        unmatched.begin(), unmatched.begin() + std::min<std::size_t>(unmatched.size(), 5)));
  }
  if (d.observations.empty())
    throw InputError("no profile names an intervention (only wild-type columns)").file(path.string());
  if (measured == 0)
    throw InputError("none of the " + std::to_string(d.observations.size()) +
                     " perturbed genes is a gene of the table (profiles name e.g. " + examples(unmatched) +
                     "; rows name e.g. " + examples(d.genes) + ")")
        .file(path.string());
  d.check();
  return d;
}

TruthTable read_truth_table(const fs::path& path, const Progress& progress) {
  LineReader in(path);
  TruthTable t;
  t.source = path.string();
  std::string_view line;
  if (!in.next_line(line)) throw in.error("empty truth table");
  std::vector<std::string> header;
  for (const auto f : split_tabs(line))
    header.push_back(unquote(f));
  const auto column = [&](const char* name) {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end())
      throw in.error(std::string("the header has no column '") + name +
                     "' (a truth table has perturbation, cell_type, gene, expected_log2fc)");
    return static_cast<std::size_t>(it - header.begin());
  };
  const auto c_label = column("perturbation"), c_group = column("cell_type"), c_gene = column("gene"),
             c_value = column("expected_log2fc");
  const auto needed = std::max({c_label, c_group, c_gene, c_value}) + 1;
  // Labels repeat for thousands of rows: each is parsed into its canonical form once.
  std::unordered_map<std::string, std::string> canonical;
  while (in.next_line(line)) {
    if (in.line_number() % 20000 == 0) progress.update(in.fraction(), "reading " + t.source);
    if (line.empty()) continue;
    const auto f = split_tabs(line);
    if (f.size() < needed)
      throw in.error("expected " + std::to_string(needed) + " tab-separated fields, found " +
                     std::to_string(f.size()));
    double value = 0.0;
    if (!parse_double(f[c_value], value) || !std::isfinite(value))
      throw in.error("expected_log2fc '" + std::string(f[c_value]) + "' is not a finite number");
    const std::string raw(f[c_label]);
    auto it = canonical.find(raw);
    if (it == canonical.end()) {
      try {
        it = canonical.emplace(raw, parse_label(raw).label()).first;
      } catch (const InputError& e) {
        throw in.error("perturbation '" + raw + "': " + e.what());
      }
    }
    t.responses[{it->second, std::string(f[c_group])}][std::string(f[c_gene])] = value;
  }
  if (t.responses.empty()) throw in.error("the truth table has no rows");
  return t;
}

std::vector<std::string> read_gene_list(const fs::path& path) {
  LineReader reader(path);
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  std::string_view line;
  while (reader.next_line(line)) {
    const auto f = split_whitespace(line);
    if (f.empty() || f.front().front() == '#') continue;
    auto name = unquote(f.front());
    if (seen.insert(name).second) out.push_back(std::move(name));
  }
  if (out.empty()) throw InputError("no gene names").file(path.string());
  return out;
}

} // namespace gc::perturb
