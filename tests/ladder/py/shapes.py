"""Rung 4's `shapes` in Python (tests/ladder/wit/ladder.wit), the module
componentize-py makes a component of with --stub-wasi, and that app.py
exports beside its program."""

from wit_world import exports
from wit_world.imports import types
from componentize_py_types import Err

calls = 0


def finished(value):
    global calls
    calls += 1
    return value


class Shapes(exports.Shapes):
    def mirror(self, p):
        return finished(types.Point(x=p.y, y=p.x))

    def area(self, s):
        if isinstance(s, types.Shape_Circle):
            return finished(s.value * s.value * 3 % 2**64)
        if isinstance(s, types.Shape_Rect):
            return finished(abs(s.value.x * s.value.y))
        return finished(0)

    def flip(self, p):
        return finished(~p & (types.Perms.READ | types.Perms.WRITE | types.Perms.EXEC))

    def classify(self, n):
        level = types.Level.LOW if n < 0 else types.Level.MID if n <= 100 else types.Level.HIGH
        return finished(level)

    def first_word(self, s):
        words = [w for w in s.split(" ") if w]
        return finished(words[0] if words else None)

    def parse_num(self, s):
        if not s:
            raise Err("empty")
        v = 0
        for c in s:
            if not "0" <= c <= "9":
                raise Err(f"not a digit: '{c}' in {s}")
            v = v * 10 + ord(c) - ord("0")
            if v > 0xFFFFFFFF:
                raise Err(f"too large: {s}")
        return finished(v)

    def sum(self, xs):
        return finished(sum(xs))

    def mean(self, xs):
        return finished(sum(xs) / len(xs) if xs else None)

    def initials(self, s):
        return finished([w[0] for w in s.split(" ") if w])

    def shout(self, words):
        upper = lambda w: "".join(chr(ord(c) - 32) if "a" <= c <= "z" else c for c in w)
        return finished([upper(w) for w in reversed(words)])

    def describe(self, p):
        email = f"email {p.email}" if p.email is not None else "no email"
        return finished(f"{p.name}, {p.age}, tags [{', '.join(p.tags)}], {email}")

    def post_returns(self):
        return calls
