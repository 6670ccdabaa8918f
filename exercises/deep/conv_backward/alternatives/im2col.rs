//! alternative: im2col: the windows become the rows of a matrix, so forward and backward are matrix products; max-pool with iterators

// deep/conv_backward: 2-D convolution (stride, padding) and 2x2 max-pool, forward and backward.
// `learnml show deep/conv_backward` shows the full statement; `learnml check deep/conv_backward` grades this file.

use ndarray::{Array1, Array2, Array4, Axis, s};

/// The output size of a convolution along one axis: (size + 2 pad - k) / stride + 1, rounded
/// down (PyTorch's `Conv2d`). Given.
pub fn out_size(size: usize, k: usize, stride: usize, pad: usize) -> usize {
    (size + 2 * pad - k) / stride + 1
}

/// The geometry of one convolution.
struct Geometry {
    n: usize,
    c: usize,
    h: usize,
    w: usize,
    kh: usize,
    kw: usize,
    ho: usize,
    wo: usize,
    stride: usize,
    pad: usize,
}

impl Geometry {
    fn new(x: &Array4<f64>, w: &Array4<f64>, stride: usize, pad: usize) -> Self {
        let (n, c, h, wd) = x.dim();
        let (_, _, kh, kw) = w.dim();
        Geometry {
            n,
            c,
            h,
            w: wd,
            kh,
            kw,
            ho: out_size(h, kh, stride, pad),
            wo: out_size(wd, kw, stride, pad),
            stride,
            pad,
        }
    }

    /// For row (im, i, j) and column (ch, a, e) of the im2col matrix, the position in x, or
    /// None in the padding.
    fn source(&self, row: usize, col: usize) -> Option<(usize, usize, usize, usize)> {
        let (im, i, j) = (
            row / (self.ho * self.wo),
            row / self.wo % self.ho,
            row % self.wo,
        );
        let (ch, a, e) = (
            col / (self.kh * self.kw),
            col / self.kw % self.kh,
            col % self.kw,
        );
        let r = (i * self.stride + a).checked_sub(self.pad)?;
        let q = (j * self.stride + e).checked_sub(self.pad)?;
        (r < self.h && q < self.w).then_some((im, ch, r, q))
    }

    fn rows(&self) -> usize {
        self.n * self.ho * self.wo
    }

    fn cols(&self) -> usize {
        self.c * self.kh * self.kw
    }
}

/// The windows of x as rows: (n·ho·wo) x (c·kh·kw).
fn im2col(x: &Array4<f64>, g: &Geometry) -> Array2<f64> {
    Array2::from_shape_fn((g.rows(), g.cols()), |(row, col)| {
        g.source(row, col).map_or(0.0, |p| x[p])
    })
}

/// The filters as columns: (c·kh·kw) x f.
fn filters(w: &Array4<f64>) -> Array2<f64> {
    let f = w.dim().0;
    let flat = w
        .to_shape((f, w.len() / f))
        .expect("a contiguous array reshapes");
    flat.t().to_owned()
}

/// The 2-D convolution of PyTorch's `Conv2d` (cross-correlation, no flip).
pub fn conv2d_forward(
    x: &Array4<f64>,
    w: &Array4<f64>,
    b: &Array1<f64>,
    stride: usize,
    pad: usize,
) -> Array4<f64> {
    let g = Geometry::new(x, w, stride, pad);
    let out = im2col(x, &g).dot(&filters(w)) + b; // (n·ho·wo) x f
    let f = b.len();
    Array4::from_shape_fn((g.n, f, g.ho, g.wo), |(im, k, i, j)| {
        out[[(im * g.ho + i) * g.wo + j, k]]
    })
}

/// The gradients (dx, dw, db) of the loss, given `dout` (n x f x ho x wo).
pub fn conv2d_backward(
    dout: &Array4<f64>,
    x: &Array4<f64>,
    w: &Array4<f64>,
    stride: usize,
    pad: usize,
) -> (Array4<f64>, Array4<f64>, Array1<f64>) {
    let g = Geometry::new(x, w, stride, pad);
    let f = w.dim().0;
    // dout as (n·ho·wo) x f, rows in the order of im2col's.
    let d = Array2::from_shape_fn((g.rows(), f), |(row, k)| {
        dout[[row / (g.ho * g.wo), k, row / g.wo % g.ho, row % g.wo]]
    });
    let cols = im2col(x, &g);
    let dw_flat = cols.t().dot(&d); // (c·kh·kw) x f
    let dw = Array4::from_shape_fn(w.dim(), |(k, ch, a, e)| {
        dw_flat[[(ch * g.kh + a) * g.kw + e, k]]
    });
    let db = d.sum_axis(Axis(0));
    let dcols = d.dot(&filters(w).t()); // (n·ho·wo) x (c·kh·kw)
    let mut dx = Array4::zeros(x.dim());
    for ((row, col), &v) in dcols.indexed_iter() {
        if let Some(p) = g.source(row, col) {
            dx[p] += v;
        }
    }
    (dx, dw, db)
}

/// The four entries of window (i, j), in row-major order.
fn window(x: &Array4<f64>, im: usize, ch: usize, i: usize, j: usize) -> [(usize, f64); 4] {
    let v = x.slice(s![im, ch, 2 * i..2 * i + 2, 2 * j..2 * j + 2]);
    [
        (0, v[[0, 0]]),
        (1, v[[0, 1]]),
        (2, v[[1, 0]]),
        (3, v[[1, 1]]),
    ]
}

/// 2 x 2 max-pooling with stride 2, size rounded down.
pub fn maxpool_forward(x: &Array4<f64>) -> Array4<f64> {
    let (n, c, h, w) = x.dim();
    Array4::from_shape_fn((n, c, h / 2, w / 2), |(im, ch, i, j)| {
        window(x, im, ch, i, j)
            .iter()
            .map(|&(_, v)| v)
            .fold(f64::NEG_INFINITY, f64::max)
    })
}

/// The gradient of max-pooling: dout to the first max of each window in row-major order.
pub fn maxpool_backward(dout: &Array4<f64>, x: &Array4<f64>) -> Array4<f64> {
    let mut dx = Array4::zeros(x.dim());
    for ((im, ch, i, j), &d) in dout.indexed_iter() {
        // `reduce` keeps the earlier entry unless a later one is strictly greater.
        let (k, _) = window(x, im, ch, i, j)
            .into_iter()
            .reduce(|best, next| if next.1 > best.1 { next } else { best })
            .expect("four entries");
        dx[[im, ch, 2 * i + k / 2, 2 * j + k % 2]] += d;
    }
    dx
}
