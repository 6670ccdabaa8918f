//! learnml-kit: what learners may use in their own exercise files.
//!
//! - [`split`]: seeded shuffles and train/test splits, so every grade is reproducible;
//! - [`fairness`]: per-group rates and parity measures for any binary classifier.
//!
//! What only graders may use (the check harness, dataset loading, the grading vocabulary) is
//! in `learnml-grader`, a crate a learner's file may not name: learner code must not load
//! the held-out data or report a result itself.

pub mod split;

pub use learnml_protocol::fairness;
