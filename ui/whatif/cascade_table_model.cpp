#include "gc/ui/whatif/cascade_table_model.h"

#include <QColor>

namespace gc::ui::whatif {

void CascadeTableModel::set_response(std::shared_ptr<const Response> response) {
  beginResetModel();
  m_response = std::move(response);
  m_rows.clear();
  if (m_response)
    for (std::size_t r = 0; r < m_response->rows.size(); ++r)
      m_rows.emplace(m_response->rows[r].gene, static_cast<int>(r));
  endResetModel();
}

int CascadeTableModel::row_of(const std::string& gene) const {
  const auto it = m_rows.find(gene);
  return it == m_rows.end() ? -1 : it->second;
}

int CascadeTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !m_response ? 0 : static_cast<int>(m_response->rows.size());
}

int CascadeTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : column_count;
}

QVariant CascadeTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const auto& r = row_at(index.row());
  const auto column = static_cast<Column>(index.column());
  if (role == sort_role) {
    switch (column) {
    case delta: return r.delta;
    case sd: return r.sd;
    case step: return r.step;
    case log2fc: return r.log2fc;
    default: break;
    }
    role = Qt::DisplayRole;
  }
  if (role == Qt::DisplayRole) {
    switch (column) {
    case gene: return QString::fromStdString(r.gene);
    case delta: return QString::number(r.delta, 'f', 4);
    case sd: return QString::number(r.sd, 'f', 4);
    case step:
      return r.step == 0 ? QString("perturbed") : r.step < 0 ? QString("\u2014") : QString::number(r.step);
    case via: return r.via.empty() ? QString("\u2014") : QString::fromStdString(r.via);
    case log2fc: return QString::number(r.log2fc, 'f', 3);
    case column_count: break;
    }
    return {};
  }
  if (role == Qt::ForegroundRole && (column == delta || column == log2fc)) {
    // The charts' Okabe–Ito pair: vermillion up, blue down.
    const double v = column == delta ? r.delta : r.log2fc;
    if (v > 0) return QColor(213, 94, 0);
    if (v < 0) return QColor(0, 114, 178);
    return {};
  }
  if (role == Qt::TextAlignmentRole && column != gene && column != via)
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  if (role == Qt::ToolTipRole) {
    if (r.step == 0) return QString("%1 is perturbed: Δ %2").arg(QString::fromStdString(r.gene)).arg(r.delta);
    if (r.step < 0) return QString("%1 does not move").arg(QString::fromStdString(r.gene));
    return QString("%1 moves %2 edge(s) downstream of the intervention, through %3: Δ %4 ± %5, log2FC %6")
        .arg(QString::fromStdString(r.gene))
        .arg(r.step)
        .arg(QString::fromStdString(r.via))
        .arg(r.delta, 0, 'f', 4)
        .arg(r.sd, 0, 'f', 4)
        .arg(r.log2fc, 0, 'f', 3);
  }
  return {};
}

QVariant CascadeTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  if (role == Qt::ToolTipRole) {
    switch (static_cast<Column>(section)) {
    case delta: return "Predicted change of expression (the model's scale)";
    case sd: return "Spread of Δ over draws of the latent";
    case step: return "Edges downstream of the intervention at which the gene first moves";
    case via: return "The regulator it moves through at that step";
    case log2fc: return "Predicted vs control, log2 fold change of amounts";
    default: return {};
    }
  }
  if (role != Qt::DisplayRole) return {};
  switch (static_cast<Column>(section)) {
  case gene: return "gene";
  case delta: return "Δ";
  case sd: return "sd";
  case step: return "step";
  case via: return "via";
  case log2fc: return "log2FC";
  case column_count: break;
  }
  return {};
}

CascadeSortProxy::CascadeSortProxy(QObject* parent) : QSortFilterProxyModel(parent) {
  setSortRole(CascadeTableModel::sort_role);
}

} // namespace gc::ui::whatif
