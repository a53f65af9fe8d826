// Rung 5: `shapes` and the ladder's program (tests/ladder/c/main.c's
// commands) in JavaScript, made a component by componentize-js. The
// program reaches WASI through its imports (programs.wit, js-program).
import { getArguments, getEnvironment } from 'wasi:cli/environment@0.2.12';
import { exit } from 'wasi:cli/exit@0.2.12';
import { getStdin } from 'wasi:cli/stdin@0.2.12';
import { now as monotonicNow } from 'wasi:clocks/monotonic-clock@0.2.12';
import { now as wallNow } from 'wasi:clocks/wall-clock@0.2.12';
import { getRandomBytes } from 'wasi:random/random@0.2.12';
import { getDirectories } from 'wasi:filesystem/preopens@0.2.12';

let calls = 0;
const finished = (value) => {
  calls += 1;
  return value;
};
// componentize-js 0.23 hands an s64 over as its unsigned bit pattern and
// aborts on a negative BigInt for one: s64s cross as u64 bit patterns.
const s64In = (n) => BigInt.asIntN(64, n);
const s64Out = (n) => BigInt.asUintN(64, n);
const upper = (w) => w.replace(/[a-z]/g, (c) => c.toUpperCase());
const words = (s) => s.split(' ').filter((w) => w.length > 0);

export const shapes = {
  mirror: ({ x, y }) => finished({ x: y, y: x }),
  area(s) {
    switch (s.tag) {
      case 'circle': return finished((BigInt(s.val) * BigInt(s.val) * 3n) % (1n << 64n));
      case 'rect': return finished(BigInt(Math.abs(s.val.x * s.val.y)));
      default: return finished(0n);
    }
  },
  flip: ({ read, write, exec }) => finished({ read: !read, write: !write, exec: !exec }),
  classify(n) {
    const v = s64In(n);
    return finished(v < 0n ? 'low' : v <= 100n ? 'mid' : 'high');
  },
  firstWord: (s) => finished(words(s)[0]),
  parseNum(s) {
    if (s.length === 0) throw 'empty';
    let v = 0;
    for (const c of s) {
      if (c < '0' || c > '9') throw `not a digit: '${c}' in ${s}`;
      v = v * 10 + (c.charCodeAt(0) - 48);
      if (v > 0xffffffff) throw `too large: ${s}`;
    }
    return finished(v);
  },
  sum: (xs) => finished(s64Out(xs.reduce((t, x) => t + BigInt(x), 0n))),
  mean: (xs) => finished(xs.length ? xs.reduce((t, x) => t + x, 0) / xs.length : undefined),
  initials: (s) => finished(words(s).map((w) => String.fromCodePoint(w.codePointAt(0)))),
  shout: (ws) => finished([...ws].reverse().map(upper)),
  describe({ name, age, tags, email }) {
    const mail = email === undefined ? 'no email' : `email ${email}`;
    return finished(`${name}, ${age}, tags [${tags.join(', ')}], ${mail}`);
  },
  postReturns: () => calls,
};

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const errorCode = (e) => (e && e.payload !== undefined ? e.payload : String(e));

// The preopened directory holding `path`, and the path relative to it.
function resolve(path) {
  for (const [dir, guest] of getDirectories()) {
    const prefix = guest.endsWith('/') ? guest : `${guest}/`;
    if (path.startsWith(prefix)) return [dir, path.slice(prefix.length)];
  }
  throw { payload: 'no preopen' };
}

function readAll(path) {
  const [dir, rel] = resolve(path);
  const file = dir.openAt({}, rel, {}, { read: true });
  const chunks = [];
  let offset = 0n;
  for (;;) {
    const [bytes, end] = file.read(4096n, offset);
    chunks.push(bytes);
    offset += BigInt(bytes.length);
    if (end || bytes.length === 0) break;
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function writeAll(path, bytes, append) {
  const [dir, rel] = resolve(path);
  const flags = append ? { create: true } : { create: true, truncate: true };
  const file = dir.openAt({}, rel, flags, { write: true });
  const stream = append ? file.appendViaStream() : file.writeViaStream(0n);
  // blocking-write-and-flush takes at most 4096 bytes a call.
  for (let at = 0; at < bytes.length; at += 4096) {
    stream.blockingWriteAndFlush(bytes.subarray(at, at + 4096));
  }
}

function ls(path) {
  const [dir, rel] = resolve(`${path}/`);
  const d = rel === '' ? dir : dir.openAt({}, rel, { directory: true }, { read: true });
  const entries = [];
  const stream = d.readDirectory();
  for (let e; (e = stream.readDirectoryEntry()) !== undefined;) entries.push(e);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const isDir = e.type === 'directory';
    const size = isDir ? 0n : d.statAt({}, e.name).size;
    console.log(`${isDir ? 'd' : 'f'} ${e.name} ${size}`);
  }
}

function readStdin() {
  const stdin = getStdin();
  const chunks = [];
  for (;;) {
    try {
      chunks.push(stdin.blockingRead(4096n));
    } catch (e) {
      break;
    }
  }
  return chunks;
}

function command(a) {
  const sep = a.indexOf(':');
  const name = sep < 0 ? a : a.slice(0, sep);
  const arg = sep < 0 ? undefined : a.slice(sep + 1);
  const has = arg !== undefined;
  if (name === 'panic' && has) {
    console.error(arg);
    throw new Error(arg);
  }
  try {
    if (name === 'echo' && has) console.log(arg);
    else if (name === 'err' && has) console.error(arg);
    else if (name === 'env' && has) {
      const found = getEnvironment().find(([k]) => k === arg);
      console.log(`${arg}=${found ? found[1] : '(unset)'}`);
    } else if (name === 'cat' && has) {
      console.log(decoder.decode(readAll(arg)).replace(/\n$/, ''));
    } else if (name === 'upper' && has) {
      const [src, dst] = arg.split(':');
      const text = decoder.decode(readAll(src));
      const lines = (text.match(/\n/g) || []).length;
      writeAll(dst, encoder.encode(`${upper(text)}lines: ${lines}\n`), false);
      console.log(`upper ${src} -> ${dst}: ${lines} lines`);
    } else if (name === 'append' && has) {
      const at = arg.indexOf(':');
      writeAll(arg.slice(0, at), encoder.encode(`${arg.slice(at + 1)}\n`), true);
    } else if (name === 'fill' && has) {
      const at = arg.indexOf(':');
      const bytes = new Uint8Array(Number(arg.slice(at + 1))).map((_, i) => 97 + (i % 26));
      writeAll(arg.slice(0, at), bytes, false);
    } else if (name === 'repeat' && has) {
      const at = arg.indexOf(':');
      for (let i = 0; i < Number(arg.slice(0, at)); i++) console.log(arg.slice(at + 1));
    } else if (name === 'ls' && has) ls(arg);
    else if (name === 'rm' && has) {
      const [dir, rel] = resolve(arg);
      dir.unlinkFileAt(rel);
    } else if (name === 'mkdir' && has) {
      const [dir, rel] = resolve(arg);
      dir.createDirectoryAt(rel);
    } else if (name === 'open' && has) {
      const [dir, rel] = resolve(arg);
      dir.openAt({}, rel, {}, { read: true });
      console.log(`open ${arg}: ok`);
    } else if (name === 'stdin') {
      const chunks = readStdin();
      const n = chunks.reduce((t, c) => t + c.length, 0);
      for (const c of chunks) console.log(decoder.decode(c).replace(/\n$/, ''));
      console.log(`stdin: ${n} bytes`);
    } else if (name === 'clock') {
      const a = monotonicNow();
      const b = monotonicNow();
      const wall = wallNow().seconds > 1577836800n ? 'after 2020' : 'BEFORE 2020';
      console.log(`clock: monotonic ${b >= a ? 'forward' : 'BACKWARD'}, wall ${wall}`);
    } else if (name === 'random') {
      const any = getRandomBytes(32n).some((b) => b !== 0);
      console.log(`random: ${any ? 'some bits set' : 'ALL ZERO'}`);
    } else if (name === 'exit' && has) {
      exit(Number(arg) === 0 ? { tag: 'ok' } : { tag: 'err' });
    } else {
      console.error(`unknown command ${name}`);
      return 2;
    }
  } catch (e) {
    console.log(`${name} ${has ? arg.split(':')[0] : ''}: ${errorCode(e)}`);
    return 1;
  }
  return 0;
}

function showArgs(argv) {
  console.log(`argc=${argv.length}`);
  argv.forEach((a, i) => console.log(`argv[${i}]=${a}`));
}

const showEnviron = () => getEnvironment().forEach(([k, v]) => console.log(`${k}=${v}`));

export const run = {
  run() {
    const argv = getArguments();
    let failed = 0;
    if (argv.length < 2) {
      showArgs(argv);
      showEnviron();
    }
    for (const a of argv.slice(1)) {
      if (a === 'args') showArgs(argv);
      else if (a === 'environ') showEnviron();
      else failed |= command(a);
    }
    if (failed) throw 'failed';
  },
};
