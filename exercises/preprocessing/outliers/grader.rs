// Grader of preprocessing/outliers.

use learnml_grader::data::Table;
use learnml_grader::grade::*;

use super::exercise::{clip, iqr_fences, iqr_outliers, quantile, zscore_outliers};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("quantiles", quantiles),
    ("iqr_rule", iqr_rule),
    ("on_the_fence", on_the_fence),
    ("zscore_rule", zscore_rule),
    ("clip", clip_check),
];

const TOLERANCE: f64 = 1e-9;

fn column(file: &str, name: &str) -> Vec<f64> {
    let table = Table::dataset(file).expect("the grader reads its dataset");
    table
        .numeric(&[name])
        .expect("the column parses")
        .column(0)
        .to_vec()
}

/// `n` and the noun, singular for 1: "1 row", "3 rows".
fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

fn sorted(values: &[f64]) -> Vec<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

/// Quantile conventions of Hyndman & Fan (1996), by the position h (0-based) they read.
/// Type 7 (numpy "linear", R's default): h = (n - 1) q.
fn linear(values: &[f64], q: f64) -> f64 {
    let v = sorted(values);
    let h = (v.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

/// Type 6 (Excel's QUARTILE.EXC, Minitab): h = (n + 1) q - 1, clamped to the sample.
fn exclusive(values: &[f64], q: f64) -> f64 {
    let v = sorted(values);
    let h = ((v.len() + 1) as f64 * q - 1.0).clamp(0.0, (v.len() - 1) as f64);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

/// numpy's "lower" and "nearest"-like shortcuts: the value at floor(h) or round(h), no interpolation.
fn at_position(values: &[f64], q: f64, round: bool) -> f64 {
    let v = sorted(values);
    let h = (v.len() - 1) as f64 * q;
    v[if round { h.round() } else { h.floor() } as usize]
}

fn fences(values: &[f64]) -> (f64, f64) {
    let (q1, q3) = (linear(values, 0.25), linear(values, 0.75));
    (q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1))
}

fn check_quantile(what: &str, values: &[f64], q: f64) -> Result<(), Failed> {
    let want = linear(values, q);
    let got = quantile(values, q);
    if (got - want).abs() > TOLERANCE * want.abs().max(1.0) {
        // Interpolating on the values in their given order, unsorted.
        let h = (values.len() - 1) as f64 * q;
        let (lo, hi) = (
            h.floor() as usize,
            (h.floor() as usize + 1).min(values.len() - 1),
        );
        let unsorted = values[lo] + (h - lo as f64) * (values[hi] - values[lo]);
        if (got - unsorted).abs() <= TOLERANCE * unsorted.abs().max(1.0) {
            return Err(fail(format!(
                "{what}: expected {}, got {}: the values were not sorted first",
                fmt(want),
                fmt(got)
            )))
            .hint("sort a copy of the values before reading positions");
        }
        let variants = [
            (
                exclusive(values, q),
                "the position h = (n + 1) q - 1 (Excel's QUARTILE.EXC, type 6)",
            ),
            (
                at_position(values, q, false),
                "the value at floor((n - 1) q), without interpolation (numpy's \"lower\")",
            ),
            (
                at_position(values, q, true),
                "the value at round((n - 1) q), without interpolation (numpy's \"nearest\")",
            ),
        ];
        for (value, name) in variants {
            if (got - value).abs() <= TOLERANCE * value.abs().max(1.0) {
                return Err(fail(format!("{what}: expected {} (linear interpolation), got {}: that is {name}", fmt(want), fmt(got))))
                    .hint("h = (n - 1) q on the sorted values, then interpolate between positions floor(h) and floor(h) + 1");
            }
        }
        close(what, got, want, TOLERANCE * want.abs().max(1.0))
            .hint("h = (n - 1) q on the sorted values, then interpolate between positions floor(h) and floor(h) + 1")?;
    }
    Ok(())
}

fn quantiles() -> Graded {
    // Sorted: [1, 3, 5, 7]. h = 3q: q = 0.25 -> 1 + 0.75 x 2 = 2.5; 0.5 -> 4; 0.75 -> 5 + 0.25 x 2 = 5.5.
    let sample = [7.0, 1.0, 5.0, 3.0];
    for (q, want) in [(0.25, 2.5), (0.5, 4.0), (0.75, 5.5), (0.0, 1.0), (1.0, 7.0)] {
        check_quantile(&format!("quantile([7, 1, 5, 3], {q})"), &sample, q)?;
        close(
            &format!("quantile([7, 1, 5, 3], {q})"),
            quantile(&sample, q),
            want,
            TOLERANCE,
        )?;
    }
    check_quantile("quantile([42], 0.3)", &[42.0], 0.3)?;
    let bmi = column("diabetes.csv", "bmi");
    for q in [0.1, 0.25, 0.5, 0.75, 0.9] {
        check_quantile(&format!("quantile(diabetes bmi, {q})"), &bmi, q)?;
    }
    pass(format!(
        "[7, 1, 5, 3] gives 2.5, 4, 5.5; diabetes bmi quartiles {}, {}, {}",
        fmt(linear(&bmi, 0.25)),
        fmt(linear(&bmi, 0.5)),
        fmt(linear(&bmi, 0.75))
    ))
}

fn check_rule(what: &str, values: &[f64]) -> Result<Vec<usize>, Failed> {
    let (low, high) = fences(values);
    let (got_low, got_high) = iqr_fences(values);
    close(
        &format!("{what}: low fence Q1 - 1.5 IQR"),
        got_low,
        low,
        TOLERANCE * low.abs().max(1.0),
    )
    .hint("Q1 - 1.5 (Q3 - Q1), with quartiles by linear interpolation")?;
    close(
        &format!("{what}: high fence Q3 + 1.5 IQR"),
        got_high,
        high,
        TOLERANCE * high.abs().max(1.0),
    )
    .hint("Q3 + 1.5 (Q3 - Q1), with quartiles by linear interpolation")?;
    let want: Vec<usize> = (0..values.len())
        .filter(|&i| values[i] < low || values[i] > high)
        .collect();
    let got = iqr_outliers(values);
    if got.len() == want.len()
        && got != want
        && sorted(&got.iter().map(|&i| i as f64).collect::<Vec<_>>())
            == want.iter().map(|&i| i as f64).collect::<Vec<_>>()
    {
        return Err(fail(format!(
            "{what}: the right outliers, but not in increasing index order"
        )))
        .hint("return the indices sorted");
    }
    // Positions in a sorted copy instead of indices into `values`.
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut in_sorted: Vec<usize> = (0..values.len())
        .filter(|&k| want.contains(&order[k]))
        .collect();
    in_sorted.sort_unstable();
    if got != want && got == in_sorted {
        return Err(fail(format!(
            "{what}: got positions in a sorted copy of the values, not indices into `values`"
        )))
        .hint("sort a copy only to find the quartiles; then test each value of the original slice, keeping its index");
    }
    if got.len() != want.len() {
        return Err(fail(format!(
            "{what}: expected {}, got {}",
            count(want.len(), "outlier", "outliers"),
            got.len()
        )))
            .hint("outliers are strictly below the low fence or strictly above the high one; return indices into `values`");
    }
    equal(&format!("{what}: outlier indices"), &got, &want)
        .hint("indices into the original `values`, not into a sorted copy")?;
    Ok(want)
}

fn iqr_rule() -> Graded {
    let sugar = column("winequality_red.csv", "residual_sugar");
    let (low, high) = fences(&sugar);
    show(Figure::Histogram {
        title: format!(
            "residual_sugar (g/L): right-skewed; IQR fences [{}, {}]",
            fmt(low),
            fmt(high)
        ),
        values: sugar.clone(),
        bins: 12,
    });
    let sugar_out = check_rule("winequality residual_sugar", &sugar)?;
    let bmi = column("diabetes.csv", "bmi");
    let bmi_out = check_rule("diabetes bmi", &bmi)?;
    pass(format!(
        "residual_sugar: fences [{}, {}], {} of {} (a right-skewed column); diabetes bmi: {}",
        fmt(low),
        fmt(high),
        count(sugar_out.len(), "outlier", "outliers"),
        sugar.len(),
        count(bmi_out.len(), "outlier", "outliers")
    ))
}

fn on_the_fence() -> Graded {
    // Sorted: [-4, 2, 2, 3, 4, 5, 6, 6, 12]: Q1 = 2 (h = 2), Q3 = 6 (h = 6), IQR = 4, fences -4 and 12.
    let values = [5.0, 12.0, 2.0, 3.0, -4.0, 6.0, 2.0, 4.0, 6.0];
    let (low, high) = iqr_fences(&values);
    close("low fence of the hidden sample", low, -4.0, TOLERANCE)
        .hint("Q1 - 1.5 (Q3 - Q1), with quartiles by linear interpolation")?;
    close("high fence of the hidden sample", high, 12.0, TOLERANCE)
        .hint("Q3 + 1.5 (Q3 - Q1), with quartiles by linear interpolation")?;
    let got = iqr_outliers(&values);
    if got == [1, 4] {
        return Err(fail(
            "hidden sample: -4 and 12 lie exactly on the fences, and were reported as outliers (the rule is strict)",
        ))
        .hint("the rule is strict: `x < low || x > high`");
    }
    equal(
        "outliers of the hidden sample (both extremes on a fence)",
        &got,
        &vec![],
    )
    .hint("the rule is strict: `x < low || x > high`")?;
    // Moving one extreme past its fence makes it an outlier (the quartiles do not move).
    let mut beyond = values;
    beyond[1] = 12.5;
    equal(
        "outliers when 12 becomes 12.5",
        &iqr_outliers(&beyond),
        &vec![1],
    )?;
    pass("values on a fence are kept; 12.5 beyond the fence 12 is an outlier")
}

fn zscore_rule() -> Graded {
    for (file, name) in [
        ("winequality_red.csv", "chlorides"),
        ("diabetes.csv", "s6_glu"),
    ] {
        let values = column(file, name);
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let ss: f64 = values.iter().map(|x| (x - mean) * (x - mean)).sum();
        for threshold in [3.0, 2.5] {
            let std = (ss / n).sqrt();
            let want: Vec<usize> = (0..values.len())
                .filter(|&i| ((values[i] - mean) / std).abs() > threshold)
                .collect();
            let sample_std = (ss / (n - 1.0)).sqrt();
            let with_sample: Vec<usize> = (0..values.len())
                .filter(|&i| ((values[i] - mean) / sample_std).abs() > threshold)
                .collect();
            let got = zscore_outliers(&values, threshold);
            let upper_only: Vec<usize> = (0..values.len())
                .filter(|&i| (values[i] - mean) / std > threshold)
                .collect();
            if got != want && got == upper_only {
                return Err(fail(format!(
                    "{name}, threshold {threshold}: only the values above the mean were flagged: the rule is two-sided, |x - mean| / std > threshold ({} expected)",
                    count(want.len(), "index", "indices")
                )))
                .hint("take the absolute value of the z-score");
            }
            if got != want && got == with_sample {
                return Err(fail(format!(
                    "{name}, threshold {threshold}: got the outliers for the sample standard deviation (n - 1): expected {}",
                    count(want.len(), "index", "indices")
                )))
                .hint("the population standard deviation divides by n");
            }
            equal(
                &format!(
                    "{name}: z-score outliers at threshold {threshold} ({} expected)",
                    want.len()
                ),
                &got,
                &want,
            )
            .hint("|x - mean| / std > threshold, both tails, std with ddof = 0")?;
        }
    }
    // A single low outlier: mean 9, population std 3, so 0 has z = -3 and the tens z = 1/3.
    let mut low = vec![10.0; 10];
    low[0] = 0.0;
    let got = zscore_outliers(&low, 2.5);
    if got.is_empty() {
        return Err(fail(
            "zscore_outliers([0, 10, 10, ..., 10], 2.5) found nothing, but 0 lies 3 standard deviations BELOW the mean: the rule is two-sided, |x - mean| / std > threshold",
        ))
        .hint("take the absolute value of the z-score");
    }
    equal(
        "zscore_outliers([0, 10, 10, ..., 10], 2.5) (z of 0 is -3)",
        &got,
        &vec![0],
    )
    .hint("|x - mean| / std > threshold, std with ddof = 0")?;
    pass(
        "chlorides and s6_glu: the same indices as |x - mean| / std > threshold at 3 and 2.5; a low outlier is found too",
    )
}

fn clip_check() -> Graded {
    let small = clip(&[-5.0, 0.5, 2.0, 9.0], 0.0, 3.0);
    if small.len() < 4 {
        return Err(fail(format!(
            "clip([-5, 0.5, 2, 9], 0, 3) = {small:?}: values were dropped, but clipping keeps every row and caps its value"
        )))
        .hint("replace a value outside [low, high] by the nearest bound: `x.clamp(low, high)`");
    }
    equal(
        "clip([-5, 0.5, 2, 9], 0, 3)",
        &small,
        &vec![0.0, 0.5, 2.0, 3.0],
    )
    .hint("values below low become low, values above high become high")?;
    let sugar = column("winequality_red.csv", "residual_sugar");
    let (low, high) = fences(&sugar);
    let got = clip(&sugar, low, high);
    if got.len() < sugar.len() {
        return Err(fail(format!(
            "residual_sugar clipped to its IQR fences: {} values of {}: values were dropped, but clipping keeps every row and caps its value",
            got.len(),
            sugar.len()
        )))
        .hint("replace a value outside [low, high] by the nearest fence: `x.clamp(low, high)`");
    }
    equal(
        "number of clipped values (rows are kept)",
        &got.len(),
        &sugar.len(),
    )?;
    let want: Vec<f64> = sugar.iter().map(|x| x.max(low).min(high)).collect();
    all_close("residual_sugar clipped to its IQR fences", &got, &want, 0.0)
        .hint("cap each value into [low, high], in the original order")?;
    let changed = sugar.iter().zip(&got).filter(|(a, b)| a != b).count();
    pass(format!(
        "{changed} residual_sugar values capped at the high fence {}; the others unchanged",
        fmt(high)
    ))
}
