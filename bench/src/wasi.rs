//! A minimal WASI preview1 shim: just the functions that the sightglass
//! programs bz2.wasm and pulldown-cmark.wasm import, plus sightglass's
//! `bench.start` / `bench.end` pair that brackets the measured span.
//!
//! The program sees one preopened directory, fd 3 named `.`, which is the
//! program's input folder (`sightglass/bz2/` ...); files in it open read-only
//! and are read into memory whole. Standard output and error are captured for
//! checking against the expected output. Everything else answers `ENOSYS`.
//!
//! The shim is engine-independent: an engine resolves each import to a
//! [`WasiFunc`] when it links, and on a call hands over the integer arguments
//! and the caller's memory.

use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

/// WASI errno values (preview1 `errno`).
mod errno {
    pub const SUCCESS: i32 = 0;
    pub const BADF: i32 = 8;
    pub const FAULT: i32 = 21;
    pub const INVAL: i32 = 28;
    pub const ISDIR: i32 = 31;
    pub const NOENT: i32 = 44;
    pub const NOSYS: i32 = 52;
    pub const NOTCAPABLE: i32 = 76;
}

/// WASI `filetype` values.
mod filetype {
    pub const CHARACTER_DEVICE: u8 = 2;
    pub const DIRECTORY: u8 = 3;
    pub const REGULAR_FILE: u8 = 4;
}

/// The file descriptor of the one preopened directory.
const PREOPEN_FD: u32 = 3;

/// Every import the shim answers. All WASI functions return an `errno` as
/// `i32`; `proc_exit` and the `bench` pair return nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WasiFunc {
    BenchStart,
    BenchEnd,
    ArgsSizesGet,
    ArgsGet,
    EnvironSizesGet,
    EnvironGet,
    FdPrestatGet,
    FdPrestatDirName,
    FdFdstatGet,
    FdFilestatGet,
    PathFilestatGet,
    PathOpen,
    FdRead,
    FdWrite,
    FdSeek,
    FdClose,
    RandomGet,
    ProcExit,
    /// A `wasi_snapshot_preview1` function the shim does not implement.
    Unsupported,
}

impl WasiFunc {
    /// The shim function for an import, or `None` for a module the shim does
    /// not provide.
    pub fn resolve(module: &str, name: &str) -> Option<WasiFunc> {
        use WasiFunc::*;
        Some(match (module, name) {
            ("bench", "start") => BenchStart,
            ("bench", "end") => BenchEnd,
            ("wasi_snapshot_preview1", name) => match name {
                "args_sizes_get" => ArgsSizesGet,
                "args_get" => ArgsGet,
                "environ_sizes_get" => EnvironSizesGet,
                "environ_get" => EnvironGet,
                "fd_prestat_get" => FdPrestatGet,
                "fd_prestat_dir_name" => FdPrestatDirName,
                "fd_fdstat_get" => FdFdstatGet,
                "fd_filestat_get" => FdFilestatGet,
                "path_filestat_get" => PathFilestatGet,
                "path_open" => PathOpen,
                "fd_read" => FdRead,
                "fd_write" => FdWrite,
                "fd_seek" => FdSeek,
                "fd_close" => FdClose,
                "random_get" => RandomGet,
                "proc_exit" => ProcExit,
                _ => Unsupported,
            },
            _ => return None,
        })
    }
}

/// The guest called `proc_exit` with this code: unwind the call.
#[derive(Clone, Copy, Debug)]
pub struct Exit(pub i32);

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "proc_exit({})", self.0)
    }
}

impl std::error::Error for Exit {}

/// An open file: its contents and the read position.
struct File {
    data: Vec<u8>,
    pos: u64,
}

/// The shim's state for one program run.
#[derive(Default)]
pub struct Wasi {
    /// `argv`, the program name first.
    args: Vec<String>,
    /// The folder behind the preopened `.`; `None` for no preopen.
    dir: Option<PathBuf>,
    /// Open files by fd; fds 0-3 are stdio and the preopen.
    files: Vec<Option<File>>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// The exit code, once `proc_exit` was called.
    pub exit: Option<i32>,
    /// When the guest last called `bench.start`.
    started: Option<Instant>,
    /// The sum of the `bench.start` .. `bench.end` spans.
    pub measured: Duration,
    random_state: u64,
}

impl Wasi {
    /// A shim for the program `name` with the preopened directory `dir`.
    pub fn new(name: &str, dir: Option<PathBuf>) -> Wasi {
        Wasi {
            args: vec![name.to_string()],
            dir,
            random_state: 0x9e37_79b9_7f4a_7c15,
            ..Wasi::default()
        }
    }

    /// Calls `func` with integer `args` (each `i32` or `i64` widened) on the
    /// caller's memory `mem`. Returns the errno for functions that have a
    /// result.
    ///
    /// # Errors
    /// [`Exit`] when the guest called `proc_exit`.
    pub fn call(
        &mut self,
        func: WasiFunc,
        args: &[i64],
        mem: &mut [u8],
    ) -> Result<Option<i32>, Exit> {
        let a = |i: usize| args.get(i).copied().unwrap_or(0) as u32;
        let errno = match func {
            WasiFunc::BenchStart => {
                self.started = Some(Instant::now());
                return Ok(None);
            }
            WasiFunc::BenchEnd => {
                if let Some(start) = self.started.take() {
                    self.measured += start.elapsed();
                }
                return Ok(None);
            }
            WasiFunc::ProcExit => {
                self.exit = Some(a(0) as i32);
                return Err(Exit(a(0) as i32));
            }
            WasiFunc::ArgsSizesGet => sizes_get(mem, &self.args, a(0), a(1)),
            WasiFunc::ArgsGet => strings_get(mem, &self.args, a(0), a(1)),
            WasiFunc::EnvironSizesGet => sizes_get(mem, &[], a(0), a(1)),
            WasiFunc::EnvironGet => strings_get(mem, &[], a(0), a(1)),
            WasiFunc::FdPrestatGet => self.fd_prestat_get(mem, a(0), a(1)),
            WasiFunc::FdPrestatDirName => self.fd_prestat_dir_name(mem, a(0), a(1), a(2)),
            WasiFunc::FdFdstatGet => self.fd_fdstat_get(mem, a(0), a(1)),
            WasiFunc::FdFilestatGet => self.fd_filestat_get(mem, a(0), a(1)),
            WasiFunc::PathFilestatGet => self.path_filestat_get(mem, a(0), a(2), a(3), a(4)),
            WasiFunc::PathOpen => self.path_open(mem, a(0), a(2), a(3), a(4), a(8)),
            WasiFunc::FdRead => self.fd_read(mem, a(0), a(1), a(2), a(3)),
            WasiFunc::FdWrite => self.fd_write(mem, a(0), a(1), a(2), a(3)),
            WasiFunc::FdSeek => {
                self.fd_seek(mem, a(0), args.get(1).copied().unwrap_or(0), a(2), a(3))
            }
            WasiFunc::FdClose => self.fd_close(a(0)),
            WasiFunc::RandomGet => self.random_get(mem, a(0), a(1)),
            WasiFunc::Unsupported => Err(errno::NOSYS),
        };
        Ok(Some(errno.err().unwrap_or(errno::SUCCESS)))
    }

    fn fd_prestat_get(&self, mem: &mut [u8], fd: u32, out: u32) -> Result<(), i32> {
        if fd != PREOPEN_FD || self.dir.is_none() {
            return Err(errno::BADF);
        }
        // prestat: tag 0 (dir), then the name's length.
        write_u32(mem, out, 0)?;
        write_u32(mem, out.wrapping_add(4), 1)
    }

    fn fd_prestat_dir_name(&self, mem: &mut [u8], fd: u32, path: u32, len: u32) -> Result<(), i32> {
        if fd != PREOPEN_FD || self.dir.is_none() {
            return Err(errno::BADF);
        }
        let name = b".";
        let dst = slice_mut(mem, path, len.min(name.len() as u32))?;
        dst.copy_from_slice(&name[..dst.len()]);
        Ok(())
    }

    fn filetype(&self, fd: u32) -> Result<u8, i32> {
        match fd {
            0..=2 => Ok(filetype::CHARACTER_DEVICE),
            PREOPEN_FD if self.dir.is_some() => Ok(filetype::DIRECTORY),
            _ => self.file(fd).map(|_| filetype::REGULAR_FILE),
        }
    }

    fn fd_fdstat_get(&self, mem: &mut [u8], fd: u32, out: u32) -> Result<(), i32> {
        let ty = self.filetype(fd)?;
        // fdstat: filetype u8, flags u16 at 2, rights_base and
        // rights_inheriting u64 at 8 and 16 (all rights).
        let buf = slice_mut(mem, out, 24)?;
        buf.fill(0);
        buf[0] = ty;
        buf[8..24].fill(0xff);
        Ok(())
    }

    fn fd_filestat_get(&self, mem: &mut [u8], fd: u32, out: u32) -> Result<(), i32> {
        let ty = self.filetype(fd)?;
        let size = self.file(fd).map_or(0, |f| f.data.len() as u64);
        write_filestat(mem, out, ty, size)
    }

    fn path_filestat_get(
        &self,
        mem: &mut [u8],
        fd: u32,
        path: u32,
        len: u32,
        out: u32,
    ) -> Result<(), i32> {
        let path = self.resolve(mem, fd, path, len)?;
        let meta = std::fs::metadata(&path).map_err(|_| errno::NOENT)?;
        let ty = if meta.is_dir() {
            filetype::DIRECTORY
        } else {
            filetype::REGULAR_FILE
        };
        write_filestat(mem, out, ty, meta.len())
    }

    fn path_open(
        &mut self,
        mem: &mut [u8],
        fd: u32,
        path: u32,
        len: u32,
        oflags: u32,
        out: u32,
    ) -> Result<(), i32> {
        // oflags: creat 1, directory 2, excl 4, trunc 8; this shim only reads.
        if oflags & (1 | 4 | 8) != 0 {
            return Err(errno::NOTCAPABLE);
        }
        let path = self.resolve(mem, fd, path, len)?;
        if path.is_dir() {
            return Err(errno::ISDIR);
        }
        let data = std::fs::read(&path).map_err(|_| errno::NOENT)?;
        while self.files.len() <= PREOPEN_FD as usize {
            self.files.push(None);
        }
        let new_fd = self.files.len() as u32;
        self.files.push(Some(File { data, pos: 0 }));
        write_u32(mem, out, new_fd)
    }

    fn fd_read(
        &mut self,
        mem: &mut [u8],
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        out: u32,
    ) -> Result<(), i32> {
        let mut total = 0u32;
        if fd != 0 {
            let file = self.file_mut(fd)?;
            for i in 0..iovs_len {
                let (ptr, len) = read_iovec(mem, iovs, i)?;
                let start = file.pos.min(file.data.len() as u64) as usize;
                let n = (len as usize).min(file.data.len() - start);
                slice_mut(mem, ptr, n as u32)?.copy_from_slice(&file.data[start..start + n]);
                file.pos += n as u64;
                total = total.wrapping_add(n as u32);
            }
        }
        write_u32(mem, out, total)
    }

    fn fd_write(
        &mut self,
        mem: &mut [u8],
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        out: u32,
    ) -> Result<(), i32> {
        let sink = match fd {
            1 => &mut self.stdout,
            2 => &mut self.stderr,
            _ => return Err(errno::BADF),
        };
        let mut total = 0u32;
        for i in 0..iovs_len {
            let (ptr, len) = read_iovec(mem, iovs, i)?;
            sink.extend_from_slice(slice_mut(mem, ptr, len)?);
            total = total.wrapping_add(len);
        }
        write_u32(mem, out, total)
    }

    fn fd_seek(
        &mut self,
        mem: &mut [u8],
        fd: u32,
        offset: i64,
        whence: u32,
        out: u32,
    ) -> Result<(), i32> {
        let file = self.file_mut(fd)?;
        let base = match whence {
            0 => 0,
            1 => file.pos as i64,
            2 => file.data.len() as i64,
            _ => return Err(errno::INVAL),
        };
        let pos = base
            .checked_add(offset)
            .filter(|p| *p >= 0)
            .ok_or(errno::INVAL)?;
        file.pos = pos as u64;
        write_u64(mem, out, file.pos)
    }

    fn fd_close(&mut self, fd: u32) -> Result<(), i32> {
        match self.files.get_mut(fd as usize) {
            Some(slot @ Some(_)) => {
                *slot = None;
                Ok(())
            }
            _ if fd <= PREOPEN_FD => Ok(()),
            _ => Err(errno::BADF),
        }
    }

    /// Deterministic bytes (xorshift), so that runs repeat exactly.
    fn random_get(&mut self, mem: &mut [u8], buf: u32, len: u32) -> Result<(), i32> {
        for b in slice_mut(mem, buf, len)? {
            let mut x = self.random_state;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.random_state = x;
            *b = x as u8;
        }
        Ok(())
    }

    fn file(&self, fd: u32) -> Result<&File, i32> {
        match self.files.get(fd as usize) {
            Some(Some(f)) => Ok(f),
            _ => Err(errno::BADF),
        }
    }

    fn file_mut(&mut self, fd: u32) -> Result<&mut File, i32> {
        match self.files.get_mut(fd as usize) {
            Some(Some(f)) => Ok(f),
            _ => Err(errno::BADF),
        }
    }

    /// A guest path relative to the preopen, as a host path. Absolute paths
    /// and `..` are refused.
    fn resolve(&self, mem: &mut [u8], fd: u32, path: u32, len: u32) -> Result<PathBuf, i32> {
        let dir = match (&self.dir, fd) {
            (Some(dir), PREOPEN_FD) => dir,
            _ => return Err(errno::BADF),
        };
        let bytes = slice_mut(mem, path, len)?;
        let rel = std::str::from_utf8(bytes).map_err(|_| errno::INVAL)?;
        let rel = Path::new(rel);
        if !rel
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return Err(errno::NOTCAPABLE);
        }
        Ok(dir.join(rel))
    }
}

/// `args_sizes_get` / `environ_sizes_get`: the count and the buffer size
/// (each string NUL-terminated).
fn sizes_get(mem: &mut [u8], strings: &[String], count_out: u32, size_out: u32) -> Result<(), i32> {
    let size: usize = strings.iter().map(|s| s.len() + 1).sum();
    write_u32(mem, count_out, strings.len() as u32)?;
    write_u32(mem, size_out, size as u32)
}

/// `args_get` / `environ_get`: pointers at `ptrs`, the strings at `buf`.
fn strings_get(mem: &mut [u8], strings: &[String], ptrs: u32, buf: u32) -> Result<(), i32> {
    let mut at = buf;
    for (i, s) in strings.iter().enumerate() {
        write_u32(mem, ptrs.wrapping_add(4 * i as u32), at)?;
        let dst = slice_mut(mem, at, s.len() as u32 + 1)?;
        dst[..s.len()].copy_from_slice(s.as_bytes());
        dst[s.len()] = 0;
        at = at.wrapping_add(s.len() as u32 + 1);
    }
    Ok(())
}

/// A `filestat`: dev, ino, filetype (u8 at 16), nlink, size (at 32), times.
fn write_filestat(mem: &mut [u8], out: u32, ty: u8, size: u64) -> Result<(), i32> {
    let buf = slice_mut(mem, out, 64)?;
    buf.fill(0);
    buf[16] = ty;
    buf[24..32].copy_from_slice(&1u64.to_le_bytes());
    buf[32..40].copy_from_slice(&size.to_le_bytes());
    Ok(())
}

/// The `i`th `iovec` (pointer, length) of the array at `iovs`.
fn read_iovec(mem: &mut [u8], iovs: u32, i: u32) -> Result<(u32, u32), i32> {
    let at = iovs.wrapping_add(i.wrapping_mul(8));
    Ok((read_u32(mem, at)?, read_u32(mem, at.wrapping_add(4))?))
}

fn slice_mut(mem: &mut [u8], ptr: u32, len: u32) -> Result<&mut [u8], i32> {
    let end = ptr as usize + len as usize;
    mem.get_mut(ptr as usize..end).ok_or(errno::FAULT)
}

fn read_u32(mem: &mut [u8], ptr: u32) -> Result<u32, i32> {
    let bytes = slice_mut(mem, ptr, 4)?;
    Ok(u32::from_le_bytes(bytes.try_into().unwrap()))
}

fn write_u32(mem: &mut [u8], ptr: u32, v: u32) -> Result<(), i32> {
    slice_mut(mem, ptr, 4)?.copy_from_slice(&v.to_le_bytes());
    Ok(())
}

fn write_u64(mem: &mut [u8], ptr: u32, v: u64) -> Result<(), i32> {
    slice_mut(mem, ptr, 8)?.copy_from_slice(&v.to_le_bytes());
    Ok(())
}
