// Grader of recommenders/ranking_metrics.

use std::collections::{HashMap, HashSet};

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use rand::Rng;
use rand::seq::SliceRandom;

use crate::exercise::{
    Scores, average_precision_at_k, evaluate, ndcg_at_k, precision_at_k, recall_at_k,
};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("precision_recall", check_precision_recall),
    ("ndcg", check_ndcg),
    ("average_precision", check_average_precision),
    ("evaluate", check_evaluate),
];

/// Sums of at most 15 terms of size <= 3: 1e-9 leaves room for any order of summation.
const TOL: f64 = 1e-9;

/// One ranked list with graded relevance (1 or 2), and a cut-off k.
struct Case {
    recommended: Vec<usize>,
    grades: HashMap<usize, f64>,
    k: usize,
}

impl Case {
    fn relevant(&self) -> HashSet<usize> {
        self.grades.keys().copied().collect()
    }

    fn describe(&self) -> String {
        let mut graded: Vec<(usize, f64)> = self.grades.iter().map(|(&i, &g)| (i, g)).collect();
        graded.sort_by_key(|p| p.0);
        let graded: Vec<String> = graded
            .iter()
            .map(|(i, g)| format!("{i}: {}", fmt(*g)))
            .collect();
        format!(
            "k = {}, recommended {:?}, relevant (item: grade) {{{}}}",
            self.k,
            self.recommended,
            graded.join(", ")
        )
    }
}

/// A hand case first (k = 5, 4 relevant items, one beyond k, one missing from the list),
/// then seeded cases: lists of 2 to 14 items, some shorter than k, relevant items inside and
/// outside the list.
fn cases() -> Vec<Case> {
    let mut all = vec![Case {
        recommended: vec![3, 8, 1, 6, 2, 9, 4],
        grades: HashMap::from([(8, 2.0), (2, 1.0), (4, 1.0), (7, 2.0)]),
        k: 5,
    }];
    let mut rng = split::rng(20261130);
    for _ in 0..12 {
        let mut items: Vec<usize> = (0..40).collect();
        items.shuffle(&mut rng);
        let length = rng.gen_range(2..15);
        let recommended = items[..length].to_vec();
        let mut grades = HashMap::new();
        for &item in &recommended {
            if rng.gen_bool(0.35) {
                grades.insert(item, rng.gen_range(1..3) as f64);
            }
        }
        for &item in &items[length..length + rng.gen_range(1..5)] {
            grades.insert(item, rng.gen_range(1..3) as f64);
        }
        let k = [1, 3, 5, 10][rng.gen_range(0..4)];
        all.push(Case {
            recommended,
            grades,
            k,
        });
    }
    all
}

fn hits(recommended: &[usize], relevant: &HashSet<usize>, k: usize) -> usize {
    let mut count = 0;
    for (i, item) in recommended.iter().enumerate() {
        if i < k && relevant.contains(item) {
            count += 1;
        }
    }
    count
}

fn my_precision(c: &Case) -> f64 {
    hits(&c.recommended, &c.relevant(), c.k) as f64 / c.k as f64
}

fn my_recall(c: &Case) -> f64 {
    hits(&c.recommended, &c.relevant(), c.k) as f64 / c.grades.len() as f64
}

/// DCG of grades in rank order, with the stated gain and discount or a wrong variant.
fn my_dcg(grades: &[f64], exponential: bool, discounted: bool) -> f64 {
    let mut total = 0.0;
    for (i, &rel) in grades.iter().enumerate() {
        let gain = if exponential {
            2f64.powf(rel) - 1.0
        } else {
            rel
        };
        let rank = (i + 1) as f64;
        total += if discounted {
            gain / (rank + 1.0).log2()
        } else {
            gain
        };
    }
    total
}

#[derive(Clone, Copy, PartialEq)]
enum Ideal {
    AllTruncated,
    FromList,
    NotTruncated,
}

fn my_ndcg(c: &Case, exponential: bool, discounted: bool, ideal: Ideal) -> f64 {
    let mut listed = Vec::new();
    for (i, item) in c.recommended.iter().enumerate() {
        if i < c.k {
            listed.push(*c.grades.get(item).unwrap_or(&0.0));
        }
    }
    let mut best: Vec<f64> = match ideal {
        Ideal::FromList => listed.clone(),
        _ => c.grades.values().copied().collect(),
    };
    best.sort_by(|a, b| b.total_cmp(a));
    if ideal != Ideal::NotTruncated {
        best.truncate(c.k);
    }
    my_dcg(&listed, exponential, discounted) / my_dcg(&best, exponential, discounted)
}

/// Sum of precision@i over the ranks i <= k that hold a relevant item, and the hits.
fn ap_sum(c: &Case) -> (f64, usize) {
    let relevant = c.relevant();
    let mut found = 0;
    let mut sum = 0.0;
    for (i, item) in c.recommended.iter().enumerate() {
        if i < c.k && relevant.contains(item) {
            found += 1;
            sum += found as f64 / (i + 1) as f64;
        }
    }
    (sum, found)
}

/// The learner's value must be a number in [0, 1] before it is compared.
fn in_unit(what: &str, got: f64) -> Result<(), Failed> {
    ensure(got.is_finite() && (-TOL..=1.0 + TOL).contains(&got), || {
        format!(
            "{what}: gave {}, but a ranking metric lies in [0, 1]",
            fmt(got)
        )
    })
}

fn check_precision_recall() -> Graded {
    for c in cases() {
        let relevant = c.relevant();
        let what = format!("precision@k with {}", c.describe());
        let got = precision_at_k(&c.recommended, &relevant, c.k);
        in_unit(&what, got)?;
        let h = hits(&c.recommended, &relevant, c.k) as f64;
        let shown = c.recommended.len().min(c.k) as f64;
        close_naming(
            &what,
            got,
            my_precision(&c),
            TOL,
            &[
                (
                    h / shown,
                    "divided by the length of the (shorter) list instead of by k",
                ),
                (
                    h / relevant.len() as f64,
                    "divided by the number of relevant items: that is recall",
                ),
            ],
        )
        .hint(
            "precision@k = (relevant items among the first k) / k, even when the list is shorter",
        )?;
        let what = format!("recall@k with {}", c.describe());
        let got = recall_at_k(&c.recommended, &relevant, c.k);
        in_unit(&what, got)?;
        let all_hits = hits(&c.recommended, &relevant, usize::MAX) as f64;
        close_naming(
            &what,
            got,
            my_recall(&c),
            TOL,
            &[
                (
                    h / c.k as f64,
                    "recall divided by k instead of by the number of relevant items",
                ),
                (
                    all_hits / relevant.len() as f64,
                    "counted hits in the whole list, not only in the first k",
                ),
            ],
        )
        .hint("recall@k = (relevant items among the first k) / (number of relevant items)")?;
    }
    pass("precision@k (÷ k) and recall@k (÷ number of relevant items) on 13 ranked lists")
}

fn check_ndcg() -> Graded {
    for c in cases() {
        let what = format!("NDCG@k with {}", c.describe());
        let got = ndcg_at_k(&c.recommended, &c.grades, c.k);
        ensure(got.is_finite(), || {
            format!(
                "{what}: gave {} (not a number: log2(1) = 0 is the discount of rank 0; \
                 ranks start at 1, so the first discount is log2(2) = 1)",
                fmt(got)
            )
        })?;
        in_unit(&what, got)?;
        let expected = my_ndcg(&c, true, true, Ideal::AllTruncated);
        close_naming(
            &what,
            got,
            expected,
            TOL,
            &[
                (
                    my_ndcg(&c, true, false, Ideal::AllTruncated),
                    "NDCG without the log2(rank + 1) discount: every rank counted alike",
                ),
                (
                    my_ndcg(&c, true, true, Ideal::FromList),
                    "IDCG from the recommended list re-sorted: the ideal ordering must use ALL \
                     relevant items, also those the list missed",
                ),
                (
                    my_ndcg(&c, true, true, Ideal::NotTruncated),
                    "IDCG over all relevant items without truncating at k",
                ),
                (
                    my_ndcg(&c, false, true, Ideal::AllTruncated),
                    "linear gain rel; this exercise uses the exponential gain 2^rel - 1",
                ),
            ],
        )
        .hint(
            "DCG@k = sum over ranks r = 1..k of (2^rel - 1) / log2(r + 1); IDCG@k is the DCG of all \
             grades sorted best first, cut at k",
        )?;
    }
    pass(
        "NDCG@k (gain 2^rel - 1, discount log2(rank + 1), ideal from all relevant items) on 13 lists",
    )
}

fn check_average_precision() -> Graded {
    for c in cases() {
        let what = format!("AP@k with {}", c.describe());
        let got = average_precision_at_k(&c.recommended, &c.relevant(), c.k);
        in_unit(&what, got)?;
        let (sum, found) = ap_sum(&c);
        let n_relevant = c.grades.len();
        close_naming(
            &what,
            got,
            sum / c.k.min(n_relevant) as f64,
            TOL,
            &[
                (
                    if found == 0 { 0.0 } else { sum / found as f64 },
                    "AP divided by the number of hits: a list that finds one relevant item at rank \
                     1 and misses the rest would score 1",
                ),
                (
                    sum / n_relevant as f64,
                    "divided by the number of relevant items, not min(k, that number)",
                ),
                (sum / c.k as f64, "divided by k, not min(k, number of relevant items)"),
            ],
        )
        .hint("AP@k = (sum of precision@i at the ranks i <= k of the hits) / min(k, number of relevant items)")?;
    }
    pass("AP@k (÷ min(k, number of relevant items)) on 13 ranked lists")
}

/// The grader's own mean metrics, over users with at least one relevant held-out item
/// (`skip = false`: the wrong variant that averages over every user with a list).
fn my_scores(
    lists: &[Vec<usize>],
    held_out: &[(usize, usize, f64)],
    k: usize,
    skip: bool,
) -> Scores {
    let mut grades: Vec<HashMap<usize, f64>> = vec![HashMap::new(); lists.len()];
    for &(user, item, rating) in held_out {
        if rating >= 4.0 {
            grades[user].insert(item, rating - 3.0);
        }
    }
    let mut s = Scores {
        precision: 0.0,
        recall: 0.0,
        ndcg: 0.0,
        map: 0.0,
        users: 0,
    };
    for (user, list) in lists.iter().enumerate() {
        if grades[user].is_empty() {
            if !skip {
                s.users += 1;
            }
            continue;
        }
        let c = Case {
            recommended: list.clone(),
            grades: grades[user].clone(),
            k,
        };
        s.precision += my_precision(&c);
        s.recall += my_recall(&c);
        s.ndcg += my_ndcg(&c, true, true, Ideal::AllTruncated);
        let (sum, _) = ap_sum(&c);
        s.map += sum / k.min(c.grades.len()) as f64;
        s.users += 1;
    }
    if s.users > 0 {
        let n = s.users as f64;
        s.precision /= n;
        s.recall /= n;
        s.ndcg /= n;
        s.map /= n;
    }
    s
}

fn compare_scores(
    what: &str,
    got: &Scores,
    lists: &[Vec<usize>],
    held_out: &[(usize, usize, f64)],
    k: usize,
) -> Result<(), Failed> {
    let expected = my_scores(lists, held_out, k, true);
    let unskipped = my_scores(lists, held_out, k, false);
    if got.users == unskipped.users && unskipped.users != expected.users {
        return Err(fail(format!(
            "{what}: averaged over {} users, expected {}: counted users with no relevant held-out \
             item (they must be skipped, not scored 0)",
            got.users, expected.users
        )));
    }
    equal(
        &format!("{what}: users averaged"),
        &got.users,
        &expected.users,
    )
    .hint("average over the users with at least one held-out rating >= 4")?;
    let fields = [
        (
            "precision",
            got.precision,
            expected.precision,
            unskipped.precision,
        ),
        ("recall", got.recall, expected.recall, unskipped.recall),
        ("NDCG", got.ndcg, expected.ndcg, unskipped.ndcg),
        ("MAP", got.map, expected.map, unskipped.map),
    ];
    for (name, g, e, u) in fields {
        in_unit(&format!("{what}: mean {name}@{k}"), g)?;
        close_naming(
            &format!("{what}: mean {name}@{k}"),
            g,
            e,
            TOL,
            &[(
                u,
                "counted users with no relevant held-out item as 0 (they must be skipped)",
            )],
        )
        .hint(
            "relevant = held-out rating >= 4, graded rating - 3 for NDCG; mean over users with a \
             relevant item. If a per-list check fails too, fix it first: evaluate averages those",
        )?;
    }
    Ok(())
}

/// Recommend for each user the k best items of `order` (best first) not rated in training.
fn top_unseen(order: &[usize], seen: &HashSet<usize>, k: usize) -> Vec<usize> {
    order
        .iter()
        .filter(|i| !seen.contains(i))
        .take(k)
        .copied()
        .collect()
}

fn check_evaluate() -> Graded {
    // A hand case: user 1 has only low held-out ratings, user 2 none at all; both are skipped.
    let lists = vec![vec![5, 2, 7], vec![1, 2, 3], vec![4, 0, 6], vec![9, 8, 3]];
    let held_out = vec![
        (0, 2, 5.0),
        (0, 3, 4.0),
        (0, 7, 2.0),
        (1, 1, 3.0),
        (1, 2, 1.0),
        (3, 3, 4.0),
        (3, 4, 5.0),
        (3, 9, 3.0),
    ];
    let got = evaluate(&lists, &held_out, 2);
    compare_scores(
        "evaluate(4 users, k = 2; users 1 and 2 have no relevant item)",
        &got,
        &lists,
        &held_out,
        2,
    )?;

    // End to end on ratings_synthetic: 20 % of the ratings held out, popularity vs random.
    let table =
        Table::dataset("ratings_synthetic.csv").expect("the grader reads ratings_synthetic.csv");
    let data = table
        .numeric(&["user_id", "item_id", "rating"])
        .expect("ratings_synthetic is numeric without missing values");
    let rows: Vec<(usize, usize, f64)> = data
        .rows()
        .into_iter()
        .map(|r| (r[0] as usize, r[1] as usize, r[2]))
        .collect();
    let (train, test) = split::train_test(rows.len(), 0.2, 7);
    let n_users = 500;
    let mut seen: Vec<HashSet<usize>> = vec![HashSet::new(); n_users];
    let mut counts = [0usize; 300];
    for &i in &train {
        let (u, item, _) = rows[i];
        seen[u].insert(item);
        counts[item] += 1;
    }
    let mut popular: Vec<usize> = (0..300).collect();
    popular.sort_by_key(|&i| (std::cmp::Reverse(counts[i]), i));
    let held_out: Vec<(usize, usize, f64)> = test.iter().map(|&i| rows[i]).collect();
    let k = 10;
    let by_popularity: Vec<Vec<usize>> = seen.iter().map(|s| top_unseen(&popular, s, k)).collect();
    let mut rng = split::rng(99);
    let at_random: Vec<Vec<usize>> = seen
        .iter()
        .map(|s| {
            let mut order: Vec<usize> = (0..300).collect();
            order.shuffle(&mut rng);
            top_unseen(&order, s, k)
        })
        .collect();
    let pop = my_scores(&by_popularity, &held_out, k, true);
    let rnd = my_scores(&at_random, &held_out, k, true);
    let row = |s: &Scores| vec![s.precision, s.recall, s.ndcg, s.map];
    show(Figure::Table {
        title: format!(
            "mean metrics @{k} over {} users with a relevant held-out item",
            pop.users
        ),
        row_labels: vec!["popularity".into(), "random".into()],
        column_labels: vec![
            "precision".into(),
            "recall".into(),
            "NDCG".into(),
            "MAP".into(),
        ],
        cells: vec![row(&pop), row(&rnd)],
    });
    compare_scores(
        "evaluate(popularity, ratings_synthetic 80/20)",
        &evaluate(&by_popularity, &held_out, k),
        &by_popularity,
        &held_out,
        k,
    )?;
    compare_scores(
        "evaluate(random, ratings_synthetic 80/20)",
        &evaluate(&at_random, &held_out, k),
        &at_random,
        &held_out,
        k,
    )?;
    pass(format!(
        "mean metrics over users with a relevant item; NDCG@10: popularity {} vs random {}",
        fmt(pop.ndcg),
        fmt(rnd.ndcg)
    ))
}
