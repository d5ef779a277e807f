#pragma once
// Variable expansion as BuildKit's shell lexer does it for the instructions that
// expand (FROM, COPY, ADD, ENV, ARG, LABEL, EXPOSE, USER, WORKDIR, VOLUME,
// STOPSIGNAL and the flags of RUN): $VAR, ${VAR}, ${VAR:-x}, ${VAR-x}, ${VAR:+x},
// ${VAR+x}, ${VAR:?msg}, ${VAR?msg}, escapes, single and double quotes.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slimbench::dockerfile {

using Lookup = std::function<std::optional<std::string>(const std::string&)>;

struct ExpandResult {
  std::string word;                // ProcessWord: one string, quotes removed
  std::string error;               // non-empty when the text is malformed
  std::vector<std::string> unset;  // variables referenced but not set
};

// escape: the Dockerfile's escape token ('\\' or '`'). keepLiteral: names that
// are unset here but may come from the base image's config (e.g. PATH): a plain
// $NAME / ${NAME} of such a name is kept as written instead of becoming empty.
ExpandResult expand(std::string_view text, const Lookup& lookup, char escape = '\\',
                    const std::function<bool(const std::string&)>& keepLiteral = {});

}  // namespace slimbench::dockerfile
