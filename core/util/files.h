#pragma once
// Reading user files with clear errors, and atomic writes.
#include <cstddef>
#include <string>
#include <optional>
#include <string_view>

#include "util/diagnostic.h"

namespace slimbench {

struct TextLimits {
  std::size_t maxBytes = 8u * 1024u * 1024u;  // refuse larger inputs with a message
  bool rejectBinary = true;                   // NUL bytes or invalid UTF-8 => error
};

// Reads a whole text file. Errors: missing, a directory, unreadable, larger than
// limits.maxBytes, or binary (NUL bytes / not UTF-8) when limits.rejectBinary.
Result<std::string> readTextFile(const std::string& path, TextLimits limits = {});

// Checks text already in memory against the same rules (name is for messages).
std::optional<Diagnostic> checkText(std::string_view text, const std::string& name, TextLimits limits = {});

// Writes data to path atomically: a temporary file in the same folder, fsync,
// rename over the target. With overwrite=false an existing file is an error.
std::optional<Diagnostic> writeFileAtomic(const std::string& path, std::string_view data, bool overwrite);

// Byte offset of the first invalid UTF-8 sequence, or npos when valid.
std::size_t firstInvalidUtf8(std::string_view s);

}  // namespace slimbench
