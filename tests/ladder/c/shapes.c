/* The `shapes` interface of tests/ladder/wit/ladder.wit in the canonical
   ABI by hand: flat parameters, results through a return area when they
   flatten to more than one value, and post-return functions that free
   (and poison) what the call allocated. */
#include "abi.h"

#define SHAPES "witness:ladder/shapes@0.1.0#"
#define POST "cabi_post_" SHAPES

/* The return area: results stay here until post-return. */
static u64 ret[2];
static u32 post_returns;

static void post_return(void) {
  post_returns++;
  memset(ret, 0xAA, sizeof ret);
  arena_reset();
}

static void *ret_string(buf *b) {
  u32 *r = (u32 *)ret;
  r[0] = (u32)(usize)b->ptr;
  r[1] = b->len;
  return ret;
}

EXPORT(SHAPES "mirror") void *mirror(s32 x, s32 y) {
  s32 *r = (s32 *)ret;
  r[0] = y;
  r[1] = x;
  return ret;
}
EXPORT(POST "mirror") void mirror_post(void *r) { (void)r; post_return(); }

/* shape flattens to (case, circle's u32 or the point's x, the point's y). */
EXPORT(SHAPES "area") u64 area(u32 tag, u32 a, u32 b) {
  switch (tag) {
    case 0: return (u64)a * a * 3;
    case 1: {
      s64 p = (s64)(s32)a * (s32)b;
      return p < 0 ? (u64)-p : (u64)p;
    }
    default: return 0;
  }
}

EXPORT(SHAPES "flip") u32 flip(u32 perms) { return ~perms & 7; }

EXPORT(SHAPES "classify") u32 classify(s64 n) { return n < 0 ? 0 : n <= 100 ? 1 : 2; }

EXPORT(SHAPES "first-word") void *first_word(const char *s, u32 len) {
  u32 i = 0;
  while (i < len && s[i] == ' ') i++;
  u32 j = i;
  while (j < len && s[j] != ' ') j++;
  u32 *r = (u32 *)ret;
  r[0] = i < len;
  r[1] = (u32)(usize)(s + i);
  r[2] = j - i;
  return ret;
}
EXPORT(POST "first-word") void first_word_post(void *r) { (void)r; post_return(); }

EXPORT(SHAPES "parse-num") void *parse_num(const char *s, u32 len) {
  u32 *r = (u32 *)ret;
  u64 v = 0;
  buf e = {0};
  if (len == 0) buf_str(&e, "empty");
  for (u32 i = 0; i < len && !e.len; i++) {
    if (s[i] < '0' || s[i] > '9') {
      buf_str(&e, "not a digit: '");
      buf_put(&e, s + i, 1);
      buf_str(&e, "' in ");
      buf_put(&e, s, len);
    } else if ((v = v * 10 + (u64)(s[i] - '0')) > 0xffffffffu) {
      buf_str(&e, "too large: ");
      buf_put(&e, s, len);
    }
  }
  if (e.len) {
    r[0] = 1;
    r[1] = (u32)(usize)e.ptr;
    r[2] = e.len;
  } else {
    r[0] = 0;
    r[1] = (u32)v;
  }
  return ret;
}
EXPORT(POST "parse-num") void parse_num_post(void *r) { (void)r; post_return(); }

EXPORT(SHAPES "sum") s64 sum(const s32 *xs, u32 len) {
  s64 t = 0;
  for (u32 i = 0; i < len; i++) t += xs[i];
  return t;
}

/* option<f64>: the case at 0, the value at 8. */
EXPORT(SHAPES "mean") void *mean(const double *xs, u32 len) {
  double t = 0;
  for (u32 i = 0; i < len; i++) t += xs[i];
  u32 *r = (u32 *)ret;
  r[0] = len != 0;
  if (len) *(double *)&ret[1] = t / len;
  return ret;
}
EXPORT(POST "mean") void mean_post(void *r) { (void)r; post_return(); }

/* The code point starting at s[*i] (valid UTF-8, as the host guarantees). */
static u32 next_char(const char *s, u32 *i) {
  u8 c = (u8)s[(*i)++];
  u32 extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
  u32 cp = extra ? c & (0x3f >> extra) : c;
  while (extra--) cp = cp << 6 | ((u8)s[(*i)++] & 0x3f);
  return cp;
}

EXPORT(SHAPES "initials") void *initials(const char *s, u32 len) {
  buf out = {0};
  int in_word = 0;
  for (u32 i = 0; i < len;) {
    if (s[i] == ' ') {
      in_word = 0;
      i++;
      continue;
    }
    u32 cp = next_char(s, &i);
    if (!in_word) buf_put(&out, (const char *)&cp, 4);
    in_word = 1;
  }
  u32 *r = (u32 *)ret;
  r[0] = (u32)(usize)arena_copy(out.ptr, out.len, 4);
  r[1] = out.len / 4;
  return ret;
}
EXPORT(POST "initials") void initials_post(void *r) { (void)r; post_return(); }

EXPORT(SHAPES "shout") void *shout(const str *words, u32 n) {
  str *out = cabi_realloc(0, 0, 4, n * sizeof(str));
  for (u32 i = 0; i < n; i++) {
    const str *w = &words[n - 1 - i];
    char *p = cabi_realloc(0, 0, 1, w->len);
    for (u32 k = 0; k < w->len; k++) {
      char c = w->ptr[k];
      p[k] = c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
    }
    out[i].ptr = p;
    out[i].len = w->len;
  }
  u32 *r = (u32 *)ret;
  r[0] = (u32)(usize)out;
  r[1] = n;
  return ret;
}
EXPORT(POST "shout") void shout_post(void *r) { (void)r; post_return(); }

/* person flattens to name, age, tags, then email as (case, ptr, len). */
EXPORT(SHAPES "describe")
void *describe(const char *name, u32 name_len, u32 age, const str *tags, u32 ntags,
               u32 has_email, const char *email, u32 email_len) {
  buf b = {0};
  buf_put(&b, name, name_len);
  buf_str(&b, ", ");
  buf_u64(&b, age);
  buf_str(&b, ", tags [");
  for (u32 i = 0; i < ntags; i++) {
    if (i) buf_str(&b, ", ");
    buf_put(&b, tags[i].ptr, tags[i].len);
  }
  buf_str(&b, "], ");
  if (has_email) {
    buf_str(&b, "email ");
    buf_put(&b, email, email_len);
  } else {
    buf_str(&b, "no email");
  }
  return ret_string(&b);
}
EXPORT(POST "describe") void describe_post(void *r) { (void)r; post_return(); }

EXPORT(SHAPES "post-returns") u32 post_return_count(void) { return post_returns; }
