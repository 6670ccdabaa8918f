//! mistake: returns the plain Rand index (agreeing pairs over all pairs), not adjusted for chance
//! fails: small_case, iris_kmeans
//! message: "unadjusted Rand index"

// unsupervised/adjusted_rand: the adjusted Rand index between two labellings.

/// Each label replaced by its position among the sorted distinct labels; and their count.
fn encode(labels: &[usize]) -> (Vec<usize>, usize) {
    let mut distinct = labels.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    (
        labels
            .iter()
            .map(|l| distinct.binary_search(l).expect("collected"))
            .collect(),
        distinct.len(),
    )
}

fn c2(m: f64) -> f64 {
    m * (m - 1.0) / 2.0
}

/// Hubert & Arabie's adjusted Rand index between two labellings of the same points (labels are
/// any numbers; only equality matters); 1 when max index = expected index.
pub fn adjusted_rand_index(truth: &[usize], predicted: &[usize]) -> f64 {
    let (t, kt) = encode(truth);
    let (p, kp) = encode(predicted);
    let mut table = vec![vec![0.0; kp]; kt];
    for (&i, &j) in t.iter().zip(&p) {
        table[i][j] += 1.0;
    }
    let index: f64 = table.iter().flatten().map(|&n| c2(n)).sum();
    let rows: f64 = table.iter().map(|row| c2(row.iter().sum())).sum();
    let columns: f64 = (0..kp)
        .map(|j| c2(table.iter().map(|row| row[j]).sum()))
        .sum();
    // Pairs together in both, plus pairs apart in both, over all pairs.
    let total = c2(truth.len() as f64);
    let apart_in_both = total - rows - columns + index;
    (index + apart_in_both) / total
}
