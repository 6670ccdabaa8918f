// Helpers shared by the graders of the responsible module (not an exercise): each grader
// includes this file with `#[path = "common.rs"] mod common;` and uses a part of it.
#![allow(dead_code)]

use learnml_grader::data::Table;
use learnml_kit::split::shuffled;

/// A seeded sample of `sample` rows of adult: features age, education_num, hours_per_week,
/// log(1 + capital gain), log(1 + capital loss) and sex (1 = Male); label income > 50K.
pub struct AdultSample {
    pub x: Vec<Vec<f64>>,
    pub y: Vec<bool>,
    /// 0: Female, 1: Male.
    pub sex: Vec<usize>,
}

pub fn adult_sample(seed: u64, sample: usize) -> AdultSample {
    let table = Table::dataset("adult.csv").expect("the grader reads adult.csv");
    let rows = &shuffled(table.n_rows(), seed)[..sample];
    let num = |c: &str| table.numeric_column(c).expect("numeric column");
    let (age, edu, hours, gain, loss) = (
        num("age"),
        num("education_num"),
        num("hours_per_week"),
        num("capital_gain"),
        num("capital_loss"),
    );
    let sex = table.text_column("sex").expect("sex");
    let income = table.text_column("income").expect("income");
    let mut data = AdultSample {
        x: vec![],
        y: vec![],
        sex: vec![],
    };
    for &i in rows {
        let male = usize::from(sex[i] == Some("Male"));
        let v = |c: &Vec<Option<f64>>| c[i].unwrap_or(0.0);
        data.x.push(vec![
            v(&age),
            v(&edu),
            v(&hours),
            v(&gain).ln_1p(),
            v(&loss).ln_1p(),
            male as f64,
        ]);
        data.y.push(income[i] == Some(">50K"));
        data.sex.push(male);
    }
    data
}

/// Weighted L2-regularized logistic regression by Newton's method (the grader's own, so that
/// sample weights are honoured). Features are standardized with the training mean and
/// (population) standard deviation; an intercept is added. Deterministic.
pub struct Logit {
    mean: Vec<f64>,
    std: Vec<f64>,
    beta: Vec<f64>,
}

impl Logit {
    #[allow(clippy::needless_range_loop)] // index loops read like the algebra
    pub fn fit(x: &[Vec<f64>], y: &[bool], w: &[f64], lambda: f64) -> Logit {
        let (n, p) = (x.len(), x[0].len());
        let mean: Vec<f64> = (0..p)
            .map(|j| x.iter().map(|r| r[j]).sum::<f64>() / n as f64)
            .collect();
        let std: Vec<f64> = (0..p)
            .map(|j| {
                (x.iter().map(|r| (r[j] - mean[j]).powi(2)).sum::<f64>() / n as f64)
                    .sqrt()
                    .max(1e-12)
            })
            .collect();
        let z: Vec<Vec<f64>> = x
            .iter()
            .map(|r| {
                std::iter::once(1.0)
                    .chain((0..p).map(|j| (r[j] - mean[j]) / std[j]))
                    .collect()
            })
            .collect();
        let d = p + 1;
        let mut beta = vec![0.0; d];
        for _ in 0..25 {
            let mut grad = vec![0.0; d];
            let mut hess = vec![vec![0.0; d]; d];
            for ((zi, &yi), &wi) in z.iter().zip(y).zip(w) {
                let s = 1.0 / (1.0 + (-dot(zi, &beta)).exp());
                let r = wi * (s - f64::from(u8::from(yi)));
                let h = wi * s * (1.0 - s);
                for a in 0..d {
                    grad[a] += r * zi[a];
                    for b in a..d {
                        hess[a][b] += h * zi[a] * zi[b];
                    }
                }
            }
            for a in 0..d {
                for b in 0..a {
                    hess[a][b] = hess[b][a];
                }
                if a > 0 {
                    grad[a] += lambda * beta[a];
                    hess[a][a] += lambda;
                }
            }
            let step = solve(hess, grad);
            let size: f64 = step.iter().map(|s| s.abs()).sum();
            for a in 0..d {
                beta[a] -= step[a];
            }
            if size < 1e-10 {
                break;
            }
        }
        Logit { mean, std, beta }
    }

    pub fn score(&self, row: &[f64]) -> f64 {
        let z: f64 = self.beta[0]
            + (0..row.len())
                .map(|j| self.beta[j + 1] * (row[j] - self.mean[j]) / self.std[j])
                .sum::<f64>();
        1.0 / (1.0 + (-z).exp())
    }
}

pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Solve A x = b by Gaussian elimination with partial pivoting (A is small; in the logistic
/// regression, the ridge term keeps it well conditioned).
#[allow(clippy::needless_range_loop)] // index loops read like the algebra
pub fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let d = b.len();
    for k in 0..d {
        let pivot = (k..d)
            .max_by(|&i, &j| a[i][k].abs().total_cmp(&a[j][k].abs()))
            .unwrap_or(k);
        a.swap(k, pivot);
        b.swap(k, pivot);
        for i in k + 1..d {
            let f = a[i][k] / a[k][k];
            for j in k..d {
                a[i][j] -= f * a[k][j];
            }
            b[i] -= f * b[k];
        }
    }
    let mut x = vec![0.0; d];
    for k in (0..d).rev() {
        x[k] = (b[k] - (k + 1..d).map(|j| a[k][j] * x[j]).sum::<f64>()) / a[k][k];
    }
    x
}
