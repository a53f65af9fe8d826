/* The string builder of abi.h. */
#include "abi.h"

void buf_put(buf *b, const char *p, u32 n) {
  if (b->len + n > b->cap) {
    u32 cap = b->cap ? b->cap : 16;
    while (cap < b->len + n) cap *= 2;
    b->ptr = cabi_realloc(b->ptr, b->cap, 1, cap);
    b->cap = cap;
  }
  memcpy(b->ptr + b->len, p, n);
  b->len += n;
}

void buf_str(buf *b, const char *z) {
  u32 n = 0;
  while (z[n]) n++;
  buf_put(b, z, n);
}

void buf_u64(buf *b, u64 v) {
  char digits[20];
  u32 n = 0;
  do {
    digits[19 - n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  buf_put(b, digits + 20 - n, n);
}

void buf_s64(buf *b, s64 v) {
  if (v < 0) {
    buf_put(b, "-", 1);
    buf_u64(b, (u64)0 - (u64)v);
  } else {
    buf_u64(b, (u64)v);
  }
}

void *arena_copy(const void *p, u32 n, u32 align) {
  void *q = cabi_realloc(0, 0, align, n);
  memcpy(q, p, n);
  return q;
}
