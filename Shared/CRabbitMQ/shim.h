// The parts of rabbitmq-c that Swift cannot call directly, as small inline C functions.
#ifndef WEBHOOKS_CRABBITMQ_SHIM_H
#define WEBHOOKS_CRABBITMQ_SHIM_H

#if __has_include(<rabbitmq-c/amqp.h>)
#include <rabbitmq-c/amqp.h>
#include <rabbitmq-c/tcp_socket.h>
#else
#include <amqp.h>
#include <amqp_tcp_socket.h>
#endif
#include <stdlib.h>
#include <string.h>

// amqp_login is variadic.
static inline amqp_rpc_reply_t shim_amqp_login_plain(amqp_connection_state_t state, const char *vhost,
                                                     int channel_max, int frame_max, int heartbeat,
                                                     const char *user, const char *password) {
  return amqp_login(state, vhost, channel_max, frame_max, heartbeat, AMQP_SASL_METHOD_PLAIN, user, password);
}

// Bytes that own a malloc'ed copy of a C string (free with shim_bytes_free).
static inline amqp_bytes_t shim_bytes_dup(const char *text) {
  amqp_bytes_t b;
  b.len = strlen(text);
  b.bytes = malloc(b.len ? b.len : 1);
  if (b.len) memcpy(b.bytes, text, b.len);
  return b;
}

// Bytes that own a malloc'ed copy of a buffer (free with shim_bytes_free).
static inline amqp_bytes_t shim_bytes_copy(const void *data, size_t len) {
  amqp_bytes_t b;
  b.len = len;
  b.bytes = malloc(len ? len : 1);
  if (len) memcpy(b.bytes, data, len);
  return b;
}

static inline void shim_bytes_free(amqp_bytes_t b) { free(b.bytes); }

// A field table whose keys and values are malloc'ed; free with shim_table_free.
static inline amqp_table_t shim_table_new(int capacity) {
  amqp_table_t t;
  t.num_entries = 0;
  t.entries = capacity > 0 ? (amqp_table_entry_t *)calloc((size_t)capacity, sizeof(amqp_table_entry_t)) : NULL;
  return t;
}

static inline void shim_table_add_string(amqp_table_t *t, const char *key, const char *value) {
  amqp_table_entry_t *e = &t->entries[t->num_entries++];
  e->key = shim_bytes_dup(key);
  e->value.kind = AMQP_FIELD_KIND_UTF8;
  e->value.value.bytes = shim_bytes_dup(value);
}

static inline void shim_table_add_int(amqp_table_t *t, const char *key, int64_t value) {
  amqp_table_entry_t *e = &t->entries[t->num_entries++];
  e->key = shim_bytes_dup(key);
  e->value.kind = AMQP_FIELD_KIND_I64;
  e->value.value.i64 = value;
}

static inline void shim_table_free(amqp_table_t t) {
  for (int i = 0; i < t.num_entries; i++) {
    shim_bytes_free(t.entries[i].key);
    if (t.entries[i].value.kind == AMQP_FIELD_KIND_UTF8) shim_bytes_free(t.entries[i].value.value.bytes);
  }
  free(t.entries);
}

// Method numbers are macros with casts, which Swift does not import.
static const amqp_method_number_t SHIM_BASIC_DELIVER = AMQP_BASIC_DELIVER_METHOD;
static const amqp_method_number_t SHIM_BASIC_ACK = AMQP_BASIC_ACK_METHOD;
static const amqp_method_number_t SHIM_BASIC_NACK = AMQP_BASIC_NACK_METHOD;
static const amqp_method_number_t SHIM_BASIC_RETURN = AMQP_BASIC_RETURN_METHOD;
static const amqp_method_number_t SHIM_BASIC_CANCEL = AMQP_BASIC_CANCEL_METHOD;
static const amqp_method_number_t SHIM_CHANNEL_CLOSE = AMQP_CHANNEL_CLOSE_METHOD;
static const amqp_method_number_t SHIM_CONNECTION_CLOSE = AMQP_CONNECTION_CLOSE_METHOD;
static const amqp_method_number_t SHIM_CONNECTION_BLOCKED = AMQP_CONNECTION_BLOCKED_METHOD;
static const amqp_method_number_t SHIM_CONNECTION_UNBLOCKED = AMQP_CONNECTION_UNBLOCKED_METHOD;

static const amqp_flags_t SHIM_FLAG_CONTENT_TYPE = AMQP_BASIC_CONTENT_TYPE_FLAG;
static const amqp_flags_t SHIM_FLAG_HEADERS = AMQP_BASIC_HEADERS_FLAG;
static const amqp_flags_t SHIM_FLAG_DELIVERY_MODE = AMQP_BASIC_DELIVERY_MODE_FLAG;
static const amqp_flags_t SHIM_FLAG_MESSAGE_ID = AMQP_BASIC_MESSAGE_ID_FLAG;
static const amqp_flags_t SHIM_FLAG_TYPE = AMQP_BASIC_TYPE_FLAG;
static const amqp_flags_t SHIM_FLAG_TIMESTAMP = AMQP_BASIC_TIMESTAMP_FLAG;

#endif
