// Models of build-time commands that write files a catalogue cannot list: Django's collectstatic,
// message compilation (msgfmt, pybabel compile, compilemessages) and python -m compileall. Each
// takes what the estimate knows of the stage (the files COPY put there, the packages pip
// installed) and the measured figures of catalogue/build-scripts.json, and says how it sized the
// result, or why it cannot.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "estimate/estimate.h"

namespace slimbench::estimate {

struct ScriptEstimate {
  Range bytes;
  std::string reason;  // how it was sized
  std::string source;  // where the figures come from
  std::string proxy;   // non-empty: a stated stand-in was used (another Django release)
  std::string unknown; // non-empty: it cannot be sized; `bytes` is then what is known
};

struct CollectstaticInputs {
  std::string djangoVersion;  // as pip installed it; empty when Django is not known to be installed
  std::uint64_t projectStaticBytes = 0;  // the project's own files under a static/ folder (from COPY)
  std::size_t projectStaticFiles = 0;
  std::uint64_t appsInstalledHigh = 0;   // installed size of the other Django apps (an upper bound of their static files)
  std::vector<std::string> apps;         // their names
  bool whitenoise = false, brotli = false;
};
ScriptEstimate collectstaticModel(const BuildScriptModel& m, const CollectstaticInputs& in);

// .mo files from `poBytes` of .po catalogues (`poFiles` files).
ScriptEstimate messagesModel(const BuildScriptModel& m, std::uint64_t poBytes, std::size_t poFiles);

// .pyc files for `pyBytes` of .py sources (`pyFiles` files).
ScriptEstimate compileallModel(const BuildScriptModel& m, std::uint64_t pyBytes, std::size_t pyFiles);

// Whether a distribution is a Django app by its name (django-*, *-django, djangorestframework*,
// wagtail*): the ones whose static files collectstatic may copy.
bool isDjangoApp(const std::string& normalizedName);

}  // namespace slimbench::estimate
