// Grader of neural/conv2d.

use learnml_grader::grade::*;
use learnml_kit::split::rng;
use ndarray::{Array2, array};
use rand::Rng as _;

use super::exercise::{conv2d, max_pool2};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("conv_shape", conv_shape),
    ("conv_values", conv_values),
    ("edge_detector", edge_detector),
    ("max_pool", max_pool),
    ("pool_odd_size", pool_odd_size),
    ("hidden_cases", hidden_cases),
];

#[derive(Clone, Copy, PartialEq)]
enum Kernel {
    AsIs,
    /// Rotated by 180 degrees: true (mathematical) convolution.
    Flipped,
    Transposed,
}

/// The grader's own valid cross-correlation, with explicit loops.
fn conv_ref(image: &Array2<f64>, kernel: &Array2<f64>, how: Kernel) -> Array2<f64> {
    let (h, w) = image.dim();
    let (kh, kw) = kernel.dim();
    let k = |a: usize, b: usize| match how {
        Kernel::AsIs => kernel[[a, b]],
        Kernel::Flipped => kernel[[kh - 1 - a, kw - 1 - b]],
        Kernel::Transposed => kernel[[b, a]],
    };
    let mut out = Array2::zeros((h - kh + 1, w - kw + 1));
    for i in 0..h - kh + 1 {
        for j in 0..w - kw + 1 {
            let mut total = 0.0;
            for a in 0..kh {
                for b in 0..kw {
                    total += image[[i + a, j + b]] * k(a, b);
                }
            }
            out[[i, j]] = total;
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Pool {
    Max,
    MaxFromZero,
    Mean,
}

/// The grader's own 2 x 2, stride-2 pooling, dropping an odd last row or column.
fn pool_ref(x: &Array2<f64>, how: Pool) -> Array2<f64> {
    let (h, w) = x.dim();
    let mut out = Array2::zeros((h / 2, w / 2));
    for i in 0..h / 2 {
        for j in 0..w / 2 {
            let block = [
                x[[2 * i, 2 * j]],
                x[[2 * i, 2 * j + 1]],
                x[[2 * i + 1, 2 * j]],
                x[[2 * i + 1, 2 * j + 1]],
            ];
            out[[i, j]] = match how {
                Pool::Max => block.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v)),
                Pool::MaxFromZero => block.iter().fold(0.0, |m: f64, &v| m.max(v)),
                Pool::Mean => block.iter().sum::<f64>() / 4.0,
            };
        }
    }
    out
}

/// Append the diagnosis of a recognised mistake to the failure's message.
fn naming(result: Result<(), Failed>, why: &str) -> Result<(), Failed> {
    result.map_err(|mut failed| {
        failed.message = format!("{}: {why}", failed.message);
        failed
    })
}

fn matches(got: &Array2<f64>, other: &Array2<f64>) -> bool {
    got.dim() == other.dim() && got.iter().zip(other).all(|(g, o)| (g - o).abs() < 1e-9)
}

fn shape_hint(got: (usize, usize), image: (usize, usize), kernel: (usize, usize)) -> &'static str {
    let (h, w, kh, kw) = (image.0, image.1, kernel.0, kernel.1);
    if got == (h - kh, w - kw) {
        "off by one: the kernel fits at positions 0, 1, ..., n - k, which is n - k + 1 positions, not n - k"
    } else if got == (h - kh + 2, w - kw + 2) {
        "off by one: n - k + 2 positions would put the kernel past the edge; a valid output is n - k + 1"
    } else if got == image {
        "this is 'same' padding (output as large as the input); here the convolution is 'valid': no padding, n - k + 1"
    } else {
        "a valid convolution's output is (H - kh + 1) x (W - kw + 1): rows and columns separately"
    }
}

fn conv_shape() -> Graded {
    let image = Array2::from_shape_fn((5, 7), |(i, j)| (i * 7 + j) as f64);
    let kernel = array![[1.0, 0.0], [0.0, 1.0], [1.0, -1.0]];
    let got = conv2d(&image, &kernel).dim();
    naming(
        equal(
            "output shape for a 5 x 7 image and a 3 x 2 kernel",
            &got,
            &(3, 6),
        ),
        shape_hint(got, (5, 7), (3, 2)),
    )?;
    let got = conv2d(&image, &Array2::ones((5, 7))).dim();
    naming(
        equal(
            "output shape when the kernel is as large as the image (5 x 7)",
            &got,
            &(1, 1),
        ),
        shape_hint(got, (5, 7), (5, 7)),
    )?;
    pass("(H - kh + 1) x (W - kw + 1): 3 x 6, and 1 x 1 for a kernel the size of the image")
}

fn named_kernel(what: &str, image: &Array2<f64>, kernel: &Array2<f64>) -> Result<(), Failed> {
    let got = conv2d(image, kernel);
    let expected = conv_ref(image, kernel, Kernel::AsIs);
    naming(
        equal(&format!("{what}: shape"), &got.dim(), &expected.dim()),
        shape_hint(got.dim(), image.dim(), kernel.dim()),
    )?;
    if !matches(&got, &expected) {
        if matches(&got, &conv_ref(image, kernel, Kernel::Flipped)) {
            naming(
                matrix_close(what, &got, &expected, 1e-12),
                "you flipped the kernel: that is convolution as mathematics and signal processing define it. Deep-learning libraries (PyTorch's Conv2d, TensorFlow's conv2d) compute cross-correlation, image[i + a, j + b] · kernel[a, b], with no flip",
            )?;
        }
        if kernel.nrows() == kernel.ncols()
            && matches(&got, &conv_ref(image, kernel, Kernel::Transposed))
        {
            naming(
                matrix_close(what, &got, &expected, 1e-12),
                "you used the kernel transposed: kernel[a, b] multiplies image[i + a, j + b], row offset a, column offset b",
            )?;
        }
    }
    matrix_close(what, &got, &expected, 1e-12)
        .hint("out[i, j] = Σ_a Σ_b image[i + a, j + b] · kernel[a, b]")
}

fn conv_values() -> Graded {
    let image = array![
        [1.0, 2.0, 0.0, 3.0, 1.0],
        [0.0, 1.0, 2.0, 1.0, 0.0],
        [3.0, 0.0, 1.0, 2.0, 2.0],
        [1.0, 1.0, 0.0, 0.0, 4.0]
    ];
    let kernel = array![[1.0, 2.0], [0.0, -1.0]];
    // By hand: out[0, 0] = 1·1 + 2·2 + 0·0 + 1·(-1) = 4; the grader computes the rest with loops.
    named_kernel(
        "conv2d of a 4 x 5 image with [[1, 2], [0, -1]]",
        &image,
        &kernel,
    )?;
    let image = Array2::from_shape_fn((5, 6), |(i, j)| ((i * 3 + j * 5) % 7) as f64 - 3.0);
    let sobel_x = array![[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]];
    named_kernel(
        "conv2d of a 5 x 6 image with the 3 x 3 Sobel kernel [[1, 0, -1], [2, 0, -2], [1, 0, -1]]",
        &image,
        &sobel_x,
    )?;
    pass("cross-correlation values right within 1e-12, kernel neither flipped nor transposed")
}

fn edge_detector() -> Graded {
    // A 4 x 6 image, dark (0) in columns 0-2 and bright (1) in columns 3-5. The kernel [-1, 1]
    // computes image[i, j + 1] - image[i, j]: 1 where the edge is (j = 2), 0 elsewhere.
    let image = Array2::from_shape_fn((4, 6), |(_, j)| if j >= 3 { 1.0 } else { 0.0 });
    let kernel = array![[-1.0, 1.0]];
    let expected = Array2::from_shape_fn((4, 5), |(_, j)| if j == 2 { 1.0 } else { 0.0 });
    let got = conv2d(&image, &kernel);
    let flipped = expected.mapv(|v| -v);
    if matches(&got, &flipped) {
        naming(
            matrix_close("vertical edge response", &got, &expected, 1e-12),
            "the response is -1: you flipped the kernel (mathematical convolution); deep-learning libraries do not flip it",
        )?;
    }
    matrix_close(
        "response of [[-1, 1]] to a dark-to-bright vertical edge (1 at column 2, 0 elsewhere)",
        &got,
        &expected,
        1e-12,
    )?;
    pass("the kernel [-1, 1] finds the edge: 1 at column 2, 0 elsewhere")
}

fn named_pool(what: &str, x: &Array2<f64>) -> Result<(), Failed> {
    let got = max_pool2(x);
    let expected = pool_ref(x, Pool::Max);
    let (h, w) = x.dim();
    if got.dim() == (h - 1, w - 1) {
        naming(
            equal(&format!("{what}: shape"), &got.dim(), &expected.dim()),
            "stride 1: the windows overlap. Max-pooling here moves by 2, so the blocks do not overlap and the output is half the size",
        )?;
    }
    if got.dim() == (h.div_ceil(2), w.div_ceil(2)) && expected.dim() != got.dim() {
        naming(
            equal(&format!("{what}: shape"), &got.dim(), &expected.dim()),
            "rounded up: an odd last row or column has no full 2 x 2 block and is dropped (floor), as PyTorch's MaxPool2d(2) does",
        )?;
    }
    if !matches(&got, &expected) {
        if matches(&got, &pool_ref(x, Pool::MaxFromZero)) {
            naming(
                matrix_close(what, &got, &expected, 0.0),
                "a block of negative numbers gave 0: start the max at f64::NEG_INFINITY (or the block's first value), not at 0",
            )?;
        }
        if matches(&got, &pool_ref(x, Pool::Mean)) {
            naming(
                matrix_close(what, &got, &expected, 0.0),
                "this is average pooling: max-pooling keeps the largest of the 4 values",
            )?;
        }
    }
    matrix_close(what, &got, &expected, 0.0)
        .hint("out[i, j] = max(x[2i, 2j], x[2i, 2j + 1], x[2i + 1, 2j], x[2i + 1, 2j + 1])")
}

fn max_pool() -> Graded {
    let x = array![
        [1.0, 3.0, -2.0, -5.0],
        [4.0, 2.0, -1.0, -3.0],
        [0.0, 0.0, 7.0, 1.0],
        [-1.0, 5.0, 2.0, 8.0]
    ];
    // By hand: blocks {1, 3, 4, 2} -> 4, {-2, -5, -1, -3} -> -1, {0, 0, -1, 5} -> 5, {7, 1, 2, 8} -> 8.
    named_pool("max_pool2 of a 4 x 4 input", &x)?;
    let got = max_pool2(&x);
    matrix_close(
        "max_pool2 of a 4 x 4 input",
        &got,
        &array![[4.0, -1.0], [5.0, 8.0]],
        0.0,
    )?;
    pass("2 x 2 blocks, stride 2: [[4, -1], [5, 8]], negatives kept")
}

fn pool_odd_size() -> Graded {
    let x = Array2::from_shape_fn((5, 7), |(i, j)| ((i * 7 + j * 3) % 11) as f64 - 5.0);
    named_pool(
        "max_pool2 of a 5 x 7 input (output 2 x 3, last row and column dropped)",
        &x,
    )?;
    pass("5 x 7 pools to 2 x 3, the odd last row and column dropped")
}

fn hidden_cases() -> Graded {
    let mut r = rng(29);
    for case in 0..12 {
        let (h, w) = (r.gen_range(3..12), r.gen_range(3..12));
        let (kh, kw) = match case % 4 {
            0 => (1, 1),
            1 => (h, w),
            _ => (r.gen_range(1..=h.min(4)), r.gen_range(1..=w.min(4))),
        };
        let image = Array2::from_shape_fn((h, w), |_| r.gen_range(-2.0..2.0));
        let kernel = Array2::from_shape_fn((kh, kw), |_| r.gen_range(-1.0..1.0));
        let what =
            format!("hidden case {case}: conv2d of a {h} x {w} image with a {kh} x {kw} kernel");
        named_kernel(&what, &image, &kernel)?;
        named_pool(
            &format!("hidden case {case}: max_pool2 of a {h} x {w} input"),
            &image,
        )?;
    }
    pass("12 hidden images (3 to 11 pixels a side), kernels from 1 x 1 to the image's size")
}
