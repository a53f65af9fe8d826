"""Rung 4's program: tests/ladder/c/main.c's commands in Python, as
wasi:cli/run, beside `shapes` (shapes.py)."""

import os
import sys
import time

from wit_world import exports
from componentize_py_types import Err
from shapes import Shapes  # noqa: F401 (componentize-py finds the export here)


def fail(what, path, e):
    print(f"{what} {path}: {os.strerror(e.errno)}")
    return 1


def upper_file(spec):
    src, _, dst = spec.partition(":")
    try:
        with open(src, "rb") as f:
            data = f.read()
    except OSError as e:
        return fail("upper", src, e)
    lines = data.count(b"\n")
    try:
        with open(dst, "wb") as f:
            f.write(bytes(c - 32 if 97 <= c <= 122 else c for c in data))
            f.write(b"lines: %d\n" % lines)
    except OSError as e:
        return fail("upper", dst, e)
    print(f"upper {src} -> {dst}: {lines} lines")
    return 0


def ls(d):
    try:
        names = sorted(os.listdir(d))
        for n in names:
            st = os.stat(f"{d}/{n}")
            is_dir = os.path.isdir(f"{d}/{n}")
            print(f"{'d' if is_dir else 'f'} {n} {0 if is_dir else st.st_size}")
    except OSError as e:
        return fail("ls", d, e)
    return 0


def command(a):
    name, sep, arg = a.partition(":")
    try:
        if name == "echo" and sep:
            print(arg)
        elif name == "err" and sep:
            print(arg, file=sys.stderr)
        elif name == "env" and sep:
            print(f"{arg}={os.environ.get(arg, '(unset)')}")
        elif name == "cat" and sep:
            with open(arg, "rb") as f:
                sys.stdout.flush()
                sys.stdout.buffer.write(f.read())
        elif name == "upper" and sep:
            return upper_file(arg)
        elif name == "fill" and sep:
            path, _, n = arg.partition(":")
            with open(path, "wb") as f:
                f.write(bytes(97 + i % 26 for i in range(int(n))))
        elif name == "repeat" and sep:
            n, _, text = arg.partition(":")
            for _ in range(int(n)):
                print(text)
        elif name == "panic" and sep:
            sys.stdout.flush()
            raise RuntimeError(arg)
        elif name == "append" and sep:
            path, _, text = arg.partition(":")
            with open(path, "a") as f:
                f.write(text + "\n")
        elif name == "ls" and sep:
            return ls(arg)
        elif name == "rm" and sep:
            os.unlink(arg)
        elif name == "mkdir" and sep:
            os.mkdir(arg)
        elif name == "open" and sep:
            open(arg, "rb").close()
            print(f"open {arg}: ok")
        elif name == "stdin":
            data = sys.stdin.buffer.read()
            sys.stdout.buffer.write(data)
            print(f"stdin: {len(data)} bytes")
        elif name == "clock":
            a, b = time.monotonic_ns(), time.monotonic_ns()
            wall = "after 2020" if time.time() > 1577836800 else "BEFORE 2020"
            print(f"clock: monotonic {'forward' if b >= a else 'BACKWARD'}, wall {wall}")
        elif name == "random":
            print(f"random: {'some bits set' if any(os.urandom(32)) else 'ALL ZERO'}")
        elif name == "exit" and sep:
            sys.stdout.flush()
            os._exit(int(arg))
        else:
            print(f"unknown command {name}", file=sys.stderr)
            return 2
    except OSError as e:
        return fail(name, arg.partition(":")[0], e)
    return 0


def show_args(argv):
    print(f"argc={len(argv)}")
    for i, a in enumerate(argv):
        print(f"argv[{i}]={a}")


class Run(exports.Run):
    def run(self):
        argv = sys.argv
        failed = 0
        if len(argv) < 2:
            show_args(argv)
            for k, v in os.environ.items():
                print(f"{k}={v}")
        for a in argv[1:]:
            if a == "args":
                show_args(argv)
            elif a == "environ":
                for k, v in os.environ.items():
                    print(f"{k}={v}")
            else:
                failed |= command(a)
        sys.stdout.flush()
        sys.stderr.flush()
        if failed:
            raise Err(None)
