;; A small module for `witness run`: Fibonacci numbers and factorials.
;;
;;   cargo run --release -- run examples/fib.wat --invoke fib 20    # 6765
;;   cargo run --release -- run examples/fib.wat --invoke fac 10    # 3628800
(module
  ;; fib(n) with fib(0) = 0, fib(1) = 1, by iteration.
  (func $fib (export "fib") (param $n i32) (result i32)
    (local $a i32) (local $b i32) (local $t i32)
    (local.set $b (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $t (i32.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $a))

  ;; n! by recursion, in 64 bits.
  (func $fac (export "fac") (param $n i64) (result i64)
    (if (result i64) (i64.le_u (local.get $n) (i64.const 1))
      (then (i64.const 1))
      (else (i64.mul (local.get $n) (call $fac (i64.sub (local.get $n) (i64.const 1)))))))

  ;; Traps with "unreachable", to show a trap and its backtrace.
  (func (export "crash") (param i32) (result i32)
    (unreachable)))
