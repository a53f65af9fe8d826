#!/usr/bin/env python3
"""Runs the ladder's cases (tests/ladder/cases) under wasmtime, the oracle,
and under witness, and compares what they print: the exit status, stdout,
stderr (the guest's; when wasmtime reports an error of its own, only that
witness reports one too) and the files left in the preopened folder. Prints
each divergence, a table of the rungs (size, imports, wall times) and a
closing `ladder: N passed, M failed`. Exit status 1 on a divergence not
listed in tests/ladder/diverging, or on a listed one that no longer
diverges."""

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

# Each component build.sh makes: (file stem, rung, how it is built).
RUNGS = [
    ("lib", "1", "C, no libc, canonical ABI by hand"),
    ("composed", "2", "two C components composed"),
    ("cmd", "3", "C on wasi-libc, preview1 adapter"),
    ("py", "4", "Python, componentize-py"),
    ("py-stub", "4", "Python, componentize-py --stub-wasi"),
    ("js", "5", "JavaScript, componentize-js"),
]


# The host's environment for both runtimes: `--env LADDER_FROM_HOST` passes
# its value on.
ENV = {**os.environ, "LADDER_FROM_HOST": "from the host"}


@dataclass
class Case:
    rung: str
    kind: str
    words: list
    line: int

    @property
    def key(self):
        return f"{self.rung} {self.kind} {shlex.join(self.words)}"


@dataclass
class Outcome:
    status: int
    stdout: bytes
    stderr: bytes
    files: dict
    seconds: float


@dataclass
class Totals:
    cases: int = 0
    passed: int = 0
    witness: float = 0.0
    wasmtime: float = 0.0
    diverged: list = field(default_factory=list)


def read_cases(path):
    cases = []
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rungs, kind, rest = (line.split(None, 2) + [""])[:3]
        if kind not in ("invoke", "run"):
            sys.exit(f"{path}:{n}: unknown kind {kind!r}")
        for rung in rungs.split(","):
            cases.append(Case(rung, kind, shlex.split(rest), n))
    return cases


def fixture(d):
    """The preopened folder's contents before a run: files, a folder, a
    symbolic link inside it and one that leads out of it."""
    (d / "sub").mkdir(parents=True)
    (d / "links").mkdir()
    (d / "in.txt").write_text("hello\nworld\n")
    (d / "sub" / "note.txt").write_text("a note\n")
    (d / "links" / "inner").symlink_to("../sub")
    (d / "links" / "escape").symlink_to("../..")
    (d.parent / "outside.txt").write_text("outside the preopened folder\n")


def snapshot(d):
    """Every file's bytes, folder (None) and link (its target) under `d`."""
    found = {}
    for top, dirs, files in os.walk(d):
        for name in dirs + files:
            p = Path(top) / name
            key = str(p.relative_to(d))
            if p.is_symlink():
                found[key] = ("link", os.readlink(p))
            elif p.is_dir():
                found[key] = None
            else:
                found[key] = p.read_bytes()
    return dict(sorted(found.items()))


def command(runtime, component, case, data):
    if case.kind == "invoke":
        return [*runtime, "run", "--invoke", *case.words, str(component)], b""
    words = case.words
    split = words.index("--") if "--" in words else len(words)
    flags, args = words[:split], words[split + 1 :]
    stdin = b""
    kept = []
    for f in flags:
        if f.startswith("--stdin="):
            stdin = f[len("--stdin=") :].replace("\\n", "\n").encode()
        else:
            kept.append(f.replace("DATA", str(data)))
    return [*runtime, "run", *kept, str(component), *args], stdin


def run(runtime, component, case, timeout):
    with tempfile.TemporaryDirectory(prefix="ladder-") as tmp:
        data = Path(tmp) / "data"
        fixture(data)
        argv, stdin = command(runtime, component, case, data)
        start = time.monotonic()
        try:
            p = subprocess.run(
                argv, input=stdin, capture_output=True, timeout=timeout, cwd=tmp, env=ENV
            )
            status, out, err = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as e:
            status, out, err = "timeout", e.stdout or b"", e.stderr or b""
        seconds = time.monotonic() - start
        return Outcome(status, out, err, snapshot(data), seconds)


def runtime_error(stderr):
    """Whether wasmtime reported an error of its own (not the guest's output)."""
    return any(line.startswith(b"Error: ") for line in stderr.splitlines())


def short(v):
    r = repr(v)
    return r if len(r) <= 300 else f"{r[:300]}... ({len(v)} bytes)"


def differences(want, got):
    d = []
    if want.status != got.status:
        d.append(f"exit status: wasmtime {want.status}, witness {got.status}")
    if want.stdout != got.stdout:
        d.append(f"stdout:\n  wasmtime {short(want.stdout)}\n  witness  {short(got.stdout)}")
    if runtime_error(want.stderr):
        if not got.stderr:
            d.append("stderr: wasmtime reported an error, witness nothing")
    elif want.stderr != got.stderr:
        d.append(f"stderr:\n  wasmtime {short(want.stderr)}\n  witness  {short(got.stderr)}")
    if want.files != got.files:
        for name in sorted(set(want.files) | set(got.files)):
            w, g = want.files.get(name, "absent"), got.files.get(name, "absent")
            if w != g:
                d.append(f"file {name}: wasmtime {short(w)}, witness {short(g)}")
    return d


def imports(component):
    """The number of imports of the component (its root world's)."""
    wit = subprocess.run(
        ["wasm-tools", "component", "wit", str(component)], capture_output=True, text=True
    ).stdout
    in_root, n = False, 0
    for line in wit.splitlines():
        if line.startswith("world root"):
            in_root = True
        elif in_root and line.startswith("}"):
            break
        elif in_root and line.startswith("  import "):
            n += 1
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "target" / "ladder"), help="build.sh's folder")
    ap.add_argument("--witness", default=str(ROOT / "target" / "release" / "witness"))
    ap.add_argument("--wasmtime", default="wasmtime")
    ap.add_argument("--only", action="append", help="run only these rungs (file stems)")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per run")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each case")
    a = ap.parse_args()

    out = Path(a.out)
    expected = set()
    listed = HERE / "diverging"
    if listed.exists():
        expected = {
            l.strip() for l in listed.read_text().splitlines() if l.strip() and not l.startswith("#")
        }
    cases = [c for c in read_cases(HERE / "cases") if not a.only or c.rung in a.only]
    totals = {stem: Totals() for stem, _, _ in RUNGS}
    unexpected, stale = [], []
    for c in cases:
        component = out / f"{c.rung}.wasm"
        if c.rung not in totals or not component.exists():
            sys.exit(f"cases:{c.line}: no component {component} (run build.sh)")
        want = run([a.wasmtime], component, c, a.timeout)
        got = run([a.witness], component, c, a.timeout)
        t = totals[c.rung]
        t.cases += 1
        t.wasmtime += want.seconds
        t.witness += got.seconds
        diff = differences(want, got)
        if a.verbose:
            print(f"{'ok  ' if not diff else 'DIFF'} {c.key}  ({got.seconds:.2f}s / {want.seconds:.2f}s)")
        if diff:
            t.diverged.append(c.key)
            if c.key not in expected:
                unexpected.append(c.key)
                print(f"cases:{c.line}: {c.key}")
                for d in diff:
                    print(f"  {d}")
        else:
            t.passed += 1
            if c.key in expected:
                stale.append(c.key)

    print()
    print(f"{'rung':<5} {'component':<13} {'built by':<38} {'size':>10} {'imports':>7} "
          f"{'cases':>7} {'witness':>9} {'wasmtime':>9}")
    for stem, rung, how in RUNGS:
        t = totals[stem]
        if not t.cases:
            continue
        size = (out / f"{stem}.wasm").stat().st_size
        print(f"{rung:<5} {stem + '.wasm':<13} {how:<38} {size:>10} "
              f"{imports(out / f'{stem}.wasm'):>7} {f'{t.passed}/{t.cases}':>7} "
              f"{t.witness:>8.2f}s {t.wasmtime:>8.2f}s")
    for key in stale:
        print(f"listed in tests/ladder/diverging but now the same: {key}")
    passed = sum(t.passed for t in totals.values())
    failed = sum(t.cases - t.passed for t in totals.values())
    print(f"ladder: {passed} passed, {failed} failed")
    if unexpected or stale:
        print(f"error: {len(unexpected)} unexpected divergences, {len(stale)} stale entries "
              "in tests/ladder/diverging", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
