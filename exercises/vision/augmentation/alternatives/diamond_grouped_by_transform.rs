//! alternative: a diamond of 13 shifts (|dy| + |dx| ≤ 2) plus flipped copies, the set grouped by transformation (all originals first), shift by slice assignment

// vision/augmentation: horizontal flips and zero-filled shifts that teach a classifier shift invariance.
// `learnml show vision/augmentation` shows the full statement; `learnml check vision/augmentation` grades this file.

use ndarray::{Array2, s};

pub fn hflip(image: &Array2<f64>) -> Array2<f64> {
    image.slice(s![.., ..;-1]).to_owned()
}

pub fn shift(image: &Array2<f64>, dy: isize, dx: isize) -> Array2<f64> {
    let (rows, cols) = image.dim();
    let (rows, cols) = (rows as isize, cols as isize);
    let mut out = Array2::zeros(image.dim());
    if dy.abs() >= rows || dx.abs() >= cols {
        return out;
    }
    // destination rows [max(dy, 0), rows + min(dy, 0)), source rows shifted back by dy
    let (r0, r1) = (dy.max(0), rows + dy.min(0));
    let (c0, c1) = (dx.max(0), cols + dx.min(0));
    out.slice_mut(s![r0..r1, c0..c1])
        .assign(&image.slice(s![r0 - dy..r1 - dy, c0 - dx..c1 - dx]));
    out
}

pub fn augment(images: &[Array2<f64>], labels: &[usize]) -> (Vec<Array2<f64>>, Vec<usize>) {
    let mut transforms: Vec<(bool, isize, isize)> = vec![(false, 0, 0)];
    for dy in -2isize..=2 {
        for dx in -2isize..=2 {
            if dy.abs() + dx.abs() <= 2 && (dy, dx) != (0, 0) {
                transforms.push((false, dy, dx));
            }
        }
    }
    for (dy, dx) in [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)] {
        transforms.push((true, dy, dx));
    }
    let mut out = Vec::new();
    let mut out_labels = Vec::new();
    for &(flip, dy, dx) in &transforms {
        for (image, &label) in images.iter().zip(labels) {
            let base = if flip { hflip(image) } else { image.clone() };
            out.push(shift(&base, dy, dx));
            out_labels.push(label);
        }
    }
    (out, out_labels)
}
