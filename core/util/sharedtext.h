#pragma once
// An immutable string held by reference count: records repeated many times (one per instruction
// of a 100k-line Dockerfile) point at one text instead of each holding a copy. Reads as the
// const std::string it holds; an empty SharedText reads as "".
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace slimbench {

class SharedText {
 public:
  SharedText() = default;
  SharedText(std::string text) : text_(std::make_shared<const std::string>(std::move(text))) {}  // NOLINT: implicit, as a string
  SharedText(const char* text) : SharedText(std::string(text)) {}                                // NOLINT
  explicit SharedText(std::shared_ptr<const std::string> text) : text_(std::move(text)) {}

  const std::string& str() const { return text_ ? *text_ : none(); }
  operator const std::string&() const { return str(); }  // NOLINT: reads as the string it holds
  operator std::string_view() const { return str(); }     // NOLINT
  bool empty() const { return str().empty(); }
  std::size_t size() const { return str().size(); }
  const char* c_str() const { return str().c_str(); }
  std::size_t find(std::string_view what, std::size_t pos = 0) const { return str().find(what, pos); }
  std::size_t rfind(std::string_view what, std::size_t pos = std::string::npos) const { return str().rfind(what, pos); }
  // Appends: a new text (the old one may be shared by others, who keep it).
  SharedText& operator+=(std::string_view more) {
    std::string t;
    t.reserve(size() + more.size());
    t += str();
    t += more;
    text_ = std::make_shared<const std::string>(std::move(t));
    return *this;
  }
  // The same object (not only equal text): for tests of sharing.
  const std::string* identity() const { return text_.get(); }

  friend bool operator==(const SharedText& a, std::string_view b) { return std::string_view(a.str()) == b; }

 private:
  static const std::string& none() {
    static const std::string empty;
    return empty;
  }
  std::shared_ptr<const std::string> text_;
};

// Hands out one SharedText per distinct text (not thread-safe: one per producer).
class TextPool {
 public:
  SharedText get(const std::string& text) {
    auto it = pool_.find(text);
    if (it != pool_.end()) return it->second;
    SharedText t(text);
    pool_.emplace(text, t);
    return t;
  }

 private:
  std::unordered_map<std::string, SharedText> pool_;
};

// The same, shared by threads (the variants estimated at once): texts that several variants say
// alike (what a RUN they all keep leaves unknown) are held once, and a record that lists one text
// twice (an unknown size and an unknown time) points at one copy. Each text is keyed by a view of
// itself, not by a second copy.
class SharedTextPool {
 public:
  SharedText get(std::string_view text) {
    const std::size_t h = std::hash<std::string_view>{}(text);
    Shard& s = shards_[h % kShards];
    std::lock_guard<std::mutex> lock(s.mutex);
    auto it = s.pool.find(text);
    if (it != s.pool.end()) return it->second;
    SharedText t{std::string(text)};
    s.pool.emplace(std::string_view(t.str()), t);
    return t;
  }

 private:
  static constexpr std::size_t kShards = 16;
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string_view, SharedText> pool;
  };
  Shard shards_[kShards];
};

}  // namespace slimbench
