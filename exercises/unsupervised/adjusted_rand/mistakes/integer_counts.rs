//! mistake: pair counts in integers, so the expected index is truncated by the division
//! fails: small_case
//! message: "integer division"

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

fn c2(m: u64) -> u64 {
    m * m.saturating_sub(1) / 2
}

/// Hubert & Arabie's adjusted Rand index between two labellings of the same points (labels are
/// any numbers; only equality matters); 1 when max index = expected index.
pub fn adjusted_rand_index(truth: &[usize], predicted: &[usize]) -> f64 {
    let (t, kt) = encode(truth);
    let (p, kp) = encode(predicted);
    let mut table = vec![vec![0u64; kp]; kt];
    for (&i, &j) in t.iter().zip(&p) {
        table[i][j] += 1;
    }
    let index: u64 = table.iter().flatten().map(|&n| c2(n)).sum();
    let rows: u64 = table.iter().map(|row| c2(row.iter().sum())).sum();
    let columns: u64 = (0..kp)
        .map(|j| c2(table.iter().map(|row| row[j]).sum()))
        .sum();
    let expected = (rows * columns / c2(truth.len() as u64)) as f64;
    let max = (rows + columns) as f64 / 2.0;
    let index = index as f64;
    if max == expected {
        return 1.0;
    }
    (index - expected) / (max - expected)
}
