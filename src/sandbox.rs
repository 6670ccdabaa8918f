//! Running a learner's binary as a child process with limits: CPU time (RLIMIT_CPU), with a
//! wall-clock backstop for code that waits rather than computes (the whole process group is
//! killed when either is reached), memory (RLIMIT_AS), file size, open files, no core dumps,
//! and an output cap (the child keeps writing into a drain; only the first bytes are kept).
//! The child starts with an empty environment and gets its input (the result key) on stdin.
//! What it may do once running is decided by the harness's confinement (learnml-grader).
//!
//! The child runs in a process group of its own, so Ctrl-C in the terminal does not reach it:
//! learnml's own SIGINT/SIGTERM handler kills every running check's group before exiting, and
//! a child whose learnml is killed outright gets SIGKILL too (PR_SET_PDEATHSIG).

// setrlimit, prctl, kill and signal handlers are system calls without safe wrappers here.
#![allow(unsafe_code)]

use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Once;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::{Duration, Instant};

/// The process groups of the checks running now (0: a free slot). More checks than slots
/// never run at once: they run one per core.
static RUNNING: [AtomicI32; 64] = [const { AtomicI32::new(0) }; 64];
static HANDLER: Once = Once::new();

extern "C" fn stop_checks_and_exit(signal: libc::c_int) {
    for slot in &RUNNING {
        let group = slot.load(Ordering::SeqCst);
        if group > 0 {
            // SAFETY: kill(2) is async-signal-safe.
            unsafe { libc::kill(-group, libc::SIGKILL) };
        }
    }
    // SAFETY: _exit(2) is async-signal-safe; 128 + signal is the shell's convention.
    unsafe { libc::_exit(128 + signal) };
}

fn install_handler() {
    HANDLER.call_once(|| {
        let handler = stop_checks_and_exit as extern "C" fn(libc::c_int) as libc::sighandler_t;
        // SAFETY: the handler only makes async-signal-safe calls.
        unsafe {
            libc::signal(libc::SIGINT, handler);
            libc::signal(libc::SIGTERM, handler);
        }
    });
}

/// Holds a slot of [`RUNNING`] for as long as a check's process group lives.
struct Registered(Option<&'static AtomicI32>);

impl Registered {
    fn new(group: libc::pid_t) -> Registered {
        Registered(RUNNING.iter().find(|slot| {
            slot.compare_exchange(0, group, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
        }))
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        if let Some(slot) = self.0 {
            slot.store(0, Ordering::SeqCst);
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// CPU time, all threads together.
    pub time: Duration,
    pub memory_bytes: u64,
    pub output_bytes: usize,
}

/// How long a check with `cpu_secs` of CPU time may take by the clock: twice over and 5 s
/// more, so a loaded machine never stops honest code, and code that sleeps still ends.
pub fn wall_backstop_secs(cpu_secs: u64) -> u64 {
    cpu_secs * 2 + 5
}

/// Whether a process `pid` exists (signal 0 only asks; EPERM: it exists, owned by another user).
pub fn process_runs(pid: libc::pid_t) -> bool {
    pid > 0
        && (unsafe { libc::kill(pid, 0) } == 0
            || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM))
}

/// The largest file a check may write (in its scratch folder; nothing else is writable).
pub const FILE_SIZE_CAP_BYTES: u64 = 64 << 20;
/// Open files: the harness needs a handful; a learner's code leaking descriptors stops here.
const OPEN_FILES_CAP: u64 = 64;

/// How the child process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Exited(i32),
    /// Killed by a signal: SIGXCPU when it used up its CPU time, SIGXFSZ when it wrote past
    /// the file size cap.
    Signaled(i32),
    /// Still running at the wall-clock backstop.
    TimedOut,
}

#[derive(Debug, Clone)]
pub struct Finished {
    pub ending: Ending,
    /// stdout then stderr, each cut at the output cap.
    pub stdout: String,
    pub stderr: String,
    /// Whether either stream was cut.
    pub truncated: bool,
}

/// In the child, before exec: cap the address space, and die with learnml. If learnml died
/// before the parent-death signal was armed, no signal will come: give up at once.
#[cfg(target_os = "linux")]
unsafe fn limit_memory_and_lifetime(
    memory: libc::rlim_t,
    learnml: libc::pid_t,
) -> std::io::Result<()> {
    // SAFETY: setrlimit, prctl and getppid are async-signal-safe.
    if unsafe { set_limit(libc::RLIMIT_AS, memory, memory) } != 0
        || unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) } != 0
    {
        return Err(std::io::Error::last_os_error());
    }
    if unsafe { libc::getppid() } != learnml {
        return Err(std::io::Error::other(
            "learnml ended before the check started",
        ));
    }
    Ok(())
}

/// setrlimit(2) with a soft and a hard limit; async-signal-safe.
unsafe fn set_limit(
    resource: RlimitResource,
    soft: libc::rlim_t,
    hard: libc::rlim_t,
) -> libc::c_int {
    let limit = libc::rlimit {
        rlim_cur: soft,
        rlim_max: hard,
    };
    // SAFETY: `limit` is a valid rlimit for the duration of the call.
    unsafe { libc::setrlimit(resource, &limit) }
}

#[cfg(target_os = "linux")]
type RlimitResource = libc::__rlimit_resource_t;
#[cfg(not(target_os = "linux"))]
type RlimitResource = libc::c_int;

/// Elsewhere (macOS) RLIMIT_AS is not enforced and there is no parent-death signal: checks
/// run without a memory cap, and the SIGINT handler is what stops them with learnml.
#[cfg(not(target_os = "linux"))]
unsafe fn limit_memory_and_lifetime(
    _memory: libc::rlim_t,
    _learnml: libc::pid_t,
) -> std::io::Result<()> {
    Ok(())
}

/// Run `program args…` in `dir` (its scratch folder) under `limits`, with `input` on its
/// stdin and an empty environment. Errors only when the process cannot start.
pub fn run(
    program: &Path,
    args: &[&str],
    dir: &Path,
    input: &str,
    limits: Limits,
) -> std::io::Result<Finished> {
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(dir)
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    install_handler();
    let memory = limits.memory_bytes as libc::rlim_t;
    let cpu_secs = limits.time.as_secs().max(1) as libc::rlim_t;
    let learnml = std::process::id() as libc::pid_t;
    // SAFETY: between fork and exec, only async-signal-safe calls (setrlimit, prctl) are made.
    unsafe {
        command.pre_exec(move || {
            // The soft CPU limit sends SIGXCPU; the hard one, a second later, SIGKILL.
            let limits = [
                (libc::RLIMIT_CORE, 0, 0),
                (libc::RLIMIT_CPU, cpu_secs, cpu_secs + 1),
                (
                    libc::RLIMIT_FSIZE,
                    FILE_SIZE_CAP_BYTES as libc::rlim_t,
                    FILE_SIZE_CAP_BYTES as libc::rlim_t,
                ),
                (
                    libc::RLIMIT_NOFILE,
                    OPEN_FILES_CAP as libc::rlim_t,
                    OPEN_FILES_CAP as libc::rlim_t,
                ),
            ];
            for (resource, soft, hard) in limits {
                if set_limit(resource, soft, hard) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            limit_memory_and_lifetime(memory, learnml)
        });
    }
    let mut child = command.spawn()?;
    // The key is tiny: the write completes at once into the pipe's buffer. Dropping the
    // handle closes the pipe, so the harness reads to its end.
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        let _ = stdin.write_all(input.as_bytes());
    }
    let group = child.id() as libc::pid_t;
    let _registered = Registered::new(group);
    let cap = limits.output_bytes;
    let stdout = child.stdout.take().expect("stdout is piped");
    let stderr = child.stderr.take().expect("stderr is piped");
    let out_reader = std::thread::spawn(move || read_capped(stdout, cap));
    let err_reader = std::thread::spawn(move || read_capped(stderr, cap));

    let deadline = Instant::now() + Duration::from_secs(wall_backstop_secs(limits.time.as_secs()));
    let ending = loop {
        if let Some(status) = child.try_wait()? {
            break match status.code() {
                Some(code) => Ending::Exited(code),
                None => Ending::Signaled(status.signal().unwrap_or(0)),
            };
        }
        if Instant::now() >= deadline {
            break Ending::TimedOut;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    // Whatever the ending, nothing the learner's code started may outlive the check (the
    // harness's confinement already forbids new processes and leaving the group).
    // SAFETY: kill(2) on our own child's process group.
    unsafe {
        libc::kill(-group, libc::SIGKILL);
    }
    if ending == Ending::TimedOut {
        let _ = child.kill();
        let _ = child.wait();
    }
    let (stdout, out_cut) = out_reader.join().unwrap_or_default();
    let (stderr, err_cut) = err_reader.join().unwrap_or_default();
    Ok(Finished {
        ending,
        stdout,
        stderr,
        truncated: out_cut || err_cut,
    })
}

/// Read a stream to its end, keeping the first `cap` bytes.
fn read_capped(mut stream: impl Read, cap: usize) -> (String, bool) {
    let mut kept = Vec::new();
    let mut buffer = [0u8; 8192];
    let mut truncated = false;
    loop {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let room = cap.saturating_sub(kept.len());
                kept.extend_from_slice(&buffer[..n.min(room)]);
                truncated |= n > room;
            }
        }
    }
    (String::from_utf8_lossy(&kept).into_owned(), truncated)
}
