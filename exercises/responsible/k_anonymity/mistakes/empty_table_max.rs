//! mistake: a min fold starting at usize::MAX, so a table without rows has k = usize::MAX
//! fails: k_edge
//! message: "usize::MAX"

// responsible/k_anonymity: the k of a released table over its quasi-identifiers, and a
// generalization of age that reaches a given k.

use std::collections::HashMap;

/// The k of `rows` over the columns `quasi`: the size of the smallest group of rows that share
/// the same values on every quasi-identifier column. 0 for a table without rows.
pub fn k_anonymity(rows: &[Vec<String>], quasi: &[usize]) -> usize {
    let mut classes: HashMap<Vec<&str>, usize> = HashMap::new();
    for row in rows {
        let key: Vec<&str> = quasi.iter().map(|&j| row[j].as_str()).collect();
        *classes.entry(key).or_default() += 1;
    }
    classes.values().fold(usize::MAX, |k, &size| k.min(size))
}

/// `age` generalized to a band of `width` years (width >= 1): "lo-hi" with
/// lo = (age / width) * width (integer division) and hi = lo + width - 1; e.g. 37, 10 -> "30-39".
pub fn age_band(age: u32, width: u32) -> String {
    let lo = age / width * width;
    format!("{lo}-{}", lo + width - 1)
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
    widths.iter().copied().find(|&width| {
        let generalized: Vec<Vec<String>> = rows
            .iter()
            .map(|row| {
                let mut row = row.clone();
                let age: u32 = row[age_column]
                    .trim()
                    .parse()
                    .expect("ages are whole years");
                row[age_column] = age_band(age, width);
                row
            })
            .collect();
        k_anonymity(&generalized, quasi) >= k
    })
}
