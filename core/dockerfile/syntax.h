#pragma once
// The Dockerfile syntax tree, as BuildKit's parser (frontend/dockerfile/parser)
// builds it: one node per instruction, arguments split by the per-instruction
// rules (JSON form, whitespace lists, key/value triples, ONBUILD nesting), flags
// kept raw, heredoc bodies attached, start/end lines kept. No expansion here:
// that is the model's job (model.h).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/diagnostic.h"

namespace slimbench::dockerfile {

struct Heredoc {
  std::string name;          // the terminator word, quotes removed
  unsigned fileDescriptor = 0;
  bool expand = true;        // false when the delimiter was quoted
  bool chomp = false;        // <<- : leading tabs are stripped
  std::string content;       // raw body, each line with its newline
  std::string body() const;  // content with leading tabs removed when chomp
};

struct Directive {
  std::string name;   // lower-case: syntax, escape, check
  std::string value;
  int line = 0;
};

struct Instruction {
  std::string keyword;             // as written (case kept); see lowerKeyword()
  std::string original;            // the logical line, continuations joined
  std::vector<std::string> flags;  // raw "--name=value" strings, "--" dropped
  std::vector<std::string> args;   // arguments as BuildKit's AST holds them
  bool json = false;               // exec (JSON array) form
  std::unique_ptr<Instruction> sub;  // ONBUILD's nested instruction
  std::vector<Heredoc> heredocs;
  std::vector<std::string> comments;  // comment lines just above
  int startLine = 0;
  int endLine = 0;

  std::string lowerKeyword() const;
  // The S-expression BuildKit's Node.Dump() prints, e.g. (copy ["--from=a"] "x" "/y")
  std::string dump() const;
};

struct SyntaxTree {
  std::vector<Instruction> instructions;
  std::vector<Directive> directives;
  char escapeToken = '\\';
  std::vector<Diagnostic> warnings;  // e.g. empty continuation lines

  // Every instruction's dump followed by a newline: the conformance "result" format.
  std::string dump() const;
};

// Parses Dockerfile text. `file` is used in diagnostics only. Errors carry the
// line range of the offending instruction and what was expected.
Result<SyntaxTree> parse(std::string_view text, const std::string& file = {});

// The same parse, handing each instruction to `sink` as soon as it is made (with the escape
// character in force) instead of keeping it: for input too large to hold as a whole tree. The
// result holds the directives, escape character and warnings, and no instructions. On an error,
// the sink has had the instructions before it.
using InstructionSink = std::function<void(Instruction&& instruction, char escapeToken)>;
Result<SyntaxTree> parseEach(std::string_view text, const std::string& file, const InstructionSink& sink);

// Go's strconv.Quote, which the dump format uses.
std::string goQuote(std::string_view s);

// The instruction keywords BuildKit knows (lower-case).
bool isKnownKeyword(std::string_view lowerKeyword);

}  // namespace slimbench::dockerfile
