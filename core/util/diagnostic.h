#pragma once
// Errors meant for users: where (file, line, column) and what was expected.
// Readers never throw across the core API; they return these instead.
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace slimbench {

enum class Severity { Info, Warning, Error };

struct SourceLocation {
  std::string file;  // may be empty for in-memory text
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown
  int endLine = 0;   // last line of the construct, 0 when same as line
};

struct Diagnostic {
  Severity severity = Severity::Error;
  SourceLocation where;
  std::string message;

  // "file:line:column: message" (the GNU convention editors and CI understand).
  std::string format() const;
};

const char* severityName(Severity s);

// An error diagnostic: where (file or archive member, optional line/column) and what.
inline Diagnostic errorAt(std::string file, std::string message, int line = 0, int column = 0) {
  Diagnostic d;
  d.where.file = std::move(file);
  d.where.line = line;
  d.where.column = column;
  d.message = std::move(message);
  return d;
}

// Value-or-error for functions that can fail on user input.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}               // NOLINT(implicit)
  Result(Diagnostic error) : v_(std::move(error)) {}      // NOLINT(implicit)
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  const Diagnostic& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Diagnostic> v_;
};

}  // namespace slimbench
