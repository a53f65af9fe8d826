;; A small component for `witness run`: strings, lists, records, a resource,
;; and a composition of two components.
;;
;;   witness run examples/demo.wat --invoke 'greet("world")'
;;   witness run examples/demo.wat --invoke 'example:demo/text.sum@0.1.0([1, 2, 3])'
;;   witness run examples/demo.wat --invoke 'mirror({x: 1, y: -2})'
;;   witness run examples/demo.wat --invoke 'count(10, 3)'
;;
;; $Lib implements text functions and a `counter` resource; $App imports
;; $Lib's instance and uses the resource. The outer component instantiates
;; both, wires $Lib into $App, and exports their functions.
(component
  (component $Lib
    ;; Memory, a bump allocator, the text functions and the counters' state.
    (core module $State
      (memory (export "mem") 1)
      (global $heap (mut i32) (i32.const 4096))
      (global $next (mut i32) (i32.const 0))
      (global $dropped (mut i32) (i32.const 0))
      (data (i32.const 16) "Hello, ")
      (func $realloc (export "realloc")
        (param $old i32) (param $old-size i32) (param $align i32) (param $size i32) (result i32)
        (local $p i32)
        (local.set $p (i32.and
          (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
          (i32.sub (i32.const 0) (local.get $align))))
        (global.set $heap (i32.add (local.get $p) (local.get $size)))
        (local.get $p))
      ;; greet(name) = "Hello, " ++ name ++ "!", returned through a result area.
      (func (export "greet") (param $ptr i32) (param $len i32) (result i32)
        (local $out i32) (local $total i32)
        (local.set $total (i32.add (local.get $len) (i32.const 8)))
        (local.set $out (call $realloc (i32.const 0) (i32.const 0) (i32.const 1) (local.get $total)))
        (memory.copy (local.get $out) (i32.const 16) (i32.const 7))
        (memory.copy (i32.add (local.get $out) (i32.const 7)) (local.get $ptr) (local.get $len))
        (i32.store8 (i32.add (local.get $out) (i32.sub (local.get $total) (i32.const 1))) (i32.const 33))
        (i32.store (i32.const 0) (local.get $out))
        (i32.store (i32.const 4) (local.get $total))
        (i32.const 0))
      ;; sum(xs: list<u32>)
      (func (export "sum") (param $ptr i32) (param $len i32) (result i32)
        (local $s i32) (local $i i32)
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
            (local.set $s (i32.add (local.get $s)
              (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $i) (i32.const 2))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
        (local.get $s))
      ;; mirror(p: point) swaps x and y.
      (func (export "mirror") (param $x i32) (param $y i32) (result i32)
        (i32.store (i32.const 8) (local.get $y))
        (i32.store (i32.const 12) (local.get $x))
        (i32.const 8))
      ;; A counter's representation is the address of its count.
      (func (export "alloc-counter") (param $start i32) (result i32)
        (local $p i32)
        (local.set $p (i32.add (i32.const 1024) (i32.shl (global.get $next) (i32.const 2))))
        (global.set $next (i32.add (global.get $next) (i32.const 1)))
        (i32.store (local.get $p) (local.get $start))
        (local.get $p))
      (func (export "bump") (param $rep i32) (result i32)
        (i32.store (local.get $rep) (i32.add (i32.load (local.get $rep)) (i32.const 1)))
        (i32.load (local.get $rep)))
      (func (export "drop-counter") (param $rep i32)
        (global.set $dropped (i32.add (global.get $dropped) (i32.const 1))))
      (func (export "dropped") (result i32) (global.get $dropped)))
    (core instance $state (instantiate $State))

    (type $counter (resource (rep i32) (dtor (func $state "drop-counter"))))
    (export $counter-e "counter" (type $counter))
    (core func $counter.new (canon resource.new $counter))
    (core module $Ctor
      (import "state" "alloc-counter" (func $alloc (param i32) (result i32)))
      (import "rt" "new" (func $new (param i32) (result i32)))
      (func (export "make") (param $start i32) (result i32)
        (call $new (call $alloc (local.get $start)))))
    (core instance $ctor (instantiate $Ctor
      (with "state" (instance $state))
      (with "rt" (instance (export "new" (func $counter.new))))))

    (type $point (record (field "x" s32) (field "y" s32)))
    (export $point-e "point" (type $point))

    (func (export "greet") (param "name" string) (result string)
      (canon lift (core func $state "greet")
        (memory (core memory $state "mem")) (realloc (core func $state "realloc"))))
    (func (export "sum") (param "xs" (list u32)) (result u32)
      (canon lift (core func $state "sum")
        (memory (core memory $state "mem")) (realloc (core func $state "realloc"))))
    (func (export "mirror") (param "p" $point-e) (result $point-e)
      (canon lift (core func $state "mirror") (memory (core memory $state "mem"))))
    (func (export "[constructor]counter") (param "start" u32) (result (own $counter-e))
      (canon lift (core func $ctor "make")))
    (func (export "[method]counter.bump") (param "self" (borrow $counter-e)) (result u32)
      (canon lift (core func $state "bump")))
    (func (export "dropped") (result u32) (canon lift (core func $state "dropped"))))

  (component $App
    (import "counter-lib" (instance $lib
      (export "counter" (type $c (sub resource)))
      (export "[constructor]counter" (func (param "start" u32) (result (own $c))))
      (export "[method]counter.bump" (func (param "self" (borrow $c)) (result u32)))))
    (alias export $lib "counter" (type $counter))
    (core func $new (canon lower (func $lib "[constructor]counter")))
    (core func $bump (canon lower (func $lib "[method]counter.bump")))
    (core func $drop (canon resource.drop $counter))
    (core module $M
      (import "lib" "new" (func $new (param i32) (result i32)))
      (import "lib" "bump" (func $bump (param i32) (result i32)))
      (import "lib" "drop" (func $drop (param i32)))
      ;; count(start, n): a counter from `start`, bumped n times, dropped.
      (func (export "count") (param $start i32) (param $n i32) (result i32)
        (local $h i32) (local $r i32)
        (local.set $h (call $new (local.get $start)))
        (local.set $r (local.get $start))
        (block $done
          (loop $next
            (br_if $done (i32.eqz (local.get $n)))
            (local.set $r (call $bump (local.get $h)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br $next)))
        (call $drop (local.get $h))
        (local.get $r)))
    (core instance $m (instantiate $M
      (with "lib" (instance
        (export "new" (func $new)) (export "bump" (func $bump)) (export "drop" (func $drop))))))
    (func (export "count") (param "start" u32) (param "n" u32) (result u32)
      (canon lift (core func $m "count"))))

  (instance $lib (instantiate $Lib))
  (instance $app (instantiate $App (with "counter-lib" (instance $lib))))

  (export "greet" (func $lib "greet"))
  (alias export $lib "point" (type $point))
  (export $point-e "point" (type $point))
  (export "mirror" (func $lib "mirror") (func (param "p" $point-e) (result $point-e)))
  (instance $text
    (export "greet" (func $lib "greet"))
    (export "sum" (func $lib "sum")))
  (export "example:demo/text@0.1.0" (instance $text))
  (export "count" (func $app "count"))
  (export "dropped" (func $lib "dropped")))
