//! alternative: shift by slice assignment; 13 shifts (3 x 3 neighbourhood and ±2 along each axis) plus the flip

// vision/augmentation: horizontal flips and zero-filled shifts that teach a classifier shift invariance.
// `learnml show vision/augmentation` shows the full statement; `learnml check vision/augmentation` grades this file.

use ndarray::{Array2, Axis, s};

/// The image mirrored left to right: `out[r, c] = image[r, cols - 1 - c]` (same shape).
pub fn hflip(image: &Array2<f64>) -> Array2<f64> {
    let mut out = image.clone();
    out.invert_axis(Axis(1));
    out
}

/// The image translated by `dy` rows and `dx` columns (same shape): positive `dy` moves the
/// content down, positive `dx` moves it right, so `out[r, c] = image[r - dy, c - dx]`; pixels
/// whose source falls outside the image are 0 (zero fill, not wrap-around).
pub fn shift(image: &Array2<f64>, dy: isize, dx: isize) -> Array2<f64> {
    let (rows, cols) = (image.nrows() as isize, image.ncols() as isize);
    let mut out = Array2::zeros(image.dim());
    if dy.abs() >= rows || dx.abs() >= cols {
        return out;
    }
    // Destination rows [max(dy, 0), rows + min(dy, 0)) take source rows shifted by -dy.
    let (r0, r1) = (dy.max(0), rows + dy.min(0));
    let (c0, c1) = (dx.max(0), cols + dx.min(0));
    out.slice_mut(s![r0..r1, c0..c1])
        .assign(&image.slice(s![r0 - dy..r1 - dy, c0 - dx..c1 - dx]));
    out
}

/// The augmented training set: every training image with its label, plus transformed copies
/// (shifts by at most 3 pixels each way, optionally of the flipped image), each copy with the
/// label of the image it came from. At most 30 times as many images as given.
pub fn augment(images: &[Array2<f64>], labels: &[usize]) -> (Vec<Array2<f64>>, Vec<usize>) {
    let mut moves: Vec<(isize, isize)> = Vec::new();
    for dy in -1..=1 {
        for dx in -1..=1 {
            moves.push((dy, dx));
        }
    }
    moves.extend([(-2, 0), (2, 0), (0, -2), (0, 2)]);
    images
        .iter()
        .zip(labels)
        .flat_map(|(image, &label)| {
            let mut copies: Vec<(Array2<f64>, usize)> = moves
                .iter()
                .map(|&(dy, dx)| (shift(image, dy, dx), label))
                .collect();
            copies.push((hflip(image), label));
            copies
        })
        .unzip()
}
