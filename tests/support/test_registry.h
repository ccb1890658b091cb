#pragma once
// One test executable per area (tests/CMakeLists.txt): every test file of the area is compiled into it,
// registers its QObject test class here in place of QTEST_MAIN, and CTest runs one class per process by
// name (`tests_<area> ClassName [Qt Test options]`), so each file is still its own CTest test. Linking one
// executable per area instead of one per file is most of what the suite used to cost to build.
#include <QObject>

#include <functional>
#include <memory>

namespace mg::test {

// The application a test class needs, as Qt Test's three main macros make it.
enum class AppKind {
  None, // QTEST_APPLESS_MAIN: no QCoreApplication
  Core, // QTEST_GUILESS_MAIN: QCoreApplication
  Full  // QTEST_MAIN: QApplication in an executable with widgets, else QCoreApplication
};

using TestFactory = std::function<std::unique_ptr<QObject>()>;

bool registerTest(const char* className, AppKind app, TestFactory make);

} // namespace mg::test

#define MG_REGISTER_TEST(Class, app)                                                                         \
  namespace {                                                                                                \
  const bool registered##Class =                                                                             \
      mg::test::registerTest(#Class, app, [] { return std::unique_ptr<QObject>(new Class); });               \
  }

// Drop-in replacements of QTEST_MAIN, QTEST_GUILESS_MAIN and QTEST_APPLESS_MAIN.
#define MG_TEST_MAIN(Class) MG_REGISTER_TEST(Class, mg::test::AppKind::Full)
#define MG_TEST_GUILESS_MAIN(Class) MG_REGISTER_TEST(Class, mg::test::AppKind::Core)
#define MG_TEST_APPLESS_MAIN(Class) MG_REGISTER_TEST(Class, mg::test::AppKind::None)
