#include "demo/text_skills.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace mg::demo {

namespace {

constexpr char kFirstLetter = 'a';
constexpr int kLetters = 10; // a..j
constexpr std::uint64_t kMinLength = 3, kMaxLength = 6;

// The string skills (all but add), which compose.
const std::vector<std::string>& stringSkills() {
  static const std::vector<std::string> skills = {"reverse", "upper", "sort", "shift"};
  return skills;
}

std::string applySkill(const std::string& skill, std::string s) {
  if (skill == "copy") return s;
  if (skill == "reverse") {
    std::reverse(s.begin(), s.end());
  } else if (skill == "upper") {
    for (auto& c : s)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  } else if (skill == "sort") {
    std::sort(s.begin(), s.end());
  } else if (skill == "shift") {
    for (auto& c : s) {
      const char first = std::isupper(static_cast<unsigned char>(c)) ? 'A' : kFirstLetter;
      c = static_cast<char>(first + (c - first + 1) % kLetters);
    }
  } else {
    throw std::invalid_argument("text zoo: unknown skill '" + skill + "'");
  }
  return s;
}

std::string applySkills(const std::vector<std::string>& skills, std::string s) {
  for (const auto& skill : skills)
    s = applySkill(skill, std::move(s));
  return s;
}

// " c a d": one word per letter.
std::string spaced(const std::string& letters) {
  std::string out;
  for (const char c : letters) {
    out += ' ';
    out += c;
  }
  return out;
}

std::string joined(const std::vector<std::string>& words, const std::string& separator) {
  std::string out;
  for (const auto& word : words)
    out += (out.empty() ? "" : separator) + word;
  return out;
}

bool isUpper(const std::string& s) {
  return !s.empty() && std::isupper(static_cast<unsigned char>(s.front()));
}

} // namespace

const std::vector<std::string>& textSkills() {
  static const std::vector<std::string> skills = {"reverse", "upper", "sort", "shift", "add"};
  return skills;
}

const std::vector<std::vector<std::string>>& pretrainedCompositions() {
  static const std::vector<std::vector<std::string>> seen = {
      {"sort", "reverse"}, {"reverse", "shift"}, {"shift", "sort"}};
  return seen;
}

const std::vector<std::vector<std::string>>& heldOutCompositions() {
  // No pair of these skills is in pretrainedCompositions() in either order: upper composes with another
  // skill only here.
  static const std::vector<std::vector<std::string>> heldOut = {
      {"reverse", "upper"}, {"sort", "upper"}, {"upper", "shift"}};
  return heldOut;
}

std::string textTaskName(const std::vector<std::string>& skills) {
  return joined(skills, "+");
}

TextSkillExample TextSkillSampler::example(const std::vector<std::string>& skills, std::size_t choices) {
  TextSkillExample example;
  std::vector<std::string> sameForm, otherForm; // distractors, by whether they look like the answer
  if (skills == std::vector<std::string>{"add"}) {
    std::string digits(2 + below(2), ' ');
    long sum = 0;
    for (auto& c : digits) {
      c = static_cast<char>('0' + below(10));
      sum += c - '0';
    }
    example.prompt = "add:" + spaced(digits) + " =";
    example.answer = " " + std::to_string(sum);
    for (const long wrong : {sum + 1, sum - 1, sum + 2, sum - 2, sum + 3})
      if (wrong >= 0) sameForm.push_back(" " + std::to_string(wrong));
  } else {
    std::string letters(kMinLength + below(kMaxLength - kMinLength + 1), ' ');
    for (auto& c : letters)
      c = static_cast<char>(kFirstLetter + below(kLetters));
    const std::string out = applySkills(skills, letters);
    example.prompt = joined(skills, " ") + ":" + spaced(letters) + " =";
    example.answer = spaced(out);
    // What the other skills and their pairs make of the same letters: near misses, not noise.
    std::vector<std::vector<std::string>> chains = {{"copy"}};
    for (const auto& a : stringSkills()) {
      chains.push_back({a});
      for (const auto& b : stringSkills())
        if (a != b) chains.push_back({a, b});
    }
    std::set<std::string> seen = {out};
    for (const auto& chain : chains) {
      const auto other = applySkills(chain, letters);
      if (!seen.insert(other).second) continue;
      (isUpper(other) == isUpper(out) ? sameForm : otherForm).push_back(spaced(other));
    }
  }
  const auto shuffle = [&](std::vector<std::string>& v) {
    for (std::size_t i = v.size(); i > 1; --i)
      std::swap(v[i - 1], v[below(i)]);
  };
  shuffle(sameForm);
  shuffle(otherForm);
  sameForm.insert(sameForm.end(), otherForm.begin(), otherForm.end());
  sameForm.resize(std::min(sameForm.size(), choices - 1));
  example.label = static_cast<std::int64_t>(below(sameForm.size() + 1));
  example.choices = sameForm;
  example.choices.insert(example.choices.begin() + example.label, example.answer);
  return example;
}

TextSkillExample TextSkillSampler::pretrainingExample() {
  // Shares in percent. The easy skills (upper, shift: a token mapped in place) get less, so that the base
  // stays imperfect at each skill and its specialist has something to add; compositions teach the format.
  static const std::vector<std::pair<std::vector<std::string>, std::uint64_t>> mixture = {
      {{"copy"}, 16}, {{"reverse"}, 15}, {{"upper"}, 3}, {{"sort"}, 15}, {{"shift"}, 5}, {{"add"}, 22}};
  auto r = below(100);
  for (const auto& [skills, share] : mixture) {
    if (r < share) return example(skills);
    r -= share;
  }
  return example(pretrainedCompositions()[below(pretrainedCompositions().size())]);
}

std::vector<TextSkillExample> distinctExamples(TextSkillSampler& sampler,
                                               const std::vector<std::string>& skills, std::size_t count,
                                               std::set<std::string>& exclude) {
  std::vector<TextSkillExample> examples;
  // A generous bound on draws: the shortest strings alone give a thousand distinct prompts per skill.
  for (std::size_t draws = 0; examples.size() < count && draws < 100 * count + 1000; ++draws) {
    auto example = sampler.example(skills);
    if (exclude.insert(example.prompt).second) examples.push_back(std::move(example));
  }
  if (examples.size() < count)
    throw std::logic_error("text zoo: too few distinct examples of " + textTaskName(skills));
  return examples;
}

} // namespace mg::demo
