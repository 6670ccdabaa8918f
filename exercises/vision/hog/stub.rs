// vision/hog: HOG features (gradients, cell histograms, L2-Hys blocks) as scikit-image computes them.
// `learnml show vision/hog` shows the full statement; `learnml check vision/hog` grades this file.

use ndarray::{Array1, Array2, Array3};

/// The gradients of `image` (rows x cols) by central differences [-1, 0, 1], without a 1/2:
/// `g_row[r, c] = image[r + 1, c] - image[r - 1, c]` and
/// `g_col[r, c] = image[r, c + 1] - image[r, c - 1]`; 0 on the first and last row (for
/// `g_row`) and on the first and last column (for `g_col`). Returns `(g_row, g_col)`, each
/// the shape of the image. Rows grow downwards.
pub fn gradients(image: &Array2<f64>) -> (Array2<f64>, Array2<f64>) {
    let _ = image;
    todo!("two zero arrays the shape of the image, then the differences inside the border")
}

/// The orientation histogram of every `cell` x `cell` cell: shape
/// `(rows / cell, cols / cell, bins)` (whole cells only, from the top-left corner). A pixel
/// votes its magnitude `sqrt(g_row² + g_col²)` wholly into the bin of its unsigned orientation
/// `atan2(g_row, g_col)` in degrees, taken modulo 180 into [0, 180); bin `b` covers
/// [b·180/bins, (b+1)·180/bins). A cell's histogram is the mean of its pixels' votes (the sum
/// divided by cell²).
pub fn cell_histograms(image: &Array2<f64>, cell: usize, bins: usize) -> Array3<f64> {
    let _ = (image, cell, bins);
    todo!("for each pixel of a whole cell: magnitude, angle in degrees modulo 180, bin, vote")
}

/// Blocks of `block` x `block` cells, sliding one cell at a time; each block's values, in the
/// order (cell row, cell column, bin), are L2-Hys normalized: v / sqrt(|v|² + eps²), then
/// clipped at 0.2, then v / sqrt(|v|² + eps²) again, with eps = 1e-5. The blocks are
/// concatenated in row-major block order: the feature vector has
/// `(n_rows - block + 1) * (n_cols - block + 1) * block² * bins` values.
pub fn normalize_blocks(histograms: &Array3<f64>, block: usize) -> Array1<f64> {
    let _ = (histograms, block);
    todo!("for each block position: gather its values, L2, clip at 0.2, L2 again, append")
}

/// Given: the HOG descriptor of an image, `normalize_blocks(cell_histograms(..), block)`.
pub fn hog(image: &Array2<f64>, cell: usize, block: usize, bins: usize) -> Array1<f64> {
    normalize_blocks(&cell_histograms(image, cell, bins), block)
}
