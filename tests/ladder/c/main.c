/* The wasi-libc program of rung 3. Each argument is a command, run in
   order; without arguments it prints its argv and environment. Commands:
     echo:TEXT      TEXT on stdout
     repeat:N:TEXT  TEXT on stdout N times, a line each
     err:TEXT       TEXT on stderr
     env:NAME       NAME's value, or (unset)
     args           argc and each argv
     environ        every NAME=VALUE, in the order given
     cat:PATH       the file's bytes
     upper:IN:OUT   IN upper-cased into OUT, with a last line counting lines
     append:PATH:T  T and a newline appended to PATH
     fill:PATH:N    N bytes (a to z, over and over) written to PATH
     ls:DIR         the directory's entries, sorted, with file sizes
     rm:PATH        removes PATH
     mkdir:PATH     creates the directory PATH
     open:PATH      "ok" if PATH opens for reading, else the error
     stdin          stdin copied to stdout, then its byte count
     clock          whether the monotonic clock goes forward and the wall clock is past 2020
     random         whether 32 random bytes are not all zero
     exit:N         exits with status N at once
     panic:TEXT     TEXT on stderr, then the program fails (C: abort) */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int fail(const char *what, const char *path) {
  printf("%s %s: %s\n", what, path, strerror(errno));
  return 1;
}

static int cat(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return fail("cat", path);
  char b[256];
  size_t n;
  while ((n = fread(b, 1, sizeof b, f)) > 0) fwrite(b, 1, n, stdout);
  fclose(f);
  return 0;
}

/* The text after SPEC's first ':' (which becomes SPEC's end), or NULL. */
static char *second(char *spec) {
  char *rest = strchr(spec, ':');
  if (rest) *rest++ = 0;
  return rest;
}

static int upper(const char *spec, const char *out) {
  FILE *in = fopen(spec, "rb");
  if (!in) return fail("upper", spec);
  FILE *o = fopen(out, "wb");
  if (!o) return fail("upper", out);
  int c, lines = 0;
  while ((c = fgetc(in)) != EOF) {
    if (c == '\n') lines++;
    fputc(c >= 'a' && c <= 'z' ? c - 32 : c, o);
  }
  fprintf(o, "lines: %d\n", lines);
  fclose(in);
  fclose(o);
  printf("upper %s -> %s: %d lines\n", spec, out, lines);
  return 0;
}

static int append(const char *spec, const char *text) {
  FILE *f = fopen(spec, "ab");
  if (!f) return fail("append", spec);
  fprintf(f, "%s\n", text);
  fclose(f);
  return 0;
}

static int fill(const char *spec, const char *n) {
  FILE *f = fopen(spec, "wb");
  if (!f) return fail("fill", spec);
  for (long i = 0, count = atol(n); i < count; i++) fputc('a' + i % 26, f);
  fclose(f);
  return 0;
}

static int repeat(const char *spec, const char *text) {
  for (long i = 0, count = atol(spec); i < count; i++) puts(text);
  return 0;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ls(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return fail("ls", dir);
  char *names[256];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 256)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = strdup(e->d_name);
  closedir(d);
  qsort(names, n, sizeof *names, by_name);
  for (int i = 0; i < n; i++) {
    char path[512];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    if (stat(path, &st)) return fail("stat", path);
    printf("%s %s %lld\n", S_ISDIR(st.st_mode) ? "d" : "f", names[i],
           S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size);
    free(names[i]);
  }
  return 0;
}

static int copy_stdin(void) {
  char b[256];
  size_t n, total = 0;
  while ((n = fread(b, 1, sizeof b, stdin)) > 0) {
    fwrite(b, 1, n, stdout);
    total += n;
  }
  printf("stdin: %zu bytes\n", total);
  return 0;
}

static int clocks(void) {
  struct timespec a, b, w;
  clock_gettime(CLOCK_MONOTONIC, &a);
  clock_gettime(CLOCK_MONOTONIC, &b);
  clock_gettime(CLOCK_REALTIME, &w);
  int forward = b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec);
  printf("clock: monotonic %s, wall %s\n", forward ? "forward" : "BACKWARD",
         w.tv_sec > 1577836800 ? "after 2020" : "BEFORE 2020");
  return 0;
}

static int random_bytes(void) {
  unsigned char b[32];
  int any = 0;
  if (getentropy(b, sizeof b)) return fail("random", "getentropy");
  for (size_t i = 0; i < sizeof b; i++) any |= b[i];
  printf("random: %s\n", any ? "some bits set" : "ALL ZERO");
  return 0;
}

static int command(char *a) {
  char *arg = strchr(a, ':');
  if (arg) *arg++ = 0;
  if (!strcmp(a, "echo") && arg) return puts(arg) < 0;
  if (!strcmp(a, "err") && arg) return fprintf(stderr, "%s\n", arg) < 0;
  if (!strcmp(a, "env") && arg) {
    const char *v = getenv(arg);
    printf("%s=%s\n", arg, v ? v : "(unset)");
    return 0;
  }
  if (!strcmp(a, "cat") && arg) return cat(arg);
  /* The commands of two arguments, NAME:FIRST:SECOND. */
  static const struct {
    const char *name;
    int (*run)(const char *, const char *);
  } two[] = {{"upper", upper}, {"append", append}, {"fill", fill}, {"repeat", repeat}};
  for (size_t i = 0; i < sizeof two / sizeof *two; i++) {
    char *rest;
    if (!strcmp(a, two[i].name) && arg && (rest = second(arg))) return two[i].run(arg, rest);
  }
  if (!strcmp(a, "panic") && arg) {
    fflush(stdout);
    fprintf(stderr, "%s\n", arg);
    abort();
  }
  if (!strcmp(a, "ls") && arg) return ls(arg);
  if (!strcmp(a, "rm") && arg) return unlink(arg) ? fail("rm", arg) : 0;
  if (!strcmp(a, "mkdir") && arg) return mkdir(arg, 0755) ? fail("mkdir", arg) : 0;
  if (!strcmp(a, "open") && arg) {
    FILE *f = fopen(arg, "rb");
    if (!f) return fail("open", arg);
    fclose(f);
    printf("open %s: ok\n", arg);
    return 0;
  }
  if (!strcmp(a, "stdin")) return copy_stdin();
  if (!strcmp(a, "clock")) return clocks();
  if (!strcmp(a, "random")) return random_bytes();
  if (!strcmp(a, "exit") && arg) {
    fflush(stdout);
    exit(atoi(arg));
  }
  fprintf(stderr, "unknown command %s\n", a);
  return 2;
}

static void show_args(int argc, char **argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    show_args(argc, argv);
    for (char **e = environ; *e; e++) printf("%s\n", *e);
    return 0;
  }
  int failed = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "args")) show_args(argc, argv);
    else if (!strcmp(argv[i], "environ"))
      for (char **e = environ; *e; e++) printf("%s\n", *e);
    else failed |= command(argv[i]);
  }
  return failed;
}
