//! mistake: edge_map marks magnitude >= threshold instead of strictly above it
//! fails: edges_real
//! message: "strictly"

// vision/sobel_edges: Sobel gradients, their magnitude and orientation, and an edge map.
// `learnml show vision/sobel_edges` shows the full statement; `learnml check vision/sobel_edges` grades this file.

use ndarray::Array2;

/// The Sobel kernel for d/dx (columns, to the right): correlate with it to get Gx.
pub const KX: [[f64; 3]; 3] = [[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]];

/// The Sobel kernel for d/dy (rows, downward): correlate with it to get Gy.
pub const KY: [[f64; 3]; 3] = [[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]];

fn reflect(i: isize, n: usize) -> usize {
    let n = n as isize;
    if i < 0 {
        (-i) as usize
    } else if i >= n {
        (2 * n - 2 - i) as usize
    } else {
        i as usize
    }
}

/// The Sobel gradients (Gx, Gy).
pub fn sobel(img: &Array2<f64>) -> (Array2<f64>, Array2<f64>) {
    let (h, w) = img.dim();
    let p = Array2::from_shape_fn((h + 2, w + 2), |(i, j)| {
        img[[reflect(i as isize - 1, h), reflect(j as isize - 1, w)]]
    });
    // Only the outer columns of KX (rows of KY) are non-zero: a difference of two sums.
    let gx = Array2::from_shape_fn((h, w), |(i, j)| {
        (0..3)
            .map(|a| KX[a][2] * p[[i + a, j + 2]] + KX[a][0] * p[[i + a, j]])
            .sum::<f64>()
    });
    let gy = Array2::from_shape_fn((h, w), |(i, j)| {
        (0..3)
            .map(|b| KY[2][b] * p[[i + 2, j + b]] + KY[0][b] * p[[i, j + b]])
            .sum::<f64>()
    });
    (gx, gy)
}

/// Euclidean gradient magnitude.
pub fn magnitude(gx: &Array2<f64>, gy: &Array2<f64>) -> Array2<f64> {
    Array2::from_shape_fn(gx.dim(), |ij| gx[ij].hypot(gy[ij]))
}

/// Orientation atan2(Gy, Gx) in (-pi, pi].
pub fn orientation(gx: &Array2<f64>, gy: &Array2<f64>) -> Array2<f64> {
    Array2::from_shape_fn(gx.dim(), |ij| {
        let t = gy[ij].atan2(gx[ij]);
        if t <= -std::f64::consts::PI {
            std::f64::consts::PI
        } else {
            t
        }
    })
}

/// Edge map: magnitude strictly above threshold.
pub fn edge_map(img: &Array2<f64>, threshold: f64) -> Array2<bool> {
    let (gx, gy) = sobel(img);
    magnitude(&gx, &gy).mapv(|m| m >= threshold)
}
