//! learnml-grader: what every exercise binary's grader links. A learner's file may not name
//! this crate (the runner refuses it before compiling): it holds the held-out data and the
//! means to report a result.
//!
//! - [`harness`]: runs one check in its own, confined process and reports the sealed result;
//! - [`confine`]: the process confinement (Landlock, seccomp) the harness applies;
//! - [`grade`]: the vocabulary graders use to pass or fail a check (tolerances, bars, hints);
//! - [`data`]: the datasets handed to a check, with typed errors naming file, line, column.

pub mod confine;
pub mod data;
pub mod grade;
pub mod harness;

pub use learnml_protocol::Goal;
