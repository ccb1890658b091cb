#include "readable_numbers.h"

#include <QCoreApplication>

#include "qt_text.h"

#include "graph/param_def.h"
#include "util/readable_number.h"

namespace mg::ui {

QString readableNumber(double value, int maxSignificant, const QLocale& locale) {
  const util::ReadableNumber readable = util::readableNumber(value, maxSignificant);
  if (readable.fraction)
    return QStringLiteral("%1/%2").arg(locale.toString(readable.fraction->numerator),
                                       locale.toString(readable.fraction->denominator));
  QLocale plain = locale;
  plain.setNumberOptions(plain.numberOptions() | QLocale::OmitGroupSeparator);
  return plain.toString(value, 'g', readable.significantDigits);
}

QString readableValue(const graph::ParamValue& value, int maxSignificant, const QLocale& locale) {
  if (value.is_number_float()) return readableNumber(value.get<double>(), maxSignificant, locale);
  if (value.is_number_integer()) return readableNumber(value.get<double>(), 18, locale);
  if (!value.is_array()) return qs(graph::valueText(value));
  QStringList parts;
  for (const auto& element : value)
    parts << readableValue(element, maxSignificant, locale);
  return parts.join(listSeparator(locale));
}

namespace {

// Where the number goes in a percentage, as the language writes it: "%1%" in English, "%1 %" in German and
// French (with a no-break space).
QString percentPattern() {
  return QCoreApplication::translate("Numbers", "%1%", "a percentage; %1 is the number");
}

} // namespace

QString listSeparator(const QLocale& locale) {
  return locale.decimalPoint() == QLatin1String(",") ? QStringLiteral("; ") : QStringLiteral(", ");
}

QString decimalText(double value, int decimals, const QLocale& locale) {
  QLocale plain = locale;
  plain.setNumberOptions(plain.numberOptions() | QLocale::OmitGroupSeparator);
  return plain.toString(value, 'f', decimals);
}

QString percentText(double fraction, int decimals, const QLocale& locale) {
  return percentPattern().arg(decimalText(100.0 * fraction, decimals, locale));
}

QString percentAxisFormat(int decimals) {
  const QStringList around = percentPattern().split(QStringLiteral("%1"));
  const auto escaped = [](QString text) { return text.replace(QLatin1Char('%'), QStringLiteral("%%")); };
  return escaped(around.value(0)) + QStringLiteral("%.%1f").arg(decimals) + escaped(around.value(1));
}

} // namespace mg::ui
