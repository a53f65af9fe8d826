;; A command that prints its arguments and environment, one per line, and
;; exits with the number of its arguments when it has more than one.
(component $C
  (import "wasi:io/error@0.2.0" (instance $error
    (export "error" (type (sub resource)))))
  (alias export $error "error" (type $error))
  (import "wasi:io/streams@0.2.0" (instance $streams
    (alias outer $C $error (type $error))
    (export "error" (type $e (eq $error)))
    (export "output-stream" (type $os (sub resource)))
    (type $se (variant (case "last-operation-failed" (own $e)) (case "closed")))
    (export "stream-error" (type $se2 (eq $se)))
    (export "[method]output-stream.blocking-write-and-flush"
      (func (param "self" (borrow $os)) (param "contents" (list u8)) (result (result (error $se2)))))))
  (alias export $streams "output-stream" (type $os))
  (import "wasi:cli/stdout@0.2.3" (instance $stdout
    (alias outer $C $os (type $os))
    (export "output-stream" (type $os2 (eq $os)))
    (export "get-stdout" (func (result (own $os2))))))
  (import "wasi:cli/environment@0.2.0" (instance $env
    (export "get-arguments" (func (result (list string))))
    (export "get-environment" (func (result (list (tuple string string)))))))
  (import "wasi:cli/exit@0.2.12" (instance $exit
    (export "exit-with-code" (func (param "status-code" u8)))))

  (core module $Mem
    (memory (export "memory") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and
        (i32.add (global.get $next) (i32.sub (local.get 2) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get 2))))
      (global.set $next (i32.add (local.get $p) (local.get 3)))
      (local.get $p)))
  (core instance $mem (instantiate $Mem))
  (alias core export $mem "memory" (core memory $memory))
  (alias core export $mem "realloc" (core func $realloc))

  (alias export $streams "[method]output-stream.blocking-write-and-flush" (func $write))
  (alias export $stdout "get-stdout" (func $get-stdout))
  (alias export $env "get-arguments" (func $get-args))
  (alias export $env "get-environment" (func $get-env))
  (alias export $exit "exit-with-code" (func $exit-with-code))
  (core func $write (canon lower (func $write) (memory $memory)))
  (core func $get-stdout (canon lower (func $get-stdout)))
  (core func $get-args (canon lower (func $get-args) (memory $memory) (realloc $realloc)))
  (core func $get-env (canon lower (func $get-env) (memory $memory) (realloc $realloc)))
  (core func $exit-with-code (canon lower (func $exit-with-code)))

  (core module $Main
    (import "mem" "memory" (memory 1))
    (import "wasi" "write" (func $write (param i32 i32 i32 i32)))
    (import "wasi" "get-stdout" (func $get-stdout (result i32)))
    (import "wasi" "get-args" (func $get-args (param i32)))
    (import "wasi" "get-env" (func $get-env (param i32)))
    (import "wasi" "exit-with-code" (func $exit (param i32)))
    ;; 0..16: return areas; 16: "\n="
    (data (i32.const 16) "\n=")
    (global $out (mut i32) (i32.const 0))
    (func $put (param $ptr i32) (param $len i32)
      (call $write (global.get $out) (local.get $ptr) (local.get $len) (i32.const 32)))
    (func (export "run") (result i32)
      (local $i i32) (local $n i32) (local $p i32)
      (global.set $out (call $get-stdout))
      (call $get-args (i32.const 0))
      (local.set $p (i32.load (i32.const 0)))
      (local.set $n (i32.load (i32.const 4)))
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $put (i32.load (local.get $p)) (i32.load offset=4 (local.get $p)))
        (call $put (i32.const 16) (i32.const 1))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
      (call $get-env (i32.const 8))
      (local.set $p (i32.load (i32.const 8)))
      (local.set $i (i32.const 0))
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.load (i32.const 12))))
        (call $put (i32.load (local.get $p)) (i32.load offset=4 (local.get $p)))
        (call $put (i32.const 17) (i32.const 1))
        (call $put (i32.load offset=8 (local.get $p)) (i32.load offset=12 (local.get $p)))
        (call $put (i32.const 16) (i32.const 1))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
      (if (i32.gt_u (local.get $n) (i32.const 1))
        (then (call $exit (local.get $n))))
      (i32.const 0)))
  (core instance $main (instantiate $Main
    (with "mem" (instance $mem))
    (with "wasi" (instance
      (export "write" (func $write))
      (export "get-stdout" (func $get-stdout))
      (export "get-args" (func $get-args))
      (export "get-env" (func $get-env))
      (export "exit-with-code" (func $exit-with-code))))))
  (func $run (result (result)) (canon lift (core func $main "run")))
  (instance $run-inst (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $run-inst)))
