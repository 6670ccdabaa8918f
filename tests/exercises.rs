//! The integrity of every exercise: the grader implements exactly the checks of its
//! exercise.toml, the shipped stub earns 0 points with only "not attempted" or "fail", the
//! reference solution passes every check, clearing each metric bar with margin, each
//! catalogued mistake fails the checks it names with a message that names it, each catalogued
//! alternative passes, and nothing in `exercises/` is stray. The JSON reports of every stub and
//! every solution are pinned as snapshots; the catalogue's are only asserted, so that adding a
//! mistake adds no snapshot.
//!
//! One test per module, so modules verify in parallel (cargo serializes the builds, the
//! checks of one module run while another module builds).

use learnml::verify;
use learnml::workspace::Workspace;

/// The modules this file tests; `every_module_is_tested` keeps it equal to the curriculum.
const TESTED: &[&str] = &[
    "foundations",
    "preprocessing",
    "supervised",
    "unsupervised",
    "neural",
    "deep",
    "language",
    "vision",
    "ensembles",
    "evaluation",
    "timeseries",
    "recommenders",
    "production",
    "responsible",
    "reinforcement",
    "trends",
];

fn repository() -> Workspace {
    Workspace::at(env!("CARGO_MANIFEST_DIR")).expect("the curriculum loads")
}

fn verify_module(name: &str) {
    let ws = repository();
    let module = ws
        .curriculum
        .modules
        .iter()
        .find(|m| m.name == name)
        .expect("the module is in the curriculum");
    let exercises: Vec<_> = module.exercises.iter().collect();
    let verified = verify::verify_all(&ws, &exercises).unwrap_or_else(|e| panic!("{name}: {e:#}"));
    let mut problems = Vec::new();
    for (exercise, verified) in exercises.into_iter().zip(verified) {
        problems.extend(verified.problems);
        let snapshot = |source: &str, report| {
            let mut value = serde_json::to_value(report).expect("reports serialize");
            round_numbers(&mut value);
            redact_measured(exercise.id(), &mut value);
            let json = serde_json::to_string_pretty(&value).expect("json serializes");
            insta::assert_snapshot!(
                format!("{}__{}__{source}", exercise.module, exercise.name),
                json
            );
        };
        snapshot("stub", &verified.stub);
        snapshot("solution", &verified.solution);
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Checks that time the learner's code on this machine (exercise, check): their grade has a
/// wide margin, but the times they show differ on every run, so a snapshot keeps only the shape
/// of their message (digits masked) and their figures' titles.
const MEASURED: &[(&str, &str)] = &[("production/latency", "latency_budget")];

fn redact_measured(exercise: &str, report: &mut serde_json::Value) {
    let Some(checks) = report["checks"].as_array_mut() else {
        return;
    };
    for check in checks {
        let id = check["id"].as_str().unwrap_or_default().to_string();
        if !MEASURED.contains(&(exercise, id.as_str())) {
            continue;
        }
        if let Some(message) = check["message"].as_str() {
            // Each number becomes one `#`: a time may have more digits on the next run.
            let mut masked = String::new();
            for c in message.chars() {
                let numeric = c.is_ascii_digit() || (c == '.' && masked.ends_with('#'));
                if !numeric {
                    masked.push(c);
                } else if c.is_ascii_digit() && !masked.ends_with('#') {
                    masked.push('#');
                }
            }
            check["message"] = serde_json::json!(masked);
        }
        if check["metric"].is_object() {
            check["metric"]["value"] = serde_json::json!("measured");
        }
        if let Some(figures) = check["figures"].as_array_mut() {
            for figure in figures {
                *figure = serde_json::json!({ "title": figure["title"], "data": "measured" });
            }
        }
    }
}

/// Metric values to 6 significant digits: the last bits of a float can differ between CPUs
/// (matrixmultiply picks its SIMD kernel at run time), and a snapshot must not.
fn round_numbers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(number) if number.is_f64() => {
            let x = number.as_f64().expect("an f64");
            let rounded: f64 = format!("{x:.5e}")
                .parse()
                .expect("a float prints and parses");
            *value = serde_json::json!(rounded);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(round_numbers),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(round_numbers),
        _ => {}
    }
}

#[test]
fn every_module_is_tested() {
    let ws = repository();
    let names: Vec<&str> = ws
        .curriculum
        .modules
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(
        names, TESTED,
        "add a test below for each module of exercises/curriculum.toml"
    );
}

#[test]
fn nothing_in_exercises_is_stray() {
    let strays = verify::unlisted(&repository()).expect("exercises/ is readable");
    assert!(strays.is_empty(), "{}", strays.join("\n"));
}

/// Every exercise the course ships proves its grading honest: a started catalogue, which the
/// module tests then hold to its minimum (see `verify::REQUIRED_MISTAKES`). `dev verify` lets
/// an exercise being written go without one; the course does not.
#[test]
fn every_exercise_has_its_catalogue() {
    let ws = repository();
    let missing: Vec<&str> = ws
        .curriculum
        .exercises()
        .filter(|e| {
            !learnml::catalogue::load(&ws, e)
                .expect("the catalogue loads")
                .started
        })
        .map(|e| e.id())
        .collect();
    assert!(
        missing.is_empty(),
        "exercises without mistakes/ and alternatives/: {}",
        missing.join(", ")
    );
}

#[test]
fn foundations() {
    verify_module("foundations");
}

#[test]
fn preprocessing() {
    verify_module("preprocessing");
}

#[test]
fn supervised() {
    verify_module("supervised");
}

#[test]
fn unsupervised() {
    verify_module("unsupervised");
}

#[test]
fn neural() {
    verify_module("neural");
}

#[test]
fn deep() {
    verify_module("deep");
}

#[test]
fn language() {
    verify_module("language");
}

#[test]
fn vision() {
    verify_module("vision");
}

#[test]
fn ensembles() {
    verify_module("ensembles");
}

#[test]
fn evaluation() {
    verify_module("evaluation");
}

#[test]
fn timeseries() {
    verify_module("timeseries");
}

#[test]
fn recommenders() {
    verify_module("recommenders");
}

#[test]
fn production() {
    verify_module("production");
}

#[test]
fn responsible() {
    verify_module("responsible");
}

#[test]
fn reinforcement() {
    verify_module("reinforcement");
}

#[test]
fn trends() {
    verify_module("trends");
}
