// responsible/proxy: Cramér's V between categorical columns, and the strongest proxy of a
// dropped sensitive attribute.

/// Cramér's V = sqrt(chi² / (n (min(r, c) - 1))) between two categorical columns of the same
/// length (r, c: numbers of distinct values). 0 when either column has a single value.
pub fn cramers_v(a: &[&str], b: &[&str]) -> f64 {
    let _ = (a, b);
    todo!("contingency table, chi², then V")
}

/// The index of the column (each as long as `sensitive`) with the largest Cramér's V with
/// `sensitive`; the first one on ties.
pub fn strongest_proxy(columns: &[Vec<&str>], sensitive: &[&str]) -> usize {
    let _ = (columns, sensitive);
    todo!("argmax of cramers_v over the columns")
}
