//! mistake: orientation is atan2(Gx, Gy), the arguments of atan2 swapped
//! fails: magnitude_orientation
//! message: "arguments are swapped"

// vision/sobel_edges: Sobel gradients, their magnitude and orientation, and an edge map.
// `learnml show vision/sobel_edges` shows the full statement; `learnml check vision/sobel_edges` grades this file.

use ndarray::{Array2, Zip};

/// Sobel kernel for Gx, applied by correlation: positive where intensity increases to the
/// right (growing column), as `cv2.Sobel(img, dx=1, dy=0)` and `scipy.ndimage.sobel(axis=1)`.
pub const KX: [[f64; 3]; 3] = [[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]];

/// Sobel kernel for Gy, applied by correlation: positive where intensity increases downward
/// (growing row: the y axis points down), as `cv2.Sobel(img, dx=0, dy=1)`.
pub const KY: [[f64; 3]; 3] = [[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]];

/// Index `i` of an axis of length `n` (at least 2), one step beyond the border at most,
/// mirrored without repeating the edge (numpy 'reflect', OpenCV BORDER_REFLECT_101).
fn reflect(i: isize, n: isize) -> usize {
    if i < 0 {
        (-i) as usize
    } else if i >= n {
        (2 * n - 2 - i) as usize
    } else {
        i as usize
    }
}

/// (Gx, Gy): the correlation of `img` with `KX` and with `KY`, 'same' size, the image padded
/// by reflection (numpy 'reflect': c b | a b c d, OpenCV's default BORDER_REFLECT_101).
pub fn sobel(img: &Array2<f64>) -> (Array2<f64>, Array2<f64>) {
    let (h, w) = img.dim();
    let mut gx = Array2::zeros((h, w));
    let mut gy = Array2::zeros((h, w));
    for i in 0..h {
        for j in 0..w {
            for a in 0..3 {
                for b in 0..3 {
                    let v = img[[
                        reflect(i as isize + a as isize - 1, h as isize),
                        reflect(j as isize + b as isize - 1, w as isize),
                    ]];
                    gx[[i, j]] += KX[a][b] * v;
                    gy[[i, j]] += KY[a][b] * v;
                }
            }
        }
    }
    (gx, gy)
}

/// The gradient magnitude sqrt(Gx^2 + Gy^2), pixel by pixel.
pub fn magnitude(gx: &Array2<f64>, gy: &Array2<f64>) -> Array2<f64> {
    Zip::from(gx).and(gy).map_collect(|x, y| x.hypot(*y))
}

/// The gradient orientation atan2(Gy, Gx) in radians, in (-pi, pi]; the y axis points down
/// (rows), so pi / 2 means intensity increasing downward.
pub fn orientation(gx: &Array2<f64>, gy: &Array2<f64>) -> Array2<f64> {
    Zip::from(gx).and(gy).map_collect(|x, y| x.atan2(*y))
}

/// The edge map: true where the Sobel magnitude of `img` is strictly above `threshold`.
pub fn edge_map(img: &Array2<f64>, threshold: f64) -> Array2<bool> {
    let (gx, gy) = sobel(img);
    magnitude(&gx, &gy).mapv(|m| m > threshold)
}
