// Grader of supervised/regression_metrics.

use learnml_grader::grade::*;
use learnml_kit::split;
use rand::Rng;

use super::exercise::{mae, r2, rmse};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("mae_public", mae_public),
    ("rmse_public", rmse_public),
    ("r2_public", r2_public),
    ("r2_edge_cases", r2_edge_cases),
    ("hidden_cases", hidden_cases),
];

const TOLERANCE: f64 = 1e-9;

// The public case (scikit-learn's documentation example), derived by hand:
// errors truth - predicted = [0.5, -0.5, 0, -1]; MAE = 2 / 4 = 0.5;
// MSE = (0.25 + 0.25 + 0 + 1) / 4 = 0.375, RMSE = √0.375;
// mean(truth) = 2.875, SS_tot = 29.1875, SS_res = 1.5, R² = 1 - 1.5 / 29.1875.
const TRUTH: [f64; 4] = [3.0, -0.5, 2.0, 7.0];
const PREDICTED: [f64; 4] = [2.5, 0.0, 2.0, 8.0];

fn mae_public() -> Graded {
    let got = mae(&TRUTH, &PREDICTED);
    if (got - 0.0).abs() < TOLERANCE {
        return Err(fail("MAE of [3, -0.5, 2, 7] vs [2.5, 0, 2, 8]: expected 0.5, got 0: positive and negative errors cancelled"))
            .hint("take the absolute value of each error before averaging");
    }
    // The signed errors truth - predicted average (0.5 - 0.5 + 0 - 1) / 4 = -0.25.
    close_naming(
        "MAE of [3, -0.5, 2, 7] vs [2.5, 0, 2, 8]",
        got,
        0.5,
        TOLERANCE,
        &[
            (
                -0.25,
                "the mean of the signed errors: positive and negative errors cancelled",
            ),
            (
                0.25,
                "the mean of the signed errors: positive and negative errors cancelled",
            ),
        ],
    )
    .hint("mean of |truth - predicted|, dividing by n")?;
    pass("MAE = 0.5 (± 1e-9)")
}

fn rmse_public() -> Graded {
    let got = rmse(&TRUTH, &PREDICTED);
    let expected = 0.375f64.sqrt();
    if (got - 0.375).abs() < TOLERANCE {
        return Err(fail(format!(
            "RMSE of the public case: expected {}, got 0.375, the mean squared error (MSE)",
            fmt(expected)
        )))
        .hint("RMSE is the square root of the MSE: it is in the target's units");
    }
    if (got - 0.5f64.sqrt()).abs() < TOLERANCE {
        return Err(fail(format!("RMSE of the public case: expected {}, got {}: you divided by n - 1 = 3 instead of n = 4", fmt(expected), fmt(got))))
            .hint("an error metric averages over the n predictions; n - 1 belongs to a sample variance");
    }
    close(
        "RMSE of [3, -0.5, 2, 7] vs [2.5, 0, 2, 8]",
        got,
        expected,
        TOLERANCE,
    )?;
    pass(format!("RMSE = {} (± 1e-9)", fmt(expected)))
}

fn r2_public() -> Graded {
    let expected = 1.0 - 1.5 / 29.1875;
    let got = r2(&TRUTH, &PREDICTED);
    let swapped = grader_r2(&PREDICTED, &TRUTH);
    if (got - swapped).abs() < TOLERANCE && (swapped - expected).abs() > TOLERANCE {
        return Err(fail(format!("R² of the public case: expected {}, got {}, which is r2(predicted, truth): the arguments are swapped", fmt(expected), fmt(got))))
            .hint("SS_tot is about the spread of the truth: mean(truth), not mean(predicted)");
    }
    close(
        "R² of [3, -0.5, 2, 7] vs [2.5, 0, 2, 8]",
        got,
        expected,
        TOLERANCE,
    )
    .hint("1 - SS_res / SS_tot, with SS_tot = Σ (truth - mean(truth))²")?;
    pass(format!("R² = {} (± 1e-9)", fmt(expected)))
}

fn r2_edge_cases() -> Graded {
    let truth = [1.0, 2.0, 3.0, 4.0];
    // Predicting the mean (2.5) everywhere: SS_res = SS_tot, R² = 0.
    close(
        "R² of the constant predictor mean(truth) = 2.5",
        r2(&truth, &[2.5; 4]),
        0.0,
        TOLERANCE,
    )
    .hint("a model that predicts the mean of the truth explains none of its variance: R² = 0")?;
    // Predictions [4, 3, 2, 1]: SS_res = 9 + 1 + 1 + 9 = 20, SS_tot = 5, R² = 1 - 4 = -3.
    let got = r2(&truth, &[4.0, 3.0, 2.0, 1.0]);
    if got == 0.0 {
        return Err(fail("R² of predictions [4, 3, 2, 1] for truth [1, 2, 3, 4]: expected -3, got 0: R² was clipped at 0"))
            .hint("R² is negative when a model is worse than predicting the mean: do not clip it");
    }
    close(
        "R² of predictions [4, 3, 2, 1] for truth [1, 2, 3, 4] (worse than the mean)",
        got,
        -3.0,
        TOLERANCE,
    )
    .hint("R² is not a squared correlation here: it can be any value ≤ 1")?;
    let constant = [5.0; 3];
    let perfect = r2(&constant, &constant);
    ensure(perfect.is_finite(), || format!("R² of a perfect prediction of a constant truth [5, 5, 5]: expected 1, got {}: SS_tot = 0 makes the formula 0/0, the constant truth needs its own rule", fmt(perfect)))
        .hint("test SS_tot == 0.0 before dividing")?;
    equal(
        "R² of a perfect prediction of a constant truth [5, 5, 5] (0/0 by the formula)",
        &fmt(perfect),
        &"1".to_string(),
    )
    .hint("SS_tot = 0: return 1.0 when SS_res = 0 too, as the docs say")?;
    let wrong = r2(&constant, &[4.0, 5.0, 6.0]);
    ensure(wrong.is_finite(), || format!("R² of [4, 5, 6] for a constant truth [5, 5, 5]: expected 0, got {}: SS_tot = 0 makes the formula x/0, the constant truth needs its own rule", fmt(wrong)))
        .hint("test SS_tot == 0.0 before dividing")?;
    equal(
        "R² of [4, 5, 6] for a constant truth [5, 5, 5] (x/0 by the formula)",
        &fmt(wrong),
        &"0".to_string(),
    )
    .hint("SS_tot = 0 and SS_res > 0: return 0.0, never NaN or -inf")?;
    pass("mean predictor 0, worse than the mean -3, constant truth 1 / 0")
}

fn grader_r2(truth: &[f64], predicted: &[f64]) -> f64 {
    let mean = truth.iter().sum::<f64>() / truth.len() as f64;
    let ss_res: f64 = truth
        .iter()
        .zip(predicted)
        .map(|(t, p)| (t - p).powi(2))
        .sum();
    let ss_tot: f64 = truth.iter().map(|t| (t - mean).powi(2)).sum();
    if ss_tot == 0.0 {
        if ss_res == 0.0 { 1.0 } else { 0.0 }
    } else {
        1.0 - ss_res / ss_tot
    }
}

fn hidden_cases() -> Graded {
    let mut rng = split::rng(2024);
    for case in 0..20 {
        let n = if case == 1 { 1 } else { rng.gen_range(2..40) };
        let truth: Vec<f64> = (0..n).map(|_| rng.gen_range(-50.0..50.0)).collect();
        // One case in four predicts unrelated values: R² well below 0 there.
        let unrelated = case % 4 == 0;
        let predicted: Vec<f64> = truth
            .iter()
            .map(|t| {
                if unrelated {
                    rng.gen_range(-50.0..50.0)
                } else {
                    t + rng.gen_range(-10.0..10.0)
                }
            })
            .collect();
        let expected_mae = truth
            .iter()
            .zip(&predicted)
            .map(|(t, p)| (t - p).abs())
            .sum::<f64>()
            / n as f64;
        let expected_rmse = (truth
            .iter()
            .zip(&predicted)
            .map(|(t, p)| (t - p).powi(2))
            .sum::<f64>()
            / n as f64)
            .sqrt();
        let expected_r2 = grader_r2(&truth, &predicted);
        let ok = (mae(&truth, &predicted) - expected_mae).abs() <= 1e-9 * expected_mae.max(1.0)
            && (rmse(&truth, &predicted) - expected_rmse).abs() <= 1e-9 * expected_rmse.max(1.0)
            && (r2(&truth, &predicted) - expected_r2).abs() <= 1e-9 * expected_r2.abs().max(1.0);
        ensure(ok, || {
            format!(
                "hidden case {} of 20 (n = {n}): one of MAE, RMSE, R² is wrong",
                case + 1
            )
        })
        .hint(
            "check n = 1 (a single value: R² follows the constant-truth rule), large errors and models worse than the mean",
        )?;
    }
    pass(
        "20 hidden cases (n = 1 to 39, a quarter of them worse than the mean) agree within a relative 1e-9",
    )
}
