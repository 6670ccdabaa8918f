//! mistake: divides by all the rows (concordant pairs included) instead of b + c
//! fails: mcnemar_test
//! message: "concordant pairs counted"

// evaluation/model_comparison: McNemar's test and a paired bootstrap for two classifiers.
// `learnml show evaluation/model_comparison` shows the full statement; `learnml check evaluation/model_comparison` grades this file.

use learnml_kit::split;
use rand::Rng as _;

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

/// The paired 2×2 table of two classifiers on the same rows: `table[i][j]` counts the rows
/// where model A is right (i = 0) or wrong (i = 1) and model B is right (j = 0) or wrong
/// (j = 1). So `table[0][1]` (b) counts "A right, B wrong" and `table[1][0]` (c) "A wrong, B
/// right".
pub fn contingency(y: &[usize], pred_a: &[usize], pred_b: &[usize]) -> [[usize; 2]; 2] {
    let mut table = [[0; 2]; 2];
    for ((t, a), b) in y.iter().zip(pred_a).zip(pred_b) {
        table[usize::from(a != t)][usize::from(b != t)] += 1;
    }
    table
}

/// McNemar's test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mcnemar {
    pub statistic: f64,
    pub p_value: f64,
}

/// McNemar's test with Edwards' continuity correction: statistic `(|b − c| − 1)² / (b + c)`
/// and its p-value `chi2_1_sf(statistic)`; statistic 0 and p-value 1 when b + c = 0.
pub fn mcnemar(table: [[usize; 2]; 2]) -> Mcnemar {
    let (b, c) = (table[0][1] as f64, table[1][0] as f64);
    if b + c == 0.0 {
        return Mcnemar {
            statistic: 0.0,
            p_value: 1.0,
        };
    }
    let n: usize = table.iter().flatten().sum();
    let statistic = ((b - c).abs() - 1.0).powi(2) / n as f64;
    Mcnemar {
        statistic,
        p_value: chi2_1_sf(statistic),
    }
}

/// The q-quantile of `sorted` (ascending, not empty) by linear interpolation (NumPy's default,
/// Hyndman-Fan type 7): at position h = (n − 1)·q, `sorted[⌊h⌋] + (h − ⌊h⌋)·(sorted[⌊h⌋ + 1] − sorted[⌊h⌋])`.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
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

/// Paired percentile bootstrap of accuracy(A) − accuracy(B): with `rng = split::rng(seed)`,
/// each of the `n_boot` replicates draws n row indices in turn with `rng.gen_range(0..n)` and
/// computes the difference on those rows (the same rows for both models); the interval is the
/// `quantile` 0.025 and 0.975 of the sorted replicate differences.
pub fn paired_bootstrap(
    y: &[usize],
    pred_a: &[usize],
    pred_b: &[usize],
    n_boot: usize,
    seed: u64,
) -> Interval {
    let n = y.len();
    let right = |pred: &[usize], i: usize| f64::from(u8::from(pred[i] == y[i]));
    let difference = (0..n)
        .map(|i| right(pred_a, i) - right(pred_b, i))
        .sum::<f64>()
        / n as f64;
    let mut rng = split::rng(seed);
    let mut replicates: Vec<f64> = (0..n_boot)
        .map(|_| {
            let mut sum = 0.0;
            for _ in 0..n {
                let i = rng.gen_range(0..n);
                sum += right(pred_a, i) - right(pred_b, i);
            }
            sum / n as f64
        })
        .collect();
    replicates.sort_by(f64::total_cmp);
    Interval {
        difference,
        low: quantile(&replicates, 0.025),
        high: quantile(&replicates, 0.975),
    }
}
