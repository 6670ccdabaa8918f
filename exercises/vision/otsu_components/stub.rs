// vision/otsu_components: Otsu's threshold, then connected components with 4- or 8-connectivity.
// `learnml show vision/otsu_components` shows the full statement; `learnml check vision/otsu_components` grades this file.

use ndarray::Array2;

/// Which neighbours join two foreground pixels into one component.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connectivity {
    /// Up, down, left, right.
    Four,
    /// The 4 above plus the 4 diagonal neighbours.
    Eight,
}

/// Otsu's threshold: the t in 0..=255 that maximizes the between-class variance
/// w0 * w1 * (m0 - m1)^2 of background (pixels <= t) and foreground (pixels > t), with w the
/// fractions of pixels and m the mean levels (0 when a class is empty); the smallest t among
/// ties. A constant image returns its own level.
pub fn otsu_threshold(img: &Array2<u8>) -> u8 {
    let _ = img;
    todo!("histogram, then for each t the between-class variance; keep the first maximum")
}

/// The foreground mask: true where the pixel is above `t` (pixels <= t are background).
pub fn foreground(img: &Array2<u8>, t: u8) -> Array2<bool> {
    let _ = (img, t);
    todo!("true where the pixel is above t")
}

/// Connected components of the true pixels of `mask`: (labels, n) where labels is 0 on the
/// background and 1..=n on the components, numbered in raster order of their first pixel
/// (scan rows top to bottom, each row left to right: the first component met is 1).
pub fn label_components(mask: &Array2<bool>, connectivity: Connectivity) -> (Array2<usize>, usize) {
    let _ = (mask, connectivity);
    todo!("scan in raster order; flood-fill each unlabelled foreground pixel with a new label")
}

/// Pixels per label: `sizes[k]` for k in 0..=n, `sizes[0]` the background.
pub fn component_sizes(labels: &Array2<usize>, n: usize) -> Vec<usize> {
    let _ = (labels, n);
    todo!("count the pixels of each label 0..=n")
}
