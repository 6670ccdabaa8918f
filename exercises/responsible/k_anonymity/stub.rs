// responsible/k_anonymity: the k of a released table over its quasi-identifiers, and a
// generalization of age that reaches a given k.

/// The k of `rows` over the columns `quasi`: the size of the smallest group of rows that share
/// the same values on every quasi-identifier column. 0 for a table without rows.
pub fn k_anonymity(rows: &[Vec<String>], quasi: &[usize]) -> usize {
    let _ = (rows, quasi);
    todo!("group the rows by their quasi-identifier values, take the smallest group")
}

/// `age` generalized to a band of `width` years (width >= 1): "lo-hi" with
/// lo = (age / width) * width (integer division) and hi = lo + width - 1; e.g. 37, 10 -> "30-39".
pub fn age_band(age: u32, width: u32) -> String {
    let _ = (age, width);
    todo!("integer division, then format")
}

/// The smallest width of `widths` (ascending) such that replacing column `age_column` (whole
/// years as text) by `age_band(age, width)` makes the table at least `k`-anonymous over
/// `quasi`; `None` if no width does.
pub fn smallest_width(
    rows: &[Vec<String>],
    quasi: &[usize],
    age_column: usize,
    k: usize,
    widths: &[u32],
) -> Option<u32> {
    let _ = (rows, quasi, age_column, k, widths);
    todo!("generalize with each width in turn and measure k")
}
