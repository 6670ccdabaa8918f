//! alternative: an exhaustive search over every combination of per-group thresholds, pruned when the rates already differ too much

// responsible/thresholds: per-group decision thresholds after training that meet a
// demographic parity bar while losing the least accuracy.

/// Per group: (threshold, selection rate, correct count) for infinity and every distinct score.
fn options(scores: &[f64], y_true: &[bool], groups: &[usize], g: usize) -> Vec<(f64, f64, usize)> {
    let mut members: Vec<(f64, bool)> = (0..scores.len())
        .filter(|&i| groups[i] == g)
        .map(|i| (scores[i], y_true[i]))
        .collect();
    members.sort_by(|a, b| b.0.total_cmp(&a.0));
    let n = members.len() as f64;
    let mut correct = members.iter().filter(|m| !m.1).count();
    let mut out = vec![(f64::INFINITY, 0.0, correct)];
    for (k, &(score, label)) in members.iter().enumerate() {
        if label {
            correct += 1;
        } else {
            correct -= 1;
        }
        // Only a position after the last of equal scores is a real threshold.
        if members.get(k + 1).is_none_or(|next| next.0 != score) {
            out.push((score, (k + 1) as f64 / n, correct));
        }
    }
    out
}

struct Search<'a> {
    options: &'a [Vec<(f64, f64, usize)>],
    max_difference: f64,
    best: usize,
    best_choice: Vec<f64>,
}

impl Search<'_> {
    fn run(&mut self, depth: usize, lo: f64, hi: f64, correct: usize, choice: &mut Vec<f64>) {
        if depth == self.options.len() {
            if correct > self.best || self.best_choice.is_empty() {
                self.best = correct;
                self.best_choice = choice.clone();
            }
            return;
        }
        for &(threshold, rate, c) in &self.options[depth] {
            let (l, h) = (lo.min(rate), hi.max(rate));
            if h - l <= self.max_difference {
                choice.push(threshold);
                self.run(depth + 1, l, h, correct + c, choice);
                choice.pop();
            }
        }
    }
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
    let options: Vec<_> = (0..n_groups)
        .map(|g| options(scores, y_true, groups, g))
        .collect();
    let mut search = Search {
        options: &options,
        max_difference,
        best: 0,
        best_choice: Vec::new(),
    };
    search.run(0, f64::INFINITY, f64::NEG_INFINITY, 0, &mut Vec::new());
    if search.best_choice.is_empty() {
        vec![f64::INFINITY; n_groups]
    } else {
        search.best_choice
    }
}
