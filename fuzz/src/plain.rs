//! The plain seeded loop: runs a target on generated inputs without
//! libFuzzer, on the stable toolchain, for CI.
//!
//! ```text
//! TARGET [--iterations N] [--seconds T] [--seed S] [--start I]
//!        [--max-len BYTES] [--timeout SECS] [--memory-mb MB] [FILE...]
//! ```
//!
//! Iteration `i` of seed `S` runs the bytes [`input`] gives, so a failure
//! is replayed with `--seed S --start i --iterations 1`. With FILEs, each
//! file's bytes run once instead (a libFuzzer artifact, for one).
//!
//! A failure is a panic (the target's assertion, or a bug in witness), an
//! input that runs longer than `--timeout` (default 10 s), or an allocation
//! that takes the heap past `--memory-mb` (default 2048). The input is
//! saved under `fuzz/artifacts/TARGET/` and the process exits non-zero.

use crate::rng::Rng;
use crate::stats;
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The bytes of iteration `iteration` of seed `seed`: a length (short ones
/// more often) up to `max_len`, then random bytes.
pub fn input(seed: u64, iteration: u64, max_len: usize) -> Vec<u8> {
    let mut rng = Rng::for_iteration(seed, iteration);
    let cap = match rng.below(4) {
        0 => 64,
        1 => 512,
        2 => 4096,
        _ => max_len,
    }
    .min(max_len);
    let len = rng.below(cap as u64 + 1) as usize;
    let mut bytes = vec![0; len];
    rng.fill(&mut bytes);
    bytes
}

struct Args {
    iterations: u64,
    seconds: Option<f64>,
    seed: u64,
    start: u64,
    max_len: usize,
    timeout: u64,
    memory_mb: usize,
    files: Vec<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        iterations: 1000,
        seconds: None,
        seed: 0,
        start: 0,
        max_len: 16384,
        timeout: 10,
        memory_mb: 2048,
        files: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        fn num<T: std::str::FromStr>(name: &str, v: String) -> Result<T, String> {
            v.parse().map_err(|_| format!("{name}: not a number: {v}"))
        }
        match arg.as_str() {
            "--iterations" => a.iterations = num(&arg, value(&arg)?)?,
            "--seconds" => a.seconds = Some(num(&arg, value(&arg)?)?),
            "--seed" => a.seed = num(&arg, value(&arg)?)?,
            "--start" => a.start = num(&arg, value(&arg)?)?,
            "--max-len" => a.max_len = num(&arg, value(&arg)?)?,
            "--timeout" => a.timeout = num(&arg, value(&arg)?)?,
            "--memory-mb" => a.memory_mb = num(&arg, value(&arg)?)?,
            "-h" | "--help" => {
                return Err(
                    "usage: TARGET [--iterations N] [--seconds T] [--seed S] [--start I] \
                            [--max-len BYTES] [--timeout SECS] [--memory-mb MB] [FILE...]"
                        .into(),
                );
            }
            s if s.starts_with('-') => return Err(format!("unknown option {s}")),
            _ => a.files.push(PathBuf::from(arg)),
        }
    }
    Ok(a)
}

/// What is running now, for the panic hook, the watchdog and the allocator.
static CURRENT: Mutex<Option<Current>> = Mutex::new(None);
/// Milliseconds since [`EPOCH`] when the current input started; 0 when idle.
static STARTED_MS: AtomicU64 = AtomicU64::new(0);
static SEED: AtomicU64 = AtomicU64::new(0);
static ITERATION: AtomicU64 = AtomicU64::new(0);

struct Current {
    target: &'static str,
    label: String,
    bytes: Vec<u8>,
    /// Whether a failure saves the input (not when it came from a file).
    save: bool,
}

/// The binary the current input generated (a wasm-smith module or
/// component), saved with a failing input as `.wasm` and `.wat`.
static GENERATED: Mutex<Option<Vec<u8>>> = Mutex::new(None);

/// Records the binary that the current input generated. Only the plain
/// loops keep it (libFuzzer's artifacts are the inputs themselves).
pub fn generated(bytes: &[u8]) {
    #[cfg(not(fuzzing))]
    if let Ok(mut g) = GENERATED.lock() {
        *g = Some(bytes.to_vec());
    }
    #[cfg(fuzzing)]
    let _ = bytes;
}

fn epoch() -> Instant {
    static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// Saves the current input as `artifacts/TARGET/KIND-LABEL` and says how to
/// replay it.
fn save(kind: &str) {
    let Ok(guard) = CURRENT.try_lock() else {
        return;
    };
    let Some(cur) = guard.as_ref() else {
        return;
    };
    let wasm = GENERATED.try_lock().ok().and_then(|g| g.clone());
    let wat = wasm
        .as_ref()
        .map(|w| wasmprinter::print_bytes(w).unwrap_or_else(|e| format!(";; {e}")));
    if !cur.save {
        // A replay: show the generated binary here.
        if let Some(wat) = &wat {
            eprintln!("the generated binary:\n{wat}");
        }
        return;
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("artifacts")
        .join(cur.target);
    let path = dir.join(format!("{kind}-{}", cur.label));
    let _ = std::fs::create_dir_all(&dir);
    if let (Some(wasm), Some(wat)) = (&wasm, &wat) {
        let _ = std::fs::write(path.with_extension("wasm"), wasm);
        let _ = std::fs::write(path.with_extension("wat"), wat);
        eprintln!(
            "{kind}: the generated binary is {}",
            path.with_extension("wat").display()
        );
    }
    match std::fs::write(&path, &cur.bytes) {
        Ok(()) => eprintln!(
            "{kind}: input saved to {}\nreplay: cargo run --release --manifest-path fuzz/Cargo.toml --bin {} -- {}",
            path.display(),
            cur.target,
            path.display()
        ),
        Err(e) => eprintln!("{kind}: cannot save the input to {}: {e}", path.display()),
    }
}

/// Runs `target` as the plain loop of the fuzz target `name`.
pub fn main(name: &'static str, target: fn(&[u8])) -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{name}: {e}");
            return ExitCode::from(2);
        }
    };
    LIMIT.store(args.memory_mb << 20, Ordering::Relaxed);
    let _ = epoch();
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        default_hook(info);
        save("crash");
    }));
    let timeout_ms = args.timeout * 1000;
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(100));
            let started = STARTED_MS.load(Ordering::Relaxed);
            let now = epoch().elapsed().as_millis() as u64;
            if started != 0 && now.saturating_sub(started) > timeout_ms {
                eprintln!(
                    "timeout: an input ran longer than {} s (seed {}, iteration {})",
                    timeout_ms / 1000,
                    SEED.load(Ordering::Relaxed),
                    ITERATION.load(Ordering::Relaxed)
                );
                save("timeout");
                std::process::abort();
            }
        }
    });

    let begin = Instant::now();
    let mut ran = 0u64;
    let mut run_one = |label: String, bytes: Vec<u8>, save: bool| {
        *GENERATED.lock().unwrap() = None;
        *CURRENT.lock().unwrap() = Some(Current {
            target: name,
            label,
            bytes,
            save,
        });
        let bytes = CURRENT.lock().unwrap().as_ref().unwrap().bytes.clone();
        STARTED_MS.store(epoch().elapsed().as_millis() as u64 + 1, Ordering::Relaxed);
        target(&bytes);
        STARTED_MS.store(0, Ordering::Relaxed);
        ran += 1;
    };
    if args.files.is_empty() {
        SEED.store(args.seed, Ordering::Relaxed);
        for i in args.start..args.start.saturating_add(args.iterations) {
            if args
                .seconds
                .is_some_and(|s| begin.elapsed().as_secs_f64() >= s)
            {
                break;
            }
            ITERATION.store(i, Ordering::Relaxed);
            run_one(
                format!("seed{}-iter{i}", args.seed),
                input(args.seed, i, args.max_len),
                true,
            );
        }
    } else {
        for f in &args.files {
            let bytes = match std::fs::read(f) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("{name}: {}: {e}", f.display());
                    return ExitCode::from(2);
                }
            };
            let label = f
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            run_one(label, bytes, false);
        }
    }
    let secs = begin.elapsed().as_secs_f64();
    let counts: Vec<String> = stats::snapshot()
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    println!(
        "{name}: {ran} inputs in {secs:.1} s ({:.0}/s), seed {}, peak heap {} MiB; {}",
        ran as f64 / secs.max(1e-9),
        args.seed,
        PEAK.load(Ordering::Relaxed) >> 20,
        counts.join(", ")
    );
    ExitCode::SUCCESS
}

/// The heap limit in bytes (0 until [`main`] sets it: no limit).
static LIMIT: AtomicUsize = AtomicUsize::new(0);
static USED: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static REPORTED: AtomicBool = AtomicBool::new(false);

/// The system allocator with a ceiling: an allocation past `--memory-mb`
/// fails (and the process aborts) after saying which input did it.
pub struct LimitedAlloc;

impl LimitedAlloc {
    fn over(size: usize) -> bool {
        let limit = LIMIT.load(Ordering::Relaxed);
        let used = USED.fetch_add(size, Ordering::Relaxed) + size;
        PEAK.fetch_max(used, Ordering::Relaxed);
        if limit != 0 && used > limit {
            USED.fetch_sub(size, Ordering::Relaxed);
            if !REPORTED.swap(true, Ordering::Relaxed) {
                // No allocation here: format into a stack buffer.
                let mut buf = [0u8; 160];
                let mut w = &mut buf[..];
                let _ = writeln!(
                    w,
                    "out of memory: an allocation of {size} bytes passes the limit \
                     (seed {}, iteration {})",
                    SEED.load(Ordering::Relaxed),
                    ITERATION.load(Ordering::Relaxed)
                );
                let n = 160 - w.len();
                let _ = std::io::stderr().write_all(&buf[..n]);
            }
            return true;
        }
        false
    }
}

// SAFETY: every method forwards to `System` with the caller's layout and
// pointer; the counters only decide whether to forward.
unsafe impl GlobalAlloc for LimitedAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if Self::over(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: as the caller's contract for `alloc`.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if Self::over(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: as the caller's contract for `alloc_zeroed`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        USED.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() && Self::over(new_size - layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: as the caller's contract for `realloc`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if p.is_null() {
            if new_size > layout.size() {
                USED.fetch_sub(new_size - layout.size(), Ordering::Relaxed);
            }
        } else if new_size < layout.size() {
            USED.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        p
    }
}
