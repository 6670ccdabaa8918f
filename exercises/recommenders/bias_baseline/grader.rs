// Grader of recommenders/bias_baseline.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use rand::Rng as _;

use super::exercise::{Biases, choose_lambda, fit_biases, predict, validation_curve};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("fit_biases_cases", fit_biases_cases),
    ("predict_clipped", predict_clipped),
    ("validation_no_leak", validation_no_leak),
    ("held_out_rmse", held_out_rmse),
];

type Rating = (usize, usize, f64);
/// (user, item, stars, timestamp).
type Timed = (usize, usize, f64, f64);

/// The grader's own estimates: (μ, user biases, item biases). `subtract_item` false gives the
/// classic mistake b_u = Σ(r − μ) / (λ₃ + |R(u)|).
fn grader_fit(
    train: &[Rating],
    mu: f64,
    n_users: usize,
    n_items: usize,
    l_item: f64,
    l_user: f64,
    subtract_item: bool,
) -> (Vec<f64>, Vec<f64>) {
    let mut item = vec![0.0; n_items];
    for (i, b) in item.iter_mut().enumerate() {
        let mut sum = 0.0;
        let mut count = 0.0;
        for &(_, j, r) in train {
            if j == i {
                sum += r - mu;
                count += 1.0;
            }
        }
        if count > 0.0 {
            *b = sum / (l_item + count);
        }
    }
    let mut user = vec![0.0; n_users];
    for (u, b) in user.iter_mut().enumerate() {
        let mut sum = 0.0;
        let mut count = 0.0;
        for &(v, j, r) in train {
            if v == u {
                sum += r - mu - if subtract_item { item[j] } else { 0.0 };
                count += 1.0;
            }
        }
        if count > 0.0 {
            *b = sum / (l_user + count);
        }
    }
    (user, item)
}

/// The classic wrong order: user biases first from r − μ, then b_i = Σ(r − μ − b_u) /
/// (λ₂ + |R(i)|). Returns (user, item).
fn grader_fit_users_first(
    train: &[Rating],
    mu: f64,
    n_users: usize,
    n_items: usize,
    l_item: f64,
    l_user: f64,
) -> (Vec<f64>, Vec<f64>) {
    let (mut su, mut cu) = (vec![0.0; n_users], vec![0.0; n_users]);
    for &(u, _, r) in train {
        su[u] += r - mu;
        cu[u] += 1.0;
    }
    let user: Vec<f64> = (0..n_users)
        .map(|u| {
            if cu[u] > 0.0 {
                su[u] / (l_user + cu[u])
            } else {
                0.0
            }
        })
        .collect();
    let (mut si, mut ci) = (vec![0.0; n_items], vec![0.0; n_items]);
    for &(u, i, r) in train {
        si[i] += r - mu - user[u];
        ci[i] += 1.0;
    }
    let item = (0..n_items)
        .map(|i| {
            if ci[i] > 0.0 {
                si[i] / (l_item + ci[i])
            } else {
                0.0
            }
        })
        .collect();
    (user, item)
}

fn mean_rating(ratings: &[Rating]) -> f64 {
    let mut sum = 0.0;
    for r in ratings {
        sum += r.2;
    }
    sum / ratings.len() as f64
}

fn grader_rmse(mu: f64, user: &[f64], item: &[f64], ratings: &[Rating]) -> f64 {
    let mut sse = 0.0;
    for &(u, i, r) in ratings {
        let p = (mu + user.get(u).unwrap_or(&0.0) + item.get(i).unwrap_or(&0.0)).clamp(1.0, 5.0);
        sse += (p - r) * (p - r);
    }
    (sse / ratings.len() as f64).sqrt()
}

fn near(a: &[f64], b: &[f64], tol: f64) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol)
}

/// Compare a learner's fit with the grader's, naming the classic mistakes.
#[allow(clippy::too_many_arguments)]
fn compare_fit(
    what: &str,
    got: &Biases,
    train: &[Rating],
    n_users: usize,
    n_items: usize,
    l_item: f64,
    l_user: f64,
) -> Result<(), Failed> {
    equal(
        &format!("{what}: length of `item`"),
        &got.item.len(),
        &n_items,
    )?;
    equal(
        &format!("{what}: length of `user`"),
        &got.user.len(),
        &n_users,
    )?;
    let mu = mean_rating(train);
    close(
        &format!("{what}: μ (mean of the training ratings)"),
        got.mu,
        mu,
        1e-9,
    )?;
    let (user, item) = grader_fit(train, mu, n_users, n_items, l_item, l_user, true);
    let (user0, item0) = grader_fit(train, mu, n_users, n_items, 0.0, 0.0, true);
    let right = near(&got.item, &item, 1e-9) && near(&got.user, &user, 1e-9);
    let (user_uf, item_uf) = grader_fit_users_first(train, mu, n_users, n_items, l_item, l_user);
    // Named only when the wrong order gives other item biases (not in the public case, whose
    // raw user residuals sum to 0).
    if !right
        && !near(&item_uf, &item, 1e-9)
        && near(&got.item, &item_uf, 1e-9)
        && near(&got.user, &user_uf, 1e-9)
    {
        return Err(fail(format!(
            "{what}: the user biases were computed before the item biases, from r − μ, and \
             subtracted from the item residuals; Koren's order is the items first, then b_u \
             from r − μ − b_i"
        )))
        .hint("b_i = Σ(r − μ) / (λ₂ + |R(i)|) first, then b_u = Σ(r − μ − b_i) / (λ₃ + |R(u)|)");
    }
    let (user_sw, item_sw) = grader_fit(train, mu, n_users, n_items, l_user, l_item, true);
    if !right
        && (!near(&item_sw, &item, 1e-9) || !near(&user_sw, &user, 1e-9))
        && near(&got.item, &item_sw, 1e-9)
        && near(&got.user, &user_sw, 1e-9)
    {
        return Err(fail(format!(
            "{what}: λ₂ and λ₃ are swapped: the item biases were shrunk with lambda_user ({}) \
             and the user biases with lambda_item ({})",
            fmt(l_user),
            fmt(l_item)
        )));
    }
    if !near(&got.item, &item, 1e-9) && near(&got.item, &item0, 1e-9) {
        return Err(fail(format!(
            "{what}: the item biases equal Σ(r − μ) / |R(i)|: no regularization (λ₂ = {} was \
             not added to the count)",
            fmt(l_item)
        )))
        .hint("b_i = Σ(r − μ) / (λ₂ + |R(i)|): λ shrinks the bias of a rarely rated item to 0");
    }
    for (i, (&g, &e)) in got.item.iter().zip(&item).enumerate() {
        ensure(g.is_finite(), || {
            format!("{what}: item bias {i} is {g}, not a number")
        })
        .hint("an item without training ratings has bias 0")?;
        close(&format!("{what}: item bias {i}"), g, e, 1e-9)
            .hint("b_i = Σ over the item's ratings of (r − μ), divided by (λ₂ + their count)")?;
    }
    let (user_raw, _) = grader_fit(train, mu, n_users, n_items, l_item, l_user, false);
    if !near(&got.user, &user, 1e-9) && near(&got.user, &user_raw, 1e-9) {
        // In a case where the wrong order leaves the item biases unchanged, both mistakes look
        // alike: name both.
        let order = if near(&item_uf, &item, 1e-9) {
            " (or before the item biases: Koren's order is b_i first, then b_u)"
        } else {
            ""
        };
        return Err(fail(format!(
            "{what}: the user biases equal Σ(r − μ) / (λ₃ + |R(u)|): the user bias was computed \
             without subtracting the item bias b_i{order}"
        )))
        .hint("b_u = Σ(r − μ − b_i) / (λ₃ + |R(u)|): the user's residual after the item's bias");
    }
    if !near(&got.user, &user, 1e-9) && near(&got.user, &user0, 1e-9) {
        return Err(fail(format!(
            "{what}: the user biases equal Σ(r − μ − b_i) / |R(u)|: no regularization (λ₃ = {} \
             was not added to the count)",
            fmt(l_user)
        )));
    }
    for (u, (&g, &e)) in got.user.iter().zip(&user).enumerate() {
        ensure(g.is_finite(), || {
            format!("{what}: user bias {u} is {g}, not a number")
        })
        .hint("a user without training ratings has bias 0")?;
        close(&format!("{what}: user bias {u}"), g, e, 1e-9)
            .hint("b_u = Σ(r − μ − b_i) / (λ₃ + |R(u)|), with the b_i you just computed")?;
    }
    Ok(())
}

/// Random ratings: `n` of them over `n_users` x `n_items`, stars 1 to 5; the last user and
/// the last item get none.
fn random_ratings(seed: u64, n: usize, n_users: usize, n_items: usize) -> Vec<Rating> {
    let mut rng = learnml_kit::split::rng(seed);
    (0..n)
        .map(|_| {
            (
                rng.gen_range(0..n_users - 1),
                rng.gen_range(0..n_items - 1),
                rng.gen_range(1..=5) as f64,
            )
        })
        .collect()
}

fn fit_biases_cases() -> Graded {
    // Public case: μ = 3. Item 0: ratings 5, 4, 5 (residuals 2, 1, 2), item 1: 1, 2 (−2, −1).
    // With λ₂ = 2: b_0 = 5 / 5 = 1, b_1 = −3 / 4 = −0.75; item 2 has no rating: 0.
    // User 0 rated (item 0, 5), (item 1, 1): residuals 2 − 1 = 1 and −2 + 0.75 = −1.25; ...
    let train: Vec<Rating> = vec![
        (0, 0, 5.0),
        (0, 1, 1.0),
        (1, 0, 4.0),
        (1, 1, 2.0),
        (2, 0, 5.0),
        (2, 3, 1.0),
    ];
    let got = fit_biases(&train, 4, 4, 2.0, 1.0);
    compare_fit(
        "public case (4 users, 4 items, λ₂ = 2, λ₃ = 1)",
        &got,
        &train,
        4,
        4,
        2.0,
        1.0,
    )?;
    for (k, seed) in [11u64, 12, 13].into_iter().enumerate() {
        let train = random_ratings(seed, 60 + 20 * k, 12, 9);
        let (l_item, l_user) = (3.0 + 4.0 * k as f64, 1.5 + 2.0 * k as f64);
        let got = fit_biases(&train, 12, 9, l_item, l_user);
        compare_fit(
            &format!(
                "seeded case {} (12 users, 9 items, λ₂ = {}, λ₃ = {})",
                k + 1,
                fmt(l_item),
                fmt(l_user)
            ),
            &got,
            &train,
            12,
            9,
            l_item,
            l_user,
        )?;
    }
    let train = random_ratings(14, 40, 6, 5);
    let got = fit_biases(&train, 6, 5, 0.0, 0.0);
    compare_fit(
        "λ = 0 with a user and an item without ratings (their bias is 0)",
        &got,
        &train,
        6,
        5,
        0.0,
        0.0,
    )?;
    pass("μ, item and user biases match the regularized one-pass estimates (± 1e-9) in 5 cases")
}

fn predict_clipped() -> Graded {
    let biases = Biases {
        mu: 3.5,
        user: vec![1.0, -1.5, 0.2],
        item: vec![1.0, -1.5, 0.1],
    };
    for (u, i, raw) in [(0, 0, 5.5), (1, 1, 0.5), (2, 2, 3.8), (0, 1, 3.0)] {
        let got = predict(&biases, u, i);
        let expected = f64::clamp(raw, 1.0, 5.0);
        close_naming(
            &format!(
                "prediction for user {u}, item {i} (μ + b_u + b_i = {})",
                fmt(raw)
            ),
            got,
            expected,
            1e-12,
            &[(raw, "the prediction was not clipped to [1, 5]")],
        )
        .hint("ratings are 1 to 5 stars: `(mu + b_u + b_i).clamp(1.0, 5.0)`")?;
    }
    let mut rng = learnml_kit::split::rng(21);
    let biases = Biases {
        mu: 3.6,
        user: (0..20).map(|_| rng.gen_range(-1.5..1.5)).collect(),
        item: (0..15).map(|_| rng.gen_range(-1.5..1.5)).collect(),
    };
    for _ in 0..40 {
        let (u, i) = (rng.gen_range(0..20), rng.gen_range(0..15));
        let raw = biases.mu + biases.user[u] + biases.item[i];
        close_naming(
            &format!("seeded biases: prediction for user {u}, item {i}"),
            predict(&biases, u, i),
            raw.clamp(1.0, 5.0),
            1e-12,
            &[(raw, "the prediction was not clipped to [1, 5]")],
        )?;
    }
    for (u, i, expected, who) in [
        (25, 3, 3.6 + biases.item[3], "an unknown user (id 25 of 20)"),
        (4, 30, 3.6 + biases.user[4], "an unknown item (id 30 of 15)"),
        (99, 99, 3.6, "an unknown user and item"),
    ] {
        close(
            &format!("prediction for {who}"),
            predict(&biases, u, i),
            expected.clamp(1.0, 5.0),
            1e-12,
        )
        .hint("an id beyond the bias vectors has bias 0: `biases.user.get(u)`")?;
    }
    pass("predictions are μ + b_u + b_i clipped to [1, 5]; unknown ids get bias 0")
}

fn validation_no_leak() -> Graded {
    // Training ratings are low (mean 2.2); the validation ratings are all 5 stars, so a μ
    // computed over training and validation together (the leak) is clearly higher.
    let train: Vec<Rating> = vec![
        (0, 0, 2.0),
        (0, 1, 1.0),
        (1, 0, 3.0),
        (1, 2, 2.0),
        (2, 1, 3.0),
        (2, 2, 2.0),
        (3, 0, 1.0),
        (3, 2, 4.0),
    ];
    let valid: Vec<Rating> = vec![(0, 2, 5.0), (1, 1, 5.0), (2, 0, 5.0), (3, 1, 5.0)];
    let mut cases = vec![(train, valid, 4, 3, "public case (validation ratings all 5)")];
    let all = random_ratings(31, 150, 15, 10);
    let (tr, va) = all.split_at(110);
    cases.push((tr.to_vec(), va.to_vec(), 15, 10, "seeded case"));
    let lambdas = [0.0, 1.0, 3.0, 10.0];
    for (train, valid, n_users, n_items, what) in cases {
        let got = validation_curve(&train, &valid, n_users, n_items, &lambdas);
        equal(
            &format!("{what}: number of RMSEs (one per λ)"),
            &got.len(),
            &lambdas.len(),
        )?;
        let mu = mean_rating(&train);
        let both: Vec<Rating> = train.iter().chain(&valid).copied().collect();
        let mu_leak = mean_rating(&both);
        for (k, &lambda) in lambdas.iter().enumerate() {
            let (user, item) = grader_fit(&train, mu, n_users, n_items, lambda, lambda, true);
            let expected = grader_rmse(mu, &user, &item, &valid);
            let (user, item) = grader_fit(&train, mu_leak, n_users, n_items, lambda, lambda, true);
            let leak = grader_rmse(mu_leak, &user, &item, &valid);
            let (user, item) = grader_fit(&both, mu_leak, n_users, n_items, lambda, lambda, true);
            let leak_all = grader_rmse(mu_leak, &user, &item, &valid);
            close_naming(
                &format!("{what}: validation RMSE at λ = {}", fmt(lambda)),
                got[k],
                expected,
                1e-9,
                &[
                    (
                        expected * expected,
                        "the mean squared error, no square root: the curve holds RMSEs",
                    ),
                    (
                        leak,
                        "the global mean μ included the validation ratings (a leak)",
                    ),
                    (
                        leak_all,
                        "the model was fitted on the validation ratings too (a leak)",
                    ),
                ],
            )
            .hint("fit on `train` only (μ too); `valid` is only for measuring the error")?;
        }
    }
    pass("validation RMSEs come from fits on the training ratings only (± 1e-9)")
}

/// Per user, the last 20 % of their ratings by timestamp (n / 5 of n, at least 1 as every
/// user has 5 or more) go to the second part.
fn split_last(ratings: &[Timed]) -> (Vec<Timed>, Vec<Rating>) {
    let mut by_user: std::collections::BTreeMap<usize, Vec<Timed>> = Default::default();
    for &r in ratings {
        by_user.entry(r.0).or_default().push(r);
    }
    let (mut first, mut last) = (Vec::new(), Vec::new());
    for (_, mut list) in by_user {
        list.sort_by(|a, b| a.3.total_cmp(&b.3));
        let keep = list.len() - list.len() / 5;
        first.extend_from_slice(&list[..keep]);
        last.extend(list[keep..].iter().map(|r| (r.0, r.1, r.2)));
    }
    (first, last)
}

fn held_out_rmse() -> Graded {
    let table = Table::dataset("ratings_synthetic.csv").map_err(|e| fail(e.to_string()))?;
    let x = table
        .numeric(&["user_id", "item_id", "rating", "timestamp"])
        .map_err(|e| fail(e.to_string()))?;
    let all: Vec<Timed> = x
        .rows()
        .into_iter()
        .map(|r| (r[0] as usize, r[1] as usize, r[2], r[3]))
        .collect();
    let (n_users, n_items) = (500, 300);
    let (train_t, test) = split_last(&all);
    let (inner_t, valid) = split_last(&train_t);
    let train: Vec<Rating> = train_t.iter().map(|r| (r.0, r.1, r.2)).collect();
    let inner: Vec<Rating> = inner_t.iter().map(|r| (r.0, r.1, r.2)).collect();
    let lambdas = [0.0, 1.0, 2.0, 5.0, 10.0, 25.0, 50.0];
    let mu_inner = mean_rating(&inner);
    let curve: Vec<f64> = lambdas
        .iter()
        .map(|&l| {
            let (user, item) = grader_fit(&inner, mu_inner, n_users, n_items, l, l, true);
            grader_rmse(mu_inner, &user, &item, &valid)
        })
        .collect();
    let train_curve: Vec<f64> = lambdas
        .iter()
        .map(|&l| {
            let (user, item) = grader_fit(&inner, mu_inner, n_users, n_items, l, l, true);
            grader_rmse(mu_inner, &user, &item, &inner)
        })
        .collect();
    show(Figure::Lines {
        title: "RMSE of the bias baseline against λ (grader's fits)".into(),
        x_label: "λ (λ₂ = λ₃)".into(),
        y_label: "RMSE".into(),
        series: vec![
            Series {
                name: "validation".into(),
                points: lambdas.iter().zip(&curve).map(|(&l, &r)| [l, r]).collect(),
            },
            Series {
                name: "training".into(),
                points: lambdas
                    .iter()
                    .zip(&train_curve)
                    .map(|(&l, &r)| [l, r])
                    .collect(),
            },
        ],
        target: None,
    });
    let chosen = choose_lambda(&inner, &valid, n_users, n_items, &lambdas);
    let Some(k) = lambdas.iter().position(|&l| l == chosen) else {
        return Err(fail(format!(
            "choose_lambda returned {}, which is not one of the candidates {lambdas:?}",
            fmt(chosen)
        )));
    };
    let best = curve.iter().copied().fold(f64::INFINITY, f64::min);
    if curve[k] > best + 1e-9 {
        let by_train = train_curve
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1))
            .map_or(0, |(j, _)| j);
        let why = if k == by_train {
            ": it is the λ that minimizes the training RMSE (choose on the validation ratings)"
        } else {
            ""
        };
        return Err(fail(format!(
            "choose_lambda returned λ = {} (validation RMSE {}), but the smallest validation RMSE \
             is {}{why}",
            fmt(chosen),
            fmt(curve[k]),
            fmt(best)
        )))
        .hint("evaluate each λ on `valid` after fitting on `train`, keep the smallest RMSE");
    }
    let biases = fit_biases(&train, n_users, n_items, chosen, chosen);
    compare_fit(
        &format!("fit on the 80 % training part with λ = {}", fmt(chosen)),
        &biases,
        &train,
        n_users,
        n_items,
        chosen,
        chosen,
    )?;
    // The learner's parameters match the grader's formula; the RMSE uses them, predicted here.
    let rmse = grader_rmse(biases.mu, &biases.user, &biases.item, &test);
    let mu = mean_rating(&train);
    let mut sse = 0.0;
    for r in &test {
        sse += (mu - r.2) * (mu - r.2);
    }
    let baseline = (sse / test.len() as f64).sqrt();
    bar(
        "held-out RMSE (last 20 % of each user)",
        rmse,
        0.82,
        Goal::AtMost,
    )
    .note(&format!(
        "; λ = {} chosen on validation; the global mean alone scores {}",
        fmt(chosen),
        fmt(baseline)
    ))
}
