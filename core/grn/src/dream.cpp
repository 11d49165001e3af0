// DREAM challenge scoring; the definitions are in dream.h.
#include "gc/grn/dream.h"

#include "gc/util/error.h"
#include "gc/util/line_reader.h"

#include <cmath>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace gc::grn {
namespace {

std::string pair_key(const std::string& a, const std::string& b) {
  std::string key = a;
  key += '\t';
  key += b;
  return key;
}

} // namespace

DreamGoldStandard read_dream_gold_standard(const std::filesystem::path& path) {
  LineReader reader(path);
  DreamGoldStandard gold;
  std::unordered_set<std::string> seen;
  std::string_view line;
  while (reader.next_line(line)) {
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    const auto fields = line.find('\t') != std::string_view::npos ? split_tabs(line) : split_whitespace(line);
    if (fields.size() != 3) {
      throw reader.error("expected 3 fields (regulator, target, 1 or 0), found " +
                         std::to_string(fields.size()));
    }
    std::int64_t label = 0;
    if (!parse_int(fields[2], label) || (label != 0 && label != 1))
      throw reader.error("label must be 1 or 0, found '" + std::string(fields[2]) + "'");
    std::string a(fields[0]);
    std::string b(fields[1]);
    if (!seen.insert(pair_key(a, b)).second) throw reader.error("edge " + pair_key(a, b) + " listed twice");
    gold.edges.emplace_back(std::move(a), std::move(b));
    gold.labels.push_back(static_cast<std::uint8_t>(label));
  }
  return gold;
}

DreamGoldStandard dream_gold_standard(const std::vector<std::pair<std::string, std::string>>& truth,
                                      const std::vector<std::string>& genes) {
  std::unordered_set<std::string> positive;
  for (const auto& [a, b] : truth)
    positive.insert(pair_key(a, b));
  DreamGoldStandard gold;
  for (const auto& a : genes) {
    for (const auto& b : genes) {
      if (a == b) continue;
      gold.edges.emplace_back(a, b);
      gold.labels.push_back(positive.contains(pair_key(a, b)) ? 1 : 0);
    }
  }
  return gold;
}

DreamScore dream_score(const std::vector<ScoredEdge>& ranked, const DreamGoldStandard& gold, bool curves) {
  if (gold.edges.size() != gold.labels.size()) {
    throw InputError("gold standard has " + std::to_string(gold.edges.size()) + " edges but " +
                     std::to_string(gold.labels.size()) + " labels");
  }
  std::unordered_map<std::string, std::size_t> index;
  index.reserve(gold.edges.size());
  for (std::size_t i = 0; i < gold.edges.size(); ++i)
    index.emplace(pair_key(gold.edges[i].first, gold.edges[i].second), i);

  DreamScore out;
  out.candidates = static_cast<std::int64_t>(gold.edges.size());
  for (const auto l : gold.labels)
    out.positives += l != 0 ? 1 : 0;
  const auto t = static_cast<double>(out.candidates);
  const auto p = static_cast<double>(out.positives);
  const double n = t - p;
  if (out.positives == 0 || out.positives == out.candidates) {
    throw InputError("DREAM scoring needs a gold standard with true and false edges (" +
                     std::to_string(out.positives) + " of " + std::to_string(out.candidates) + " are true)");
  }

  // The list: area under the interpolated precision and the ROC integral of FPR over TPR.
  std::vector<std::uint8_t> used(gold.edges.size(), 0);
  double area = 0.0;  // Ak
  double left = 0.0;  // integral of FPR d(TPR), AUROC = 1 - left
  std::int64_t k = 0; // distinct ranks so far
  std::int64_t tp = 0;
  std::int64_t fp = 0;
  for (const auto& e : ranked) {
    const auto it = index.find(pair_key(e.regulator, e.target));
    if (it == index.end()) {
      throw InputError("edge " + e.regulator + " -> " + e.target + " is not in the gold standard")
          .context("DREAM scoring");
    }
    if (used[it->second] != 0) continue;
    used[it->second] = 1;
    ++k;
    if (gold.labels[it->second] != 0) {
      ++tp;
      area += k == 1 ? 1.0 / p
                     : (1.0 - static_cast<double>(fp) *
                                  std::log(static_cast<double>(k) / static_cast<double>(k - 1))) /
                           p;
      left += static_cast<double>(fp) / n / p;
    } else {
      ++fp;
    }
    if (curves) {
      out.precision.push_back(static_cast<double>(tp) / static_cast<double>(k));
      out.recall.push_back(static_cast<double>(tp) / p);
      out.fpr.push_back(static_cast<double>(fp) / n);
    }
  }
  out.predictions = k;
  out.true_positives = tp;
  const auto l = static_cast<double>(k);
  const auto tpl = static_cast<double>(tp);
  const double rho = k < out.candidates ? (p - tpl) / (t - l) : 0.0;

  if (k == 0) {
    out.aupr = p / t;
  } else if (rho > 0.0) {
    out.aupr = area + rho / p * ((p - tpl) + (tpl - rho * l) * std::log(t / l));
  } else {
    out.aupr = area;
  }
  // The tail's expected ROC points lie on the line from the list's last point to (1, 1).
  const double fpr_l = static_cast<double>(fp) / n;
  left += (1.0 - tpl / p) * (fpr_l + 1.0) / 2.0;
  out.auroc = 1.0 - left;

  if (curves) {
    for (std::int64_t j = tp + 1; j <= out.positives; ++j) {
      // Expected precision once the tail has supplied j - TP_L more positives.
      const double rec = static_cast<double>(j) / p;
      const double prec = rho * p * rec / ((static_cast<double>(j) - tpl) + l * rho);
      out.precision.push_back(prec);
      out.recall.push_back(rec);
      out.fpr.push_back(static_cast<double>(j) * (1.0 - prec) / prec / n);
    }
  }
  return out;
}

} // namespace gc::grn
