#include "quality/objective_verbs.h"

namespace docprof::quality {

namespace {

using VerbSet = std::set<std::string, std::less<>>;

const VerbSet kOverview = {"identify", "describe", "explain", "list", "summarize", "outline",
                           "recognize"};
const VerbSet kBalanced = {"explain", "use",       "apply",       "compare", "compute",
                           "interpret", "distinguish", "describe"};
const VerbSet kTechnical = {"configure", "implement", "diagnose", "analyze", "write",
                            "build",     "debug",     "use",      "apply",   "compute"};
const VerbSet kExpert = {"design", "evaluate", "optimize", "critique", "justify", "architect"};

// Other observable verbs (Bloom's taxonomy and hands-on work), and British spellings.
const VerbSet kOthers = {
    "adapt",      "analyse",   "annotate",  "appraise",  "argue",      "assess",    "automate",
    "benchmark",  "calculate", "choose",    "classify",  "compile",    "compose",   "construct",
    "contrast",   "convert",   "create",    "criticize", "debate",     "decide",    "deduce",
    "defend",     "define",    "demonstrate", "deploy",  "derive",     "determine", "develop",
    "differentiate", "discuss", "document", "draft",     "estimate",   "examine",   "execute",
    "extend",     "forecast",  "formulate", "illustrate", "infer",     "inspect",   "install",
    "integrate",  "interpret", "investigate", "justify", "locate",     "maintain",  "manage",
    "map",        "measure",   "migrate",   "model",     "modify",     "monitor",   "name",
    "operate",    "optimise",  "organize",  "organise",  "package",    "perform",   "plan",
    "plot",       "predict",   "prepare",   "prioritize", "profile",   "propose",   "prove",
    "quantify",   "rank",      "read",      "recognise", "recommend",  "refactor",  "relate",
    "reproduce",  "restore",   "review",    "run",       "schedule",   "script",    "secure",
    "select",     "simulate",  "sketch",    "solve",     "specify",    "state",     "structure",
    "summarise",  "test",      "trace",     "translate", "troubleshoot", "validate", "verify"};

}  // namespace

const VerbSet& depth_verbs(std::string_view depth) {
  if (depth == "overview") return kOverview;
  if (depth == "technical") return kTechnical;
  if (depth == "expert") return kExpert;
  return kBalanced;
}

bool is_measurable_verb(std::string_view w) {
  return kOverview.count(w) != 0 || kBalanced.count(w) != 0 || kTechnical.count(w) != 0 ||
         kExpert.count(w) != 0 || kOthers.count(w) != 0;
}

}  // namespace docprof::quality
