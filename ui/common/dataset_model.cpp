#include "gc/ui/common/dataset_model.h"

#include "gc/ui/workspace.h"

#include <QColor>
#include <QFileInfo>

namespace gc::ui {
namespace {

// internalId layout: bits 0..30 warning position (or all ones), bit 31 group flag, bits 32..
// dataset + 1 (0 = top-level row).
constexpr quintptr no_warning = 0x7fffffff;
quintptr make_id(int dataset, bool group, int warning) {
  return (static_cast<quintptr>(dataset + 1) << 32) | (group ? (quintptr{1} << 31) : 0) |
         (warning < 0 ? no_warning : static_cast<quintptr>(warning));
}

} // namespace

DatasetModel::DatasetModel(Workspace* workspace, QObject* parent)
    : QAbstractItemModel(parent), m_workspace(workspace) {
  static_assert(sizeof(quintptr) >= 8, "the model packs indexes into 64-bit ids");
  connect(workspace, &Workspace::dataset_added, this, [this](int) {
    // Insertion may also change earlier rows' warnings (a reference arrived): reset.
    beginResetModel();
    endResetModel();
  });
  connect(workspace, &Workspace::reconciled, this, [this] {
    beginResetModel();
    endResetModel();
  });
  connect(workspace, &Workspace::cleared, this, [this] {
    beginResetModel();
    endResetModel();
  });
}

DatasetModel::Node DatasetModel::node(const QModelIndex& index) const {
  if (!index.isValid()) return {};
  const quintptr id = index.internalId();
  const int owner = static_cast<int>(id >> 32) - 1;
  if (owner < 0) return {index.row(), false, -1};
  const bool group_parent = (id >> 31) & 1;
  // A child row: its parent (owner, group_parent) is encoded in the id, its position is the row.
  if (grouped(owner) && !group_parent) return {owner, true, -1};
  return {owner, false, index.row()};
}

bool DatasetModel::grouped(int dataset) const {
  const auto& ds = m_workspace->datasets();
  return dataset >= 0 && dataset < static_cast<int>(ds.size()) &&
         ds[static_cast<std::size_t>(dataset)]->warnings.size() > max_inline_warnings;
}

QModelIndex DatasetModel::index(int row, int column, const QModelIndex& parent) const {
  if (row < 0 || column < 0 || column >= ColumnCount || row >= rowCount(parent)) return {};
  if (!parent.isValid()) return createIndex(row, column, quintptr{0});
  const Node p = node(parent);
  // Children of a dataset row: the group row or the warnings; children of a group: warnings.
  return createIndex(row, column, make_id(p.dataset, p.group, -1));
}

QModelIndex DatasetModel::parent(const QModelIndex& child) const {
  if (!child.isValid()) return {};
  const quintptr id = child.internalId();
  const int owner = static_cast<int>(id >> 32) - 1;
  if (owner < 0) return {};
  const bool under_group = (id >> 31) & 1;
  if (under_group) return createIndex(0, 0, make_id(owner, false, -1));
  return createIndex(owner, 0, quintptr{0});
}

int DatasetModel::rowCount(const QModelIndex& parent) const {
  const auto& ds = m_workspace->datasets();
  if (!parent.isValid()) return static_cast<int>(ds.size());
  if (parent.column() != 0) return 0;
  const Node n = node(parent);
  if (n.dataset < 0 || n.dataset >= static_cast<int>(ds.size()) || n.warning >= 0) return 0;
  const int warnings = static_cast<int>(ds[static_cast<std::size_t>(n.dataset)]->warnings.size());
  const bool top = !parent.parent().isValid();
  if (top) return grouped(n.dataset) ? 1 : warnings;
  return n.group ? warnings : 0;
}

int DatasetModel::columnCount(const QModelIndex&) const { return ColumnCount; }

bool DatasetModel::is_warning(const QModelIndex& index) const {
  return index.isValid() && index.parent().isValid();
}

QVariant DatasetModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const auto& ds = m_workspace->datasets();
  const Node n = node(index);
  if (n.dataset < 0 || n.dataset >= static_cast<int>(ds.size())) return {};
  const Dataset& d = *ds[static_cast<std::size_t>(n.dataset)];
  if (!index.parent().isValid()) {
    if (role == Qt::DisplayRole) {
      switch (index.column()) {
      case FileColumn: return QFileInfo(d.path).fileName();
      case KindColumn: return d.kind_label.isEmpty() ? to_string(d.kind) : d.kind_label;
      case SummaryColumn: return d.summary;
      default: return {};
      }
    }
    if (role == Qt::ToolTipRole) return index.column() == SummaryColumn ? d.summary : d.path;
    if (role == PathRole) return d.path;
    return {};
  }
  if (index.column() != 0) return {};
  if (role == Qt::ForegroundRole) return QColor(190, 110, 0);
  if (n.group) {
    if (role == Qt::DisplayRole) return tr("⚠ %1 chromosome warnings").arg(d.warnings.size());
    if (role == Qt::ToolTipRole) return d.warnings.join("\n");
    return {};
  }
  if (n.warning < 0 || n.warning >= d.warnings.size()) return {};
  if (role == Qt::DisplayRole) return "⚠ " + d.warnings[n.warning];
  if (role == Qt::ToolTipRole) return d.warnings[n.warning];
  return {};
}

QVariant DatasetModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
  case FileColumn: return tr("File");
  case KindColumn: return tr("Kind");
  case SummaryColumn: return tr("Summary");
  default: return {};
  }
}

} // namespace gc::ui
