/* wasi:cli/run for a wasi-libc reactor: main with the host's arguments
   (wasi-libc's __main_void reads them), ok for status 0. */
#include <stdio.h>
#include "abi.h"

int __main_void(void);

EXPORT("wasi:cli/run@0.2.12#run") u32 run(void) {
  int status = __main_void();
  fflush(stdout);
  fflush(stderr);
  return status != 0;
}
