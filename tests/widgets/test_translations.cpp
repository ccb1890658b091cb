// The workbench in German and French as a user meets it: catalogues that are complete and in step with the
// sources (lupdate finds nothing new in them), core's texts (node types, result labels) core's own, the main
// window, its menus, panels and dialogs in German with no English text left, a translated title that stays
// the type's in the file, numbers and percentages in the locale's spelling, and the language choice in the
// preferences.
#include "support/test_registry.h"
#include <QAbstractButton>
#include <QChart>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QTabWidget>
#include <QTableView>
#include <QTreeWidget>
#include <QValueAxis>
#include <QXmlStreamReader>
#include <QtTest>

#include <map>
#include <set>

#include "charts/compare_view.h"
#include "charts/results_table.h"
#include "editor/graph_scene.h"
#include "editor/node_item.h"
#include "graph/builtin_node_types.h"
#include "engine/result_labels.h"
#include "graph/project_file.h"
#include "graph/validation.h"
#include "i18n/core_text.h"
#include "i18n/core_text_list.h"
#include "i18n/language.h"
#include "io/safetensors_writer.h"
#include "mainwindow/main_window.h"
#include "prefs/preferences.h"
#include "prefs/preferences_dialog.h"
#include "readable_numbers.h"
#include "session/project_session.h"
#include "support/temp_dir.h"

using namespace mg;

namespace {

const QString kSourceDir = QStringLiteral(MG_SOURCE_DIR);

struct Message {
  QString context;
  QString source;
  QStringList translations; // one, or the plural forms
  QString type;             // "" (finished), "unfinished", "obsolete", "vanished"
};

// The messages of a Qt Linguist .ts file.
std::vector<Message> readCatalogue(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(path));
  std::vector<Message> messages;
  QXmlStreamReader xml(&file);
  QString context;
  while (!xml.atEnd()) {
    if (xml.readNext() != QXmlStreamReader::StartElement) continue;
    if (xml.name() == QLatin1String("name")) {
      context = xml.readElementText();
    } else if (xml.name() == QLatin1String("message")) {
      messages.push_back({context, {}, {}, {}});
    } else if (xml.name() == QLatin1String("source")) {
      messages.back().source = xml.readElementText();
    } else if (xml.name() == QLatin1String("translation")) {
      Message& m = messages.back();
      m.type = xml.attributes().value(QLatin1String("type")).toString();
      QString text;
      while (!xml.atEnd() && !(xml.readNext() == QXmlStreamReader::EndElement &&
                               xml.name() == QLatin1String("translation"))) {
        if (xml.isCharacters()) text += xml.text();
        if (xml.isStartElement() && xml.name() == QLatin1String("numerusform"))
          m.translations << xml.readElementText();
      }
      if (m.translations.isEmpty()) m.translations << text;
    }
  }
  if (xml.hasError()) qFatal("%s: %s", qPrintable(path), qPrintable(xml.errorString()));
  return messages;
}

QString catalogue(const QString& language) {
  return kSourceDir + QStringLiteral("/translations/merganser_%1.ts").arg(language);
}

// Entries a translator still owes: unfinished, or kept for texts the sources no longer have.
QStringList unfinishedEntries(const std::vector<Message>& messages) {
  QStringList owed;
  for (const Message& m : messages)
    if (!m.type.isEmpty() || m.translations.join(QString()).isEmpty())
      owed << QStringLiteral("%1 [%2]: %3").arg(m.context, m.type, m.source.left(80));
  return owed;
}

// The English texts German shows differently, without accelerators: a widget showing one of them under
// German has missed its translation.
std::set<QString> englishTextsGermanTranslates() {
  std::set<QString> english;
  for (const Message& m : readCatalogue(catalogue(QStringLiteral("de")))) {
    QString source = m.source;
    source.remove(QLatin1Char('&'));
    if (m.translations.value(0).remove(QLatin1Char('&')) != source && source.size() > 2)
      english.insert(source);
  }
  return english;
}

// Words that are English and not German: a text holding one as a word was never translated (it did not go
// through tr(), or its catalogue entry is missing).
const QRegularExpression kEnglishWord(
    QStringLiteral("\\b(the|and|of|with|from|to|is|are|this|that|for|or|not|your|its|open|save|select|"
                   "node|nodes|show|shows|run|file|edit|view|help|light|dark)\\b"),
    QRegularExpression::CaseInsensitiveOption);

struct Shown {
  QString text;
  QString where;
};

void collectMenu(QMenu* menu, const QString& path, std::vector<Shown>& shown) {
  for (QAction* action : menu->actions()) {
    if (action->isSeparator()) continue;
    const QString here = path + QStringLiteral(" ▸ ") + action->text();
    shown.push_back({action->text(), here});
    if (!action->statusTip().isEmpty())
      shown.push_back({action->statusTip(), here + QStringLiteral(" (status)")});
    if (action->menu()) collectMenu(action->menu(), here, shown);
  }
}

// What a person reads in `root`: menus, labels, buttons, dock and group titles, tabs, tree items,
// placeholders and tooltips.
std::vector<Shown> shownTexts(QWidget* root) {
  std::vector<Shown> shown;
  QList<QWidget*> widgets = root->findChildren<QWidget*>();
  widgets.prepend(root);
  for (QWidget* w : widgets) {
    const QString name =
        QString::fromLatin1(w->metaObject()->className()) + QLatin1Char('#') + w->objectName();
    if (!w->toolTip().isEmpty()) shown.push_back({w->toolTip(), name + QStringLiteral(" (tooltip)")});
    if (auto* bar = qobject_cast<QMenuBar*>(w))
      for (QAction* action : bar->actions()) {
        shown.push_back({action->text(), name});
        if (action->menu()) collectMenu(action->menu(), action->text(), shown);
      }
    if (auto* label = qobject_cast<QLabel*>(w)) shown.push_back({label->text(), name});
    if (auto* button = qobject_cast<QAbstractButton*>(w)) shown.push_back({button->text(), name});
    if (auto* dock = qobject_cast<QDockWidget*>(w)) shown.push_back({dock->windowTitle(), name});
    if (auto* box = qobject_cast<QGroupBox*>(w)) shown.push_back({box->title(), name});
    if (auto* edit = qobject_cast<QLineEdit*>(w)) shown.push_back({edit->placeholderText(), name});
    if (auto* tabs = qobject_cast<QTabWidget*>(w))
      for (int i = 0; i < tabs->count(); ++i)
        shown.push_back({tabs->tabText(i), name + QStringLiteral(" tab")});
    // A parameter's choices are values files and recipes use ("none", "model"): identifiers, not texts.
    const bool choiceValues = w->objectName().startsWith(QLatin1String("param_"));
    if (auto* combo = qobject_cast<QComboBox*>(w); combo && !choiceValues)
      for (int i = 0; i < combo->count(); ++i)
        shown.push_back({combo->itemText(i), name + QStringLiteral(" item")});
    if (auto* tree = qobject_cast<QTreeWidget*>(w))
      for (QTreeWidgetItemIterator it(tree); *it; ++it) {
        shown.push_back({(*it)->text(0), name + QStringLiteral(" item")});
        shown.push_back({(*it)->toolTip(0), name + QStringLiteral(" item tooltip")});
      }
  }
  return shown;
}

// The texts of `shown` that are English, with where they are.
QStringList untranslated(const std::vector<Shown>& shown) {
  static const std::set<QString> english = englishTextsGermanTranslates();
  static const QRegularExpression tags(QStringLiteral("<[^>]*>"));
  QStringList found;
  for (const Shown& s : shown) {
    QString text = s.text;
    text.remove(QLatin1Char('&'));
    text.remove(tags);
    if (text.trimmed().isEmpty()) continue;
    if (english.count(text) || english.count(text.trimmed()) || text.contains(kEnglishWord))
      found << QStringLiteral("%1: “%2”").arg(s.where, text.left(100));
  }
  found.removeDuplicates();
  return found;
}

void writeModel(const std::string& path, float value) {
  io::writeSafetensors(path,
                       {io::TensorData::fromFloat32("w", {2, 2}, {value, value + 1, value - 1, value})});
}

// base + two fine-tunes → task arithmetic → export, on real files (so no problem is reported on them).
struct Project {
  test::TempDir dir;
  graph::NodeId merge = 0;
  QString path;

  Project() {
    namespace nt = graph::node_types;
    graph::Document doc;
    std::vector<graph::NodeId> sources;
    for (const char* file : {"base.safetensors", "a.safetensors", "b.safetensors"}) {
      writeModel(dir.file(file), float(sources.size()));
      sources.push_back(doc.addNode(nt::kSourceModel, {0, 150.0 * sources.size()}));
      doc.setParam(sources.back(), "path", dir.file(file));
    }
    merge = doc.addNode(graph::mergeNodeTypeId("task_arithmetic"), {300, 100});
    const auto exporter = doc.addNode(nt::kExport, {600, 100});
    doc.setParam(exporter, "path", dir.file("out.safetensors"));
    for (std::size_t i = 0; i < sources.size(); ++i)
      doc.connect({sources[i], 0}, {merge, i});
    doc.connect({merge, 0}, {exporter, 0});
    path = QString::fromStdString(dir.file("project.mgproj"));
    graph::saveProject(doc, path.toStdString());
  }
};

// Installs a language for one test and English again after it.
struct LanguageForTest {
  explicit LanguageForTest(const char* code, const char* locale) {
    QVERIFY(ui::installLanguage(QString::fromLatin1(code), QLocale(QString::fromLatin1(locale))));
  }
  ~LanguageForTest() { ui::installLanguage(QStringLiteral("en"), QLocale::c()); }
};

} // namespace

class TranslationsTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  // The list lupdate reads core's texts from is core's own (translations/update.sh regenerates it).
  void coreTextsAreTheRegistrys() {
    QStringList listed, registered;
    for (const char* text : ui::coreTexts())
      listed << QString::fromUtf8(text);
    for (const std::string& text : engine::translatableTexts())
      registered << QString::fromStdString(text);
    QVERIFY2(listed == registered,
             "widgets/i18n/core_text_list.cpp is out of date: run translations/update.sh");
    QVERIFY(registered.contains(QStringLiteral("Merge gain")));
    QVERIFY(registered.contains(QStringLiteral("Task arithmetic")));
  }

  void everyEntryIsTranslated_data() {
    QTest::addColumn<QString>("language");
    QTest::newRow("de") << QStringLiteral("de");
    QTest::newRow("fr") << QStringLiteral("fr");
  }
  void everyEntryIsTranslated() {
    QFETCH(QString, language);
    const auto messages = readCatalogue(catalogue(language));
    QVERIFY(messages.size() > 500);
    const QStringList owed = unfinishedEntries(messages);
    QVERIFY2(owed.isEmpty(), qPrintable(owed.join(QLatin1Char('\n'))));
    // Placeholders survive translation: a lost %1 shows a raw pattern or drops the file name from an error.
    static const QRegularExpression placeholder(QStringLiteral("%L?\\d|%n"));
    for (const Message& m : messages) {
      QStringList expected;
      for (auto it = placeholder.globalMatch(m.source); it.hasNext();)
        expected << it.next().captured();
      expected.sort();
      expected.removeDuplicates();
      for (const QString& translation : m.translations) {
        QStringList got;
        for (auto it = placeholder.globalMatch(translation); it.hasNext();)
          got << it.next().captured();
        got.sort();
        got.removeDuplicates();
        QVERIFY2(got == expected, qPrintable(m.source + QStringLiteral(" → ") + translation));
      }
    }
  }

  // lupdate over today's sources adds nothing to the catalogues: every text in widgets/ is in them.
  void cataloguesHoldEverySourceText_data() { everyEntryIsTranslated_data(); }
  void cataloguesHoldEverySourceText() {
    QFETCH(QString, language);
    test::TempDir dir;
    const QString copy = QString::fromStdString(dir.file("merganser_" + language.toStdString() + ".ts"));
    QVERIFY(QFile::copy(catalogue(language), copy));
    QProcess lupdate;
    lupdate.setWorkingDirectory(kSourceDir);
    lupdate.start(QStringLiteral(MG_LUPDATE),
                  {QStringLiteral("-silent"), QStringLiteral("-locations"), QStringLiteral("none"),
                   QStringLiteral("-no-obsolete"), QStringLiteral("widgets"), QStringLiteral("-ts"), copy});
    QVERIFY(lupdate.waitForFinished(120000));
    QCOMPARE(lupdate.exitCode(), 0);
    const QStringList owed = unfinishedEntries(readCatalogue(copy));
    QVERIFY2(owed.isEmpty(),
             qPrintable(QStringLiteral("texts not in the catalogues (run translations/update.sh):\n") +
                        owed.join(QLatin1Char('\n'))));
  }

  void aLanguageIsChosenFromThePreferenceThenTheSystem() {
    QCOMPARE(ui::resolveLanguage(QStringLiteral("fr"), QLocale(QStringLiteral("de_DE"))),
             QStringLiteral("fr"));
    QCOMPARE(ui::resolveLanguage(QString(), QLocale(QStringLiteral("de_AT"))), QStringLiteral("de"));
    QCOMPARE(ui::resolveLanguage(QString(), QLocale(QStringLiteral("fr_CA"))), QStringLiteral("fr"));
    QCOMPARE(ui::resolveLanguage(QString(), QLocale(QStringLiteral("ja_JP"))), QStringLiteral("en"));
    QCOMPARE(ui::resolveLanguage(QStringLiteral("xx"), QLocale(QStringLiteral("ja_JP"))),
             QStringLiteral("en"));
  }

  void thePreferencesOfferTheLanguages() {
    test::TempDir dir;
    QSettings settings(QString::fromStdString(dir.file("settings.ini")), QSettings::IniFormat);
    ui::Preferences preferences(&settings);
    ui::PreferencesDialog dialog(&preferences);
    QComboBox* box = dialog.languageBox();
    QCOMPARE(box->currentData().toString(), QString()); // the system's until chosen
    QStringList names;
    for (int i = 1; i < box->count(); ++i)
      names << box->itemText(i);
    QCOMPARE(names, QStringList({"English", "Deutsch", "Français"}));
    box->setCurrentIndex(box->findData(QStringLiteral("fr")));
    dialog.accept();
    QCOMPARE(preferences.language(), QStringLiteral("fr"));
    QCOMPARE(ui::resolveLanguage(preferences.language(), QLocale(QStringLiteral("de_DE"))),
             QStringLiteral("fr"));
    ui::PreferencesDialog reopened(&preferences);
    QCOMPARE(reopened.languageBox()->currentText(), QStringLiteral("Français"));
  }

  // Under German the whole window reads German: the menus and their entries, the panels, the Library's node
  // types, a selected node's properties and the node boxes; no catalogue text is left in English and no
  // English sentence appears.
  void theMainWindowReadsGerman() {
    LanguageForTest german("de", "de_DE");
    Project project;
    test::TempDir dir;
    QSettings settings(QString::fromStdString(dir.file("settings.ini")), QSettings::IniFormat);
    ui::Preferences preferences(&settings);
    ui::MainWindow window(&preferences, QString::fromStdString(dir.file("recovery")));
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.openProject(project.path), QString());
    window.scene()->selectNodes({project.merge});
    QApplication::processEvents();

    QStringList menus;
    for (QAction* action : window.menuBar()->actions())
      menus << action->text();
    QCOMPARE(menus, QStringList({"&Datei", "&Bearbeiten", "&Ansicht", "&Ausführen", "&Hilfe"}));

    std::vector<Shown> shown = shownTexts(&window);
    for (QGraphicsItem* item : window.scene()->items())
      if (auto* node = dynamic_cast<ui::NodeItem*>(item)) {
        shown.push_back({node->title(), QStringLiteral("node box")});
        shown.push_back({node->toolTip(), QStringLiteral("node box (tooltip)")});
      }
    QVERIFY(shown.size() > 200);
    const QStringList english = untranslated(shown);
    QVERIFY2(english.isEmpty(), qPrintable(english.join(QLatin1Char('\n'))));

    ui::PreferencesDialog dialog(&preferences, &window);
    const QStringList inDialog = untranslated(shownTexts(&dialog));
    QVERIFY2(inDialog.isEmpty(), qPrintable(inDialog.join(QLatin1Char('\n'))));

    // The node box reads "Aufgabenarithmetik" or the like, while the file keeps the type's English title, so
    // the project reads the same in every language; saving does not rename it.
    QVERIFY(window.scene()->nodeItem(project.merge)->title() != QStringLiteral("Task arithmetic"));
    const QString saved = QString::fromStdString(dir.file("saved.mgproj"));
    QCOMPARE(window.session()->saveAs(saved), QString());
    QFile file(saved);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("\"Task arithmetic\""));
  }

  // A node's problems read German too: the pattern translated, the type's title in it translated, the
  // input's name (an identifier) kept.
  void problemsReadInTheLanguage() {
    LanguageForTest german("de", "de_DE");
    graph::Document doc;
    const auto merge = doc.addNode(graph::mergeNodeTypeId("task_arithmetic"), {0, 0});
    const auto exporter = doc.addNode(graph::node_types::kExport, {300, 0});
    QStringList messages;
    for (const graph::Issue& issue : graph::validate(doc))
      messages << ui::issueMessage(issue);
    QVERIFY2(messages.contains(
                 QStringLiteral("Aufgabenarithmetik braucht das Basismodell: es mit 'base' verbinden")),
             qPrintable(messages.join(QLatin1Char('\n'))));
    QVERIFY(messages.contains(QStringLiteral("Eingang „model“ ist nicht verbunden")));
    QVERIFY(messages.contains(QStringLiteral("path ist nicht gesetzt")));
    const QStringList english = untranslated([&] {
      std::vector<Shown> shown;
      for (const QString& m : messages)
        shown.push_back({m, QStringLiteral("problem")});
      return shown;
    }());
    QVERIFY2(english.isEmpty(), qPrintable(english.join(QLatin1Char('\n'))));
    (void)merge;
    (void)exporter;
  }

  // Percentages and decimals in the locale's spelling: the table, the hover text and the axis of Compare.
  void numbersFollowTheLocale() {
    {
      LanguageForTest german("de", "de_DE");
      QCOMPARE(ui::percentText(0.619), QStringLiteral("61,9\u00a0%"));
      QCOMPARE(ui::decimalText(1234.5678, 3), QStringLiteral("1234,568"));
      QCOMPARE(ui::percentAxisFormat(0), QStringLiteral("%.0f\u00a0%%"));
      ui::CompareView view;
      eval::ModelScores scores;
      scores.model = "base";
      scores.modelNode = 1;
      scores.scores.push_back({});
      scores.scores.back().task = "rot";
      scores.scores.back().accuracy = 0.619;
      scores.scores.back().examples = 1000;
      view.setResults({scores});
      QCOMPARE(view.barText(0, 0), QStringLiteral("base · rot: 61,9\u00a0%"));
      QStringList cells;
      auto* model = view.tableView()->model();
      for (int c = 0; c < model->columnCount(); ++c)
        cells << model->index(0, c).data().toString();
      QVERIFY2(cells.contains(QStringLiteral("61,9\u00a0%")), qPrintable(cells.join(QStringLiteral(" | "))));
      QVERIFY(view.chart()->localizeNumbers());
      QCOMPARE(view.chart()->locale().decimalPoint(), QStringLiteral(","));
    }
    QCOMPARE(ui::percentText(0.619), QStringLiteral("61.9%"));
    {
      LanguageForTest french("fr", "fr_FR");
      QCOMPARE(ui::percentText(0.619), QStringLiteral("61,9\u00a0%"));
    }
  }
};

MG_TEST_MAIN(TranslationsTest)
#include "test_translations.moc"
