#pragma once
// graph::ParamValue (nlohmann::json) travels in signals between the properties panel and the main window:
// declared once here so queued connections and QSignalSpy can carry it.
#include <QMetaType>

#include "graph/param_def.h"

Q_DECLARE_METATYPE(mg::graph::ParamValue)
