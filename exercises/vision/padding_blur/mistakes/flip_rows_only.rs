//! mistake: convolve reverses the kernel's rows only (np.flipud), not its columns too
//! fails: convolve_flip
//! message: "flipped along the rows only"

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

/// Where index `i` (possibly outside 0..n) reads from, or None for a zero.
fn source(i: isize, n: usize, mode: Padding) -> Option<usize> {
    let n = n as isize;
    if (0..n).contains(&i) {
        return Some(i as usize);
    }
    match mode {
        Padding::Zero => None,
        Padding::Replicate => Some(i.clamp(0, n - 1) as usize),
        Padding::Reflect => {
            if n == 1 {
                return Some(0);
            }
            let period = 2 * (n - 1);
            let m = i.rem_euclid(period);
            Some(if m < n { m } else { period - m } as usize)
        }
        Padding::Symmetric => {
            let period = 2 * n;
            let m = i.rem_euclid(period);
            Some(if m < n { m } else { period - 1 - m } as usize)
        }
    }
}

fn at(img: &Array2<f64>, i: isize, j: isize, mode: Padding) -> f64 {
    let (h, w) = img.dim();
    match (source(i, h, mode), source(j, w, mode)) {
        (Some(a), Some(b)) => img[[a, b]],
        _ => 0.0,
    }
}

/// `img` with `r` rows added above and below and `r` columns left and right, by `mode`
/// (numpy's `np.pad(img, r, mode)`); shape (rows + 2r, cols + 2r). The grader keeps `r`
/// below both sides of the image.
pub fn pad(img: &Array2<f64>, r: usize, mode: Padding) -> Array2<f64> {
    let (h, w) = img.dim();
    let r = r as isize;
    Array2::from_shape_fn((h + 2 * r as usize, w + 2 * r as usize), |(i, j)| {
        at(img, i as isize - r, j as isize - r, mode)
    })
}

/// Cross-correlation with 'same' output size: for a kernel of odd shape (kh, kw) centred at
/// (kh / 2, kw / 2), `out[i, j] = sum over (a, b) of k[a, b] * p[i + a, j + b]`, where p is
/// `img` padded by kh / 2 rows and kw / 2 columns. What cv2.filter2D and CNN layers compute.
pub fn correlate(img: &Array2<f64>, kernel: &Array2<f64>, mode: Padding) -> Array2<f64> {
    let (kh, kw) = kernel.dim();
    let (ch, cw) = ((kh / 2) as isize, (kw / 2) as isize);
    Array2::from_shape_fn(img.dim(), |(i, j)| {
        kernel
            .indexed_iter()
            .map(|((a, b), &k)| {
                k * at(
                    img,
                    i as isize + a as isize - ch,
                    j as isize + b as isize - cw,
                    mode,
                )
            })
            .sum()
    })
}

/// Convolution with 'same' output size: correlation with the kernel flipped along both axes,
/// `out[i, j] = sum of k[a, b] * p[i + kh - 1 - a, j + kw - 1 - b]` (scipy.ndimage.convolve).
pub fn convolve(img: &Array2<f64>, kernel: &Array2<f64>, mode: Padding) -> Array2<f64> {
    let flipped = kernel.slice(s![..;-1, ..]).to_owned();
    correlate(img, &flipped, mode)
}

/// The 1-D Gaussian kernel of SciPy's `gaussian_filter1d`: radius r = floor(truncate * sigma
/// + 0.5), weights exp(-x^2 / (2 sigma^2)) for x = -r..=r, divided by their sum (length 2r + 1).
pub fn gaussian_kernel(sigma: f64, truncate: f64) -> Array1<f64> {
    let r = (truncate * sigma).round() as i64;
    let w: Array1<f64> = (-r..=r)
        .map(|x| (-((x * x) as f64) / (2.0 * sigma * sigma)).exp())
        .collect();
    let total = w.sum();
    w / total
}

/// Gaussian blur with `gaussian_kernel(sigma, TRUNCATE)`, separably: correlate every row with
/// the 1-D kernel (a 1 x n kernel), then every column (n x 1), both with padding `mode`.
pub fn gaussian_blur(img: &Array2<f64>, sigma: f64, mode: Padding) -> Array2<f64> {
    let g = gaussian_kernel(sigma, TRUNCATE);
    let n = g.len();
    let column = g.clone().into_shape_with_order((n, 1)).unwrap();
    let row = g.into_shape_with_order((1, n)).unwrap();
    correlate(&correlate(img, &column, mode), &row, mode)
}
