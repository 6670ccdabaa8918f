//! mistake: augments with horizontal flips only, no shifts: the model meets shifted images it was never shown
//! fails: shift_invariance
//! message: "needs shifted copies"

// vision/augmentation: horizontal flips and zero-filled shifts that teach a classifier shift invariance.
// `learnml show vision/augmentation` shows the full statement; `learnml check vision/augmentation` grades this file.

use ndarray::Array2;

/// The image mirrored left to right: `out[r, c] = image[r, cols - 1 - c]` (same shape).
pub fn hflip(image: &Array2<f64>) -> Array2<f64> {
    let (rows, cols) = image.dim();
    Array2::from_shape_fn((rows, cols), |(r, c)| image[[r, cols - 1 - c]])
}

/// The image translated by `dy` rows and `dx` columns (same shape): positive `dy` moves the
/// content down, positive `dx` moves it right, so `out[r, c] = image[r - dy, c - dx]`; pixels
/// whose source falls outside the image are 0 (zero fill, not wrap-around).
pub fn shift(image: &Array2<f64>, dy: isize, dx: isize) -> Array2<f64> {
    let (rows, cols) = image.dim();
    Array2::from_shape_fn((rows, cols), |(r, c)| {
        let (sr, sc) = (r as isize - dy, c as isize - dx);
        if sr >= 0 && sc >= 0 && (sr as usize) < rows && (sc as usize) < cols {
            image[[sr as usize, sc as usize]]
        } else {
            0.0
        }
    })
}

/// The augmented training set: every training image with its label, plus transformed copies
/// (shifts by at most 3 pixels each way, optionally of the flipped image), each copy with the
/// label of the image it came from. At most 30 times as many images as given.
pub fn augment(images: &[Array2<f64>], labels: &[usize]) -> (Vec<Array2<f64>>, Vec<usize>) {
    let mut out = Vec::new();
    let mut out_labels = Vec::new();
    for (image, &label) in images.iter().zip(labels) {
        out.push(image.clone());
        out_labels.push(label);
        // A mirrored shirt is still a shirt: that doubles the training set.
        out.push(hflip(image));
        out_labels.push(label);
    }
    (out, out_labels)
}
