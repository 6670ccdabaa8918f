//! mistake: walks down the sorted scores one sample at a time, counting a rate between tied scores that no threshold can give
//! fails: three_groups
//! message: "samples with equal scores are selected together"

// responsible/thresholds: per-group decision thresholds after training that meet a
// demographic parity bar while losing the least accuracy.

/// A candidate threshold of one group: its selection rate and number of correct predictions.
#[derive(Clone, Copy)]
struct Candidate {
    threshold: f64,
    rate: f64,
    correct: usize,
}

/// One candidate per position in the sorted scores (and infinity for "nobody").
fn candidates(mut members: Vec<(f64, bool)>) -> Vec<Candidate> {
    members.sort_by(|a, b| b.0.total_cmp(&a.0));
    let n = members.len();
    let negatives = members.iter().filter(|m| !m.1).count();
    let mut out = vec![Candidate {
        threshold: f64::INFINITY,
        rate: 0.0,
        correct: negatives,
    }];
    let mut correct = negatives;
    for (k, &(score, label)) in members.iter().enumerate() {
        if label {
            correct += 1;
        } else {
            correct -= 1;
        }
        out.push(Candidate {
            threshold: score,
            rate: (k + 1) as f64 / n as f64,
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
    for ((&s, &y), &g) in scores.iter().zip(y_true).zip(groups) {
        members[g].push((s, y));
    }
    let per_group: Vec<Vec<Candidate>> = members.into_iter().map(candidates).collect();
    let mut best: Option<(usize, Vec<f64>)> = None;
    for low in per_group.iter().flatten().map(|c| c.rate) {
        let chosen: Option<Vec<Candidate>> = per_group
            .iter()
            .map(|group| {
                group
                    .iter()
                    .filter(|c| c.rate >= low && c.rate - low <= max_difference)
                    .max_by_key(|c| c.correct)
                    .copied()
            })
            .collect();
        if let Some(chosen) = chosen {
            let total: usize = chosen.iter().map(|c| c.correct).sum();
            if best.as_ref().is_none_or(|(b, _)| total > *b) {
                best = Some((total, chosen.iter().map(|c| c.threshold).collect()));
            }
        }
    }
    best.map(|(_, t)| t)
        .unwrap_or_else(|| vec![f64::INFINITY; n_groups])
}
