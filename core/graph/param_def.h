#pragma once
// A node parameter's definition (kind, default, range, choices, help) as the properties panel renders it and
// as the document checks edits against it. Values are JSON values in one representation per kind, so that
// files, cache keys and unknown node types need no conversion layer:
//   Bool → boolean, Int → integer, Real → floating number, RealList → array of floating numbers (at least
//   one), Choice / Text / Path → string.
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "graph/maybe_error.h"

namespace mg::graph {

using ParamValue = nlohmann::json;

enum class ParamKind { Bool, Int, Real, RealList, Choice, Text, Path };

// What a Path parameter points at: the editor picks the dialog, the project file stores it relative.
enum class PathUse {
  Read,       // an existing file or folder (a checkpoint, a model folder, a task file)
  ReadFolder, // an existing folder (an adapter)
  Write       // written by the node (an export): may not exist yet
};

struct ParamDef {
  std::string name;
  ParamKind kind = ParamKind::Real;
  ParamValue defaultValue;
  std::optional<double> min; // numeric kinds (each element of a RealList)
  std::optional<double> max;
  bool minInclusive = true;
  bool maxInclusive = true;
  std::vector<std::string> choices; // Choice
  std::string help;
  std::vector<std::string> aliases; // earlier names a project file may use (read as this parameter)
  // Earlier spellings of a Choice value and the value they mean now (a file's "l1" reads as "true"); a
  // boolean given for a Choice of "true"/"false" reads as that text.
  std::vector<std::pair<std::string, std::string>> valueAliases;
  bool required = false; // Text / Path: empty is a validation error ("path is not set")
  PathUse pathUse = PathUse::Read;
  // A check beyond kind and range, given the value in its kind's representation (e.g. "5GB" parses as a
  // size). Returns the problem, phrased to follow the parameter's name: "is not a size: ...".
  std::function<MaybeError(const ParamValue&)> check;

  // "(0, 1]", "[0, inf)", or "" when unbounded.
  std::string rangeText() const;
  bool inRange(double value) const;
};

const char* paramKindName(ParamKind kind); // "bool", "int", "real", "real-list", "choice", "text", "path"

// Brings `value` to the representation of `def.kind` (an integer given for a Real becomes a floating number,
// a single number given for a RealList becomes a one-element list) and checks it against the definition.
// Returns the problem, e.g. "density must be in (0, 1], got 1.5", leaving `value` unspecified.
MaybeError normalizeValue(const ParamDef& def, ParamValue& value);

// Parses the text spelling of a value ("0.5", "1/3", "true", "0.3, 0.5", "ties") into `out`, then normalizes
// it.
// Locale-independent: a decimal comma never changes what "0.5" means.
MaybeError parseValue(const ParamDef& def, const std::string& text, ParamValue& out);

// The text spelling of a value, as parseValue reads it and core/ops' parameter parser accepts it:
// "true", "3", "0.5", "0.3,0.5", or the string itself.
std::string valueText(const ParamValue& value);

// The value as the workbench shows it to a person (util/readable_number.h): real numbers at most
// `maxSignificant` significant digits or as an exact fraction, lists "0.3, 1/3"; parseValue reads it back
// (to the shown precision).
std::string readableValueText(const ParamValue& value, int maxSignificant);

} // namespace mg::graph
