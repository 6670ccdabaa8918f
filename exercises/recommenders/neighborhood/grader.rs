// Grader of recommenders/neighborhood.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use ndarray::Array2;
use rand::Rng as _;

use super::exercise::{predict, predict_from_neighbours, row_means, similarity};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("similarity_cases", similarity_cases),
    ("weighted_deviation", weighted_deviation),
    ("neighbour_selection", neighbour_selection),
    ("user_based_held_out", user_based_held_out),
    ("item_based_held_out", item_based_held_out),
];

const K: usize = 40;

/// (user, item, stars).
type Rating = (usize, usize, f64);
const BAR: f64 = 0.80;

fn grader_means(r: &Array2<f64>) -> Vec<f64> {
    let mut out = Vec::new();
    for row in r.rows() {
        let (mut sum, mut count) = (0.0, 0.0);
        for &x in row {
            if !x.is_nan() {
                sum += x;
                count += 1.0;
            }
        }
        out.push(sum / count);
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Centre {
    WholeRow,
    None,
    CoRated,
    /// The convention's centring, but the norms over all of each row's ratings (the cosine of
    /// zero-filled centred rows).
    AllRatedNorms,
}

/// The grader's similarity with the three centrings: the convention (each row's mean over all
/// its ratings), none (plain cosine), or Pearson's (means over the co-rated columns only).
fn grader_sim(r: &Array2<f64>, means: &[f64], a: usize, b: usize, centre: Centre) -> f64 {
    let co: Vec<usize> = (0..r.ncols())
        .filter(|&c| !r[[a, c]].is_nan() && !r[[b, c]].is_nan())
        .collect();
    if co.is_empty() {
        return 0.0;
    }
    let (ma, mb) = match centre {
        Centre::WholeRow | Centre::AllRatedNorms => (means[a], means[b]),
        Centre::None => (0.0, 0.0),
        Centre::CoRated => {
            let n = co.len() as f64;
            (
                co.iter().map(|&c| r[[a, c]]).sum::<f64>() / n,
                co.iter().map(|&c| r[[b, c]]).sum::<f64>() / n,
            )
        }
    };
    let (mut dot, mut na, mut nb) = (0.0, 0.0, 0.0);
    for &c in &co {
        dot += (r[[a, c]] - ma) * (r[[b, c]] - mb);
        na += (r[[a, c]] - ma) * (r[[a, c]] - ma);
        nb += (r[[b, c]] - mb) * (r[[b, c]] - mb);
    }
    if centre == Centre::AllRatedNorms {
        (na, nb) = (0.0, 0.0);
        for c in 0..r.ncols() {
            if !r[[a, c]].is_nan() {
                na += (r[[a, c]] - ma) * (r[[a, c]] - ma);
            }
            if !r[[b, c]].is_nan() {
                nb += (r[[b, c]] - mb) * (r[[b, c]] - mb);
            }
        }
    }
    if na > 0.0 && nb > 0.0 {
        dot / (na.sqrt() * nb.sqrt())
    } else {
        0.0
    }
}

/// Σ s r / Σ |s|: the neighbours' raw ratings averaged, the classic mistake.
fn grader_raw_average(mean: f64, neighbours: &[(f64, f64, f64)]) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    for &(s, r, _) in neighbours {
        num += s * r;
        den += s.abs();
    }
    if den != 0.0 { num / den } else { mean }
}

/// mean + Σ s (r − m) / Σ |s| (or / Σ s, the classic mistake, when `abs` is false).
fn grader_weighted(mean: f64, neighbours: &[(f64, f64, f64)], abs: bool) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    for &(s, r, m) in neighbours {
        num += s * (r - m);
        den += if abs { s.abs() } else { s };
    }
    if den != 0.0 { mean + num / den } else { mean }
}

#[derive(Clone, Copy, PartialEq)]
enum Pick {
    Convention,
    /// u itself may be its own neighbour when it rated i.
    WithSelf,
    /// the k most similar rows overall, then only those that rated i are used.
    TopKOfAll,
    /// no sim > 0 filter: rows of negative (or 0) similarity are candidates too.
    NonPositiveToo,
    /// the weighted deviation not clipped to [1, 5].
    NotClipped,
}

fn grader_predict(r: &Array2<f64>, means: &[f64], u: usize, i: usize, k: usize, pick: Pick) -> f64 {
    let mut cand: Vec<(f64, usize)> = Vec::new();
    for v in 0..r.nrows() {
        if v == u && pick != Pick::WithSelf {
            continue;
        }
        if pick != Pick::TopKOfAll && r[[v, i]].is_nan() {
            continue;
        }
        let s = grader_sim(r, means, u, v, Centre::WholeRow);
        if s > 0.0 || pick == Pick::NonPositiveToo {
            cand.push((s, v));
        }
    }
    // Largest similarity first; equal similarities: smaller index first.
    cand.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    cand.truncate(k);
    let neighbours: Vec<(f64, f64, f64)> = cand
        .iter()
        .filter(|&&(_, v)| !r[[v, i]].is_nan())
        .map(|&(s, v)| (s, r[[v, i]], means[v]))
        .collect();
    let p = grader_weighted(means[u], &neighbours, true);
    if pick == Pick::NotClipped {
        p
    } else {
        p.clamp(1.0, 5.0)
    }
}

/// A seeded n x m matrix with about `density` of the cells rated 1 to 5 (every row has at
/// least two ratings).
fn random_matrix(seed: u64, n: usize, m: usize, density: f64) -> Array2<f64> {
    let mut rng = learnml_kit::split::rng(seed);
    let mut r = Array2::from_elem((n, m), f64::NAN);
    for ((a, c), x) in r.indexed_iter_mut() {
        if rng.r#gen::<f64>() < density || c == a % m || c == (a + 1) % m {
            *x = rng.gen_range(1..=5) as f64;
        }
    }
    r
}

fn check_means(what: &str, r: &Array2<f64>) -> Result<Vec<f64>, Failed> {
    let got = row_means(r);
    let expected = grader_means(r);
    equal(
        &format!("{what}: number of row means"),
        &got.len(),
        &expected.len(),
    )?;
    all_close(&format!("{what}: row means"), &got, &expected, 1e-9)
        .hint("average each row over its rated entries only (skip the NaN)")?;
    Ok(expected)
}

fn similarity_cases() -> Graded {
    // Rows 0 and 1 co-rate columns 0 and 3 only. Row 0's mean over all its ratings is 3,
    // row 1's is 3; over the co-rated columns (Pearson) they are 3 and 2.5.
    let nan = f64::NAN;
    let public = ndarray::array![
        [5.0, 3.0, nan, 1.0, 3.0],
        [4.0, nan, 4.0, 1.0, nan],
        [1.0, 1.0, nan, 5.0, 3.0],
        [nan, nan, 2.0, nan, 2.0],
    ];
    let mut cases = vec![("public 4 x 5 matrix".to_string(), public)];
    for (k, seed) in [41u64, 42, 43].into_iter().enumerate() {
        cases.push((
            format!("seeded 10 x 8 matrix {}", k + 1),
            random_matrix(seed, 10, 8, 0.45),
        ));
    }
    for (what, r) in &cases {
        let means = check_means(what, r)?;
        for a in 0..r.nrows() {
            for b in 0..r.nrows() {
                let got = similarity(r, &means, a, b);
                let expected = grader_sim(r, &means, a, b, Centre::WholeRow);
                close_naming(
                    &format!("{what}: similarity of rows {a} and {b}"),
                    got,
                    expected,
                    1e-9,
                    &[
                        (
                            grader_sim(r, &means, a, b, Centre::None),
                            "the plain cosine of the raw ratings: no mean-centring",
                        ),
                        (
                            grader_sim(r, &means, a, b, Centre::CoRated),
                            "Pearson's convention (means over the co-rated columns), \
                             not each row's mean over all its ratings",
                        ),
                        (
                            grader_sim(r, &means, a, b, Centre::AllRatedNorms),
                            "the norms ran over all of each row's ratings, not only the \
                             co-rated columns (the cosine of zero-filled centred rows)",
                        ),
                    ],
                )
                .hint(
                    "subtract each row's mean over ALL its ratings (`means`), then take the \
                     cosine over the co-rated columns",
                )?;
            }
        }
    }
    pass("row means and mean-centred cosine similarities match (± 1e-9) on 4 matrices")
}

fn weighted_deviation() -> Graded {
    // 3 + (0.8·1 + (−0.5)(−1) + 0.3(−0.5)) / (0.8 + 0.5 + 0.3) = 3 + 1.15 / 1.6 = 3.71875.
    let mut cases = vec![(
        3.0,
        vec![(0.8, 5.0, 4.0), (-0.5, 2.0, 3.0), (0.3, 4.0, 4.5)],
    )];
    let mut rng = learnml_kit::split::rng(51);
    for _ in 0..5 {
        let n = rng.gen_range(2..7);
        let neighbours = (0..n)
            .map(|_| {
                (
                    rng.gen_range(-0.9..0.9),
                    rng.gen_range(1..=5) as f64,
                    rng.gen_range(2.0..4.5),
                )
            })
            .collect();
        cases.push((rng.gen_range(2.0..4.5), neighbours));
    }
    for (mean, neighbours) in &cases {
        let got = predict_from_neighbours(*mean, neighbours);
        let expected = grader_weighted(*mean, neighbours, true);
        let shown: Vec<String> = neighbours
            .iter()
            .map(|(s, r, m)| format!("({}, {}, {})", fmt(*s), fmt(*r), fmt(*m)))
            .collect();
        close_naming(
            &format!(
                "mean {} with neighbours (sim, rating, mean) [{}]",
                fmt(*mean),
                shown.join(", ")
            ),
            got,
            expected,
            1e-9,
            &[
                (
                    grader_weighted(*mean, neighbours, false),
                    "divided by Σ sim instead of Σ |sim| (a negative similarity shrinks the \
                     denominator)",
                ),
                (
                    grader_raw_average(*mean, neighbours),
                    "a weighted average of the neighbours' ratings: Resnick's formula adds the \
                     weighted deviations r − m (each neighbour's rating minus its mean) to `mean`",
                ),
            ],
        )
        .hint("the weights' magnitudes must sum to 1: divide by Σ |sim|")?;
    }
    let empty = predict_from_neighbours(3.25, &[]);
    close("no neighbour: the row's own mean 3.25", empty, 3.25, 1e-12)
        .hint("without neighbours (or Σ |sim| = 0) return `mean` unchanged")?;
    let zero = predict_from_neighbours(3.25, &[(0.0, 5.0, 3.0)]);
    close("only a similarity of 0: the mean 3.25", zero, 3.25, 1e-12)
        .hint("without neighbours (or Σ |sim| = 0) return `mean` unchanged")?;
    pass("mean + Σ sim (r − m) / Σ |sim|, including negative similarities (± 1e-9)")
}

fn neighbour_selection() -> Graded {
    // A tie: rows 1 and 2 equal except in column 3 (which row 0 did not rate), so both have
    // the same similarity to row 0; with k = 1 the smaller index (row 1, rating 5) is the
    // neighbour, not row 2 (rating 1).
    let nan = f64::NAN;
    let tie = ndarray::array![
        [5.0, 1.0, 4.0, nan],
        [4.0, 2.0, 4.0, 5.0],
        [4.0, 2.0, 4.0, 1.0],
        [1.0, 5.0, nan, 2.0],
    ];
    let means = grader_means(&tie);
    let got = predict(&tie, &means, 0, 3, 1);
    let expected = grader_predict(&tie, &means, 0, 3, 1, Pick::Convention);
    close(
        "row 0, column 3, k = 1, rows 1 and 2 tie (ratings 5 and 1)",
        got,
        expected,
        1e-9,
    )
    .hint("sort by similarity, largest first; on a tie the smaller index comes first")?;
    let mut cases = Vec::new();
    for (k, seed) in [61u64, 62, 63].into_iter().enumerate() {
        cases.push((
            format!("seeded 14 x 9 matrix {}", k + 1),
            random_matrix(seed, 14, 9, 0.5),
        ));
    }
    let mut rng = learnml_kit::split::rng(64);
    for (what, r) in &cases {
        let means = grader_means(r);
        for _ in 0..12 {
            let (u, i) = (rng.gen_range(0..r.nrows()), rng.gen_range(0..r.ncols()));
            let k = rng.gen_range(2..5);
            let got = predict(r, &means, u, i, k);
            let expected = grader_predict(r, &means, u, i, k, Pick::Convention);
            let rated = if r[[u, i]].is_nan() {
                "not rated"
            } else {
                "rated"
            };
            close_naming(
                &format!("{what}: row {u}, column {i} ({rated} by row {u}), k = {k}"),
                got,
                expected,
                1e-9,
                &[
                    (
                        grader_predict(r, &means, u, i, k, Pick::WithSelf),
                        "row u was among its own neighbours (its own rating leaked in)",
                    ),
                    (
                        grader_predict(r, &means, u, i, k, Pick::TopKOfAll),
                        "the k neighbours were chosen among all rows, including rows that did \
                         not rate the column",
                    ),
                    (
                        grader_predict(r, &means, u, i, k, Pick::NonPositiveToo),
                        "rows of similarity ≤ 0 were kept as neighbours; only similarity > 0 \
                         qualifies",
                    ),
                    (
                        grader_predict(r, &means, u, i, k, Pick::NotClipped),
                        "the prediction was not clipped to [1, 5]",
                    ),
                ],
            )
            .hint(
                "candidates: rows v ≠ u with a rating in column i and similarity > 0; keep the \
                 k most similar; clip to [1, 5]",
            )?;
        }
    }
    // No candidate: column 2 is rated only by row 0, whose similarity to row 1 is negative
    // (row 1 centred [−1, 1], row 0 centred [1/3, −5/3]: dot −2), so row 1 falls back to its
    // mean 3 (with the negative neighbour it would be 3 − 4/3).
    let lonely = ndarray::array![[4.0, 2.0, 5.0], [2.0, 4.0, nan], [5.0, 1.0, nan]];
    let means = grader_means(&lonely);
    close_naming(
        "row 1, column 2, whose only other rater has a negative similarity: the row mean",
        predict(&lonely, &means, 1, 2, 3),
        means[1],
        1e-9,
        &[(
            grader_predict(&lonely, &means, 1, 2, 3, Pick::NonPositiveToo),
            "the row of similarity ≤ 0 was kept as a neighbour; only similarity > 0 qualifies",
        )],
    )
    .hint("only similarities > 0 qualify; without neighbours, predict the row's mean")?;
    pass("neighbours: the k most similar other rows that rated the column, sim > 0, ties by index")
}

/// Per user, the last 20 % of their ratings by timestamp (n / 5 of n) are held out.
fn split() -> Result<(Vec<Rating>, Vec<Rating>), Failed> {
    let table = Table::dataset("ratings_synthetic.csv").map_err(|e| fail(e.to_string()))?;
    let x = table
        .numeric(&["user_id", "item_id", "rating", "timestamp"])
        .map_err(|e| fail(e.to_string()))?;
    let mut by_user: std::collections::BTreeMap<usize, Vec<(f64, usize, f64)>> = Default::default();
    for r in x.rows() {
        by_user
            .entry(r[0] as usize)
            .or_default()
            .push((r[3], r[1] as usize, r[2]));
    }
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for (u, mut list) in by_user {
        list.sort_by(|a, b| a.0.total_cmp(&b.0));
        let keep = list.len() - list.len() / 5;
        for (k, &(_, i, r)) in list.iter().enumerate() {
            if k < keep {
                train.push((u, i, r));
            } else {
                test.push((u, i, r));
            }
        }
    }
    Ok((train, test))
}

/// The RMSE of the bias baseline of recommenders/bias_baseline (λ₂ = λ₃ = 2, its choice on
/// validation) and of the global mean, on the same split.
fn baselines(train: &[Rating], test: &[Rating]) -> (f64, f64) {
    let mu = train.iter().map(|r| r.2).sum::<f64>() / train.len() as f64;
    let (mut si, mut ci) = (vec![0.0; 300], vec![0.0; 300]);
    for &(_, i, r) in train {
        si[i] += r - mu;
        ci[i] += 1.0;
    }
    let bi: Vec<f64> = (0..300).map(|i| si[i] / (2.0 + ci[i])).collect();
    let (mut su, mut cu) = (vec![0.0; 500], vec![0.0; 500]);
    for &(u, i, r) in train {
        su[u] += r - mu - bi[i];
        cu[u] += 1.0;
    }
    let (mut sse, mut sse_mu) = (0.0, 0.0);
    for &(u, i, r) in test {
        let p = (mu + su[u] / (2.0 + cu[u]) + bi[i]).clamp(1.0, 5.0);
        sse += (p - r) * (p - r);
        sse_mu += (mu - r) * (mu - r);
    }
    let n = test.len() as f64;
    ((sse / n).sqrt(), (sse_mu / n).sqrt())
}

fn held_out(item_based: bool) -> Graded {
    let (train, test) = split()?;
    let mut r = Array2::from_elem((500, 300), f64::NAN);
    for &(u, i, stars) in &train {
        r[[u, i]] = stars;
    }
    if item_based {
        r = r.t().to_owned();
    }
    let means = grader_means(&r);
    let mut sse = 0.0;
    let mut errors = Vec::new();
    for &(u, i, stars) in &test {
        let (row, col) = if item_based { (i, u) } else { (u, i) };
        let p = predict(&r, &means, row, col, K);
        ensure((1.0..=5.0).contains(&p), || {
            format!("prediction for row {row}, column {col}: {p} is not within [1, 5]")
        })
        .hint("clip every prediction to [1, 5]")?;
        sse += (p - stars) * (p - stars);
        errors.push(p - stars);
    }
    show(Figure::Histogram {
        title: "held-out errors (prediction − rating)".into(),
        values: errors,
        bins: 17,
    });
    let rmse = (sse / test.len() as f64).sqrt();
    let (bias, global) = baselines(&train, &test);
    let name = if item_based {
        "item-based held-out RMSE (k = 40)"
    } else {
        "user-based held-out RMSE (k = 40)"
    };
    bar(name, rmse, BAR, Goal::AtMost).note(&format!(
        "; bias baseline {}, global mean {}",
        fmt(bias),
        fmt(global)
    ))
}

fn user_based_held_out() -> Graded {
    held_out(false)
}

fn item_based_held_out() -> Graded {
    held_out(true)
}
