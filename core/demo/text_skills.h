#pragma once
// The text zoo's skills (demo/text_zoo.h): string tasks a small language model learns from prompts such as
//   "reverse: c a d =" -> " d a c"        "add: 3 4 1 =" -> " 8"
//   "reverse upper: c a d =" -> " D A C"  (a composition: the skills applied left to right)
// Letters are written one per word so that the byte-level BPE gives each its own token (" c"): the skills
// then act on tokens the model can attend to one by one, as character-level tasks do.
//
// Skills, over the letters a..j (strings of 3 to 6 letters) and the digits:
//   copy     the string (pre-training only: it teaches the format; no specialist)
//   reverse  the letters in reverse order
//   upper    the letters upper-cased
//   sort     the letters in alphabetical order
//   shift    each letter replaced by the next one (j wraps to a), keeping its case
//   add      the sum of 2 or 3 digits, a number
// The base is pre-trained on copy, the five skills and a few two-skill compositions, so it knows the prompt
// format of a composition; the held-out compositions (never in pre-training, in either order) are only
// test tasks.
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace mg::demo {

// The skills that get a specialist, in order.
const std::vector<std::string>& textSkills();
// Two-skill compositions the base sees in pre-training, and those held out of all training.
const std::vector<std::vector<std::string>>& pretrainedCompositions();
const std::vector<std::vector<std::string>>& heldOutCompositions();

// "reverse" or, for a composition, "reverse+upper": a task's name.
std::string textTaskName(const std::vector<std::string>& skills);

struct TextSkillExample {
  std::string prompt;               // "reverse: c a d ="
  std::string answer;               // " d a c" (a space first, no newline)
  std::vector<std::string> choices; // the answer and distractors of the same form, shuffled
  std::int64_t label = 0;           // the answer's index in choices
};

// Draws examples with a seeded generator: one seed gives the same examples on every platform (the
// generator's numbers are used directly, never through std:: distributions, whose results vary by library).
class TextSkillSampler {
public:
  explicit TextSkillSampler(std::uint64_t seed) : rng_(seed) {}
  // `skills` applied in order to a random string (add: only alone), with up to `choices` answers: the
  // correct one and distractors of the same form where possible (other skills' results, nearby sums).
  // Throws std::invalid_argument for an unknown skill.
  TextSkillExample example(const std::vector<std::string>& skills, std::size_t choices = 4);
  // One line of the base's pre-training mixture: copy, a single skill or a pre-trained composition.
  TextSkillExample pretrainingExample();

private:
  std::uint64_t below(std::uint64_t n) { return rng_() % n; }
  std::mt19937_64 rng_;
};

// `count` distinct examples of `skills` whose prompts are not in `exclude`; their prompts are added to it.
std::vector<TextSkillExample> distinctExamples(TextSkillSampler& sampler,
                                               const std::vector<std::string>& skills, std::size_t count,
                                               std::set<std::string>& exclude);

} // namespace mg::demo
