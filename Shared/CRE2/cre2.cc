#include "cre2.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <cstring>
#include <new>
#include <string>
#include <vector>

struct cre2_regex {
  re2::RE2 re;
  cre2_regex(const re2::StringPiece &p, const re2::RE2::Options &o) : re(p, o) {}
};

struct cre2_set {
  re2::RE2::Set set;
  explicit cre2_set(const re2::RE2::Options &o) : set(o, re2::RE2::ANCHOR_BOTH) {}
};

static re2::RE2::Options quiet_options() {
  re2::RE2::Options options;
  options.set_log_errors(false);
  return options;
}

static void copy_error(const std::string &message, char *error, size_t error_cap) {
  if (error == nullptr || error_cap == 0) return;
  size_t n = message.size() < error_cap - 1 ? message.size() : error_cap - 1;
  std::memcpy(error, message.data(), n);
  error[n] = '\0';
}

cre2_regex *cre2_regex_new(const char *pattern, size_t pattern_len, char *error, size_t error_cap) {
  cre2_regex *regex = new (std::nothrow) cre2_regex(re2::StringPiece(pattern, pattern_len), quiet_options());
  if (regex == nullptr) {
    copy_error("out of memory", error, error_cap);
    return nullptr;
  }
  if (!regex->re.ok()) {
    copy_error(regex->re.error(), error, error_cap);
    delete regex;
    return nullptr;
  }
  return regex;
}

int cre2_regex_full_match(const cre2_regex *regex, const char *text, size_t text_len) {
  return re2::RE2::FullMatch(re2::StringPiece(text, text_len), regex->re) ? 1 : 0;
}

int cre2_regex_partial_match(const cre2_regex *regex, const char *text, size_t text_len) {
  return re2::RE2::PartialMatch(re2::StringPiece(text, text_len), regex->re) ? 1 : 0;
}

int cre2_regex_program_size(const cre2_regex *regex) { return regex->re.ProgramSize(); }

void cre2_regex_free(cre2_regex *regex) { delete regex; }

cre2_set *cre2_set_new(long long max_mem) {
  re2::RE2::Options options = quiet_options();
  if (max_mem > 0) options.set_max_mem(max_mem);
  return new (std::nothrow) cre2_set(options);
}

int cre2_set_add(cre2_set *set, const char *pattern, size_t pattern_len, char *error, size_t error_cap) {
  std::string message;
  int index = set->set.Add(re2::StringPiece(pattern, pattern_len), &message);
  if (index < 0) copy_error(message, error, error_cap);
  return index;
}

int cre2_set_compile(cre2_set *set) { return set->set.Compile() ? 1 : 0; }

int cre2_set_match(const cre2_set *set, const char *text, size_t text_len, int *out, size_t out_cap) {
  std::vector<int> matches;
  re2::RE2::Set::ErrorInfo info;
  bool matched = set->set.Match(re2::StringPiece(text, text_len), &matches, &info);
  if (!matched) return info.kind == re2::RE2::Set::kNoError ? 0 : -1;
  for (size_t i = 0; i < matches.size() && i < out_cap; i++) out[i] = matches[i];
  return static_cast<int>(matches.size());
}

void cre2_set_free(cre2_set *set) { delete set; }
