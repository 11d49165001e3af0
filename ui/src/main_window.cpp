#include "gc/ui/main_window.h"

#include "gc/plugins/host.h"
#include "gc/session/session.h"
#include "gc/ui/about.h"
#include "gc/ui/browser/genome_browser.h"
#include "gc/ui/chromatin/chromatin_view.h"
#include "gc/ui/common/dataset_model.h"
#include "gc/ui/common/export_dialog.h"
#include "gc/ui/common/figure_view.h"
#include "gc/ui/demo_world.h"
#include "gc/ui/graph/graph_view.h"
#include "gc/ui/hic/hic_map_view.h"
#include "gc/ui/json_bridge.h"
#include "gc/ui/log_dock.h"
#include "gc/ui/plugins_dialog.h"
#include "gc/ui/task_runner.h"
#include "gc/ui/whatif/whatif_view.h"
#include "gc/ui/workspace.h"
#include "gc/util/atomic_file.h"
#include "gc/util/error.h"
#include "gc/util/log.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>

namespace gc::ui {
namespace {
constexpr int max_recent = 10;
constexpr const char* recent_key = "recentFiles";

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_tasks(new TaskRunner(this)), m_workspace(new Workspace(m_tasks, this)) {
  setWindowTitle("GenoCircuit Studio");
  setObjectName("MainWindow");
  resize(1280, 800);
  setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowNestedDocks | QMainWindow::AllowTabbedDocks);

  m_tabs = new QTabWidget(this);
  m_tabs->setDocumentMode(true);
  m_browser = new GenomeBrowser(m_workspace, m_tasks, this);
  m_hic = new HicMapView(m_tasks, this);
  m_hic->setObjectName("HicMapView");
  m_chromatin = new ChromatinView(m_tasks, this);
  m_chromatin->setObjectName("ChromatinView");
  m_tabs->addTab(m_browser, tr("Browser"));
  m_tabs->addTab(m_hic, tr("Hi-C map"));
  m_tabs->addTab(m_chromatin, tr("3D chromatin"));
  m_graph = new GraphView(m_workspace, m_tasks, this);
  m_tabs->addTab(m_graph, tr("Network"));
  m_whatif = new WhatifView(m_workspace, m_tasks, this);
  m_tabs->addTab(m_whatif, tr("What if"));
  setCentralWidget(m_tabs);
  setAcceptDrops(true);

  build_docks();
  build_toolbar();
  build_menus();
  build_status_bar();
  link_views();
  connect(m_workspace, &Workspace::dataset_added, this, &MainWindow::on_dataset_added);
  connect(m_workspace, &Workspace::idle, this, &MainWindow::apply_pending_states);
  connect(m_workspace, &Workspace::reconciled, this, &MainWindow::rebuild_data_panel);
  gc::log::info("GenoCircuit Studio ready");
}

MainWindow::~MainWindow() {
  m_tasks->cancel_all();
  m_tasks->wait_all();
}

void MainWindow::build_docks() {
  auto* data_dock = new QDockWidget(tr("Data"), this);
  data_dock->setObjectName("DataDock");
  m_data_model = new DatasetModel(m_workspace, this);
  m_data = new QTreeView(data_dock);
  m_data->setObjectName("DataPanel");
  m_data->setModel(m_data_model);
  m_data->setUniformRowHeights(true);
  m_data->header()->setSectionResizeMode(0, QHeaderView::Interactive);
  m_data->header()->resizeSection(0, 165);
  m_data->header()->resizeSection(1, 72);
  m_data->header()->setStretchLastSection(true);
  m_data->setTextElideMode(Qt::ElideRight);
  data_dock->setWidget(m_data);
  addDockWidget(Qt::LeftDockWidgetArea, data_dock);

  m_log = new LogDock(this);
  addDockWidget(Qt::BottomDockWidgetArea, m_log);
  resizeDocks({data_dock}, {430}, Qt::Horizontal);
  resizeDocks({m_log}, {140}, Qt::Vertical);
}

void MainWindow::build_toolbar() {
  auto* bar = addToolBar(tr("Locus"));
  bar->setObjectName("LocusToolBar");
  bar->setMovable(false);
  bar->addWidget(new QLabel(tr(" Locus "), bar));
  bar->addWidget(m_browser->locus_edit());
  bar->addAction(tr("Go"), this, [this] { m_browser->go_to(m_browser->locus_edit()->text()); });
  bar->addSeparator();
  bar->addAction(tr("Zoom in"), this,
                 [this] {
                   const auto& l = m_browser->locus();
                   if (l.chrom.empty()) return;
                   const auto [s, e] =
                       browser::zoom(l.start, l.end, 0.5, 0.5, m_workspace->chrom_length(l.chrom));
                   m_browser->set_locus({l.chrom, s, e});
                 })
      ->setToolTip(tr("Zoom in (+)"));
  bar->addAction(tr("Zoom out"), this,
                 [this] {
                   const auto& l = m_browser->locus();
                   if (l.chrom.empty()) return;
                   const auto [s, e] =
                       browser::zoom(l.start, l.end, 2.0, 0.5, m_workspace->chrom_length(l.chrom));
                   m_browser->set_locus({l.chrom, s, e});
                 })
      ->setToolTip(tr("Zoom out (-)"));
}

void MainWindow::build_menus() {
  auto* file = menuBar()->addMenu(tr("&File"));
  auto* open = file->addAction(tr("&Open…"), this, [this] {
    const auto paths = QFileDialog::getOpenFileNames(
        this, tr("Open data"), QString(),
        tr("Genomics data (*.fa *.fasta *.fa.gz *.fna *.gtf *.gff *.gff3 *.bed *.bedgraph *.bg *.vcf "
           "*.vcf.gz "
           "*.bcf *.cool *.mcool *.hic *.h5ad *.h5 *.mtx *.csv *.tsv);;Session (*.json);;All files (*)"));
    QStringList data;
    for (const auto& p : paths)
      if (p.endsWith(".gcsession.json"))
        restore_session(p);
      else
        data << p;
    if (!data.isEmpty()) open_files(data);
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
  file->addAction(tr("&Export Figure…"), this, &MainWindow::show_export_dialog);
  file->addSeparator();
  auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  m_view_menu = menuBar()->addMenu(tr("&View"));
  auto* group = new QActionGroup(this);
  for (int i = 0; i < m_tabs->count(); ++i) {
    auto* a = m_view_menu->addAction(m_tabs->tabText(i), this, [this, i] { m_tabs->setCurrentIndex(i); });
    a->setCheckable(true);
    a->setChecked(i == m_tabs->currentIndex());
    a->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
    group->addAction(a);
    connect(m_tabs, &QTabWidget::currentChanged, a, [a, i](int current) { a->setChecked(current == i); });
  }
  m_view_menu->addSeparator();
  for (auto* dock : findChildren<QDockWidget*>())
    m_view_menu->addAction(dock->toggleViewAction());
  for (auto* bar : findChildren<QToolBar*>())
    m_view_menu->addAction(bar->toggleViewAction());

  auto* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&Plugins…"), this, &MainWindow::show_plugins);
  help->addAction(tr("&About GenoCircuit Studio"), this, &MainWindow::show_about);
}

void MainWindow::build_status_bar() {
  m_status = new QLabel(tr("Ready"), this);
  m_hover = new QLabel(this);
  m_hover->setObjectName("HoverReadout");
  m_progress = new QProgressBar(this);
  m_progress->setRange(0, 1000);
  m_progress->setMaximumWidth(220);
  m_progress->setVisible(false);
  m_cancel = new QToolButton(this);
  m_cancel->setText(tr("Cancel"));
  m_cancel->setToolTip(tr("Cancel the running task"));
  m_cancel->setVisible(false);
  statusBar()->addWidget(m_status, 1);
  statusBar()->addWidget(m_hover, 2);
  statusBar()->addPermanentWidget(m_progress);
  statusBar()->addPermanentWidget(m_cancel);
  connect(m_cancel, &QToolButton::clicked, m_tasks, &TaskRunner::cancel_visible);
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
          [this](const QString& title, TaskOutcome outcome, const QString& error) {
            const bool idle = m_tasks->running() == 0;
            m_progress->setVisible(!idle);
            m_cancel->setVisible(!idle);
            if (outcome == TaskOutcome::cancelled) {
              m_status->setText(title + tr(": cancelled"));
            } else if (outcome == TaskOutcome::failed) {
              m_status->setText(title + tr(": failed"));
              show_error(error);
            } else {
              m_status->setText(title + tr(": done"));
            }
          });
}

void MainWindow::link_views() {
  // Browser -> Hi-C map and 3D view, translating chromosome names through the Hi-C dataset.
  const auto forward = [this](const genome::Region& region) {
    const auto hic = m_workspace->first_of(DatasetKind::hic);
    if (!hic || m_syncing) return;
    const auto local = hic->local_name(region.chrom);
    if (!local) return;
    const genome::Region r{*local, region.start, region.end};
    m_syncing = true;
    if (m_hic->has_map()) m_hic->set_locus(r);
    if (m_chromatin->chromosome() != QString::fromStdString(*local))
      m_chromatin->set_chromosome(QString::fromStdString(*local));
    m_chromatin->set_highlight(r);
    m_syncing = false;
  };
  connect(m_browser, &GenomeBrowser::locus_changed, this, forward);
  connect(m_hic, &HicMapView::map_loaded, this, [this, forward] {
    m_hic_opening = false;
    if (!m_browser->locus().chrom.empty()) forward(m_browser->locus());
  });
  connect(m_hic, &HicMapView::locus_changed, this, [this](const genome::Region& x) {
    if (m_syncing) return;
    m_syncing = true;
    m_browser->set_locus(x);
    const auto hic = m_workspace->first_of(DatasetKind::hic);
    if (hic)
      if (const auto local = hic->local_name(m_browser->locus().chrom)) {
        if (m_chromatin->chromosome() != QString::fromStdString(*local))
          m_chromatin->set_chromosome(QString::fromStdString(*local));
        m_chromatin->set_highlight(x);
      }
    m_syncing = false;
  });
  connect(m_browser, &GenomeBrowser::hovered, this, [this](const QString& chrom, std::int64_t pos) {
    m_hover->setText(
        QString("%1:%2").arg(chrom, QLocale(QLocale::English).toString(static_cast<qlonglong>(pos + 1))));
    const auto hic = m_workspace->first_of(DatasetKind::hic);
    if (!hic || !m_hic->has_map()) return;
    if (const auto local = hic->local_name(chrom.toStdString()))
      m_hic->set_crosshair(QString::fromStdString(*local), pos);
  });
  connect(m_hic, &HicMapView::hovered, m_hover, &QLabel::setText);
  connect(m_browser, &GenomeBrowser::error_occurred, this, &MainWindow::show_error);
  connect(m_hic, &HicMapView::error_occurred, this, [this](const QString& message) {
    m_hic_opening = false;
    show_error(message);
  });
  connect(m_chromatin, &ChromatinView::error_occurred, this, &MainWindow::show_error);
  // Network -> browser (a gene's locus) and Hi-C map (regulator locus × target locus).
  connect(m_graph, &GraphView::locus_requested, this, [this](const genome::Region& locus, bool open) {
    m_browser->set_locus(locus);
    if (open) show_view("browser");
  });
  connect(
      m_graph, &GraphView::contact_requested, this,
      [this](const genome::Region& regulator, const genome::Region& target, bool open) {
        const auto hic = m_workspace->first_of(DatasetKind::hic);
        const auto x = hic ? hic->local_name(regulator.chrom) : std::nullopt;
        const auto y = hic ? hic->local_name(target.chrom) : std::nullopt;
        if (!m_hic->has_map() || !x || !y) {
          m_status->setText(tr("No Hi-C map of these chromosomes is loaded: open one to see the contact."));
          return;
        }
        m_hic->set_locus({*x, regulator.start, regulator.end}, genome::Region{*y, target.start, target.end});
        if (open) show_view("hic");
      });
  connect(m_graph, &GraphView::status_message, m_status, &QLabel::setText);
  connect(m_graph, &GraphView::error_occurred, this, &MainWindow::show_error);
  // What if -> browser (a responding gene's locus).
  connect(m_whatif, &WhatifView::locus_requested, this, [this](const genome::Region& locus, bool open) {
    m_browser->set_locus(locus);
    if (open) show_view("browser");
  });
  // What if -> Network: the response shown colours the network's genes and marks its cascade.
  connect(m_whatif, &WhatifView::overlay_changed, m_graph, &GraphView::set_response_overlay);
  connect(m_whatif, &WhatifView::status_message, m_status, &QLabel::setText);
  connect(m_whatif, &WhatifView::error_occurred, this, &MainWindow::show_error);
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

void MainWindow::add_to_recent(const QStringList& paths) {
  QStringList recent = recent_files();
  for (const auto& p : paths) {
    recent.removeAll(p);
    recent.prepend(p);
  }
  while (recent.size() > max_recent)
    recent.removeLast();
  QSettings().setValue(recent_key, recent);
  rebuild_recent_menu();
}

void MainWindow::open_files(const QStringList& paths) {
  // Whether a file exists and can be read is the worker's to find out (gc::data::probe names the
  // file and the problem); the failed task's message is shown like any other.
  QStringList absolute;
  for (const auto& path : paths)
    absolute << QFileInfo(path).absoluteFilePath();
  if (absolute.isEmpty()) return;
  m_workspace->open(absolute);
}

void MainWindow::rebuild_data_panel() {
  // The model resets when datasets arrive or are reconciled: span the warning rows and open the
  // datasets again (the view forgets both on a reset).
  for (int r = 0; r < m_data_model->rowCount(); ++r) {
    const QModelIndex dataset = m_data_model->index(r, 0);
    m_data->setExpanded(dataset, true);
    for (int c = 0; c < m_data_model->rowCount(dataset); ++c) {
      m_data->setFirstColumnSpanned(c, dataset, true);
      const QModelIndex child = m_data_model->index(c, 0, dataset);
      for (int w = 0; w < m_data_model->rowCount(child); ++w)
        m_data->setFirstColumnSpanned(w, child, true);
    }
  }
}

void MainWindow::on_dataset_added(int index) {
  rebuild_data_panel();
  const auto d = m_workspace->datasets()[static_cast<std::size_t>(index)];
  // Only files that opened become recent files.
  add_to_recent({d->path});
  if (d->kind == DatasetKind::hic && d == m_workspace->first_of(DatasetKind::hic)) {
    // The workspace opened every resolution once; both Hi-C views share them.
    m_hic_opening = true;
    m_hic->set_maps(*d->hic);
    m_chromatin->set_maps(*d->hic);
    if (!m_browser->locus().chrom.empty())
      if (const auto local = d->local_name(m_browser->locus().chrom)) {
        m_chromatin->set_chromosome(QString::fromStdString(*local));
        m_chromatin->set_highlight({*local, m_browser->locus().start, m_browser->locus().end});
      }
  }
}

QStringList MainWindow::view_names() const {
  QStringList out;
  for (int i = 0; i < m_tabs->count(); ++i)
    if (auto* v = dynamic_cast<FigureView*>(m_tabs->widget(i))) out << v->view_name();
  return out;
}

FigureView* MainWindow::figure_view(const QString& name) const {
  for (int i = 0; i < m_tabs->count(); ++i)
    if (auto* v = dynamic_cast<FigureView*>(m_tabs->widget(i)); v && v->view_name() == name) return v;
  return nullptr;
}

QString MainWindow::current_view_name() const {
  auto* v = dynamic_cast<FigureView*>(m_tabs->currentWidget());
  return v ? v->view_name() : QString();
}

void MainWindow::show_view(const QString& name) {
  for (int i = 0; i < m_tabs->count(); ++i) {
    auto* v = dynamic_cast<FigureView*>(m_tabs->widget(i));
    // Version 1 sessions stored the tab title.
    if ((v && v->view_name() == name) || m_tabs->tabText(i) == name) m_tabs->setCurrentIndex(i);
  }
}

bool MainWindow::busy() const {
  return m_tasks->running() > 0 || m_workspace->loading() > 0 || m_hic_opening || m_hic->loading() ||
         m_chromatin->computing() || m_graph->computing() || m_whatif->computing();
}

void MainWindow::save_session(const QString& path) {
  // The document is gathered here (view states live on the GUI thread) and written on a worker.
  // What this window does not show (GRN runs, scenarios, figure specs of a loaded session) is
  // kept as it was read.
  gc::session::Session session = m_session;
  session.files.clear();
  for (const auto& d : m_workspace->datasets())
    session.files.emplace_back(d->path.toStdString());
  session.current_view = current_view_name().toStdString();
  session.views = gc::Json::object();
  for (const auto& name : view_names())
    session.views[name.toStdString()] = from_qjson(figure_view(name)->save_state());
  session.window_state = saveState().toBase64().toStdString();
  TaskRunner::Options options;
  options.context = this;
  // The status bar's handler of failed tasks shows the error; listeners learn of it here.
  options.on_error = [this, path](const QString& error) { Q_EMIT session_failed(path, error); };
  m_tasks->run(
      tr("Saving session"),
      [session, target = path.toStdString()](const gc::Progress&) {
        gc::session::write(session, target);
        return session;
      },
      [this, path](gc::session::Session saved) {
        m_session = std::move(saved);
        gc::log::info("session saved to ", path.toStdString());
        Q_EMIT session_saved(path);
      },
      std::move(options));
}

void MainWindow::restore_session(const QString& path) {
  // Read and checked on a worker (the listed files' existence too); applied here.
  TaskRunner::Options options;
  options.context = this;
  // The status bar's handler of failed tasks shows the error; listeners learn of it here.
  options.on_error = [this, path](const QString& error) { Q_EMIT session_failed(path, error); };
  m_tasks->run(
      tr("Reading session"),
      [target = path.toStdString()](const gc::Progress&) { return gc::session::read(target); },
      [this, path](gc::session::Loaded loaded) { apply_session(path, loaded); }, std::move(options));
}

void MainWindow::apply_session(const QString& path, const gc::session::Loaded& loaded) {
  m_session = loaded.session;
  QStringList present, missing;
  for (const auto& f : loaded.session.files)
    present << QString::fromStdString(f.string());
  for (const auto& f : loaded.missing)
    missing << QString::fromStdString(f.string());
  m_pending_states.clear();
  for (const auto& [name, state] : loaded.session.views.as_object())
    m_pending_states[QString::fromStdString(name)] = to_qjson(state);
  open_files(present);
  if (!loaded.session.window_state.empty())
    restoreState(QByteArray::fromBase64(QByteArray::fromStdString(loaded.session.window_state)));
  show_view(QString::fromStdString(loaded.session.current_view));
  if (present.isEmpty()) apply_pending_states();
  if (!missing.isEmpty())
    show_error(tr("The session %1 names files that no longer exist; the rest was restored:\n%2")
                   .arg(path, missing.join("\n")));
  Q_EMIT session_restored(path);
}

void MainWindow::apply_pending_states() {
  const auto states = std::move(m_pending_states);
  m_pending_states.clear();
  const auto hic = m_workspace->first_of(DatasetKind::hic);
  for (auto [name, state] : states) {
    // Views store the absolute URI they opened; the session's (relative) file list is what
    // counts, so a moved session folder points the views at the files found there.
    const QString uri = state.value("uri").toString();
    // The group a state names (an .mcool resolution, an .scool cell) is kept on the file found.
    if (hic && !uri.isEmpty() &&
        QFileInfo(uri.section("::", 0, 0)).fileName() == QFileInfo(hic->path).fileName()) {
      const QString group = uri.section("::", 1);
      state["uri"] = group.isEmpty() ? hic->path : hic->path + "::" + group;
    }
    if (auto* v = figure_view(name)) v->restore_state(state);
  }
}

void MainWindow::open_demo_world() {
  // Generating the world, listing it and finding its locus all touch files: on a worker.
  m_tasks->run(
      tr("Opening the demo world"),
      [dir = demo_world_dir()](const gc::Progress& p) { return prepare_demo_world(dir, p); },
      [this](const DemoWorld& world) {
        if (!world.locus.isEmpty()) m_pending_states["browser"] = QJsonObject{{"locus", world.locus}};
        open_files(world.files);
      });
}

void MainWindow::export_view(const QString& path, const FigureOptions& options, const QString& name) {
  const QString view = name.isEmpty() ? current_view_name() : name;
  if (auto* v = figure_view(view)) {
    export_figure(*v, path, options);
  } else if (name.isEmpty()) {
    export_widget_figure(m_tabs->currentWidget(), path, options);
  } else {
    throw gc::InputError("unknown view '" + name.toStdString() +
                         "' (views: " + view_names().join(", ").toStdString() + ")");
  }
  gc::log::info("figure written to ", path.toStdString());
}

void MainWindow::export_current_view(const QString& path, int dpi) {
  try {
    export_view(path, {.dpi = dpi});
  } catch (const std::exception& e) {
    show_error(QString::fromStdString(e.what()));
  }
}

void MainWindow::show_export_dialog() {
  auto* dialog = new ExportDialog(m_tabs->tabText(m_tabs->currentIndex()), this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->set_path(QDir::home().filePath(current_view_name() + ".svg"));
  const QString view = current_view_name();
  connect(dialog, &ExportDialog::export_requested, this,
          [this, view](const QString& path, const FigureOptions& o) {
            try {
              export_view(path, o, view);
              m_status->setText(tr("Figure written to %1").arg(path));
            } catch (const std::exception& e) {
              show_error(QString::fromStdString(e.what()));
            }
          });
  dialog->show();
}

void MainWindow::show_plugins() {
  auto* dialog = new PluginsDialog(this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->show();
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
  Q_EMIT error_shown(message);
}

void MainWindow::closeEvent(QCloseEvent* e) {
  // Work stops at its next progress check; the workers are joined when the runner is destroyed.
  m_tasks->cancel_all();
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
