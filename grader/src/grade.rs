//! The vocabulary of graders: a check returns [`Graded`], built from comparisons that state
//! their tolerance and say what was expected and what the code gave.

use std::sync::Mutex;

pub use learnml_protocol::{Figure, Series, fmt};
use learnml_protocol::{Goal, Metric};

static FIGURES: Mutex<Vec<Figure>> = Mutex::new(Vec::new());

/// Show a figure with this check's result, whatever the outcome (a confusion matrix, a
/// learning curve, a scatter of clusters). The terminal report draws it as text;
/// `learnml check --svg DIR` also writes it as an SVG file.
pub fn show(figure: Figure) {
    FIGURES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(figure);
}

/// The figures shown so far (the harness takes them after the check).
pub fn take_figures() -> Vec<Figure> {
    std::mem::take(&mut *FIGURES.lock().unwrap_or_else(|e| e.into_inner()))
}

/// A check that passed: what was verified, and the metric reached if there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct Passed {
    pub message: String,
    pub metric: Option<Metric>,
}

/// A check that failed: what was asked, what the code gave, and what to try.
#[derive(Debug, Clone, PartialEq)]
pub struct Failed {
    pub message: String,
    pub hint: Option<String>,
    pub metric: Option<Metric>,
}

/// What a check function returns. Comparisons return `Result<_, Failed>`, so a grader
/// chains them with `?` and ends with [`pass`].
pub type Graded = Result<Passed, Failed>;

/// A check function of a grader.
pub type CheckFn = fn() -> Graded;

pub fn pass(message: impl Into<String>) -> Graded {
    Ok(Passed {
        message: message.into(),
        metric: None,
    })
}

pub fn fail(message: impl Into<String>) -> Failed {
    Failed {
        message: message.into(),
        hint: None,
        metric: None,
    }
}

/// Attach a hint to a failure, keeping the first hint given (the most specific one).
pub trait Hint<T> {
    fn hint(self, hint: impl Into<String>) -> Result<T, Failed>;
}

impl<T> Hint<T> for Result<T, Failed> {
    fn hint(self, hint: impl Into<String>) -> Result<T, Failed> {
        self.map_err(|mut failed| {
            failed.hint.get_or_insert_with(|| hint.into());
            failed
        })
    }
}

/// Text added to a check's message whatever its outcome (a baseline to compare with, a
/// figure's reading), so that a pass and a fail tell the same story.
pub trait Note {
    fn note(self, text: &str) -> Self;
}

impl Note for Graded {
    fn note(self, text: &str) -> Graded {
        match self {
            Ok(mut passed) => {
                passed.message.push_str(text);
                Ok(passed)
            }
            Err(mut failed) => {
                failed.message.push_str(text);
                Err(failed)
            }
        }
    }
}

/// `got` within `tolerance` (absolute) of `expected`. NaN never passes.
pub fn close(what: &str, got: f64, expected: f64, tolerance: f64) -> Result<(), Failed> {
    if (got - expected).abs() <= tolerance {
        Ok(())
    } else {
        Err(fail(format!(
            "{what}: expected {} (± {}), got {}",
            fmt(expected),
            fmt(tolerance),
            fmt(got)
        )))
    }
}

/// Like [`close`], but when `got` matches one of the classic `wrong` answers (a value and why
/// it is wrong: "the negated difference", "sample instead of population variance"...), the
/// failure names that mistake.
pub fn close_naming(
    what: &str,
    got: f64,
    expected: f64,
    tolerance: f64,
    wrong: &[(f64, &str)],
) -> Result<(), Failed> {
    if (got - expected).abs() <= tolerance {
        return Ok(());
    }
    for &(value, why) in wrong {
        if (got - value).abs() <= tolerance && (value - expected).abs() > tolerance {
            return Err(fail(format!(
                "{what}: expected {} (± {}), got {}: {why}",
                fmt(expected),
                fmt(tolerance),
                fmt(got)
            )));
        }
    }
    close(what, got, expected, tolerance)
}

/// Element-wise [`close`] on two slices, reporting the first difference and its index.
pub fn all_close(what: &str, got: &[f64], expected: &[f64], tolerance: f64) -> Result<(), Failed> {
    if got.len() != expected.len() {
        return Err(fail(format!(
            "{what}: expected {} values, got {}",
            expected.len(),
            got.len()
        )));
    }
    for (i, (g, e)) in got.iter().zip(expected).enumerate() {
        close(&format!("{what}[{i}]"), *g, *e, tolerance)?;
    }
    Ok(())
}

/// Same shape, then element-wise [`close`], reporting the first difference as `what[i, j]`.
pub fn matrix_close(
    what: &str,
    got: &ndarray::Array2<f64>,
    expected: &ndarray::Array2<f64>,
    tolerance: f64,
) -> Result<(), Failed> {
    equal(&format!("{what}: shape"), &got.dim(), &expected.dim())?;
    for ((i, j), e) in expected.indexed_iter() {
        close(&format!("{what}[{i}, {j}]"), got[[i, j]], *e, tolerance)?;
    }
    Ok(())
}

/// `got == expected`, shown with `Debug`.
pub fn equal<T: PartialEq + std::fmt::Debug>(
    what: &str,
    got: &T,
    expected: &T,
) -> Result<(), Failed> {
    if got == expected {
        Ok(())
    } else {
        Err(fail(format!("{what}: expected {expected:?}, got {got:?}")))
    }
}

/// A condition that must hold, with the message to show when it does not.
pub fn ensure(condition: bool, message: impl FnOnce() -> String) -> Result<(), Failed> {
    if condition {
        Ok(())
    } else {
        Err(fail(message()))
    }
}

/// A metric computed by the grader against its bar: the check passes when the bar is reached.
/// The report shows the value and the bar either way, never the data behind them.
pub fn bar(name: &str, value: f64, bar: f64, goal: Goal) -> Graded {
    let metric = Metric {
        name: name.into(),
        value,
        bar,
        goal,
    };
    let relation = match goal {
        Goal::AtLeast => "≥",
        Goal::AtMost => "≤",
    };
    if metric.reached() {
        Ok(Passed {
            message: format!("{name} = {} (bar: {relation} {})", fmt(value), fmt(bar)),
            metric: Some(metric),
        })
    } else {
        Err(Failed {
            message: format!(
                "{name} = {}, short of the bar {relation} {}",
                fmt(value),
                fmt(bar)
            ),
            hint: None,
            metric: Some(metric),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_added_to_either_outcome() {
        let passed = bar("accuracy", 0.9, 0.8, Goal::AtLeast).note("; majority class 0.6");
        assert!(
            passed
                .unwrap()
                .message
                .ends_with("(bar: ≥ 0.8); majority class 0.6")
        );
        let failed = bar("accuracy", 0.7, 0.8, Goal::AtLeast).note("; majority class 0.6");
        assert!(
            failed
                .unwrap_err()
                .message
                .ends_with("≥ 0.8; majority class 0.6")
        );
    }

    #[test]
    fn close_states_tolerance_and_values() {
        assert!(close("mean", 1.0, 1.0005, 1e-3).is_ok());
        let failed = close("mean", 1.1, 1.0, 1e-3).unwrap_err();
        assert_eq!(failed.message, "mean: expected 1 (± 0.001), got 1.1");
        assert!(close("mean", f64::NAN, 1.0, 1.0).is_err());
    }

    #[test]
    fn close_naming_names_a_known_mistake() {
        let wrong = [(-0.1, "the negated difference")];
        assert!(close_naming("d", 0.1, 0.1, 1e-9, &wrong).is_ok());
        let failed = close_naming("d", -0.1, 0.1, 1e-9, &wrong).unwrap_err();
        assert_eq!(
            failed.message,
            "d: expected 0.1 (± 1e-9), got -0.1: the negated difference"
        );
        let failed = close_naming("d", 0.3, 0.1, 1e-9, &wrong).unwrap_err();
        assert_eq!(failed.message, "d: expected 0.1 (± 1e-9), got 0.3");
    }

    #[test]
    fn matrix_close_checks_shape_then_names_the_cell() {
        let expected = ndarray::array![[1.0, 2.0], [3.0, 4.0]];
        assert!(matrix_close("m", &expected.clone(), &expected, 0.0).is_ok());
        let wrong_shape = matrix_close("m", &ndarray::array![[1.0, 2.0, 3.0, 4.0]], &expected, 0.0);
        assert_eq!(
            wrong_shape.unwrap_err().message,
            "m: shape: expected (2, 2), got (1, 4)"
        );
        let wrong_cell = matrix_close(
            "m",
            &ndarray::array![[1.0, 2.0], [3.5, 4.0]],
            &expected,
            0.1,
        );
        assert_eq!(
            wrong_cell.unwrap_err().message,
            "m[1, 0]: expected 3 (± 0.1), got 3.5"
        );
    }

    #[test]
    fn bar_respects_its_goal() {
        assert!(bar("accuracy", 0.95, 0.94, Goal::AtLeast).is_ok());
        assert!(bar("accuracy", 0.93, 0.94, Goal::AtLeast).is_err());
        assert!(bar("RMSE", 0.5, 0.6, Goal::AtMost).is_ok());
        let failed = bar("RMSE", 0.7, 0.6, Goal::AtMost).unwrap_err();
        assert_eq!(failed.metric.unwrap().value, 0.7);
    }

    #[test]
    fn first_hint_wins() {
        let r: Result<(), Failed> = Err(fail("x"));
        let failed = r.hint("specific").hint("generic").unwrap_err();
        assert_eq!(failed.hint.as_deref(), Some("specific"));
    }
}
