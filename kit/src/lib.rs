//! learnml-kit: what every exercise binary links.
//!
//! - [`harness`]: runs one check of an exercise in its own process and reports the result;
//! - [`grade`]: the vocabulary graders use to pass or fail a check (tolerances, bars, hints);
//! - [`data`]: loading the CSV datasets with typed errors that name file, line and column;
//! - [`split`]: seeded shuffles and train/test splits, so every grade is reproducible;
//! - [`fairness`]: per-group rates and parity measures for any binary classifier.
//!
//! Learners use [`data`] and [`split`] in their own code too.

pub mod data;
pub mod grade;
pub mod harness;
pub mod split;

pub use learnml_protocol::{Goal, fairness};
