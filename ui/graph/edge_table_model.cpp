#include "gc/ui/graph/edge_table_model.h"

#include "gc/ui/graph/graph_renderer.h"

namespace gc::ui::graph {

void EdgeTableModel::set_edges(std::shared_ptr<const GraphData> data, std::vector<std::size_t> edges) {
  beginResetModel();
  m_data = std::move(data);
  m_edges = std::move(edges);
  m_rows.clear();
  for (std::size_t r = 0; r < m_edges.size(); ++r)
    m_rows.emplace(m_edges[r], static_cast<int>(r));
  endResetModel();
}

int EdgeTableModel::row_of(std::size_t edge) const {
  const auto it = m_rows.find(edge);
  return it == m_rows.end() ? -1 : it->second;
}

int EdgeTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_edges.size());
}

int EdgeTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : column_count;
}

QVariant EdgeTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || !m_data || index.row() >= rowCount()) return {};
  const auto& e = m_data->edges[m_edges[static_cast<std::size_t>(index.row())]];
  const auto name = [&](int g) { return QString::fromStdString(m_data->genes[static_cast<std::size_t>(g)]); };
  const auto column = static_cast<Column>(index.column());
  if (role == sort_role) {
    switch (column) {
    case score: return e.score;
    case rank: return e.rank;
    case sign: return e.sign;
    default: break;
    }
    role = Qt::DisplayRole;
  }
  if (role == Qt::DisplayRole) {
    switch (column) {
    case regulator: return name(e.regulator);
    case target: return name(e.target);
    case score: return QString::number(e.score, 'g', 4);
    case rank: return e.rank;
    case sign:
      return QString::fromUtf8(sign_text(e.sign).data(), static_cast<qsizetype>(sign_text(e.sign).size()));
    case provenance: {
      const auto p = to_string(e.provenance);
      return p.empty() ? QString("\u2014") : QString::fromStdString(p);
    }
    case in_reference:
      return !m_data->has_reference() ? QString("\u2014") : e.in_reference ? QString("yes") : QString("no");
    case column_count: break;
    }
    return {};
  }
  if (role == Qt::ForegroundRole) {
    if (column == sign && e.sign != 0) return sign_colour(e.sign);
    if (column == in_reference && m_data->has_reference()) return class_colour(classify(*m_data, e));
    return {};
  }
  if (role == Qt::TextAlignmentRole && (column == score || column == rank || column == sign))
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  if (role == Qt::ToolTipRole) {
    return QString("%1 → %2, score %3, rank %4")
        .arg(name(e.regulator), name(e.target))
        .arg(e.score)
        .arg(e.rank);
  }
  return {};
}

QVariant EdgeTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (static_cast<Column>(section)) {
  case regulator: return "regulator";
  case target: return "target";
  case score: return "score";
  case rank: return "rank";
  case sign: return "sign";
  case provenance: return "provenance";
  case in_reference: return "in reference";
  case column_count: break;
  }
  return {};
}

EdgeFilterProxy::EdgeFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
  setSortRole(EdgeTableModel::sort_role);
}

void EdgeFilterProxy::set_gene_filter(const QString& text) {
  m_text = text.trimmed();
  invalidateFilter();
}

bool EdgeFilterProxy::filterAcceptsRow(int source_row, const QModelIndex& source_parent) const {
  if (m_text.isEmpty()) return true;
  const auto* m = sourceModel();
  for (const int c : {EdgeTableModel::regulator, EdgeTableModel::target}) {
    if (m->index(source_row, c, source_parent).data().toString().contains(m_text, Qt::CaseInsensitive))
      return true;
  }
  return false;
}

} // namespace gc::ui::graph
