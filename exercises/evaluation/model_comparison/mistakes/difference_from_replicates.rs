//! mistake: reports the mean of the bootstrap replicates as the difference
//! fails: bootstrap_interval, two_classifiers
//! message: "the mean of the bootstrap replicates"

// evaluation/model_comparison: McNemar's test and a paired bootstrap for two classifiers.
// `learnml show evaluation/model_comparison` shows the full statement; `learnml check evaluation/model_comparison` grades this file.

use learnml_kit::split;
use rand::Rng as _; // for `rng.gen_range(0..n)`

/// The complementary error function (given; Numerical Recipes' `erfcc`, relative error below
/// 1.2e-7 everywhere).
pub fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// P(X > x) for X following a chi-square distribution with 1 degree of freedom (given):
/// `erfc(sqrt(x / 2))`, and 1 for x <= 0.
pub fn chi2_1_sf(x: f64) -> f64 {
    if x <= 0.0 {
        1.0
    } else {
        erfc((x / 2.0).sqrt())
    }
}

/// The paired 2×2 table of two classifiers on the same rows.
pub fn contingency(y: &[usize], pred_a: &[usize], pred_b: &[usize]) -> [[usize; 2]; 2] {
    y.iter()
        .zip(pred_a.iter().zip(pred_b))
        .fold([[0; 2]; 2], |mut t, (truth, (a, b))| {
            t[usize::from(a != truth)][usize::from(b != truth)] += 1;
            t
        })
}

/// McNemar's test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mcnemar {
    pub statistic: f64,
    pub p_value: f64,
}

/// McNemar's test with Edwards' continuity correction.
pub fn mcnemar(table: [[usize; 2]; 2]) -> Mcnemar {
    let (b, c) = (table[0][1] as f64, table[1][0] as f64);
    if b + c == 0.0 {
        return Mcnemar {
            statistic: 0.0,
            p_value: 1.0,
        };
    }
    let statistic = ((b - c).abs() - 1.0).powi(2) / (b + c);
    Mcnemar {
        statistic,
        p_value: chi2_1_sf(statistic),
    }
}

/// The q-quantile of `sorted` by linear interpolation (type 7).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    let frac = h - lo as f64;
    (1.0 - frac) * sorted[lo] + frac * sorted[hi]
}

/// A difference of accuracies with its bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// accuracy(A) − accuracy(B) on all the rows.
    pub difference: f64,
    /// The 2.5 % and 97.5 % quantiles of the bootstrap differences.
    pub low: f64,
    pub high: f64,
}

/// Paired percentile bootstrap of accuracy(A) − accuracy(B).
pub fn paired_bootstrap(
    y: &[usize],
    pred_a: &[usize],
    pred_b: &[usize],
    n_boot: usize,
    seed: u64,
) -> Interval {
    let n = y.len();
    // per row: +1 when only A is right, -1 when only B is right, 0 otherwise
    let d: Vec<i64> = (0..n)
        .map(|i| i64::from(pred_a[i] == y[i]) - i64::from(pred_b[i] == y[i]))
        .collect();
    let mean = |rows: &mut dyn Iterator<Item = usize>| -> f64 {
        rows.map(|i| d[i]).sum::<i64>() as f64 / n as f64
    };
    let mut rng = split::rng(seed);
    let mut reps: Vec<f64> = (0..n_boot)
        .map(|_| {
            let draws: Vec<usize> = (0..n).map(|_| rng.gen_range(0..n)).collect();
            mean(&mut draws.into_iter())
        })
        .collect();
    reps.sort_by(f64::total_cmp);
    let difference = reps.iter().sum::<f64>() / n_boot as f64;
    Interval {
        difference,
        low: quantile(&reps, 0.025),
        high: quantile(&reps, 0.975),
    }
}
