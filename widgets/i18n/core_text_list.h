#pragma once
// The texts of core the workbench translates (node types' titles, categories and help; the engine's result
// labels): core is Qt-free and English, so the workbench translates them where it shows them
// (i18n/core_text.h). The list is generated (core_text_list.cpp, translations/update.sh) for lupdate to read.
#include <vector>

namespace mg::ui {

// In engine::translatableTexts() order; the translation context is kCoreContext.
const std::vector<const char*>& coreTexts();

inline constexpr const char* kCoreContext = "Core";

} // namespace mg::ui
