//! mistake: Reflect and Symmetric swapped (SciPy's 'reflect' taken for numpy's)
//! fails: pad_modes, correlate_same, convolve_flip, gaussian_blur
//! message: "swapped"

// vision/padding_blur: pad an image four ways, correlate and convolve with 'same' output, blur.
// `learnml show vision/padding_blur` shows the full statement; `learnml check vision/padding_blur` grades this file.

use ndarray::{Array1, Array2, s};

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

/// The source index in `0..n` of padded index `i` (which may be negative or >= n), or `None`
/// for a zero. Requires `-n <= i < 2n` (`-(n - 1)..2n - 1` for Reflect).
fn source(i: isize, n: isize, mode: Padding) -> Option<usize> {
    if (0..n).contains(&i) {
        return Some(i as usize);
    }
    let j = match mode {
        Padding::Zero => return None,
        Padding::Replicate => i.clamp(0, n - 1),
        // SciPy's 'reflect': d c b a | a b c d.
        Padding::Reflect if i < 0 => -i - 1,
        Padding::Reflect => 2 * n - 1 - i,
        Padding::Symmetric if i < 0 => -i,
        Padding::Symmetric => 2 * (n - 1) - i,
    };
    Some(j as usize)
}

/// `img` with `r` rows added above and below and `r` columns left and right, by `mode`
/// (numpy's `np.pad(img, r, mode)`); shape (rows + 2r, cols + 2r). The grader keeps `r`
/// below both sides of the image.
pub fn pad(img: &Array2<f64>, r: usize, mode: Padding) -> Array2<f64> {
    let (h, w) = img.dim();
    Array2::from_shape_fn((h + 2 * r, w + 2 * r), |(i, j)| {
        let si = source(i as isize - r as isize, h as isize, mode);
        let sj = source(j as isize - r as isize, w as isize, mode);
        match (si, sj) {
            (Some(a), Some(b)) => img[[a, b]],
            _ => 0.0,
        }
    })
}

/// Cross-correlation with 'same' output size: for a kernel of odd shape (kh, kw) centred at
/// (kh / 2, kw / 2), `out[i, j] = sum over (a, b) of k[a, b] * p[i + a, j + b]`, where p is
/// `img` padded by kh / 2 rows and kw / 2 columns. What cv2.filter2D and CNN layers compute.
pub fn correlate(img: &Array2<f64>, kernel: &Array2<f64>, mode: Padding) -> Array2<f64> {
    let (h, w) = img.dim();
    let (kh, kw) = kernel.dim();
    let r = (kh / 2).max(kw / 2);
    let p = pad(img, r, mode);
    let (oi, oj) = (r - kh / 2, r - kw / 2);
    Array2::from_shape_fn((h, w), |(i, j)| {
        let window = p.slice(s![oi + i..oi + i + kh, oj + j..oj + j + kw]);
        (&window * kernel).sum()
    })
}

/// Convolution with 'same' output size: correlation with the kernel flipped along both axes,
/// `out[i, j] = sum of k[a, b] * p[i + kh - 1 - a, j + kw - 1 - b]` (scipy.ndimage.convolve).
pub fn convolve(img: &Array2<f64>, kernel: &Array2<f64>, mode: Padding) -> Array2<f64> {
    let flipped = kernel.slice(s![..;-1, ..;-1]).to_owned();
    correlate(img, &flipped, mode)
}

/// The 1-D Gaussian kernel of SciPy's `gaussian_filter1d`: radius r = floor(truncate * sigma
/// + 0.5), weights exp(-x^2 / (2 sigma^2)) for x = -r..=r, divided by their sum (length 2r + 1).
pub fn gaussian_kernel(sigma: f64, truncate: f64) -> Array1<f64> {
    let r = (truncate * sigma + 0.5).floor() as i64;
    let g = Array1::from_iter((-r..=r).map(|x| (-(x * x) as f64 / (2.0 * sigma * sigma)).exp()));
    let total = g.sum();
    g / total
}

/// Gaussian blur with `gaussian_kernel(sigma, TRUNCATE)`, separably: correlate every row with
/// the 1-D kernel (a 1 x n kernel), then every column (n x 1), both with padding `mode`.
pub fn gaussian_blur(img: &Array2<f64>, sigma: f64, mode: Padding) -> Array2<f64> {
    let g = gaussian_kernel(sigma, TRUNCATE);
    let n = g.len();
    let row = g.clone().into_shape_with_order((1, n)).expect("n values");
    let column = g.into_shape_with_order((n, 1)).expect("n values");
    correlate(&correlate(img, &row, mode), &column, mode)
}
