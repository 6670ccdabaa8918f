// vision/sobel_edges: Sobel gradients, their magnitude and orientation, and an edge map.
// `learnml show vision/sobel_edges` shows the full statement; `learnml check vision/sobel_edges` grades this file.

use ndarray::Array2;

/// Sobel kernel for Gx, applied by correlation: positive where intensity increases to the
/// right (growing column), as `cv2.Sobel(img, dx=1, dy=0)` and `scipy.ndimage.sobel(axis=1)`.
pub const KX: [[f64; 3]; 3] = [[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]];

/// Sobel kernel for Gy, applied by correlation: positive where intensity increases downward
/// (growing row: the y axis points down), as `cv2.Sobel(img, dx=0, dy=1)`.
pub const KY: [[f64; 3]; 3] = [[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]];

/// (Gx, Gy): the correlation of `img` with `KX` and with `KY`, 'same' size, the image padded
/// by reflection (numpy 'reflect': c b | a b c d, OpenCV's default BORDER_REFLECT_101).
pub fn sobel(img: &Array2<f64>) -> (Array2<f64>, Array2<f64>) {
    let _ = img;
    todo!("correlate with KX and KY, reading index -1 as 1 and n as n - 2")
}

/// The gradient magnitude sqrt(Gx^2 + Gy^2), pixel by pixel.
pub fn magnitude(gx: &Array2<f64>, gy: &Array2<f64>) -> Array2<f64> {
    let _ = (gx, gy);
    todo!("sqrt(gx^2 + gy^2) for each pixel")
}

/// The gradient orientation atan2(Gy, Gx) in radians, in (-pi, pi]; the y axis points down
/// (rows), so pi / 2 means intensity increasing downward.
pub fn orientation(gx: &Array2<f64>, gy: &Array2<f64>) -> Array2<f64> {
    let _ = (gx, gy);
    todo!("atan2(gy, gx) for each pixel")
}

/// The edge map: true where the Sobel magnitude of `img` is strictly above `threshold`.
pub fn edge_map(img: &Array2<f64>, threshold: f64) -> Array2<bool> {
    let _ = (img, threshold);
    todo!("the magnitude of the Sobel gradients, compared with the threshold")
}
