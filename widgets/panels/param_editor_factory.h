#pragma once
// One editor per parameter kind: Bool → check box, Int → spin box, Real / RealList / Text → line edit
// checked with parseValue, Choice → combo box, Path → line edit and Browse… (a dialog per PathUse).
#include "panels/param_editor.h"

namespace mg::ui {

ParamEditor* createParamEditor(const graph::ParamDef& def, QWidget* parent = nullptr);

} // namespace mg::ui
