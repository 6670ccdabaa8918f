// Grader of recommenders/ranking_metrics.

use std::collections::{HashMap, HashSet};

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use rand::Rng;
use rand::seq::SliceRandom;

use super::exercise::{
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
        ensure(
            !(got.is_nan() && my_ndcg(&c, true, true, Ideal::FromList).is_nan()),
            || {
                format!(
                    "{what}: gave NaN, as IDCG from the recommended list re-sorted does when the \
                     list holds no relevant item (0 / 0): the ideal ordering must use ALL relevant \
                     items"
                )
            },
        )?;
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
                (
                    ap_every_rank(&c) / c.k.min(n_relevant) as f64,
                    "AP summed precision@i at every rank i <= k, not only at the ranks holding a \
                     relevant item",
                ),
            ],
        )
        .hint("AP@k = (sum of precision@i at the ranks i <= k of the hits) / min(k, number of relevant items)")?;
    }
    pass("AP@k (÷ min(k, number of relevant items)) on 13 ranked lists")
}

/// A wrong variant of one per-list metric, to name it when `evaluate`'s means match it (the
/// per-list checks name it too; `evaluate` averages the learner's own per-list functions).
#[derive(Clone, Copy, PartialEq)]
enum Variant {
    Stated,
    PrecisionOverLength,
    RecallOverK,
    RecallWholeList,
    NoDiscount,
    IdealFromList,
    IdealNotTruncated,
    LinearGain,
    ApOverHits,
    ApOverRelevant,
    ApOverK,
    ApEveryRank,
}

/// Each variant, the field it changes (0 precision, 1 recall, 2 NDCG, 3 MAP) and its name.
const VARIANTS: &[(Variant, usize, &str)] = &[
    (
        Variant::PrecisionOverLength,
        0,
        "precision divided by the length of the (shorter) list instead of by k",
    ),
    (
        Variant::RecallOverK,
        1,
        "recall divided by k instead of by the number of relevant items",
    ),
    (
        Variant::RecallWholeList,
        1,
        "recall counted hits in the whole list, not only in the first k",
    ),
    (
        Variant::NoDiscount,
        2,
        "NDCG without the log2(rank + 1) discount: every rank counted alike",
    ),
    (
        Variant::IdealFromList,
        2,
        "IDCG from the recommended list re-sorted: the ideal ordering must use ALL relevant items",
    ),
    (
        Variant::IdealNotTruncated,
        2,
        "IDCG over all relevant items without truncating at k",
    ),
    (
        Variant::LinearGain,
        2,
        "linear gain rel; this exercise uses the exponential gain 2^rel - 1",
    ),
    (
        Variant::ApOverHits,
        3,
        "AP divided by the number of hits instead of min(k, number of relevant items)",
    ),
    (
        Variant::ApOverRelevant,
        3,
        "AP divided by the number of relevant items, not min(k, that number)",
    ),
    (
        Variant::ApOverK,
        3,
        "AP divided by k, not min(k, number of relevant items)",
    ),
    (
        Variant::ApEveryRank,
        3,
        "AP summed precision@i at every rank i <= k, not only at the ranks holding a relevant item",
    ),
];

/// precision, recall, NDCG and AP of one list, as stated or with one wrong variant.
fn metrics(c: &Case, variant: Variant) -> [f64; 4] {
    let relevant = c.relevant();
    let h = hits(&c.recommended, &relevant, c.k) as f64;
    let precision = match variant {
        Variant::PrecisionOverLength => h / c.recommended.len().min(c.k) as f64,
        _ => my_precision(c),
    };
    let recall = match variant {
        Variant::RecallOverK => h / c.k as f64,
        Variant::RecallWholeList => {
            hits(&c.recommended, &relevant, usize::MAX) as f64 / relevant.len() as f64
        }
        _ => my_recall(c),
    };
    let ndcg = match variant {
        Variant::NoDiscount => my_ndcg(c, true, false, Ideal::AllTruncated),
        Variant::IdealFromList => my_ndcg(c, true, true, Ideal::FromList),
        Variant::IdealNotTruncated => my_ndcg(c, true, true, Ideal::NotTruncated),
        Variant::LinearGain => my_ndcg(c, false, true, Ideal::AllTruncated),
        _ => my_ndcg(c, true, true, Ideal::AllTruncated),
    };
    let (sum, found) = ap_sum(c);
    let ap = match variant {
        Variant::ApOverHits if found == 0 => 0.0,
        Variant::ApOverHits => sum / found as f64,
        Variant::ApOverRelevant => sum / relevant.len() as f64,
        Variant::ApOverK => sum / c.k as f64,
        Variant::ApEveryRank => ap_every_rank(c) / c.k.min(relevant.len()) as f64,
        _ => sum / c.k.min(relevant.len()) as f64,
    };
    [precision, recall, ndcg, ap]
}

/// Sum of precision@i over every rank i <= k of the list (the wrong variant of AP).
fn ap_every_rank(c: &Case) -> f64 {
    let relevant = c.relevant();
    let mut found = 0;
    let mut sum = 0.0;
    for (i, item) in c.recommended.iter().enumerate() {
        if i < c.k {
            if relevant.contains(item) {
                found += 1;
            }
            sum += found as f64 / (i + 1) as f64;
        }
    }
    sum
}

/// How the grader computes the means: as stated, or with one classic mistake.
#[derive(Clone, Copy)]
struct Way {
    /// Users with no relevant held-out item are skipped (`false`: counted as 0).
    skip: bool,
    /// Relevant means rating > 4 instead of >= 4.
    strict: bool,
    variant: Variant,
}

const STATED: Way = Way {
    skip: true,
    strict: false,
    variant: Variant::Stated,
};

/// The grader's own mean metrics over users with at least one relevant held-out item (or the
/// mean computed `way`'s wrong way, to name it).
fn my_scores(lists: &[Vec<usize>], held_out: &[(usize, usize, f64)], k: usize, way: Way) -> Scores {
    let mut grades: Vec<HashMap<usize, f64>> = vec![HashMap::new(); lists.len()];
    for &(user, item, rating) in held_out {
        if rating > 4.0 || (rating == 4.0 && !way.strict) {
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
            if !way.skip {
                s.users += 1;
            }
            continue;
        }
        let c = Case {
            recommended: list.clone(),
            grades: grades[user].clone(),
            k,
        };
        let [p, r, n, a] = metrics(&c, way.variant);
        s.precision += p;
        s.recall += r;
        s.ndcg += n;
        s.map += a;
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
    let expected = my_scores(lists, held_out, k, STATED);
    let unskipped = my_scores(
        lists,
        held_out,
        k,
        Way {
            skip: false,
            ..STATED
        },
    );
    let strict = my_scores(
        lists,
        held_out,
        k,
        Way {
            strict: true,
            ..STATED
        },
    );
    const UNSKIPPED: &str =
        "counted users with no relevant held-out item as 0 (they must be skipped)";
    const STRICT: &str = "ratings of exactly 4 were not counted as relevant (relevant means a \
                          held-out rating >= 4, RELEVANT_FROM)";
    if got.users == unskipped.users && unskipped.users != expected.users {
        return Err(fail(format!(
            "{what}: averaged over {} users, expected {}: counted users with no relevant held-out \
             item (they must be skipped, not scored 0)",
            got.users, expected.users
        )));
    }
    if got.users == strict.users && strict.users != expected.users {
        return Err(fail(format!(
            "{what}: averaged over {} users, expected {}: {STRICT}",
            got.users, expected.users
        )));
    }
    equal(
        &format!("{what}: users averaged"),
        &got.users,
        &expected.users,
    )
    .hint("average over the users with at least one held-out rating >= 4")?;
    let field = |s: &Scores, i: usize| [s.precision, s.recall, s.ndcg, s.map][i];
    // A mistake of evaluate itself changes all four means: name it when all four match.
    for (wrong, why) in [(&strict, STRICT), (&unskipped, UNSKIPPED)] {
        let all_match = (0..4).all(|i| (field(got, i) - field(wrong, i)).abs() <= TOL);
        let differs = (0..4).any(|i| (field(wrong, i) - field(&expected, i)).abs() > TOL);
        if all_match && differs {
            return Err(fail(format!(
                "{what}: means (precision, recall, NDCG, MAP) ({}, {}, {}, {}), expected ({}, {}, \
                 {}, {}): {why}",
                fmt(got.precision),
                fmt(got.recall),
                fmt(got.ndcg),
                fmt(got.map),
                fmt(expected.precision),
                fmt(expected.recall),
                fmt(expected.ndcg),
                fmt(expected.map)
            )));
        }
    }
    let variants: Vec<(usize, f64, &str)> = VARIANTS
        .iter()
        .map(|&(variant, i, why)| {
            let way = Way { variant, ..STATED };
            (i, field(&my_scores(lists, held_out, k, way), i), why)
        })
        .collect();
    for (i, name) in ["precision", "recall", "NDCG", "MAP"]
        .into_iter()
        .enumerate()
    {
        let g = field(got, i);
        // 0 / 0 in a wrong variant gives NaN, as it does in the learner's code.
        if let Some(&(_, _, why)) = variants
            .iter()
            .find(|v| v.0 == i && v.1.is_nan() && g.is_nan())
        {
            return Err(fail(format!("{what}: mean {name}@{k} is NaN: {why}")));
        }
        in_unit(&format!("{what}: mean {name}@{k}"), g)?;
        // The per-list variants first: on a small case the strict threshold can give the same
        // mean by chance.
        let mut wrong: Vec<(f64, &str)> = variants
            .iter()
            .filter(|v| v.0 == i)
            .map(|&(_, value, why)| (value, why))
            .collect();
        wrong.extend([
            (field(&unskipped, i), UNSKIPPED),
            (field(&strict, i), STRICT),
        ]);
        close_naming(
            &format!("{what}: mean {name}@{k}"),
            g,
            field(&expected, i),
            TOL,
            &wrong,
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
    let pop = my_scores(&by_popularity, &held_out, k, STATED);
    let rnd = my_scores(&at_random, &held_out, k, STATED);
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
