/* The `report` interface on an imported `shapes`: the other half of the
   composed rung. Imports are lowered by hand too: more than one flat
   result comes back through a pointer we pass, and the callee's lists and
   strings are allocated with our cabi_realloc. */
#include "abi.h"

#define SHAPES "witness:ladder/shapes@0.1.0"
#define REPORT "witness:ladder/report@0.1.0#"

IMPORT(SHAPES, "area") u64 shapes_area(u32 tag, u32 a, u32 b);
IMPORT(SHAPES, "parse-num") void shapes_parse_num(const char *s, u32 len, void *ret);
IMPORT(SHAPES, "first-word") void shapes_first_word(const char *s, u32 len, void *ret);
IMPORT(SHAPES, "shout") void shapes_shout(const str *words, u32 n, void *ret);
IMPORT(SHAPES, "post-returns") u32 shapes_post_returns(void);
IMPORT(SHAPES, "describe")
void shapes_describe(const char *name, u32 name_len, u32 age, const str *tags, u32 ntags,
                     u32 has_email, const char *email, u32 email_len, void *ret);

static u64 ret[2];

static void post_return(void) {
  memset(ret, 0xAA, sizeof ret);
  arena_reset();
}

/* list<shape>: 12-byte elements, the case at 0 and the payload at 4. */
EXPORT(REPORT "total-area") u64 total_area(const u32 *shapes, u32 n) {
  u64 t = 0;
  for (u32 i = 0; i < n; i++) {
    const u32 *s = shapes + 3 * i;
    u32 tag = *(const u8 *)s;
    t += shapes_area(tag, tag == 2 ? 0 : s[1], tag == 1 ? s[2] : 0);
  }
  return t;
}

/* result<u64, string>: the case at 0, the payload at 8. */
EXPORT(REPORT "tally") void *tally(const str *words, u32 n) {
  u64 t = 0;
  u32 *r = (u32 *)ret;
  for (u32 i = 0; i < n; i++) {
    u32 res[3];
    shapes_parse_num(words[i].ptr, words[i].len, res);
    if ((u8)res[0]) {
      r[0] = 1;
      r[2] = res[1];
      r[3] = res[2];
      return ret;
    }
    t += res[1];
  }
  r[0] = 0;
  ret[1] = t;
  return ret;
}
EXPORT("cabi_post_" REPORT "tally") void tally_post(void *r) { (void)r; post_return(); }

EXPORT(REPORT "card")
void *card(const char *name, u32 name_len, u32 age, const str *tags, u32 ntags, u32 has_email,
           const char *email, u32 email_len) {
  u32 d[2], w[3];
  shapes_describe(name, name_len, age, tags, ntags, has_email, email, email_len, d);
  shapes_first_word(name, name_len, w);
  buf b = {0};
  buf_put(&b, (const char *)(usize)d[0], d[1]);
  buf_str(&b, " / ");
  if ((u8)w[0])
    buf_put(&b, (const char *)(usize)w[1], w[2]);
  else
    buf_str(&b, "-");
  buf_str(&b, " / ");
  buf_u64(&b, shapes_post_returns());
  u32 *r = (u32 *)ret;
  r[0] = (u32)(usize)b.ptr;
  r[1] = b.len;
  return ret;
}
EXPORT("cabi_post_" REPORT "card") void card_post(void *r) { (void)r; post_return(); }

EXPORT(REPORT "loud") void *loud(const str *words, u32 n) {
  u32 once[2];
  shapes_shout(words, n, once);
  shapes_shout((const str *)(usize)once[0], once[1], ret);
  return ret;
}
EXPORT("cabi_post_" REPORT "loud") void loud_post(void *r) { (void)r; post_return(); }
