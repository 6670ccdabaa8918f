// Grader of MODULE/NAME.

use learnml_grader::grade::*;

use super::exercise::mean;

pub const CHECKS: &[(&str, CheckFn)] = &[("mean", check_mean)];

fn check_mean() -> Graded {
    let got = mean(&[1.0, 2.0, 6.0]);
    // Name the classic wrong answers: here, dividing by n - 1 gives 9 / 2.
    close_naming(
        "mean([1, 2, 6]) = 9 / 3",
        got,
        3.0,
        1e-12,
        &[(4.5, "divided by n - 1 instead of n")],
    )
    .hint("divide the sum by the number of values")?;
    pass("mean([1, 2, 6]) = 3")
}
