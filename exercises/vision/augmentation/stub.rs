// vision/augmentation: horizontal flips and zero-filled shifts that teach a classifier shift invariance.
// `learnml show vision/augmentation` shows the full statement; `learnml check vision/augmentation` grades this file.

use ndarray::Array2;

/// The image mirrored left to right: `out[r, c] = image[r, cols - 1 - c]` (same shape).
pub fn hflip(image: &Array2<f64>) -> Array2<f64> {
    let _ = image;
    todo!("each row reversed, the rows in place")
}

/// The image translated by `dy` rows and `dx` columns (same shape): positive `dy` moves the
/// content down, positive `dx` moves it right, so `out[r, c] = image[r - dy, c - dx]`; pixels
/// whose source falls outside the image are 0 (zero fill, not wrap-around).
pub fn shift(image: &Array2<f64>, dy: isize, dx: isize) -> Array2<f64> {
    let _ = (image, dy, dx);
    todo!("out[r, c] = image[r - dy, c - dx] when that pixel exists, else 0")
}

/// The augmented training set: every training image with its label, plus transformed copies
/// (shifts by at most 3 pixels each way, optionally of the flipped image), each copy with the
/// label of the image it came from. At most 30 times as many images as given.
pub fn augment(images: &[Array2<f64>], labels: &[usize]) -> (Vec<Array2<f64>>, Vec<usize>) {
    let _ = (images, labels);
    todo!("for each image: push it and its shifted copies, and its label once per copy")
}
