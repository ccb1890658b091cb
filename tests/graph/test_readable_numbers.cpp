// Numbers as the workbench shows them: node summaries and the properties panel print 1/3 and 0.707, not
// 0.3333333333333333, and what they print can be typed back.
#include "support/test_registry.h"
#include <QtTest>

#include "graph/param_def.h"
#include "util/readable_number.h"

using namespace mg::graph;
using mg::util::readableNumberText;

class ReadableNumbersTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void exactFractionsReadAsFractions() {
    QCOMPARE(readableNumberText(1.0 / 3.0, 3), std::string("1/3"));
    QCOMPARE(readableNumberText(2.0 / 3.0, 3), std::string("2/3"));
    QCOMPARE(readableNumberText(-1.0 / 7.0, 3), std::string("-1/7"));
    QCOMPARE(readableNumberText(5.0 / 12.0, 6), std::string("5/12"));
  }

  void shortDecimalsStayDecimals() {
    QCOMPARE(readableNumberText(0.5, 3), std::string("0.5"));
    QCOMPARE(readableNumberText(0.25, 3), std::string("0.25"));
    QCOMPARE(readableNumberText(0.125, 3), std::string("0.125"));
    QCOMPARE(readableNumberText(0.1, 3), std::string("0.1"));
    QCOMPARE(readableNumberText(1e-05, 3), std::string("1e-05"));
    QCOMPARE(readableNumberText(2.0, 3), std::string("2"));
    QCOMPARE(readableNumberText(1200.0, 3), std::string("1200")); // integers keep their digits
    QCOMPARE(readableNumberText(0.0, 3), std::string("0"));
  }

  void longDecimalsAreRounded() {
    QCOMPARE(readableNumberText(0.7071067811865476, 3), std::string("0.707"));
    QCOMPARE(readableNumberText(0.7071067811865476, 6), std::string("0.707107"));
    // Fifteen threes is not a third: rounded, not passed off as 1/3.
    QCOMPARE(readableNumberText(0.333333333333333, 3), std::string("0.333"));
    QCOMPARE(readableNumberText(0.1 + 0.2, 3), std::string("0.3"));
    QCOMPARE(readableNumberText(123456.789, 3), std::string("1.23e+05"));
  }

  void shownValuesParseBack() {
    ParamDef lambda;
    lambda.name = "lambda";
    lambda.kind = ParamKind::Real;
    for (const double value : {1.0 / 3.0, 2.0 / 3.0, 0.5, 1.0 / 7.0, -3.0 / 8.0}) {
      ParamValue parsed;
      QVERIFY(!parseValue(lambda, readableValueText(ParamValue(value), 6), parsed));
      QCOMPARE(parsed.get<double>(), value); // exact, not to six digits
    }
    ParamValue parsed;
    QVERIFY(!parseValue(lambda, " 1 / 4 ", parsed));
    QCOMPARE(parsed.get<double>(), 0.25);
    QVERIFY(parseValue(lambda, "1/0", parsed)); // refused with a message
    QVERIFY(parseValue(lambda, "1/", parsed));

    ParamDef weights;
    weights.name = "weights";
    weights.kind = ParamKind::RealList;
    QCOMPARE(readableValueText(ParamValue::array({1.0 / 3.0, 0.5}), 3), std::string("1/3, 0.5"));
    QVERIFY(!parseValue(weights, "1/3, 0.5", parsed));
    QCOMPARE(parsed, ParamValue::array({1.0 / 3.0, 0.5}));
  }

  void machineTextStaysExact() {
    // Project files, recipes and mergekit YAML keep the exact spelling.
    QCOMPARE(valueText(ParamValue(1.0 / 3.0)), std::string("0.3333333333333333"));
  }
};

MG_TEST_APPLESS_MAIN(ReadableNumbersTest)
#include "test_readable_numbers.moc"
