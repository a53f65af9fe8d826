/* The arena on wasi-libc: malloc'd blocks, remembered until arena_reset
   frees them. */
#include <stdlib.h>
#include <string.h>
#include "abi.h"

typedef struct {
  void *ptr;
  usize size;
} block;

static block *blocks;
static usize count, cap;

EXPORT("cabi_realloc")
void *cabi_realloc(void *old, usize old_size, usize align, usize new_size) {
  (void)old_size;
  if (align > 16) abort();
  if (old) {
    for (usize i = 0; i < count; i++) {
      if (blocks[i].ptr == old) {
        void *p = realloc(old, new_size ? new_size : 1);
        if (!p) abort();
        blocks[i].ptr = p;
        blocks[i].size = new_size;
        return p;
      }
    }
    abort();
  }
  if (count == cap) {
    cap = cap ? 2 * cap : 16;
    blocks = realloc(blocks, cap * sizeof *blocks);
    if (!blocks) abort();
  }
  void *p = malloc(new_size ? new_size : 1);
  if (!p) abort();
  blocks[count].ptr = p;
  blocks[count].size = new_size;
  count++;
  return p;
}

void arena_reset(void) {
  for (usize i = 0; i < count; i++) {
    memset(blocks[i].ptr, 0xAA, blocks[i].size);
    free(blocks[i].ptr);
  }
  count = 0;
}
