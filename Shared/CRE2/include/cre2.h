// A small C interface to RE2 for Swift: single patterns and RE2::Set. Sets are anchored at both
// ends (a match is a full match); a single pattern matches in full or, for payload filters,
// anywhere in the text. RE2 runs in time linear in the input, so no pattern can stall a worker.
#ifndef WEBHOOKS_CRE2_H
#define WEBHOOKS_CRE2_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cre2_regex cre2_regex;
typedef struct cre2_set cre2_set;

/// Compiles `pattern`; on failure returns NULL and writes a message (NUL-terminated) into `error`.
cre2_regex *cre2_regex_new(const char *pattern, size_t pattern_len, char *error, size_t error_cap);
/// 1 when `text` matches the whole pattern, 0 otherwise.
int cre2_regex_full_match(const cre2_regex *regex, const char *text, size_t text_len);
/// 1 when the pattern matches some part of `text` (RE2::PartialMatch; `^` and `$` anchor), 0 otherwise.
int cre2_regex_partial_match(const cre2_regex *regex, const char *text, size_t text_len);
/// The size of the compiled program (RE2's ProgramSize: instructions), a measure of its cost.
int cre2_regex_program_size(const cre2_regex *regex);
void cre2_regex_free(cre2_regex *regex);

/// An empty set (at most `max_mem` bytes for its automata; 0 for RE2's default).
cre2_set *cre2_set_new(long long max_mem);
/// Adds a pattern; returns its index, or -1 with a message in `error`.
int cre2_set_add(cre2_set *set, const char *pattern, size_t pattern_len, char *error, size_t error_cap);
/// Compiles the set; 1 on success. Call once, after the last add.
int cre2_set_compile(cre2_set *set);
/// Writes the indices of the patterns matching the whole of `text` into `out` (at most `out_cap`);
/// returns how many match (may exceed `out_cap`), or -1 when the automaton ran out of memory.
int cre2_set_match(const cre2_set *set, const char *text, size_t text_len, int *out, size_t out_cap);
void cre2_set_free(cre2_set *set);

#ifdef __cplusplus
}
#endif

#endif
