#pragma once
// What `docker build` (BuildKit's frontend/dockerfile/instructions) rejects in an instruction the
// parser accepted: its flags (unknown, duplicated, without a value, a bad boolean or duration) and
// its arguments (ENV/LABEL/ARG with a blank name, ONBUILD ONBUILD, HEALTHCHECK NONE with arguments,
// WORKDIR/USER/STOPSIGNAL without exactly one argument, SHELL not in JSON form, ...). The Dockerfile
// does not build: the model reports it as an error at the instruction's line.
#include <optional>
#include <string>

#include "dockerfile/syntax.h"

namespace slimbench::dockerfile {

// BuildKit's error for the instruction, followed by what was expected; nullopt when it is
// accepted. Instructions BuildKit does not know are not judged here (the model names them).
std::optional<std::string> buildkitRejects(const Instruction& in);

// Go's time.ParseDuration: the duration in nanoseconds, or Go's error text
// (`time: invalid duration "abc"`) in `error`.
std::optional<double> parseGoDuration(const std::string& s, std::string* error = nullptr);

}  // namespace slimbench::dockerfile
