//! alternative: sorts the quasi-identifier keys and measures runs of equal keys; bands by age - age % width

// responsible/k_anonymity: the k of a released table over its quasi-identifiers, and a
// generalization of age that reaches a given k.

/// The k of `rows` over the columns `quasi`: the size of the smallest group of rows that share
/// the same values on every quasi-identifier column. 0 for a table without rows.
pub fn k_anonymity(rows: &[Vec<String>], quasi: &[usize]) -> usize {
    let mut keys: Vec<Vec<&String>> = rows
        .iter()
        .map(|row| quasi.iter().map(|&j| &row[j]).collect())
        .collect();
    keys.sort();
    keys.chunk_by(|a, b| a == b)
        .map(<[Vec<&String>]>::len)
        .min()
        .unwrap_or(0)
}

/// `age` generalized to a band of `width` years (width >= 1): "lo-hi" with
/// lo = (age / width) * width (integer division) and hi = lo + width - 1; e.g. 37, 10 -> "30-39".
pub fn age_band(age: u32, width: u32) -> String {
    let lo = age - age % width;
    let hi = lo + width - 1;
    format!("{lo}-{hi}")
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
    for &width in widths {
        let mut generalized = rows.to_vec();
        for row in &mut generalized {
            let age: u32 = row[age_column].trim().parse().ok()?;
            row[age_column] = age_band(age, width);
        }
        if k_anonymity(&generalized, quasi) >= k {
            return Some(width);
        }
    }
    None
}
