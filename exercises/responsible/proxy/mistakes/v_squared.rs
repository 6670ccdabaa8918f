//! mistake: forgets the square root and returns chi² / (n (min(r, c) - 1)) (V squared)
//! fails: v_by_hand
//! message: "take the square root"

// responsible/proxy: Cramér's V between categorical columns, and the strongest proxy of a
// dropped sensitive attribute.

use std::collections::HashMap;

/// Cramér's V = sqrt(chi² / (n (min(r, c) - 1))) between two categorical columns of the same
/// length (r, c: numbers of distinct values). 0 when either column has a single value.
pub fn cramers_v(a: &[&str], b: &[&str]) -> f64 {
    let n = a.len() as f64;
    let mut cells: HashMap<(&str, &str), usize> = HashMap::new();
    let mut rows: HashMap<&str, usize> = HashMap::new();
    let mut cols: HashMap<&str, usize> = HashMap::new();
    for (&x, &y) in a.iter().zip(b) {
        *cells.entry((x, y)).or_default() += 1;
        *rows.entry(x).or_default() += 1;
        *cols.entry(y).or_default() += 1;
    }
    let k = rows.len().min(cols.len());
    if k < 2 {
        return 0.0;
    }
    let mut chi2 = 0.0;
    for (&x, &rx) in &rows {
        for (&y, &cy) in &cols {
            let expected = rx as f64 * cy as f64 / n;
            let observed = cells.get(&(x, y)).copied().unwrap_or(0) as f64;
            chi2 += (observed - expected).powi(2) / expected;
        }
    }
    chi2 / (n * (k - 1) as f64)
}

/// The index of the column (each as long as `sensitive`) with the largest Cramér's V with
/// `sensitive`; the first one on ties.
pub fn strongest_proxy(columns: &[Vec<&str>], sensitive: &[&str]) -> usize {
    let mut best = (0, f64::NEG_INFINITY);
    for (j, column) in columns.iter().enumerate() {
        let v = cramers_v(column, sensitive);
        if v > best.1 {
            best = (j, v);
        }
    }
    best.0
}
