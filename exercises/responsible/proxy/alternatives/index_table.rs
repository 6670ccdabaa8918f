//! alternative: a dense r x c table of counts indexed by sorted distinct values, chi² as Σ O²/E - n, and the argmax by a fold that keeps the earlier index on ties

// responsible/proxy: Cramér's V between categorical columns, and the strongest proxy of a
// dropped sensitive attribute.

/// The distinct values of a column, sorted.
fn distinct<'a>(column: &[&'a str]) -> Vec<&'a str> {
    let mut values = column.to_vec();
    values.sort_unstable();
    values.dedup();
    values
}

/// Cramér's V = sqrt(chi² / (n (min(r, c) - 1))) between two categorical columns of the same
/// length (r, c: numbers of distinct values). 0 when either column has a single value.
pub fn cramers_v(a: &[&str], b: &[&str]) -> f64 {
    let (ra, cb) = (distinct(a), distinct(b));
    let (r, c) = (ra.len(), cb.len());
    if r.min(c) < 2 {
        return 0.0;
    }
    let mut table = vec![vec![0.0f64; c]; r];
    for (x, y) in a.iter().zip(b) {
        let i = ra.binary_search(x).expect("a value of a");
        let j = cb.binary_search(y).expect("a value of b");
        table[i][j] += 1.0;
    }
    let n = a.len() as f64;
    let row_totals: Vec<f64> = table.iter().map(|row| row.iter().sum()).collect();
    let col_totals: Vec<f64> = (0..c)
        .map(|j| table.iter().map(|row| row[j]).sum())
        .collect();
    let mut sum = 0.0;
    for (i, row) in table.iter().enumerate() {
        for (j, &observed) in row.iter().enumerate() {
            sum += observed * observed / (row_totals[i] * col_totals[j] / n);
        }
    }
    let chi2 = (sum - n).max(0.0);
    (chi2 / (n * (r.min(c) - 1) as f64)).sqrt()
}

/// The index of the column (each as long as `sensitive`) with the largest Cramér's V with
/// `sensitive`; the first one on ties.
pub fn strongest_proxy(columns: &[Vec<&str>], sensitive: &[&str]) -> usize {
    columns
        .iter()
        .map(|column| cramers_v(column, sensitive))
        .enumerate()
        .fold((0, f64::NEG_INFINITY), |best, (j, v)| {
            if v > best.1 { (j, v) } else { best }
        })
        .0
}
