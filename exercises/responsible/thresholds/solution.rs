// responsible/thresholds: reference solution.

/// A candidate threshold of one group: its selection rate and number of correct predictions.
#[derive(Clone, Copy)]
struct Candidate {
    threshold: f64,
    rate: f64,
    correct: usize,
}

/// Every distinct threshold of one group (each score, and infinity for "nobody"), with the
/// selection rate and the correct count it gives.
fn candidates(mut members: Vec<(f64, bool)>) -> Vec<Candidate> {
    // Highest score first: lowering the threshold past a score selects it.
    members.sort_by(|a, b| b.0.total_cmp(&a.0));
    let n = members.len();
    let negatives = members.iter().filter(|m| !m.1).count();
    let mut out = vec![Candidate {
        threshold: f64::INFINITY,
        rate: 0.0,
        correct: negatives,
    }];
    let (mut selected, mut correct) = (0, negatives);
    let mut k = 0;
    while k < n {
        let t = members[k].0;
        // Select every member whose score equals t at once.
        while k < n && members[k].0 == t {
            selected += 1;
            if members[k].1 {
                correct += 1;
            } else {
                correct -= 1;
            }
            k += 1;
        }
        out.push(Candidate {
            threshold: t,
            rate: selected as f64 / n as f64,
            correct,
        });
    }
    out
}

/// One threshold per group id in `0..n_groups`: sample i is selected when
/// `scores[i] >= thresholds[groups[i]]` (`f64::INFINITY` selects nobody). Among all such
/// thresholds whose selection rates differ by at most `max_difference` (fairlearn's
/// demographic parity difference, max - min), return ones with the highest accuracy against
/// `y_true` on these samples. Every group id has at least one sample.
pub fn group_thresholds(
    scores: &[f64],
    y_true: &[bool],
    groups: &[usize],
    n_groups: usize,
    max_difference: f64,
) -> Vec<f64> {
    let mut members = vec![Vec::new(); n_groups];
    for i in 0..scores.len() {
        members[groups[i]].push((scores[i], y_true[i]));
    }
    let per_group: Vec<Vec<Candidate>> = members.into_iter().map(candidates).collect();
    // The best solution has a lowest selection rate L, one of the candidates' rates, and
    // every group's rate within [L, L + max_difference]: given L, each group independently
    // takes its most accurate candidate inside that window.
    let mut best: Option<(usize, Vec<f64>)> = None;
    for low in per_group.iter().flatten().map(|c| c.rate) {
        let mut total = 0;
        let mut thresholds = Vec::with_capacity(n_groups);
        for group in &per_group {
            let inside = group
                .iter()
                .filter(|c| c.rate >= low && c.rate - low <= max_difference)
                .max_by_key(|c| c.correct);
            match inside {
                Some(c) => {
                    total += c.correct;
                    thresholds.push(c.threshold);
                }
                None => break,
            }
        }
        if thresholds.len() == n_groups && best.as_ref().is_none_or(|(b, _)| total > *b) {
            best = Some((total, thresholds));
        }
    }
    best.map(|(_, t)| t)
        .unwrap_or_else(|| vec![f64::INFINITY; n_groups])
}
