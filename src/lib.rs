//! learnml: hands-on, graded machine-learning exercises in Rust.
//!
//! The runner is a thin CLI (`main.rs`) over this library. It never links the ML crates:
//! those are compiled into each exercise's own binary (see [`build`]), which runs one check
//! per process under limits ([`sandbox`]) and reports through a result file
//! sealed with a per-check key (`learnml-protocol`). [`check`] builds and runs an exercise,
//! [`report`] turns what happened into a report, [`render`] shows it.

pub mod background;
pub mod batch;
pub mod build;
pub mod catalogue;
pub mod check;
pub mod commands;
pub mod doc;
pub mod editor;
pub mod engines;
pub mod export;
pub mod fairness;
pub mod forbidden;
pub mod lookup;
pub mod manifest;
pub mod new_exercise;
pub mod plot;
pub mod progress;
pub mod render;
pub mod report;
pub mod sandbox;
pub mod style;
pub mod text;
pub mod verify;
pub mod watch;
pub mod workspace;
