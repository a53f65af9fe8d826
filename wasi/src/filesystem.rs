//! `wasi:filesystem`: `types` (descriptors, directory entry streams) and
//! `preopens`.
//!
//! A directory descriptor is a host directory path, and every path the
//! guest gives is resolved below it by [`crate::path::resolve`]; a file
//! descriptor is an open host file. Error codes are wasmtime's: the
//! operating system's `errno` mapped as it maps them, descriptor misuse
//! (`bad-descriptor` for a file operation on a directory, `not-directory`
//! for a path operation on a file) checked first. Every preopen may be
//! read and written, as `wasmtime run --dir` grants.

use crate::clocks::datetime;
use crate::host::{Host, Imp};
use crate::io::{InputStream, OutputStream};
use crate::path::resolve;
use crate::table::Entry;
use crate::vals::{Answer, Args, bytes, case, err, ok, option, record, ret, string, tuple};
use std::collections::VecDeque;
use std::fs::{self, File, Metadata, OpenOptions};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::os::unix::fs::{FileExt, FileTypeExt, MetadataExt};
use std::path::PathBuf;
use std::rc::Rc;
use std::time::SystemTime;
use witness_interp::component::{Trap, Val};

/// An `error-code` case.
pub type Code = &'static str;

/// A descriptor: an open file, or a directory by its host path.
pub struct Descriptor {
    pub kind: Kind,
    /// Opened for reading, for writing.
    pub read: bool,
    pub write: bool,
}

pub enum Kind {
    File(Rc<File>),
    Dir(PathBuf),
}

/// The entries a `directory-entry-stream` has left.
pub type DirEntries = VecDeque<Result<(String, &'static str), Code>>;

/// The `error-code` of an operating system error (Linux `errno`), as
/// wasmtime maps it.
pub fn code(e: &std::io::Error) -> Code {
    match e.raw_os_error() {
        Some(1) => "not-permitted",
        Some(2) => "no-entry",
        Some(4) => "interrupted",
        Some(5) => "io",
        Some(9) => "bad-descriptor",
        Some(12) => "insufficient-memory",
        Some(13) => "access",
        Some(16) => "busy",
        Some(17) => "exist",
        Some(20) => "not-directory",
        Some(21) => "is-directory",
        Some(22) => "invalid",
        Some(27) => "file-too-large",
        Some(28) => "insufficient-space",
        Some(29) => "invalid-seek",
        Some(31) => "too-many-links",
        Some(32) => "pipe",
        Some(36) => "name-too-long",
        Some(39) => "not-empty",
        Some(40) => "loop",
        Some(75) => "overflow",
        Some(84) => "illegal-byte-sequence",
        Some(95) => "unsupported",
        Some(114) => "already",
        Some(115) => "in-progress",
        _ => match e.kind() {
            std::io::ErrorKind::NotFound => "no-entry",
            std::io::ErrorKind::PermissionDenied => "not-permitted",
            std::io::ErrorKind::AlreadyExists => "exist",
            std::io::ErrorKind::InvalidInput => "invalid",
            _ => "io",
        },
    }
}

/// A `result<T, error-code>`.
fn answer(r: Result<Option<Val>, Code>) -> Answer {
    ret(match r {
        Ok(v) => ok(v),
        Err(c) => err(case(c)),
    })
}

fn io<T>(r: std::io::Result<T>) -> Result<T, Code> {
    r.map_err(|e| code(&e))
}

/// The file of descriptor `rep` (`bad-descriptor` for a directory).
fn file(h: &Host, rep: u32) -> Result<Result<Rc<File>, Code>, Trap> {
    let mut t = h.table.borrow_mut();
    Ok(match &t.descriptor(rep)?.kind {
        Kind::File(f) => Ok(f.clone()),
        Kind::Dir(_) => Err("bad-descriptor"),
    })
}

/// The directory of descriptor `rep` (`not-directory` for a file).
fn dir(h: &Host, rep: u32) -> Result<Result<PathBuf, Code>, Trap> {
    let mut t = h.table.borrow_mut();
    Ok(match &t.descriptor(rep)?.kind {
        Kind::Dir(p) => Ok(p.clone()),
        Kind::File(_) => Err("not-directory"),
    })
}

/// The host path of `path` below descriptor `rep`.
fn at(h: &Host, rep: u32, path: &str, follow: bool) -> Result<Result<PathBuf, Code>, Trap> {
    Ok(dir(h, rep)?.and_then(|d| resolve(&d, path, follow)))
}

/// Metadata of descriptor `rep`.
fn metadata(h: &Host, rep: u32) -> Result<Result<Metadata, Code>, Trap> {
    let mut t = h.table.borrow_mut();
    Ok(match &t.descriptor(rep)?.kind {
        Kind::File(f) => io(f.metadata()),
        Kind::Dir(p) => io(fs::metadata(p)),
    })
}

/// Metadata of `path` below `rep`, the last link followed or not.
fn metadata_at(
    h: &Host,
    rep: u32,
    flags: bool,
    path: &str,
) -> Result<Result<Metadata, Code>, Trap> {
    Ok(at(h, rep, path, flags)?.and_then(|p| {
        io(if flags {
            fs::metadata(p)
        } else {
            fs::symlink_metadata(p)
        })
    }))
}

/// A `descriptor-type`.
fn descriptor_type(t: fs::FileType) -> &'static str {
    if t.is_dir() {
        "directory"
    } else if t.is_symlink() {
        "symbolic-link"
    } else if t.is_file() {
        "regular-file"
    } else if t.is_block_device() {
        "block-device"
    } else if t.is_char_device() {
        "character-device"
    } else if t.is_fifo() {
        "fifo"
    } else if t.is_socket() {
        "socket"
    } else {
        "unknown"
    }
}

/// A `descriptor-stat` (the status-change time is the creation time, as
/// wasmtime reports it).
fn stat(m: &Metadata) -> Val {
    let time = |t: std::io::Result<SystemTime>| option(t.ok().and_then(datetime));
    record(vec![
        ("type", case(descriptor_type(m.file_type()))),
        ("link-count", Val::U64(m.nlink())),
        ("size", Val::U64(m.len())),
        ("data-access-timestamp", time(m.accessed())),
        ("data-modification-timestamp", time(m.modified())),
        ("status-change-timestamp", time(m.created())),
    ])
}

/// A `metadata-hash-value`: the device and inode hashed as wasmtime hashes
/// them (std's `DefaultHasher`; the upper half xor the bits of pi), so
/// that a guest sees the same inode numbers.
fn metadata_hash(m: &Metadata) -> Val {
    let mut hasher = DefaultHasher::new();
    (m.dev(), m.ino()).hash(&mut hasher);
    let lower = hasher.finish();
    record(vec![
        ("lower", Val::U64(lower)),
        ("upper", Val::U64(lower ^ std::f64::consts::PI.to_bits())),
    ])
}

fn stream(h: &Host, e: Entry) -> Option<Val> {
    Some(Val::Handle(h.table.borrow_mut().push(e)))
}

fn read_via_stream(h: &Host, a: &Args) -> Answer {
    let offset = a.u64(1)?;
    let r = match file(h, a.handle(0)?)? {
        Ok(file) => Ok(stream(
            h,
            Entry::Input(InputStream::File { file, at: offset }),
        )),
        Err(_) => Err("is-directory"),
    };
    answer(r)
}

fn write_via_stream(h: &Host, a: &Args, at: Option<u64>) -> Answer {
    let r = file(h, a.handle(0)?)?
        .map(|file| stream(h, Entry::Output(OutputStream::File { file, at })));
    answer(r)
}

fn read(h: &Host, a: &Args) -> Answer {
    let (len, offset) = (a.u64(1)?, a.u64(2)?);
    let r = file(h, a.handle(0)?)?.and_then(|f| {
        let mut buf = vec![0; len.min(64 * 1024) as usize];
        let n = io(f.read_at(&mut buf, offset))?;
        buf.truncate(n);
        Ok(Some(tuple(vec![bytes(&buf), Val::Bool(n == 0)])))
    });
    answer(r)
}

fn write(h: &Host, a: &Args) -> Answer {
    let (data, offset) = (a.bytes(1)?, a.u64(2)?);
    let r = file(h, a.handle(0)?)?.and_then(|f| {
        let n = io(f.write_at(&data, offset))?;
        Ok(Some(Val::U64(n as u64)))
    });
    answer(r)
}

fn read_directory(h: &Host, a: &Args) -> Answer {
    let r = dir(h, a.handle(0)?)?.and_then(|d| {
        let entries: DirEntries = io(fs::read_dir(d))?
            .map(|e| {
                let e = io(e)?;
                let t = io(e.file_type())?;
                let name = e
                    .file_name()
                    .into_string()
                    .map_err(|_| "illegal-byte-sequence")?;
                Ok((name, descriptor_type(t)))
            })
            .collect();
        Ok(stream(h, Entry::DirEntries(entries)))
    });
    answer(r)
}

fn read_directory_entry(h: &Host, a: &Args) -> Answer {
    let next = h.table.borrow_mut().dir_entries(a.handle(0)?)?.pop_front();
    let r = match next {
        None => Ok(Some(option(None))),
        Some(Err(c)) => Err(c),
        Some(Ok((name, t))) => Ok(Some(option(Some(record(vec![
            ("type", case(t)),
            ("name", string(name)),
        ]))))),
    };
    answer(r)
}

fn get_flags(h: &Host, a: &Args) -> Answer {
    let mut t = h.table.borrow_mut();
    let d = t.descriptor(a.handle(0)?)?;
    let write = match d.kind {
        Kind::File(_) => "write",
        Kind::Dir(_) => "mutate-directory",
    };
    let flags = vec![
        (String::from("read"), d.read),
        (String::from(write), d.write),
    ];
    drop(t);
    answer(Ok(Some(Val::Flags(flags))))
}

fn get_type(h: &Host, a: &Args) -> Answer {
    let r = metadata(h, a.handle(0)?)?.map(|m| Some(case(descriptor_type(m.file_type()))));
    answer(r)
}

/// A `new-timestamp`: `None` for `no-change`.
fn new_timestamp(a: &Args, i: usize) -> Result<Option<SystemTime>, Trap> {
    Ok(match a.variant(i)? {
        ("now", _) => Some(SystemTime::now()),
        ("timestamp", Some(Val::Record(fs))) => {
            let field = |l: &str| fs.iter().find(|(k, _)| k == l).map(|(_, v)| v);
            let (Some(Val::U64(s)), Some(Val::U32(ns))) = (field("seconds"), field("nanoseconds"))
            else {
                return Err(crate::vals::trap(
                    "witness-wasi: a datetime without its fields",
                ));
            };
            SystemTime::UNIX_EPOCH.checked_add(std::time::Duration::new(*s, *ns))
        }
        _ => None,
    })
}

fn set_times_of(f: &File, atim: Option<SystemTime>, mtim: Option<SystemTime>) -> Result<(), Code> {
    let mut times = fs::FileTimes::new();
    if let Some(t) = atim {
        times = times.set_accessed(t);
    }
    if let Some(t) = mtim {
        times = times.set_modified(t);
    }
    io(f.set_times(times))
}

fn set_times(h: &Host, a: &Args) -> Answer {
    let (atim, mtim) = (new_timestamp(a, 1)?, new_timestamp(a, 2)?);
    let mut t = h.table.borrow_mut();
    let r = match &t.descriptor(a.handle(0)?)?.kind {
        Kind::File(f) => set_times_of(f, atim, mtim),
        Kind::Dir(p) => io(File::open(p)).and_then(|f| set_times_of(&f, atim, mtim)),
    };
    drop(t);
    answer(r.map(|()| None))
}

fn set_times_at(h: &Host, a: &Args) -> Answer {
    let (follow, path) = (a.flag(1, "symlink-follow")?, a.string(2)?.to_owned());
    let (atim, mtim) = (new_timestamp(a, 3)?, new_timestamp(a, 4)?);
    let r = at(h, a.handle(0)?, &path, follow)?.and_then(|p| {
        if !follow && io(fs::symlink_metadata(&p))?.is_symlink() {
            // std sets a link's own times only through the file it names.
            return Err("unsupported");
        }
        io(File::open(&p)).and_then(|f| set_times_of(&f, atim, mtim))
    });
    answer(r.map(|()| None))
}

fn sync(h: &Host, a: &Args, data_only: bool) -> Answer {
    let mut t = h.table.borrow_mut();
    let r = match &t.descriptor(a.handle(0)?)?.kind {
        Kind::File(f) => io(if data_only {
            f.sync_data()
        } else {
            f.sync_all()
        }),
        Kind::Dir(p) => io(File::open(p).and_then(|f| f.sync_all())),
    };
    drop(t);
    answer(r.map(|()| None))
}

fn set_size(h: &Host, a: &Args) -> Answer {
    let size = a.u64(1)?;
    let r = file(h, a.handle(0)?)?.and_then(|f| io(f.set_len(size)));
    answer(r.map(|()| None))
}

fn advise(h: &Host, a: &Args) -> Answer {
    // Advice changes no outcome; only its target is checked.
    answer(file(h, a.handle(0)?)?.map(|_| None))
}

/// A path operation below descriptor 0 with the path in argument `i`
/// (the last link not followed).
fn path_op(h: &Host, a: &Args, i: usize, op: fn(PathBuf) -> std::io::Result<()>) -> Answer {
    let r = at(h, a.handle(0)?, a.string(i)?, false)?.and_then(|p| io(op(p)));
    answer(r.map(|()| None))
}

fn open_at(h: &Host, a: &Args) -> Answer {
    let follow = a.flag(1, "symlink-follow")?;
    let path = a.string(2)?.to_owned();
    let flag = |l| a.flag(3, l);
    let (create, directory, exclusive, truncate) = (
        flag("create")?,
        flag("directory")?,
        flag("exclusive")?,
        flag("truncate")?,
    );
    let (read, write) = (a.flag(4, "read")?, a.flag(4, "write")?);
    let sync = [
        "file-integrity-sync",
        "data-integrity-sync",
        "requested-write-sync",
    ];
    for s in sync {
        if a.flag(4, s)? {
            return answer(Err("unsupported"));
        }
    }
    if directory && (create || exclusive || truncate) {
        return answer(Err("invalid"));
    }
    let base = match dir(h, a.handle(0)?)? {
        Ok(d) => d,
        Err(c) => return answer(Err(c)),
    };
    let r = (|| {
        let p = resolve(&base, &path, follow)?;
        let existing = fs::symlink_metadata(&p).ok();
        if let Some(m) = &existing {
            if create && exclusive {
                return Err("exist");
            }
            // A link not to be followed cannot be opened (`O_NOFOLLOW`).
            if m.is_symlink() {
                return Err("loop");
            }
            if m.is_dir() {
                // Writing, creating or truncating opens for writing, which
                // a directory refuses (`EISDIR`).
                if write || create || truncate {
                    return Err("is-directory");
                }
                return Ok(Descriptor {
                    kind: Kind::Dir(p),
                    read: true,
                    write: false,
                });
            }
            if directory {
                return Err("not-directory");
            }
        } else if directory && !create {
            return Err("no-entry");
        }
        // Opened for reading unless only for writing (as wasmtime does, so
        // that `get-flags` answers the same); creating or truncating writes.
        let read = read || !write;
        let write = write || create || truncate;
        let f = io(OpenOptions::new()
            .read(read)
            .write(write)
            .create(create && !exclusive)
            .create_new(create && exclusive)
            .truncate(truncate)
            .open(&p))?;
        Ok(Descriptor {
            kind: Kind::File(Rc::new(f)),
            read,
            write,
        })
    })();
    answer(r.map(|d| stream(h, Entry::Descriptor(d))))
}

fn readlink_at(h: &Host, a: &Args) -> Answer {
    let r = at(h, a.handle(0)?, a.string(1)?, false)?.and_then(|p| {
        let target = io(fs::read_link(p))?;
        let target = target
            .into_os_string()
            .into_string()
            .map_err(|_| "illegal-byte-sequence")?;
        Ok(Some(string(target)))
    });
    answer(r)
}

/// The second directory and path of `rename-at` and `link-at`.
fn two_paths(h: &Host, a: &Args, old: usize) -> Result<Result<(PathBuf, PathBuf), Code>, Trap> {
    let from = at(h, a.handle(0)?, a.string(old)?, false)?;
    let to = at(h, a.handle(old + 1)?, a.string(old + 2)?, false)?;
    Ok(from.and_then(|f| to.map(|t| (f, t))))
}

fn rename_at(h: &Host, a: &Args) -> Answer {
    let r = two_paths(h, a, 1)?.and_then(|(f, t)| io(fs::rename(f, t)));
    answer(r.map(|()| None))
}

fn link_at(h: &Host, a: &Args) -> Answer {
    if a.flag(1, "symlink-follow")? {
        return answer(Err("invalid"));
    }
    let r = two_paths(h, a, 2)?.and_then(|(f, t)| io(fs::hard_link(f, t)));
    answer(r.map(|()| None))
}

fn symlink_at(h: &Host, a: &Args) -> Answer {
    let target = a.string(1)?.to_owned();
    if target.starts_with('/') {
        return answer(Err("not-permitted"));
    }
    let r = at(h, a.handle(0)?, a.string(2)?, false)?
        .and_then(|p| io(std::os::unix::fs::symlink(&target, p)));
    answer(r.map(|()| None))
}

fn is_same_object(h: &Host, a: &Args) -> Answer {
    let id = |rep| -> Result<Option<(u64, u64)>, Trap> {
        Ok(metadata(h, rep)?.ok().map(|m| (m.dev(), m.ino())))
    };
    let (x, y) = (id(a.handle(0)?)?, id(a.handle(1)?)?);
    ret(Val::Bool(x.is_some() && x == y))
}

fn stat_at(h: &Host, a: &Args) -> Answer {
    let follow = a.flag(1, "symlink-follow")?;
    let r = metadata_at(h, a.handle(0)?, follow, a.string(2)?)?;
    answer(r.map(|m| Some(stat(&m))))
}

fn metadata_hash_at(h: &Host, a: &Args) -> Answer {
    let follow = a.flag(1, "symlink-follow")?;
    let r = metadata_at(h, a.handle(0)?, follow, a.string(2)?)?;
    answer(r.map(|m| Some(metadata_hash(&m))))
}

fn filesystem_error_code(h: &Host, a: &Args) -> Answer {
    let c = code(h.table.borrow_mut().error(a.handle(0)?)?);
    ret(option(Some(case(c))))
}

fn get_directories(h: &Host, _: &Args) -> Answer {
    let mut out = Vec::new();
    for (host, guest) in &h.ctx.preopens {
        let d = Descriptor {
            kind: Kind::Dir(host.clone()),
            read: true,
            write: true,
        };
        let rep = h.table.borrow_mut().push(Entry::Descriptor(d));
        out.push(tuple(vec![Val::Handle(rep), string(guest.as_str())]));
    }
    ret(Val::List(out))
}

const TYPES: &str = "wasi:filesystem/types";

macro_rules! descriptor {
    ($($name:literal => $f:expr,)*) => {
        &[$(Imp { iface: TYPES, name: concat!("[method]descriptor.", $name), f: $f },)*]
    };
}

const DESCRIPTOR: &[Imp] = descriptor! {
    "read-via-stream" => read_via_stream,
    "write-via-stream" => |h, a| { let at = a.u64(1)?; write_via_stream(h, a, Some(at)) },
    "append-via-stream" => |h, a| write_via_stream(h, a, None),
    "advise" => advise,
    "sync-data" => |h, a| sync(h, a, true),
    "get-flags" => get_flags,
    "get-type" => get_type,
    "set-size" => set_size,
    "set-times" => set_times,
    "read" => read,
    "write" => write,
    "read-directory" => read_directory,
    "sync" => |h, a| sync(h, a, false),
    "create-directory-at" => |h, a| path_op(h, a, 1, fs::create_dir),
    "stat" => |h, a| answer(metadata(h, a.handle(0)?)?.map(|m| Some(stat(&m)))),
    "stat-at" => stat_at,
    "set-times-at" => set_times_at,
    "link-at" => link_at,
    "open-at" => open_at,
    "readlink-at" => readlink_at,
    "remove-directory-at" => |h, a| path_op(h, a, 1, fs::remove_dir),
    "rename-at" => rename_at,
    "symlink-at" => symlink_at,
    "unlink-file-at" => |h, a| path_op(h, a, 1, fs::remove_file),
    "is-same-object" => is_same_object,
    "metadata-hash" => |h, a| answer(metadata(h, a.handle(0)?)?.map(|m| Some(metadata_hash(&m)))),
    "metadata-hash-at" => metadata_hash_at,
};

const OTHERS: &[Imp] = &[
    Imp {
        iface: TYPES,
        name: "[method]directory-entry-stream.read-directory-entry",
        f: read_directory_entry,
    },
    Imp {
        iface: TYPES,
        name: "filesystem-error-code",
        f: filesystem_error_code,
    },
    Imp {
        iface: "wasi:filesystem/preopens",
        name: "get-directories",
        f: get_directories,
    },
];

/// Every function of `wasi:filesystem`.
pub fn funcs() -> impl Iterator<Item = &'static Imp> {
    DESCRIPTOR.iter().chain(OTHERS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctx::WasiCtx;

    /// A host with the fresh directory `dir` preopened, and its descriptor.
    fn preopened(name: &str) -> (Host, Val, PathBuf) {
        let dir =
            std::env::temp_dir().join(format!("witness-wasi-fs-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("sub")).unwrap();
        fs::write(dir.join("sub/a.txt"), "abc").unwrap();
        let ctx = WasiCtx {
            preopens: vec![(dir.clone(), "/data".into())],
            ..WasiCtx::default()
        };
        let h = Host::new(ctx);
        let Ok(list) = call(&h, "get-directories", &[]) else {
            panic!()
        };
        let [Val::List(l)] = list.as_slice() else {
            panic!()
        };
        let root = l[0].field("0").unwrap().clone();
        assert_eq!(l[0].field("1"), Some(&string("/data")));
        (h, root, dir)
    }

    fn call(h: &Host, name: &str, args: &[Val]) -> Answer {
        let imp = funcs().find(|i| i.name.ends_with(name)).unwrap();
        (imp.f)(h, &Args(args))
    }

    fn flags(on: &[&str]) -> Val {
        Val::Flags(on.iter().map(|l| (l.to_string(), true)).collect())
    }

    /// The `ok` payload, or the error code.
    fn result(a: Answer) -> Result<Option<Val>, String> {
        match a.unwrap().as_slice() {
            [Val::Variant(c, v)] if c == "ok" => Ok(v.as_deref().cloned()),
            [Val::Variant(_, Some(e))] => match &**e {
                Val::Variant(code, None) => Err(code.clone()),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    }

    fn open(h: &Host, at: &Val, path: &str, oflags: &[&str], f: &[&str]) -> Result<Val, String> {
        let args = [
            at.clone(),
            flags(&[]),
            string(path),
            flags(oflags),
            flags(f),
        ];
        result(call(h, ".open-at", &args)).map(|v| v.unwrap())
    }

    #[test]
    fn files_are_created_written_read_and_listed_inside_the_preopen() {
        let (h, root, dir) = preopened("rw");
        let f = open(&h, &root, "sub/new.txt", &["create"], &["write"]).unwrap();
        let w = call(&h, ".write", &[f.clone(), bytes(b"hello"), Val::U64(0)]);
        assert_eq!(result(w), Ok(Some(Val::U64(5))));
        assert_eq!(fs::read(dir.join("sub/new.txt")).unwrap(), b"hello");
        let r = open(&h, &root, "sub/a.txt", &[], &["read"]).unwrap();
        let got = result(call(&h, ".read", &[r.clone(), Val::U64(10), Val::U64(1)]));
        assert_eq!(got, Ok(Some(tuple(vec![bytes(b"bc"), Val::Bool(false)]))));
        let stat = result(call(&h, ".stat", &[r])).unwrap().unwrap();
        assert_eq!(stat.field("size"), Some(&Val::U64(3)));
        assert_eq!(stat.field("type"), Some(&case("regular-file")));
        let sub = open(&h, &root, "sub", &["directory"], &["read"]).unwrap();
        let entries = result(call(&h, ".read-directory", &[sub]))
            .unwrap()
            .unwrap();
        let mut names = Vec::new();
        while let Ok(Some(Val::Variant(c, Some(e)))) = result(call(
            &h,
            "read-directory-entry",
            std::slice::from_ref(&entries),
        )) {
            assert_eq!(c, "some");
            names.push(e.field("name").cloned().unwrap());
        }
        names.sort_by_key(|n| format!("{n:?}"));
        assert_eq!(names, vec![string("a.txt"), string("new.txt")]);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn misuse_and_escapes_answer_their_error_codes() {
        let (h, root, dir) = preopened("errors");
        assert_eq!(
            open(&h, &root, "../x", &["create"], &["write"]),
            Err("not-permitted".into())
        );
        assert_eq!(
            open(&h, &root, "missing", &[], &["read"]),
            Err("no-entry".into())
        );
        assert_eq!(
            open(&h, &root, "sub", &[], &["write"]),
            Err("is-directory".into())
        );
        assert_eq!(
            open(&h, &root, "sub/a.txt", &["directory"], &[]),
            Err("not-directory".into())
        );
        assert_eq!(
            open(&h, &root, "sub/a.txt", &["create", "exclusive"], &["write"]),
            Err("exist".into())
        );
        let file = open(&h, &root, "sub/a.txt", &[], &["read"]).unwrap();
        // A path operation on a file, a file operation on a directory.
        assert_eq!(open(&h, &file, "x", &[], &[]), Err("not-directory".into()));
        let size = call(&h, ".set-size", &[root.clone(), Val::U64(0)]);
        assert_eq!(result(size), Err("bad-descriptor".into()));
        let rm = call(&h, ".remove-directory-at", &[root.clone(), string("sub")]);
        assert_eq!(result(rm), Err("not-empty".into()));
        let unlink = call(&h, ".unlink-file-at", &[root.clone(), string("sub")]);
        assert_eq!(result(unlink), Err("is-directory".into()));
        let link = call(
            &h,
            ".symlink-at",
            &[root.clone(), string("/etc"), string("l")],
        );
        assert_eq!(result(link), Err("not-permitted".into()));
        let renamed = [
            root.clone(),
            string("sub/a.txt"),
            root.clone(),
            string("b.txt"),
        ];
        assert_eq!(result(call(&h, ".rename-at", &renamed)), Ok(None));
        assert!(dir.join("b.txt").exists());
        fs::remove_dir_all(dir).unwrap();
    }
}
