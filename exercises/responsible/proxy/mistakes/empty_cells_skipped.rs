//! mistake: sums chi² over the observed cells only, skipping the cells whose count is 0
//! fails: v_by_hand
//! message: "cells with count 0 were skipped"

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
    let chi2: f64 = cells
        .iter()
        .map(|(&(x, y), &count)| {
            let expected = rows[x] as f64 * cols[y] as f64 / n;
            (count as f64 - expected).powi(2) / expected
        })
        .sum();
    (chi2 / (n * (k - 1) as f64)).sqrt()
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
