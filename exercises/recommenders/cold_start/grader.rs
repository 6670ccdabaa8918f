// Grader of recommenders/cold_start.

use std::collections::HashSet;

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use rand::Rng;

use super::exercise::{
    Rating, popularity_by_count, popularity_by_damped_mean, recommend_for_new_users, top_k_unseen,
};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("counts", check_counts),
    ("damped_mean", check_damped_mean),
    ("top_k_unseen", check_top_k_unseen),
    ("new_users", check_new_users),
];

/// Means of at most a few thousand ratings of 1 to 5: 1e-9 allows any order of summation.
const TOL: f64 = 1e-9;
const N_ITEMS: usize = 300;
const N_USERS: usize = 500;
/// The bar on precision@10 for the 100 new users (reference 0.358, a random list 0.060).
const PRECISION_BAR: f64 = 0.34;

/// Seeded small rating sets: 8 users, 10 items of which the last two nobody rated.
fn small_cases() -> Vec<Vec<Rating>> {
    let mut rng = split::rng(1130);
    (0..6)
        .map(|_| {
            let mut ratings = Vec::new();
            for user in 0..8 {
                for item in 0..8 {
                    if rng.gen_bool(0.45) {
                        ratings.push((user, item, rng.gen_range(1..6) as f64));
                    }
                }
            }
            // every rated-item id appears at least once, so only items 8 and 9 are unrated
            for item in 0..8 {
                if !ratings.iter().any(|r| r.1 == item) {
                    ratings.push((0, item, rng.gen_range(1..6) as f64));
                }
            }
            ratings
        })
        .collect()
}

fn all_ratings() -> Vec<Rating> {
    let table = Table::dataset("ratings_synthetic.csv")
        .expect("the grader reads datasets/ratings_synthetic.csv");
    let data = table
        .numeric(&["user_id", "item_id", "rating"])
        .expect("ratings_synthetic is numeric without missing values");
    data.rows()
        .into_iter()
        .map(|r| (r[0] as usize, r[1] as usize, r[2]))
        .collect()
}

fn my_counts(ratings: &[Rating], n_items: usize) -> Vec<f64> {
    let mut counts = vec![0.0; n_items];
    for r in ratings {
        counts[r.1] += 1.0;
    }
    counts
}

/// The number of ratings >= 4 of each item (a wrong popularity, to name it).
fn positive_counts(ratings: &[Rating], n_items: usize) -> Vec<f64> {
    let mut counts = vec![0.0; n_items];
    for r in ratings {
        if r.2 >= 4.0 {
            counts[r.1] += 1.0;
        }
    }
    counts
}

/// (sum + c mu) / (n + c) with `mu` given: the stated prior or a wrong one.
fn my_damped(ratings: &[Rating], n_items: usize, c: f64, mu: f64) -> Vec<f64> {
    let mut out = Vec::new();
    for item in 0..n_items {
        let mut sum = 0.0;
        let mut n = 0.0;
        for r in ratings {
            if r.1 == item {
                sum += r.2;
                n += 1.0;
            }
        }
        out.push((sum + c * mu) / (n + c));
    }
    out
}

fn global_mean(ratings: &[Rating]) -> f64 {
    let mut sum = 0.0;
    for r in ratings {
        sum += r.2;
    }
    sum / ratings.len() as f64
}

/// The unweighted mean of the means of the rated items (a wrong prior).
fn mean_of_item_means(ratings: &[Rating], n_items: usize) -> f64 {
    let raw = my_damped(ratings, n_items, 0.0, 0.0);
    let rated: Vec<f64> = raw.into_iter().filter(|m| m.is_finite()).collect();
    rated.iter().sum::<f64>() / rated.len() as f64
}

fn check_counts() -> Graded {
    let mut cases = small_cases();
    cases.push(all_ratings());
    for (number, ratings) in cases.iter().enumerate() {
        let n_items = if number < 6 { 10 } else { N_ITEMS };
        let what = if number < 6 {
            format!("popularity_by_count(small case {number}, 10 items)")
        } else {
            "popularity_by_count(ratings_synthetic, 300 items)".to_string()
        };
        let got = popularity_by_count(ratings, n_items);
        equal(&format!("{what}: number of scores"), &got.len(), &n_items)
            .hint("one count per item id 0..n_items, also for items nobody rated")?;
        let expected = my_counts(ratings, n_items);
        let mut sums = vec![0.0; n_items];
        for r in ratings {
            sums[r.1] += r.2;
        }
        if (0..n_items).all(|i| (got[i] - sums[i]).abs() <= TOL) {
            return Err(fail(format!(
                "{what}: summed the ratings of each item instead of counting them"
            )));
        }
        all_close(&what, &got, &expected, TOL).hint("add 1 to counts[item] for each rating")?;
    }
    pass("ratings counted per item on 6 small cases and on ratings_synthetic")
}

fn check_damped_mean() -> Graded {
    let cs = [0.5, 2.0, 5.0, 10.0, 1.0, 25.0];
    let mut cases: Vec<(Vec<Rating>, usize, f64)> = small_cases()
        .into_iter()
        .zip(cs)
        .map(|(r, c)| (r, 10, c))
        .collect();
    cases.push((all_ratings(), N_ITEMS, 5.0));
    for (ratings, n_items, c) in &cases {
        let (n_items, c) = (*n_items, *c);
        let what = format!(
            "popularity_by_damped_mean({} ratings, {n_items} items, c = {})",
            ratings.len(),
            fmt(c)
        );
        let got = popularity_by_damped_mean(ratings, n_items, c);
        equal(&format!("{what}: number of scores"), &got.len(), &n_items)?;
        let mu = global_mean(ratings);
        let expected = my_damped(ratings, n_items, c, mu);
        let raw = my_damped(ratings, n_items, 0.0, 0.0);
        let item_means = my_damped(ratings, n_items, c, mean_of_item_means(ratings, n_items));
        let toward_zero = my_damped(ratings, n_items, c, 0.0);
        let counts = my_counts(ratings, n_items);
        for item in 0..n_items {
            let item_what = format!("{what}, item {item} ({} ratings)", counts[item]);
            ensure(got[item].is_finite(), || {
                format!(
                    "{item_what}: gave {}; an item nobody rated gets the global mean mu \
                     (the damping makes (0 + c mu) / (0 + c) = mu)",
                    fmt(got[item])
                )
            })?;
            close_naming(
                &item_what,
                got[item],
                expected[item],
                TOL,
                &[
                    (
                        raw[item],
                        "the raw mean without damping: an item with one 5-star rating would top \
                         the list",
                    ),
                    (
                        item_means[item],
                        "mu taken as the mean of the item means; mu is the mean of all ratings",
                    ),
                    (
                        toward_zero[item],
                        "sum / (n + c): the c pseudo-ratings add c * mu to the sum too, pulling \
                         toward the global mean, not toward 0",
                    ),
                    (
                        if counts[item] == 0.0 {
                            0.0
                        } else {
                            expected[item]
                        },
                        "an item nobody rated gets mu ((0 + c mu) / (0 + c)), not 0: it is \
                         unknown, not bad",
                    ),
                ],
            )
            .hint(
                "(sum of the item's ratings + c * mu) / (its count + c), mu = mean of all ratings",
            )?;
        }
    }
    pass("damped means (sum + c mu) / (n + c) on 6 small cases and ratings_synthetic (c = 5)")
}

/// The grader's top-k: repeatedly take the best unseen item not yet taken, the smaller id
/// first among equals (`smaller_first = false`: the reversed tie-break).
fn my_top_k(scores: &[f64], seen: &HashSet<usize>, k: usize, smaller_first: bool) -> Vec<usize> {
    let mut taken: Vec<usize> = Vec::new();
    while taken.len() < k {
        let mut best: Option<usize> = None;
        for item in 0..scores.len() {
            if seen.contains(&item) || taken.contains(&item) {
                continue;
            }
            best = match best {
                None => Some(item),
                Some(b) if scores[item] > scores[b] => Some(item),
                Some(b) if scores[item] == scores[b] && !smaller_first => Some(item.max(b)),
                keep => keep,
            };
        }
        match best {
            Some(item) => taken.push(item),
            None => break,
        }
    }
    taken
}

/// A list of items must name existing items, each once.
fn valid_list(what: &str, got: &[usize], n_items: usize, max_len: usize) -> Result<(), Failed> {
    ensure(got.len() <= max_len, || {
        format!("{what}: gave {} items, more than {max_len}", got.len())
    })?;
    ensure(got.iter().all(|&i| i < n_items), || {
        format!("{what}: gave {got:?}, with an item id >= {n_items}")
    })?;
    let distinct: HashSet<&usize> = got.iter().collect();
    ensure(distinct.len() == got.len(), || {
        format!("{what}: gave {got:?}, which repeats an item")
    })
}

fn check_top_k_unseen() -> Graded {
    let mut rng = split::rng(2026);
    for case in 0..8 {
        let n = 12;
        // integer scores from 0 to 4: many ties
        let scores: Vec<f64> = (0..n).map(|_| rng.gen_range(0..5) as f64).collect();
        let seen: HashSet<usize> = (0..n).filter(|_| rng.gen_bool(0.3)).collect();
        let k = [3, 5, 20][case % 3];
        let mut seen_sorted: Vec<&usize> = seen.iter().collect();
        seen_sorted.sort();
        let what = format!(
            "top_k_unseen(scores {:?}, seen {seen_sorted:?}, k = {k})",
            scores.iter().map(|s| *s as i64).collect::<Vec<_>>()
        );
        let got = top_k_unseen(&scores, &seen, k);
        valid_list(&what, &got, n, k)?;
        if let Some(item) = got.iter().find(|i| seen.contains(i)) {
            return Err(fail(format!(
                "{what}: gave {got:?}, which recommends item {item} the user already rated"
            )))
            .hint("skip the items of `seen` before taking the top k");
        }
        let expected = my_top_k(&scores, &seen, k, true);
        if got != expected {
            let reversed = my_top_k(&scores, &seen, k, false);
            let mut worst_first = expected.clone();
            worst_first.reverse();
            let why = if got == reversed {
                ": equal scores broken by the LARGER item id first; the rule is increasing item id"
            } else if got.len() == expected.len() && got.len() > 1 && got == worst_first {
                ": the lowest scores first; the list is best first"
            } else if got.len() == expected.len()
                && got
                    .iter()
                    .zip(&expected)
                    .all(|(&a, &b)| scores[a] == scores[b])
            {
                ": the scores are in the right order, but equal scores are not in increasing \
                 item id (no tie-break, or an order that depends on a HashSet)"
            } else if got.len() < expected.len() {
                ": too few items (k, or all the unseen items when fewer)"
            } else {
                ""
            };
            return Err(fail(format!(
                "{what}: expected {expected:?}, got {got:?}{why}"
            )))
            .hint("sort by score descending, then item id ascending: `.then(a.cmp(&b))`");
        }
    }
    pass("top-k of unseen items, best first, ties by increasing item id, on 8 seeded cases")
}

/// Precision@k of one list shown to every user of `users`, against their ratings >= 4.
fn precision(list: &[usize], ratings: &[Rating], users: &[usize], k: usize) -> f64 {
    let mut total = 0.0;
    for &user in users {
        let mut hits = 0;
        for r in ratings {
            if r.0 == user && r.2 >= 4.0 && list.iter().take(k).any(|&i| i == r.1) {
                hits += 1;
            }
        }
        total += hits as f64 / k as f64;
    }
    total / users.len() as f64
}

/// The expected precision@k of a uniformly random list: per user, relevant items / n_items.
fn random_precision(ratings: &[Rating], users: &[usize]) -> f64 {
    let mut total = 0.0;
    for &user in users {
        let relevant = ratings.iter().filter(|r| r.0 == user && r.2 >= 4.0).count();
        total += relevant as f64 / N_ITEMS as f64;
    }
    total / users.len() as f64
}

fn compare_list(
    what: &str,
    got: &[usize],
    expected: &[usize],
    leaky: &[usize],
    by_mean: &[usize],
    positive: &[usize],
) -> Result<(), Failed> {
    if got != expected {
        let why = if got == leaky {
            ": popularity counted with the held-out (new) users' ratings too, the leak that makes \
             the offline score optimistic"
        } else if got == by_mean {
            ": ranked by damped mean; new users get popularity by count"
        } else if got == positive {
            ": counted only the ratings >= 4; popularity counts every rating, whatever its value"
        } else {
            ""
        };
        return Err(fail(format!(
            "{what}: expected {expected:?}, got {got:?}{why}"
        )))
        .hint("count the ratings of users NOT in new_users only, then take the top k");
    }
    Ok(())
}

fn check_new_users() -> Graded {
    // Hand case: known users 0-2 like items 1 and 2; new users 3 and 4 rate item 0 a lot.
    let hand: Vec<Rating> = vec![
        (0, 1, 4.0),
        (0, 2, 5.0),
        (1, 1, 3.0),
        (1, 2, 4.0),
        (2, 1, 5.0),
        (2, 3, 2.0),
        (3, 0, 5.0),
        (3, 3, 4.0),
        (4, 0, 4.0),
        (4, 3, 5.0),
        (4, 4, 1.0),
    ];
    let new_hand: HashSet<usize> = HashSet::from([3, 4]);
    // Counts from users 0-2: item 1 three times, item 2 twice, item 3 once, so [1, 2]; with
    // the new users' ratings items 1 and 3 have three each, so the leak gives [1, 3].
    let known_hand: Vec<Rating> = hand.iter().copied().filter(|r| r.0 < 3).collect();
    let what = "recommend_for_new_users(hand case: users 0-2 known, new users {3, 4}, k = 2)";
    let got = recommend_for_new_users(&hand, &new_hand, 5, 2);
    valid_list(what, &got, 5, 2)?;
    compare_list(
        what,
        &got,
        &[1, 2],
        &my_top_k(&my_counts(&hand, 5), &HashSet::new(), 2, true),
        &my_top_k(
            &my_damped(&known_hand, 5, 5.0, global_mean(&known_hand)),
            &HashSet::new(),
            2,
            true,
        ),
        &my_top_k(&positive_counts(&known_hand, 5), &HashSet::new(), 2, true),
    )?;

    // ratings_synthetic: 100 of the 500 users held out entirely.
    let ratings = all_ratings();
    let order = split::shuffled(N_USERS, 20261130);
    let new_list = order[..100].to_vec();
    let new_users: HashSet<usize> = new_list.iter().copied().collect();
    let known: Vec<Rating> = ratings
        .iter()
        .copied()
        .filter(|r| !new_users.contains(&r.0))
        .collect();
    let k = 10;
    let nothing = HashSet::new();
    let expected = my_top_k(&my_counts(&known, N_ITEMS), &nothing, k, true);
    let leaky = my_top_k(&my_counts(&ratings, N_ITEMS), &nothing, k, true);
    let by_mean = my_top_k(
        &my_damped(&known, N_ITEMS, 5.0, global_mean(&known)),
        &nothing,
        k,
        true,
    );
    let p_expected = precision(&expected, &ratings, &new_list, k);
    let p_leaky = precision(&leaky, &ratings, &new_list, k);
    let p_mean = precision(&by_mean, &ratings, &new_list, k);
    let p_random = random_precision(&ratings, &new_list);
    show(Figure::Table {
        title: "precision@10 on 100 new users (relevant: their ratings >= 4)".into(),
        row_labels: vec![
            "popularity by count".into(),
            "damped mean, c = 5".into(),
            "random (expected)".into(),
            "count, leaking new users".into(),
        ],
        column_labels: vec!["precision@10".into()],
        cells: vec![
            vec![p_expected],
            vec![p_mean],
            vec![p_random],
            vec![p_leaky],
        ],
    });
    let what = "recommend_for_new_users(ratings_synthetic, 100 new users, k = 10)";
    let got = recommend_for_new_users(&ratings, &new_users, N_ITEMS, k);
    valid_list(what, &got, N_ITEMS, k)?;
    let positive = my_top_k(&positive_counts(&known, N_ITEMS), &nothing, k, true);
    compare_list(what, &got, &expected, &leaky, &by_mean, &positive)?;
    bar(
        "precision@10 on new users",
        precision(&got, &ratings, &new_list, k),
        PRECISION_BAR,
        Goal::AtLeast,
    )
    .note(&format!(
        "; a random list reaches {} in expectation",
        fmt(p_random)
    ))
}
