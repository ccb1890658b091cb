#pragma once
// Numbers shown to a person in the locale's spelling: "1/3", "0,707" under German, "×0.5" weights. The
// digits follow util/readable_number.h; only the separators and the exponent come from the locale.
#include <QLocale>
#include <QString>

#include "graph/param_def.h"

namespace mg::ui {

QString readableNumber(double value, int maxSignificant, const QLocale& locale = QLocale());
// Numbers as readableNumber, lists joined with "; " under a decimal comma (", " otherwise), text as it is.
QString readableValue(const graph::ParamValue& value, int maxSignificant, const QLocale& locale = QLocale());

// Between the items of a list of numbers: "; " under a decimal comma ("0,5; 0,25"), ", " otherwise.
QString listSeparator(const QLocale& locale = QLocale());
// A fixed number of decimals in the locale's spelling, without group separators: "0.731", "0,731".
QString decimalText(double value, int decimals, const QLocale& locale = QLocale());
// A fraction (0.619) as a percentage with the language's spacing: "61.9%", "61,9 %" (German, French).
QString percentText(double fraction, int decimals = 1, const QLocale& locale = QLocale());
// The same spelling as a QtCharts label format for an axis whose values are already percentages
// ("%.0f%%", "%.0f %%"); the chart localizes the digits (styleChart turns localizeNumbers on).
QString percentAxisFormat(int decimals);

} // namespace mg::ui
