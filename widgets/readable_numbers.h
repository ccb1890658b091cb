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

} // namespace mg::ui
