#include "gc/ui/main_window.h"

#include "gc/ui/about.h"
#include "gc/ui/figure_export.h"
#include "gc/ui/log_dock.h"
#include "gc/ui/task_runner.h"
#include "gc/ui/vtk_view.h"
#include "gc/util/atomic_file.h"
#include "gc/util/error.h"
#include "gc/util/json.h"
#include "gc/util/log.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace gc::ui {
namespace {
constexpr int max_recent = 10;
constexpr const char* recent_key = "recentFiles";

QString human_size(qint64 bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024.0 && u < 4) {
    v /= 1024.0;
    ++u;
  }
  return QString::number(v, 'f', u == 0 ? 0 : 1) + " " + units[u];
}

// What a file is, from its name, for the Data panel until a reader has opened it.
QString kind_from_name(const QString& name) {
  const QString n = name.toLower();
  const auto ends = [&](std::initializer_list<const char*> exts) {
    for (const char* e : exts)
      if (n.endsWith(e)) return true;
    return false;
  };
  if (ends({".fa", ".fasta", ".fna", ".fa.gz", ".fasta.gz", ".fna.gz"})) return "genome (FASTA)";
  if (ends({".gtf", ".gtf.gz", ".gff", ".gff3", ".gff.gz", ".gff3.gz"})) return "annotation";
  if (ends({".vcf", ".vcf.gz", ".bcf"})) return "variants";
  if (ends({".bed", ".bed.gz", ".bedgraph", ".bg"})) return "intervals";
  if (ends({".cool", ".mcool", ".scool", ".hic"})) return "Hi-C";
  if (ends({".h5ad", ".h5", ".mtx", ".mtx.gz", ".csv", ".tsv", ".csv.gz", ".tsv.gz"}))
    return "expression / table";
  return "unknown";
}
} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), m_tasks(new TaskRunner(this)) {
  setWindowTitle("GenoCircuit Studio");
  setObjectName("MainWindow");
  resize(1280, 800);
  setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowNestedDocks | QMainWindow::AllowTabbedDocks);

  m_tabs = new QTabWidget(this);
  m_tabs->setDocumentMode(true);
  auto* welcome = new QLabel(this);
  welcome->setObjectName("Welcome");
  welcome->setAlignment(Qt::AlignCenter);
  welcome->setWordWrap(true);
  welcome->setText(
      "<h2>GenoCircuit Studio</h2>"
      "<p>Load a genome, its annotation, Hi-C maps, variants and expression or perturbation data,<br>"
      "browse attention across six biological levels, inspect regulatory graphs,<br>"
      "and ask what knocking a gene out would do.</p>"
      "<p>Use <b>File ▸ Open…</b> or drop files here. Everything is reproducible with "
      "<code>genocircuit-cli</code>.</p>");
  m_tabs->addTab(welcome, tr("Start"));
  m_vtk = new VtkView(this);
  m_vtk->setObjectName("ChromatinView");
  m_tabs->addTab(m_vtk, tr("3D chromatin"));
  setCentralWidget(m_tabs);
  setAcceptDrops(true);

  build_docks();
  build_menus();
  build_status_bar();
  gc::log::info("GenoCircuit Studio ready");
}

MainWindow::~MainWindow() = default;

void MainWindow::build_docks() {
  auto* data_dock = new QDockWidget(tr("Data"), this);
  data_dock->setObjectName("DataDock");
  m_data = new QTreeWidget(data_dock);
  m_data->setHeaderLabels({tr("Dataset"), tr("Kind"), tr("Size")});
  m_data->setRootIsDecorated(false);
  m_data->header()->setSectionResizeMode(0, QHeaderView::Stretch);
  data_dock->setWidget(m_data);
  addDockWidget(Qt::LeftDockWidgetArea, data_dock);

  m_log = new LogDock(this);
  addDockWidget(Qt::BottomDockWidgetArea, m_log);
  resizeDocks({data_dock}, {300}, Qt::Horizontal);
  resizeDocks({m_log}, {160}, Qt::Vertical);
}

void MainWindow::build_menus() {
  auto* file = menuBar()->addMenu(tr("&File"));
  auto* open = file->addAction(tr("&Open…"), this, [this] {
    const auto paths = QFileDialog::getOpenFileNames(
        this, tr("Open data"), QString(),
        tr("Genomics data (*.fa *.fasta *.fa.gz *.gtf *.gff *.gff3 *.bed *.vcf *.vcf.gz *.bcf *.cool *.mcool "
           "*.hic *.h5ad *.h5 *.mtx *.csv *.tsv);;All files (*)"));
    if (!paths.isEmpty()) open_files(paths);
  });
  open->setShortcut(QKeySequence::Open);
  m_recent_menu = file->addMenu(tr("Open &Recent"));
  rebuild_recent_menu();
  file->addSeparator();
  auto* save = file->addAction(tr("&Save Session…"), this, [this] {
    const auto path = QFileDialog::getSaveFileName(this, tr("Save session"), QString(),
                                                   tr("Session (*.gcsession.json *.json)"));
    if (!path.isEmpty()) save_session(path);
  });
  save->setShortcut(QKeySequence::Save);
  file->addAction(tr("&Export Figure…"), this, [this] {
    const auto path = QFileDialog::getSaveFileName(this, tr("Export figure"), QString(),
                                                   tr("SVG (*.svg);;PDF (*.pdf);;PNG at 300 DPI (*.png)"));
    if (!path.isEmpty()) export_current_view(path);
  });
  file->addSeparator();
  auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  m_view_menu = menuBar()->addMenu(tr("&View"));
  for (auto* dock : findChildren<QDockWidget*>())
    m_view_menu->addAction(dock->toggleViewAction());

  auto* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About GenoCircuit Studio"), this, &MainWindow::show_about);
}

void MainWindow::build_status_bar() {
  m_status = new QLabel(tr("Ready"), this);
  m_progress = new QProgressBar(this);
  m_progress->setRange(0, 1000);
  m_progress->setMaximumWidth(220);
  m_progress->setVisible(false);
  m_cancel = new QToolButton(this);
  m_cancel->setText(tr("Cancel"));
  m_cancel->setToolTip(tr("Cancel the running task"));
  m_cancel->setVisible(false);
  statusBar()->addWidget(m_status, 1);
  statusBar()->addPermanentWidget(m_progress);
  statusBar()->addPermanentWidget(m_cancel);
  connect(m_cancel, &QToolButton::clicked, m_tasks, &TaskRunner::cancel_all);
  connect(m_tasks, &TaskRunner::started, this, [this](const QString& title) {
    m_status->setText(title + "…");
    m_progress->setValue(0);
    m_progress->setVisible(true);
    m_cancel->setVisible(true);
  });
  connect(m_tasks, &TaskRunner::progressed, this, [this](double f, const QString& message) {
    m_progress->setValue(static_cast<int>(f * 1000.0));
    if (!message.isEmpty()) m_status->setText(message);
  });
  connect(m_tasks, &TaskRunner::finished, this,
          [this](const QString& title, bool cancelled, const QString& error) {
            const bool idle = m_tasks->running() == 0;
            m_progress->setVisible(!idle);
            m_cancel->setVisible(!idle);
            if (cancelled) {
              m_status->setText(title + tr(": cancelled"));
            } else if (!error.isEmpty()) {
              m_status->setText(title + tr(": failed"));
              show_error(error);
            } else {
              m_status->setText(title + tr(": done"));
            }
          });
}

QStringList MainWindow::recent_files() const { return QSettings().value(recent_key).toStringList(); }

void MainWindow::rebuild_recent_menu() {
  m_recent_menu->clear();
  const auto recent = recent_files();
  for (const auto& path : recent) {
    m_recent_menu->addAction(QFileInfo(path).fileName(), this, [this, path] { open_files({path}); })
        ->setToolTip(path);
  }
  m_recent_menu->setEnabled(!recent.isEmpty());
}

void MainWindow::open_files(const QStringList& paths) {
  QSettings settings;
  QStringList recent = recent_files();
  for (const auto& path : paths) {
    const QFileInfo info(path);
    try {
      gc::require_readable_file(info.absoluteFilePath().toStdString());
    } catch (const gc::Error& e) {
      show_error(QString::fromStdString(e.what()));
      continue;
    }
    auto* item = new QTreeWidgetItem(
        m_data, {info.fileName(), kind_from_name(info.fileName()), human_size(info.size())});
    item->setToolTip(0, info.absoluteFilePath());
    item->setData(0, Qt::UserRole, info.absoluteFilePath());
    recent.removeAll(info.absoluteFilePath());
    recent.prepend(info.absoluteFilePath());
    gc::log::info("opened ", info.absoluteFilePath().toStdString());
  }
  while (recent.size() > max_recent)
    recent.removeLast();
  settings.setValue(recent_key, recent);
  rebuild_recent_menu();
}

void MainWindow::save_session(const QString& path) {
  try {
    const QDir base = QFileInfo(path).absoluteDir();
    gc::Json session = gc::Json::object();
    session["format"] = "genocircuit-session";
    session["version"] = 1;
    gc::Json files = gc::Json::array();
    for (int i = 0; i < m_data->topLevelItemCount(); ++i) {
      files.push_back(
          base.relativeFilePath(m_data->topLevelItem(i)->data(0, Qt::UserRole).toString()).toStdString());
    }
    session["files"] = std::move(files);
    session["current_view"] = m_tabs->tabText(m_tabs->currentIndex()).toStdString();
    session["window_state"] = saveState().toBase64().toStdString();
    gc::AtomicFile out(path.toStdString());
    out.stream() << session.dump(2) << '\n';
    out.commit();
    gc::log::info("session saved to ", path.toStdString());
  } catch (const std::exception& e) {
    show_error(QString::fromStdString(e.what()));
  }
}

void MainWindow::restore_session(const QString& path) {
  try {
    const gc::Json session = gc::Json::parse(gc::read_text_file(path.toStdString()));
    if (session.value("format", std::string()) != "genocircuit-session")
      throw gc::InputError("not a GenoCircuit session (missing \"format\": \"genocircuit-session\")");
    const QDir base = QFileInfo(path).absoluteDir();
    QStringList present, missing;
    if (const auto* files = session.find("files")) {
      for (const auto& f : files->as_array()) {
        const QString abs = QDir::cleanPath(base.absoluteFilePath(QString::fromStdString(f.as_string())));
        (QFileInfo::exists(abs) ? present : missing) << abs;
      }
    }
    open_files(present);
    if (const auto* state = session.find("window_state"))
      restoreState(QByteArray::fromBase64(QByteArray::fromStdString(state->as_string())));
    const QString view = QString::fromStdString(session.value("current_view", std::string()));
    for (int i = 0; i < m_tabs->count(); ++i)
      if (m_tabs->tabText(i) == view) m_tabs->setCurrentIndex(i);
    if (!missing.isEmpty())
      show_error(tr("The session %1 names files that no longer exist; the rest was restored:\n%2")
                     .arg(path, missing.join("\n")));
  } catch (gc::Error& e) {
    e.file(path.toStdString());
    show_error(QString::fromStdString(e.what()));
  }
}

void MainWindow::export_current_view(const QString& path, int dpi) {
  try {
    export_widget_figure(m_tabs->currentWidget(), path, {.dpi = dpi, .width_mm = 0.0});
    gc::log::info("figure written to ", path.toStdString());
  } catch (const std::exception& e) {
    show_error(QString::fromStdString(e.what()));
  }
}

void MainWindow::show_about() {
  auto* about = new AboutDialog(this);
  about->setAttribute(Qt::WA_DeleteOnClose);
  about->show();
}

void MainWindow::show_error(const QString& message) {
  gc::log::error(message.toStdString());
  // Non-modal: the user keeps working while the message is up.
  auto* box = new QMessageBox(QMessageBox::Warning, tr("GenoCircuit Studio"), message, QMessageBox::Ok, this);
  box->setObjectName("ErrorMessage");
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->setModal(false);
  box->show();
}

void MainWindow::closeEvent(QCloseEvent* e) {
  m_tasks->cancel_all();
  m_tasks->wait_all();
  e->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
  if (e->mimeData()->hasUrls()) e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e) {
  QStringList paths;
  for (const auto& url : e->mimeData()->urls())
    if (url.isLocalFile()) paths << url.toLocalFile();
  if (!paths.isEmpty()) open_files(paths);
  e->acceptProposedAction();
}

} // namespace gc::ui
