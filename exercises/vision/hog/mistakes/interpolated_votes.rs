//! mistake: splits each vote between the two nearest bin centres (Dalal & Triggs' linear interpolation), which scikit-image's hog does not do
//! fails: cell_histograms
//! message: "split between neighbouring bins"

// vision/hog: HOG features (gradients, cell histograms, L2-Hys blocks) as scikit-image computes them.
// `learnml show vision/hog` shows the full statement; `learnml check vision/hog` grades this file.

use ndarray::{Array1, Array2, Array3, s};

/// The gradients of `image` (rows x cols) by central differences [-1, 0, 1], without a 1/2:
/// `g_row[r, c] = image[r + 1, c] - image[r - 1, c]` and
/// `g_col[r, c] = image[r, c + 1] - image[r, c - 1]`; 0 on the first and last row (for
/// `g_row`) and on the first and last column (for `g_col`). Returns `(g_row, g_col)`, each
/// the shape of the image. Rows grow downwards.
pub fn gradients(image: &Array2<f64>) -> (Array2<f64>, Array2<f64>) {
    let (rows, cols) = image.dim();
    let mut g_row = Array2::zeros((rows, cols));
    let mut g_col = Array2::zeros((rows, cols));
    for r in 1..rows.saturating_sub(1) {
        for c in 0..cols {
            g_row[[r, c]] = image[[r + 1, c]] - image[[r - 1, c]];
        }
    }
    for r in 0..rows {
        for c in 1..cols.saturating_sub(1) {
            g_col[[r, c]] = image[[r, c + 1]] - image[[r, c - 1]];
        }
    }
    (g_row, g_col)
}

/// The orientation histogram of every `cell` x `cell` cell: shape
/// `(rows / cell, cols / cell, bins)` (whole cells only, from the top-left corner). A pixel
/// votes its magnitude `sqrt(g_row² + g_col²)` wholly into the bin of its unsigned orientation
/// `atan2(g_row, g_col)` in degrees, taken modulo 180 into [0, 180); bin `b` covers
/// [b·180/bins, (b+1)·180/bins). A cell's histogram is the mean of its pixels' votes (the sum
/// divided by cell²).
pub fn cell_histograms(image: &Array2<f64>, cell: usize, bins: usize) -> Array3<f64> {
    let (g_row, g_col) = gradients(image);
    let (rows, cols) = image.dim();
    let mut histograms = Array3::zeros((rows / cell, cols / cell, bins));
    let width = 180.0 / bins as f64;
    for r in 0..(rows / cell) * cell {
        for c in 0..(cols / cell) * cell {
            let (gr, gc) = (g_row[[r, c]], g_col[[r, c]]);
            let angle = gr.atan2(gc).to_degrees().rem_euclid(180.0);
            // Dalal & Triggs: share the vote between the two bins whose centres surround it.
            let position = angle / width - 0.5;
            let low = position.floor();
            let share = position - low;
            let low = (low as i64).rem_euclid(bins as i64) as usize;
            let high = (low + 1) % bins;
            let vote = gr.hypot(gc) / (cell * cell) as f64;
            histograms[[r / cell, c / cell, low]] += vote * (1.0 - share);
            histograms[[r / cell, c / cell, high]] += vote * share;
        }
    }
    histograms
}

/// Blocks of `block` x `block` cells, sliding one cell at a time; each block's values, in the
/// order (cell row, cell column, bin), are L2-Hys normalized: v / sqrt(|v|² + eps²), then
/// clipped at 0.2, then v / sqrt(|v|² + eps²) again, with eps = 1e-5. The blocks are
/// concatenated in row-major block order: the feature vector has
/// `(n_rows - block + 1) * (n_cols - block + 1) * block² * bins` values.
pub fn normalize_blocks(histograms: &Array3<f64>, block: usize) -> Array1<f64> {
    let (n_rows, n_cols, _) = histograms.dim();
    let eps2 = 1e-10;
    let mut features = Vec::new();
    for br in 0..=(n_rows - block) {
        for bc in 0..=(n_cols - block) {
            let v: Vec<f64> = histograms
                .slice(s![br..br + block, bc..bc + block, ..])
                .iter()
                .copied()
                .collect();
            let norm = (v.iter().map(|x| x * x).sum::<f64>() + eps2).sqrt();
            let clipped: Vec<f64> = v.iter().map(|x| (x / norm).min(0.2)).collect();
            let norm = (clipped.iter().map(|x| x * x).sum::<f64>() + eps2).sqrt();
            features.extend(clipped.iter().map(|x| x / norm));
        }
    }
    Array1::from(features)
}

/// Given: the HOG descriptor of an image, `normalize_blocks(cell_histograms(..), block)`.
pub fn hog(image: &Array2<f64>, cell: usize, block: usize, bins: usize) -> Array1<f64> {
    normalize_blocks(&cell_histograms(image, cell, bins), block)
}
