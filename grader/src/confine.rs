//! Locking a check's process down before any learner code runs, with the kernel's own
//! mechanisms: Landlock for files, TCP and signals, seccomp-bpf for everything else a
//! learner's code could use to leave its check (new processes, programs, sockets, tracing,
//! raising its limits, changing files' owners or modes, which Landlock does not cover).
//!
//! Both are irrevocable and inherited by every thread the process starts afterwards, so the
//! harness calls [`lock_down`] while it is still the only thread. The resource limits (CPU
//! time, memory, file size, open files) are set by the runner before the program starts.

use std::path::Path;

/// Confine this process: afterwards it may read and write inside `scratch` only, and cannot
/// start processes or programs, open sockets, trace or signal other processes, or raise
/// its limits. Returns what the kernel could not enforce (`None`: everything is).
#[cfg(target_os = "linux")]
pub fn lock_down(scratch: &Path) -> Option<String> {
    let mut missing = Vec::new();
    if let Err(what) = landlock_rules(scratch) {
        missing.push(what);
    }
    if let Err(what) = seccomp_rules() {
        missing.push(what);
    }
    if missing.is_empty() {
        None
    } else {
        Some(missing.join("; "))
    }
}

/// Elsewhere (macOS) neither Landlock nor seccomp exists: the check runs unconfined, which
/// the runner tells the learner once (and `learnml grade` refuses unless asked).
#[cfg(not(target_os = "linux"))]
pub fn lock_down(_scratch: &Path) -> Option<String> {
    Some("this system has neither Landlock nor seccomp (Linux only)".into())
}

#[cfg(target_os = "linux")]
fn landlock_rules(scratch: &Path) -> Result<(), String> {
    use landlock::{
        ABI, Access, AccessFs, AccessNet, Ruleset, RulesetAttr, RulesetCreatedAttr, RulesetStatus,
        Scope, path_beneath_rules,
    };
    // ABI 6 (Linux 6.12) handles files, TCP bind/connect and signals/abstract sockets
    // outside the sandbox; best effort keeps what an older kernel offers and says so.
    let abi = ABI::V6;
    // No device nodes, sockets or FIFOs even in the scratch folder: as root, a block device
    // node would give the raw disk.
    let scratch_access = AccessFs::from_all(abi)
        & !(AccessFs::MakeChar | AccessFs::MakeBlock | AccessFs::MakeSock | AccessFs::MakeFifo);
    let status = Ruleset::default()
        .handle_access(AccessFs::from_all(abi))
        .and_then(|r| r.handle_access(AccessNet::from_all(abi)))
        .and_then(|r| r.scope(Scope::from_all(abi)))
        .and_then(|r| r.create())
        .and_then(|r| r.add_rules(path_beneath_rules([scratch], scratch_access)))
        .and_then(|r| r.restrict_self())
        .map_err(|e| format!("Landlock: {e}"))?;
    match status.ruleset {
        RulesetStatus::FullyEnforced => Ok(()),
        RulesetStatus::PartiallyEnforced => Err(
            "Landlock is only partly enforced (the kernel is older than Linux 6.12): network or signal isolation is missing".into(),
        ),
        _ => Err("Landlock is not enforced (the kernel lacks it or it is disabled): files are not isolated".into()),
    }
}

/// The system calls a check never needs and a hostile learner would: they fail with EPERM.
/// (Safe Rust reaches system calls only through std and the course's crates, so this list
/// covers what those can do; memory, threads, time and I/O on open files stay allowed.)
#[cfg(target_os = "linux")]
const DENIED: &[libc::c_long] = &[
    // Programs and processes (a thread is a `clone` with CLONE_THREAD: see below).
    libc::SYS_execve,
    libc::SYS_execveat,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_fork,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_vfork,
    // Leaving the process group the runner kills at the end of the check.
    libc::SYS_setsid,
    libc::SYS_setpgid,
    // The network and local sockets.
    libc::SYS_socket,
    libc::SYS_socketpair,
    libc::SYS_connect,
    libc::SYS_bind,
    libc::SYS_listen,
    libc::SYS_accept,
    libc::SYS_accept4,
    // Other processes' memory and descriptors.
    libc::SYS_ptrace,
    libc::SYS_process_vm_readv,
    libc::SYS_process_vm_writev,
    libc::SYS_pidfd_open,
    libc::SYS_pidfd_getfd,
    libc::SYS_kcmp,
    // Raising the limits the runner set (root may raise hard limits).
    libc::SYS_setrlimit,
    libc::SYS_prlimit64,
    // File metadata, which Landlock does not cover: as root, `chmod` or `chown` on a
    // grader or another learner's file would otherwise work.
    #[cfg(target_arch = "x86_64")]
    libc::SYS_chmod,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_chown,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_lchown,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_utime,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_utimes,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_futimesat,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_mknod,
    libc::SYS_fchmod,
    libc::SYS_fchmodat,
    libc::SYS_fchown,
    libc::SYS_fchownat,
    libc::SYS_utimensat,
    libc::SYS_mknodat,
    libc::SYS_setxattr,
    libc::SYS_lsetxattr,
    libc::SYS_fsetxattr,
    libc::SYS_removexattr,
    libc::SYS_lremovexattr,
    libc::SYS_fremovexattr,
    // Paths around Landlock: file handles (root's CAP_DAC_READ_SEARCH) and io_uring.
    libc::SYS_open_by_handle_at,
    libc::SYS_name_to_handle_at,
    libc::SYS_io_uring_setup,
    libc::SYS_io_uring_enter,
    libc::SYS_io_uring_register,
    // The system itself (all need root, which CI and containers have).
    libc::SYS_unshare,
    libc::SYS_setns,
    libc::SYS_mount,
    libc::SYS_umount2,
    libc::SYS_pivot_root,
    libc::SYS_chroot,
    libc::SYS_bpf,
    libc::SYS_perf_event_open,
    libc::SYS_userfaultfd,
    libc::SYS_keyctl,
    libc::SYS_add_key,
    libc::SYS_request_key,
    libc::SYS_init_module,
    libc::SYS_finit_module,
    libc::SYS_delete_module,
    libc::SYS_kexec_load,
    libc::SYS_reboot,
    libc::SYS_swapon,
    libc::SYS_swapoff,
    libc::SYS_acct,
    libc::SYS_settimeofday,
    libc::SYS_clock_settime,
    libc::SYS_sethostname,
    libc::SYS_setdomainname,
    libc::SYS_fanotify_init,
    libc::SYS_quotactl,
];

#[cfg(target_os = "linux")]
fn seccomp_rules() -> Result<(), String> {
    use std::collections::BTreeMap;

    use seccompiler::{
        BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
        SeccompRule, TargetArch,
    };

    let arch: TargetArch = std::env::consts::ARCH
        .try_into()
        .map_err(|_| format!("seccomp: no filter for {}", std::env::consts::ARCH))?;
    let mut denied: BTreeMap<i64, Vec<SeccompRule>> =
        DENIED.iter().map(|&call| (call, Vec::new())).collect();
    // `clone` makes threads (allowed) and processes (flags without CLONE_THREAD: denied).
    let no_thread_flag = SeccompCondition::new(
        0,
        SeccompCmpArgLen::Qword,
        SeccompCmpOp::MaskedEq(libc::CLONE_THREAD as u64),
        0,
    )
    .and_then(|condition| SeccompRule::new(vec![condition]))
    .map_err(|e| format!("seccomp: {e}"))?;
    denied.insert(libc::SYS_clone, vec![no_thread_flag]);
    let filter = SeccompFilter::new(
        denied,
        SeccompAction::Allow,
        SeccompAction::Errno(libc::EPERM as u32),
        arch,
    )
    .map_err(|e| format!("seccomp: {e}"))?;
    // `clone3` hides its flags in memory a filter cannot read: ENOSYS makes the C library
    // fall back to `clone`, which the filter above can judge.
    let clone3 = SeccompFilter::new(
        [(libc::SYS_clone3, Vec::new())].into_iter().collect(),
        SeccompAction::Allow,
        SeccompAction::Errno(libc::ENOSYS as u32),
        arch,
    )
    .map_err(|e| format!("seccomp: {e}"))?;
    for filter in [filter, clone3] {
        let program: BpfProgram = filter.try_into().map_err(|e| format!("seccomp: {e}"))?;
        seccompiler::apply_filter(&program).map_err(|e| format!("seccomp: {e}"))?;
    }
    Ok(())
}
