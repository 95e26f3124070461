#include "domain/outline_parser.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/line_grammar.h"
#include "domain/reference_lines.h"

namespace docprof::domain {
namespace {

using grammar::Line;
using grammar::LineKind;

constexpr std::string_view kUnparseable = "unparseable_output";
constexpr std::size_t kQuoteLength = 100;

// A line quoted in an error message: trimmed and cut (on a UTF-8 boundary) to stay readable.
std::string quote(std::string_view line) {
  std::string_view v = grammar::trim_space(line);
  if (v.size() <= kQuoteLength) return "'" + std::string(v) + "'";
  std::size_t cut = kQuoteLength;
  while (cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xC0U) == 0x80U) --cut;
  return "'" + std::string(v.substr(0, cut)) + "…'";
}

// What the answer looked like, for the repair prompt: empty, or its first meaningful line.
std::string found_hint(const std::vector<std::string_view>& lines) {
  for (auto line : lines) {
    const Line l = grammar::classify_line(line);
    if (l.kind != LineKind::blank && l.kind != LineKind::fence) {
      return " (the answer begins with " + quote(line) + ")";
    }
  }
  return " (the answer was empty)";
}

// A time given on its own line under a header ("Duration: 45 minutes") instead of on the header.
std::optional<int> time_below(const std::vector<std::string_view>& lines, std::size_t header) {
  int looked = 0;
  for (std::size_t j = header + 1; j < lines.size() && looked < 3; ++j) {
    const Line l = grammar::classify_line(lines[j]);
    if (l.kind == LineKind::blank) continue;
    ++looked;
    if (l.kind == LineKind::part || l.kind == LineKind::section || l.kind == LineKind::total ||
        l.kind == LineKind::heading || l.kind == LineKind::commentary || l.kind == LineKind::note)
      return std::nullopt;
    if (const auto minutes = grammar::duration_only(l.plain)) return minutes;
  }
  return std::nullopt;
}

// Reads section-structured text (one part's sections, or a whole outline) line by line.
class OutlineReader {
 public:
  explicit OutlineReader(bool whole_outline) : whole_outline_(whole_outline) {}

  // Feeds one line; false when the rest of the answer is not outline (commentary, another part).
  bool feed(const Line& line) {
    if (line.kind == LineKind::blank) {
      after_objective_ = false;
      return true;
    }
    if (line.kind == LineKind::fence) return true;
    if (commentary_) {
      // Commentary before the outline ("Key changes: …") ends at the first real header.
      const bool header = line.kind == LineKind::part || line.kind == LineKind::section;
      if (!header || line.list_item) return true;
      commentary_ = false;
    }
    switch (line.kind) {
      case LineKind::commentary:
        if (has_section_) return false;
        commentary_ = true;
        in_section_ = false;
        return true;
      case LineKind::note:
        // Remarks run until the next header that is not in a list; they may sit between parts.
        commentary_ = true;
        in_section_ = false;
        return true;
      case LineKind::total:
        if (!stated_total_ && line.minutes) stated_total_ = line.minutes;
        close_list();
        return true;
      case LineKind::part:
        return on_part(line);
      case LineKind::section:
        // "- Section 2: Risk was merged" in a list is a remark; a listed header states its time
        // or stands out in bold ("1. **Section 1: Intro**" with the time on a line below).
        if (line.list_item && !line.minutes && !line.bold) {
          Line item = line;
          item.text = line.plain;
          on_item(item);
        } else {
          on_section(line);
        }
        return true;
      case LineKind::objectives_label:
        on_objectives_label(line);
        return true;
      case LineKind::other_label:
        if (in_section_) list_ = List::other;
        after_objective_ = false;
        return true;
      case LineKind::item:
        on_item(line);
        return true;
      case LineKind::read:
        on_read(line);
        return true;
      case LineKind::heading:
        close_list();
        return true;
      default:
        on_prose(line);
        return true;
    }
  }

  std::vector<PartDraft>& parts() { return parts_; }
  const std::optional<std::string>& part_title() const { return part_title_; }
  const std::optional<int>& stated_total() const { return stated_total_; }

 private:
  // How the items under the current section are read.
  enum class List {
    implicit,    // no label yet: items are objectives
    objectives,  // after "Learning objectives:"
    other,       // after "Key topics:" and the like: items are not objectives
    closed,      // prose or a heading ended the list
  };

  SectionDraft& current() { return parts_.back().sections.back(); }

  void close_list() {
    if (in_section_) list_ = List::closed;
    after_objective_ = false;
  }

  bool on_part(const Line& line) {
    if (!whole_outline_) {
      // One part's answer: a second part header after its sections starts text we did not ask for.
      if (has_section_) return false;
      part_title_ = line.text;
      return true;
    }
    parts_.push_back(PartDraft{line.text, 0, {}});
    in_section_ = false;
    return true;
  }

  void on_section(const Line& line) {
    if (parts_.empty()) parts_.push_back(PartDraft{});
    parts_.back().sections.push_back(SectionDraft{line.text, line.minutes.value_or(0), {}, {}});
    in_section_ = true;
    has_section_ = true;
    list_ = List::implicit;
    awaiting_time_ = !line.minutes.has_value();
    after_objective_ = false;
  }

  void on_objectives_label(const Line& line) {
    if (!in_section_) return;
    // An explicit objectives list replaces items collected before it without a label.
    if (list_ == List::implicit) current().objectives.clear();
    list_ = List::objectives;
    awaiting_time_ = false;
    after_objective_ = false;
    if (!line.text.empty()) add_objective(line.text);
  }

  void on_item(const Line& line) {
    if (!in_section_) return;
    // "- Duration: 20 minutes" gives the section's time; it is never an objective.
    if (const auto minutes = grammar::duration_only(line.plain)) {
      if (current().minutes == 0) current().minutes = *minutes;
      awaiting_time_ = false;
      return;
    }
    awaiting_time_ = false;
    if (list_ == List::implicit || list_ == List::objectives) add_objective(line.text);
  }

  // A "Read:" line belongs to the current section, wherever it stands among the objectives; one
  // that names no book or chapter is dropped.
  void on_read(const Line& line) {
    after_objective_ = false;
    if (!in_section_) return;
    if (auto ref = parse_read_line(line.plain)) current().reads.push_back(std::move(*ref));
  }

  void on_prose(const Line& line) {
    if (!in_section_) return;
    if (awaiting_time_) {
      awaiting_time_ = false;
      if (const auto minutes = grammar::duration_only(line.plain)) {
        current().minutes = *minutes;
        return;
      }
    }
    if (line.kind == LineKind::label) return;  // "In this section we cover:" keeps the list open
    if (line.indented && after_objective_ && !current().objectives.empty()) {
      current().objectives.back() += " " + line.plain;  // a wrapped objective
      return;
    }
    // Prose after the objectives (a summary, the model's remarks) ends them; prose before them
    // (a section description) does not.
    if (!current().objectives.empty()) list_ = List::closed;
    after_objective_ = false;
  }

  void add_objective(const std::string& text) {
    const std::string cleaned = std::string(grammar::trim_space(text));
    if (cleaned.empty()) return;
    current().objectives.push_back(cleaned);
    after_objective_ = true;
  }

  bool whole_outline_;
  std::vector<PartDraft> parts_;
  std::optional<std::string> part_title_;
  std::optional<int> stated_total_;
  bool in_section_ = false;
  bool has_section_ = false;
  bool commentary_ = false;
  bool awaiting_time_ = false;
  bool after_objective_ = false;
  List list_ = List::implicit;
};

OutlineReader read_outline(const std::vector<std::string_view>& lines, bool whole_outline) {
  OutlineReader reader(whole_outline);
  for (auto raw : lines) {
    if (!reader.feed(grammar::classify_line(raw))) break;
  }
  return reader;
}

// The errors of section-structured answers, shared by parse_sections and parse_outline.
std::optional<Error> check_sections(const std::vector<SectionDraft>& sections,
                                    const std::vector<std::string_view>& lines,
                                    bool whole_outline) {
  if (sections.empty()) {
    return Error{std::string(kUnparseable),
                 std::string("no section header was found; expected ") +
                     (whole_outline ? "'## Part <n>: <title>' headers, each followed by " : "") +
                     "lines of the form '### Section <k>: <title> - <minutes> minutes' followed by "
                     "'Learning objectives:' and '- <objective>' items" +
                     found_hint(lines)};
  }
  for (const auto& section : sections) {
    if (section.minutes > 0) return std::nullopt;
  }
  return Error{std::string(kUnparseable),
               "found " + std::to_string(sections.size()) +
                   " section(s) but none states its minutes (the first is " +
                   quote(sections.front().title) +
                   "); write each header as '### Section <k>: <title> - <minutes> minutes'"};
}

}  // namespace

std::optional<int> parse_duration_minutes(std::string_view text) {
  const auto durations = grammar::find_durations(text);
  if (durations.empty()) return std::nullopt;
  return durations.front().minutes;
}

Result<PartsParse> parse_parts(std::string_view text) {
  const auto lines = grammar::split_lines(text);
  PartsParse out;
  bool remarks = false;  // after remarks that follow the plan, only note lines are read
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const Line line = grammar::classify_line(lines[i]);
    // "Note (<kind>: <topic>): <message>" lines, listed or not, anywhere: never a part.
    if (line.kind == LineKind::note || line.kind == LineKind::item) {
      if (auto note = parse_note_line(line.plain)) {
        out.notes.push_back(std::move(*note));
        continue;
      }
    }
    if (remarks) continue;
    switch (line.kind) {
      case LineKind::course_title:
        if (out.parts.empty() && !out.course_title && !line.text.empty()) {
          out.course_title = line.text;
        }
        break;
      case LineKind::total:
        if (!out.stated_total && line.minutes) out.stated_total = line.minutes;
        break;
      case LineKind::commentary:
      case LineKind::note:
        remarks = !out.parts.empty();  // remarks after the plan are not the plan
        break;
      case LineKind::part: {
        std::optional<int> minutes = line.minutes;
        if (!minutes) minutes = time_below(lines, i);
        // "- Part 2: covers the cases" in a list of remarks is not a part without a time.
        if (!minutes && line.list_item) break;
        if (!minutes || *minutes <= 0) {
          // We cannot allocate time to a part without its minutes: ask again rather than guess.
          return Error{std::string(kUnparseable),
                       "the line " + quote(lines[i]) +
                           " gives no time in minutes; write every part as 'Part N: <title> - "
                           "<minutes> minutes'"};
        }
        std::string title = line.text;
        if (title.empty())
          title = "Part " + std::to_string(out.parts.size() + 1);  // "Part 2: 45 min"
        out.parts.push_back(PartPlan{std::move(title), *minutes});
        break;
      }
      default:
        break;
    }
  }
  if (out.parts.empty()) {
    return Error{
        std::string(kUnparseable),
        "no line of the form 'Part N: <title> - <minutes> minutes' was found" + found_hint(lines)};
  }
  return out;
}

Result<SectionsParse> parse_sections(std::string_view text) {
  const auto lines = grammar::split_lines(text);
  OutlineReader reader = read_outline(lines, false);
  SectionsParse out;
  out.part_title = reader.part_title();
  out.stated_total = reader.stated_total();
  for (auto& part : reader.parts()) {
    for (auto& section : part.sections) out.sections.push_back(std::move(section));
  }
  if (auto error = check_sections(out.sections, lines, false)) return *error;
  return out;
}

Result<Outline> parse_outline(std::string_view text) {
  const auto lines = grammar::split_lines(text);
  OutlineReader reader = read_outline(lines, true);
  Outline outline;
  std::vector<SectionDraft> all;
  for (auto& part : reader.parts()) {
    // A part header with no sections under it is a summary line ("Part 1: X - 60 minutes" before
    // the detailed outline), not a part of the outline.
    if (part.sections.empty()) continue;
    part.minutes = part.section_minutes();
    all.insert(all.end(), part.sections.begin(), part.sections.end());
    outline.parts.push_back(std::move(part));
  }
  if (auto error = check_sections(all, lines, true)) return *error;
  return outline;
}

std::vector<std::string> normalize_sections(std::vector<SectionDraft>& sections) {
  std::vector<std::string> warnings;
  for (auto& section : sections) {
    if (section.minutes <= 0) {
      warnings.push_back("Section '" + section.title + "' had no minutes; set to 15");
      section.minutes = 15;
    }
    if (section.objectives.size() < 2) {
      warnings.push_back("Section '" + section.title + "' has " +
                         std::to_string(section.objectives.size()) +
                         " learning objective(s); 2 to 6 are expected");
    }
  }
  return warnings;
}

std::vector<std::string> check_parts(const std::vector<PartPlan>& parts) {
  std::vector<std::string> warnings;
  for (const auto& part : parts) {
    if (part.minutes > 120) {
      warnings.push_back("Part '" + part.title + "' is " + std::to_string(part.minutes) +
                         " minutes, over the 120-minute maximum per part");
    }
  }
  return warnings;
}

}  // namespace docprof::domain
