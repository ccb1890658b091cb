// The main of every test area's executable (support/test_registry.h):
//   tests_<area> ClassName [Qt Test options]   runs that test class, as its own QTEST_*MAIN would
//   tests_<area> --list                        lists the classes it holds
// Compiled into each area, so that QT_WIDGETS_LIB decides the application type as QTEST_MAIN does.
#include "support/test_registry.h"

#include <QCoreApplication>
#include <QTest>
#ifdef QT_WIDGETS_LIB
#include <QApplication>
#endif

#include <cstdio>
#include <cstring>
#include <map>
#include <string>

namespace mg::test {

namespace {

struct Entry {
  AppKind app;
  TestFactory make;
};

std::map<std::string, Entry>& registry() {
  static std::map<std::string, Entry> tests;
  return tests;
}

int run(const Entry& entry, int argc, char** argv) {
  const auto exec = [&] {
    auto test = entry.make();
    return QTest::qExec(test.get(), argc, argv);
  };
  switch (entry.app) {
  case AppKind::None: return exec();
  case AppKind::Core: {
    QCoreApplication app(argc, argv);
    return exec();
  }
  case AppKind::Full: {
#ifdef QT_WIDGETS_LIB
    QApplication app(argc, argv);
    app.setAttribute(Qt::AA_Use96Dpi, true); // as QTEST_MAIN: pixel sizes do not depend on the screen
#else
    QCoreApplication app(argc, argv);
#endif
    return exec();
  }
  }
  return 1;
}

} // namespace

bool registerTest(const char* className, AppKind app, TestFactory make) {
  return registry().emplace(className, Entry{app, std::move(make)}).second;
}

} // namespace mg::test

int main(int argc, char** argv) {
  auto& tests = mg::test::registry();
  if (argc >= 2 && std::strcmp(argv[1], "--list") == 0) {
    for (const auto& [name, entry] : tests)
      std::printf("%s\n", name.c_str());
    return 0;
  }
  const auto found = argc >= 2 ? tests.find(argv[1]) : tests.end();
  if (found == tests.end()) {
    std::fprintf(stderr, "usage: %s TestClass [Qt Test options] (--list lists the classes)\n", argv[0]);
    return 2;
  }
  // Qt Test sees the program name and the options, not the class name.
  argv[1] = argv[0];
  return mg::test::run(found->second, argc - 1, argv + 1);
}
