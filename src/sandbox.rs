//! Running a learner's binary as a child process with limits: a time limit (the whole
//! process group is killed when it is reached), a memory cap (RLIMIT_AS), no core dumps, and
//! an output cap (the child keeps writing into a drain; only the first bytes are kept).

use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub time: Duration,
    pub memory_bytes: u64,
    pub output_bytes: usize,
}

/// How the child process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Exited(i32),
    Signaled(i32),
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

/// Run `program args…` in `dir` under `limits`. Errors only when the process cannot start.
pub fn run(
    program: &Path,
    args: &[&str],
    dir: &Path,
    envs: &[(&str, &Path)],
    limits: Limits,
) -> std::io::Result<Finished> {
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    for (key, value) in envs {
        command.env(key, value);
    }
    let memory = limits.memory_bytes as libc::rlim_t;
    // SAFETY: between fork and exec, only async-signal-safe calls (setrlimit) are made.
    unsafe {
        command.pre_exec(move || {
            let cap = libc::rlimit {
                rlim_cur: memory,
                rlim_max: memory,
            };
            let no_core = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &cap) != 0
                || libc::setrlimit(libc::RLIMIT_CORE, &no_core) != 0
            {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = command.spawn()?;
    let group = child.id() as libc::pid_t;
    let cap = limits.output_bytes;
    let stdout = child.stdout.take().expect("stdout is piped");
    let stderr = child.stderr.take().expect("stderr is piped");
    let out_reader = std::thread::spawn(move || read_capped(stdout, cap));
    let err_reader = std::thread::spawn(move || read_capped(stderr, cap));

    let deadline = Instant::now() + limits.time;
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
    // Whatever the ending, nothing the learner's code started may outlive the check.
    // SAFETY: kill(2) on our own child's process group.
    unsafe {
        libc::kill(-group, libc::SIGKILL);
    }
    if ending == Ending::TimedOut {
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
