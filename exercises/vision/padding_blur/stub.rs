// vision/padding_blur: pad an image four ways, correlate and convolve with 'same' output, blur.
// `learnml show vision/padding_blur` shows the full statement; `learnml check vision/padding_blur` grades this file.

use ndarray::{Array1, Array2};

/// How the values beyond the border are made up, for a row `a b c d` padded by 2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Padding {
    /// `0 0 | a b c d | 0 0`: numpy 'constant', OpenCV BORDER_CONSTANT, SciPy 'constant'.
    Zero,
    /// `a a | a b c d | d d`: numpy 'edge', OpenCV BORDER_REPLICATE, SciPy 'nearest'.
    Replicate,
    /// `c b | a b c d | c b`, the edge not repeated: numpy 'reflect', OpenCV
    /// BORDER_REFLECT_101 (its default), SciPy 'mirror'.
    Reflect,
    /// `b a | a b c d | d c`, the edge repeated: numpy 'symmetric', OpenCV BORDER_REFLECT,
    /// SciPy 'reflect' (SciPy's default: the same word, the other rule).
    Symmetric,
}

/// SciPy's default `truncate`: the Gaussian is cut `truncate` standard deviations out.
pub const TRUNCATE: f64 = 4.0;

/// `img` with `r` rows added above and below and `r` columns left and right, by `mode`
/// (numpy's `np.pad(img, r, mode)`); shape (rows + 2r, cols + 2r). The grader keeps `r`
/// below both sides of the image.
pub fn pad(img: &Array2<f64>, r: usize, mode: Padding) -> Array2<f64> {
    let _ = (img, r, mode);
    todo!("build a (rows + 2r) x (cols + 2r) array; map each outside index back inside")
}

/// Cross-correlation with 'same' output size: for a kernel of odd shape (kh, kw) centred at
/// (kh / 2, kw / 2), `out[i, j] = sum over (a, b) of k[a, b] * p[i + a, j + b]`, where p is
/// `img` padded by kh / 2 rows and kw / 2 columns. What cv2.filter2D and CNN layers compute.
pub fn correlate(img: &Array2<f64>, kernel: &Array2<f64>, mode: Padding) -> Array2<f64> {
    let _ = (img, kernel, mode);
    todo!("pad by kh / 2 and kw / 2, then sum k[a, b] * p[i + a, j + b]")
}

/// Convolution with 'same' output size: correlation with the kernel flipped along both axes,
/// `out[i, j] = sum of k[a, b] * p[i + kh - 1 - a, j + kw - 1 - b]` (scipy.ndimage.convolve).
pub fn convolve(img: &Array2<f64>, kernel: &Array2<f64>, mode: Padding) -> Array2<f64> {
    let _ = (img, kernel, mode);
    todo!("correlate with the kernel flipped along both axes")
}

/// The 1-D Gaussian kernel of SciPy's `gaussian_filter1d`: radius r = floor(truncate * sigma
/// + 0.5), weights exp(-x^2 / (2 sigma^2)) for x = -r..=r, divided by their sum (length 2r + 1).
pub fn gaussian_kernel(sigma: f64, truncate: f64) -> Array1<f64> {
    let _ = (sigma, truncate);
    todo!("radius floor(truncate * sigma + 0.5), exp(-x^2 / (2 sigma^2)), divided by the sum")
}

/// Gaussian blur with `gaussian_kernel(sigma, TRUNCATE)`, separably: correlate every row with
/// the 1-D kernel (a 1 x n kernel), then every column (n x 1), both with padding `mode`.
pub fn gaussian_blur(img: &Array2<f64>, sigma: f64, mode: Padding) -> Array2<f64> {
    let _ = (img, sigma, mode);
    todo!("correlate the rows with the 1-D kernel, then the columns")
}
