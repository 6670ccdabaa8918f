//! alternative: pads once into a bigger array, then sums shifted slices weighted by the kernel (scaled_add); explicit loops for magnitude and orientation

// vision/sobel_edges: Sobel gradients, their magnitude and orientation, and an edge map.
// `learnml show vision/sobel_edges` shows the full statement; `learnml check vision/sobel_edges` grades this file.

use ndarray::{Array2, s};

/// Sobel kernel for Gx, applied by correlation: positive where intensity increases to the
/// right (growing column), as `cv2.Sobel(img, dx=1, dy=0)` and `scipy.ndimage.sobel(axis=1)`.
pub const KX: [[f64; 3]; 3] = [[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]];

/// Sobel kernel for Gy, applied by correlation: positive where intensity increases downward
/// (growing row: the y axis points down), as `cv2.Sobel(img, dx=0, dy=1)`.
pub const KY: [[f64; 3]; 3] = [[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]];

/// (Gx, Gy): the correlation of `img` with `KX` and with `KY`, 'same' size, the image padded
/// by reflection (numpy 'reflect': c b | a b c d, OpenCV's default BORDER_REFLECT_101).
pub fn sobel(img: &Array2<f64>) -> (Array2<f64>, Array2<f64>) {
    let (h, w) = img.dim();
    let mut p = Array2::zeros((h + 2, w + 2));
    p.slice_mut(s![1..h + 1, 1..w + 1]).assign(img);
    // Reflect the columns, then the rows (the corners follow).
    let first = p.column(2).to_owned();
    p.column_mut(0).assign(&first);
    let last = p.column(w - 1).to_owned();
    p.column_mut(w + 1).assign(&last);
    let first = p.row(2).to_owned();
    p.row_mut(0).assign(&first);
    let last = p.row(h - 1).to_owned();
    p.row_mut(h + 1).assign(&last);
    // The shifted view p[a..a + h, b..b + w] holds p[i + a, j + b] for every output (i, j).
    let mut gx = Array2::zeros((h, w));
    let mut gy = Array2::zeros((h, w));
    for a in 0..3 {
        for b in 0..3 {
            let view = p.slice(s![a..a + h, b..b + w]);
            gx.scaled_add(KX[a][b], &view);
            gy.scaled_add(KY[a][b], &view);
        }
    }
    (gx, gy)
}

/// The gradient magnitude sqrt(Gx^2 + Gy^2), pixel by pixel.
pub fn magnitude(gx: &Array2<f64>, gy: &Array2<f64>) -> Array2<f64> {
    let mut m = Array2::zeros(gx.dim());
    for ((i, j), x) in gx.indexed_iter() {
        m[[i, j]] = (x * x + gy[[i, j]] * gy[[i, j]]).sqrt();
    }
    m
}

/// The gradient orientation atan2(Gy, Gx) in radians, in (-pi, pi]; the y axis points down
/// (rows), so pi / 2 means intensity increasing downward.
pub fn orientation(gx: &Array2<f64>, gy: &Array2<f64>) -> Array2<f64> {
    let mut o = Array2::zeros(gx.dim());
    for ((i, j), x) in gx.indexed_iter() {
        o[[i, j]] = f64::atan2(gy[[i, j]], *x);
    }
    o
}

/// The edge map: true where the Sobel magnitude of `img` is strictly above `threshold`.
pub fn edge_map(img: &Array2<f64>, threshold: f64) -> Array2<bool> {
    let (gx, gy) = sobel(img);
    let m = magnitude(&gx, &gy);
    m.map(|&v| v > threshold)
}
