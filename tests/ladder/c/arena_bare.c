/* The arena without libc: a bump allocator from __heap_base that grows
   linear memory, and the memcpy/memset that clang may call. */
#include "abi.h"

extern u8 __heap_base;
static usize top;

void *memcpy(void *dst, const void *src, usize n) {
  __builtin_memcpy(dst, src, n);
  return dst;
}

void *memset(void *dst, int c, usize n) {
  __builtin_memset(dst, c, n);
  return dst;
}

EXPORT("cabi_realloc")
void *cabi_realloc(void *old, usize old_size, usize align, usize new_size) {
  usize base = (usize)&__heap_base;
  if (top < base) top = base;
  usize p = (top + align - 1) & ~(align - 1);
  usize end = p + new_size;
  if (end < p) __builtin_trap();
  usize have = __builtin_wasm_memory_size(0) * 65536;
  if (end > have && __builtin_wasm_memory_grow(0, (end - have + 65535) / 65536) == (usize)-1)
    __builtin_trap();
  top = end;
  if (old) memcpy((void *)p, old, old_size < new_size ? old_size : new_size);
  return (void *)p;
}

void arena_reset(void) {
  usize base = (usize)&__heap_base;
  if (top > base) memset((void *)base, 0xAA, top - base);
  top = base;
}
