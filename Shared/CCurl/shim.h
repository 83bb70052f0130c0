/*
 * Non-variadic wrappers around libcurl's variadic setopt/getinfo functions,
 * which Swift cannot call directly. Each wrapper fixes the type of the
 * trailing argument so Swift sees a normal C function.
 */
#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H

#ifndef CURL_DISABLE_TYPECHECK
#define CURL_DISABLE_TYPECHECK 1
#endif

#include <curl/curl.h>
#include <sys/socket.h>
#include <netinet/in.h>

/* ---- curl_easy_setopt ---- */

static inline CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_curlu(CURL *handle, CURLU *value) {
    return curl_easy_setopt(handle, CURLOPT_CURLU, value);
}

/* CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION share this signature. */
static inline CURLcode ccurl_easy_setopt_write_callback(CURL *handle, CURLoption option, curl_write_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode ccurl_easy_setopt_opensocket_callback(CURL *handle, curl_opensocket_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, callback);
}

/* ---- curl_easy_getinfo ---- */

static inline CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

/* ---- curl_multi_setopt ---- */

static inline CURLMcode ccurl_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

/* ---- macros Swift cannot import ---- */

static inline long ccurl_global_default_flags(void) { return CURL_GLOBAL_DEFAULT; }
static inline curl_socket_t ccurl_socket_bad(void) { return CURL_SOCKET_BAD; }
static inline int ccurl_error_size(void) { return CURL_ERROR_SIZE; }

/* The address curl wants to connect to: the sockaddr inside curl_sockaddr.
 * curl's storage behind `addr` is as large as `addrlen` (it may exceed
 * sizeof(struct sockaddr) for IPv6), so it must be read through this pointer
 * rather than by copying the struct. */
static inline const struct sockaddr *ccurl_sockaddr_address(const struct curl_sockaddr *address) {
    return &address->addr;
}

#endif /* CCURL_SHIM_H */
