/* The canonical ABI by hand, for components built without wit-bindgen:
   scalar types, export/import attributes, the allocator every component
   exports (cabi_realloc) and a string builder on it. */
#ifndef LADDER_ABI_H
#define LADDER_ABI_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef int s32;
typedef unsigned long long u64;
typedef long long s64;
typedef __SIZE_TYPE__ usize;

#define EXPORT(name) __attribute__((export_name(name)))
#define IMPORT(module, name) __attribute__((import_module(module), import_name(name)))

/* The core function the canonical ABI calls to allocate in this instance's
   memory (arguments of our exports, results of our imports). */
void *cabi_realloc(void *old, usize old_size, usize align, usize new_size);

/* Frees (and poisons with 0xAA) everything cabi_realloc gave out: each
   export's post-return calls it, so a host that reads results after
   post-return reads poison. */
void arena_reset(void);

void *memcpy(void *dst, const void *src, usize n);
void *memset(void *dst, int c, usize n);

/* A string (ptr, len) as the canonical ABI lays it out. */
typedef struct {
  const char *ptr;
  u32 len;
} str;

/* A growing byte buffer in the arena. */
typedef struct {
  char *ptr;
  u32 len, cap;
} buf;

void buf_put(buf *b, const char *p, u32 n);
void buf_str(buf *b, const char *z);
void buf_u64(buf *b, u64 v);
void buf_s64(buf *b, s64 v);
void *arena_copy(const void *p, u32 n, u32 align);

#endif
