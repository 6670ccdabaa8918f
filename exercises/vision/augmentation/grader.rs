// Grader of vision/augmentation.
//
// Flip and shift are checked directly against the grader's own loops on seeded random images
// (where a vertical flip, a wrap-around or a sign error changes pixels). `augment` gets the
// training images and labels only; its output is validated on a hand-made set whose images
// carry a signature (so every copy's source, hence its label, is known), then the grader
// trains the same classifier on the plain and on the augmented training set and tests both
// on held-out images it shifts itself.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split::{rng, stratified_train_test};
use ndarray::{Array1, Array2, Axis};
use rand::Rng as _;

use super::exercise::{augment, hflip, shift};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("hflip", check_hflip),
    ("shift", check_shift),
    ("augment", check_augment),
    ("shift_invariance", check_shift_invariance),
];

fn random_image(rows: usize, cols: usize, r: &mut impl rand::Rng) -> Array2<f64> {
    Array2::from_shape_fn((rows, cols), |_| r.gen_range(0.1..1.0))
}

/// The grader's shift with loops: zero fill, or wrap-around (numpy's `np.roll`).
fn ref_shift(image: &Array2<f64>, dy: isize, dx: isize, wrap: bool) -> Array2<f64> {
    let (n, m) = image.dim();
    let mut out = Array2::zeros((n, m));
    for r in 0..n {
        for c in 0..m {
            let sr = r as isize - dy;
            let sc = c as isize - dx;
            if wrap {
                let (sr, sc) = (sr.rem_euclid(n as isize), sc.rem_euclid(m as isize));
                out[[r, c]] = image[[sr as usize, sc as usize]];
            } else if sr >= 0 && sc >= 0 && sr < n as isize && sc < m as isize {
                out[[r, c]] = image[[sr as usize, sc as usize]];
            }
        }
    }
    out
}

fn ref_hflip(image: &Array2<f64>) -> Array2<f64> {
    let (n, m) = image.dim();
    let mut out = Array2::zeros((n, m));
    for r in 0..n {
        for c in 0..m {
            out[[r, c]] = image[[r, m - 1 - c]];
        }
    }
    out
}

fn same(a: &Array2<f64>, b: &Array2<f64>) -> bool {
    a.dim() == b.dim() && a.iter().zip(b).all(|(x, y)| x == y)
}

fn check_hflip() -> Graded {
    let mut r = rng(5);
    for (n, m) in [(4, 5), (3, 3), (6, 2), (1, 7)] {
        let image = random_image(n, m, &mut r);
        let what = format!("hflip of a seeded random {n} x {m} image");
        let got = hflip(&image);
        equal(&format!("{what}: shape"), &got.dim(), &(n, m))?;
        let expected = ref_hflip(&image);
        if same(&got, &expected) {
            continue;
        }
        let mut vertical = image.clone();
        vertical.invert_axis(Axis(0));
        ensure(!same(&got, &vertical), || {
            format!(
                "{what}: that is a vertical flip (rows upside down); a horizontal flip mirrors left and right, out[r, c] = image[r, cols - 1 - c]"
            )
        })?;
        ensure(!same(&got, &image), || {
            format!("{what}: the image came back unchanged")
        })?;
        matrix_close(&what, &got, &expected, 0.0)
            .hint("out[r, c] = image[r, cols - 1 - c]: each row reversed, the rows in place")?;
    }
    pass("hflip mirrors each row (out[r, c] = image[r, cols - 1 - c]) on 4 seeded images")
}

fn check_shift() -> Graded {
    let mut r = rng(6);
    let cases: [(usize, usize, isize, isize); 8] = [
        (5, 6, 0, 1),
        (5, 6, 1, 0),
        (5, 6, -2, 3),
        (6, 4, 2, -1),
        (4, 4, 0, 0),
        (4, 5, -1, -1),
        (3, 4, 3, 0),
        (3, 4, 0, -9),
    ];
    for (n, m, dy, dx) in cases {
        let image = random_image(n, m, &mut r);
        let what = format!("shift by (dy, dx) = ({dy}, {dx}) of a seeded random {n} x {m} image");
        let got = shift(&image, dy, dx);
        equal(&format!("{what}: shape"), &got.dim(), &(n, m))?;
        let expected = ref_shift(&image, dy, dx, false);
        if same(&got, &expected) {
            continue;
        }
        let named = [
            (
                ref_shift(&image, dy, dx, true),
                "wrap-around: the pixels that leave one side came back on the other (np.roll); the uncovered pixels must be 0 (zero fill)",
            ),
            (
                ref_shift(&image, -dy, -dx, false),
                "the shift goes the wrong way: positive dx moves the content right and positive dy down, out[r, c] = image[r - dy, c - dx]",
            ),
            (
                ref_shift(&image, dx, dy, false),
                "dy and dx are swapped: dy moves along the rows (down), dx along the columns (right)",
            ),
        ];
        for (wrong, why) in &named {
            ensure(!same(&got, wrong), || format!("{what}: {why}"))?;
        }
        matrix_close(&what, &got, &expected, 0.0)
            .hint("out[r, c] = image[r - dy, c - dx] when that pixel exists, else 0")?;
    }
    pass(
        "shifts move the content by (dy, dx) (down and right when positive) with zero fill, on 8 seeded cases",
    )
}

/// A hand-made training set for `augment`: 10 x 10 images, image i has a faint random
/// background and one bright pixel of value 0.5 + 0.1 i near the centre (its signature,
/// which every shift by up to 3 pixels and every flip keeps).
fn signed_images() -> (Vec<Array2<f64>>, Vec<usize>) {
    let mut r = rng(7);
    let labels = vec![3, 1, 4, 1, 5];
    let images = (0..labels.len())
        .map(|i| {
            let mut image = Array2::from_shape_fn((10, 10), |_| r.gen_range(0.01..0.2));
            image[[4 + i % 2, 5 - i % 3]] = 0.5 + 0.1 * i as f64;
            image
        })
        .collect();
    (images, labels)
}

fn source_of(image: &Array2<f64>, n: usize) -> Option<usize> {
    let max = image.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (0..n).find(|&i| (max - (0.5 + 0.1 * i as f64)).abs() < 1e-12)
}

/// Whether `image` is a zero-filled shift by at most 3 pixels of `source` or of its flip.
fn is_transform(image: &Array2<f64>, source: &Array2<f64>, wrap: bool) -> bool {
    let flipped = ref_hflip(source);
    (-3..=3).any(|dy| {
        (-3..=3).any(|dx| {
            same(image, &ref_shift(source, dy, dx, wrap))
                || same(image, &ref_shift(&flipped, dy, dx, wrap))
        })
    })
}

fn check_augment() -> Graded {
    let (images, labels) = signed_images();
    let n = images.len();
    let (out, out_labels) = augment(&images, &labels);
    equal(
        "number of labels returned (one per augmented image)",
        &out_labels.len(),
        &out.len(),
    )
    .hint("labels not copied with the images: push the source's label each time you push a copy")?;
    ensure(out.len() <= 30 * n, || {
        format!(
            "augment turned {n} images into {}: at most 30 copies per image, please",
            out.len()
        )
    })?;
    for (k, image) in out.iter().enumerate() {
        equal(
            &format!("shape of augmented image {k}"),
            &image.dim(),
            &(10, 10),
        )?;
    }
    for (k, (image, &label)) in out.iter().zip(&out_labels).enumerate() {
        let Some(source) = source_of(image, n) else {
            return Err(fail(format!(
                "augmented image {k} is not a shift by at most 3 pixels (or a flip) of a training image: its brightest pixel is gone"
            )));
        };
        ensure(label == labels[source], || {
            format!(
                "augmented image {k} comes from training image {source} (label {}) but has label {label}: the labels were not copied with the images",
                labels[source]
            )
        })?;
        if !is_transform(image, &images[source], false) {
            ensure(!is_transform(image, &images[source], true), || {
                format!(
                    "augmented image {k} is a wrap-around shift of training image {source}: the uncovered pixels must be 0 (zero fill)"
                )
            })?;
            let mut upside_down = images[source].clone();
            upside_down.invert_axis(Axis(0));
            ensure(!is_transform(image, &upside_down, false), || {
                format!(
                    "augmented image {k} is a vertical flip (upside down) of training image {source}: only horizontal flips (`hflip`) and shifts are asked; an upside-down shoe is not what the model will meet"
                )
            })?;
            return Err(fail(format!(
                "augmented image {k} is not a zero-filled shift by at most 3 pixels (or a horizontally flipped one) of training image {source}"
            )));
        }
    }
    for (i, image) in images.iter().enumerate() {
        ensure(
            out.iter()
                .zip(&out_labels)
                .any(|(o, &l)| same(o, image) && l == labels[i]),
            || {
                format!(
                    "training image {i} is missing from the augmented set (with its label {}): keep the originals",
                    labels[i]
                )
            },
        )?;
    }
    let new = out
        .iter()
        .filter(|o| !images.iter().any(|i| same(o, i)))
        .count();
    ensure(new >= n, || {
        format!(
            "the augmented set has {new} new images for {n} training images: no shifted copies. Augmentation adds transformed copies of the training images (the held-out images stay as they are)"
        )
    })?;
    pass(format!(
        "{n} training images gave {} (originals kept, {new} shifted or flipped copies, each with its source's label)",
        out.len()
    ))
}

// ---------------------------------------------------------------- held out, shifted

fn fashion() -> Result<(Vec<Array2<f64>>, Vec<usize>), Failed> {
    let table = Table::dataset("fashion_mnist_500.csv").map_err(|e| {
        fail(format!(
            "the grader could not load fashion_mnist_500.csv: {e}"
        ))
    })?;
    let columns = table.columns_except(&["label"]);
    let x = table
        .numeric(&columns)
        .map_err(|e| fail(format!("fashion_mnist_500.csv: {e}")))?
        / 255.0;
    let (y, _) = table
        .labels("label")
        .map_err(|e| fail(format!("fashion_mnist_500.csv: {e}")))?;
    let images = x
        .rows()
        .into_iter()
        .map(|row| Array2::from_shape_vec((28, 28), row.to_vec()).expect("784 pixels"))
        .collect();
    Ok((images, y))
}

fn flatten(images: &[Array2<f64>]) -> Array2<f64> {
    let mut x = Array2::zeros((images.len(), 784));
    for (i, image) in images.iter().enumerate() {
        x.row_mut(i)
            .assign(&Array1::from_iter(image.iter().copied()));
    }
    x
}

/// The grader's classifier: 1-nearest neighbour by Euclidean distance (ties to the first
/// training image). Returns the accuracy on the test images.
fn nearest_neighbour(
    train: &Array2<f64>,
    labels: &[usize],
    test: &Array2<f64>,
    truth: &[usize],
) -> f64 {
    let cross = test.dot(&train.t());
    let train_sq: Vec<f64> = train.rows().into_iter().map(|r| r.dot(&r)).collect();
    let mut right = 0;
    for (i, row) in cross.rows().into_iter().enumerate() {
        let mut best = 0;
        let mut best_d = f64::INFINITY;
        for (j, &c) in row.iter().enumerate() {
            let d = train_sq[j] - 2.0 * c;
            if d < best_d {
                best_d = d;
                best = j;
            }
        }
        right += usize::from(labels[best] == truth[i]);
    }
    right as f64 / truth.len() as f64
}

/// The bar on 1-NN accuracy over shifted held-out images, trained on the augmented set: the
/// reference (all 25 shifts in [-2, 2]²) reaches 0.762, the plain training set 0.654 (0.738 on
/// unshifted images), a constant predictor 0.1. The gain asked is half the reference's.
const BAR: f64 = 0.72;
const GAIN: f64 = 0.05;

fn check_shift_invariance() -> Graded {
    let (images, y) = fashion()?;
    let (train, test) = stratified_train_test(&y, 0.25, 42);
    let train_images: Vec<Array2<f64>> = train.iter().map(|&i| images[i].clone()).collect();
    let train_labels: Vec<usize> = train.iter().map(|&i| y[i]).collect();
    // Each held-out image shifted by (dy, dx) in [-2, 2]², never (0, 0), drawn with a seed.
    let mut r = rng(99);
    let shifted: Vec<Array2<f64>> = test
        .iter()
        .map(|&i| {
            loop {
                let (dy, dx) = (r.gen_range(-2..=2), r.gen_range(-2..=2));
                if (dy, dx) != (0, 0) {
                    break ref_shift(&images[i], dy, dx, false);
                }
            }
        })
        .collect();
    let truth: Vec<usize> = test.iter().map(|&i| y[i]).collect();
    let test_x = flatten(&shifted);
    let plain_x = flatten(&train_images);
    let clean_x = flatten(&test.iter().map(|&i| images[i].clone()).collect::<Vec<_>>());
    let (aug, aug_labels) = augment(&train_images, &train_labels);
    let n = train_images.len();
    equal(
        "number of labels returned (one per augmented image)",
        &aug_labels.len(),
        &aug.len(),
    )
    .hint("push the source's label each time you push a copy")?;
    ensure(aug.len() <= 30 * n, || {
        format!(
            "augment turned {n} images into {}: at most 30 copies per image",
            aug.len()
        )
    })?;
    ensure(aug.len() >= n, || {
        format!(
            "augment turned {n} images into {}: the originals must be kept",
            aug.len()
        )
    })?;
    ensure(aug.iter().all(|a| a.dim() == (28, 28)), || {
        "an augmented image is not 28 x 28: shifts and flips keep the shape".to_string()
    })?;
    ensure(aug.iter().all(|a| a.iter().all(|v| v.is_finite())), || {
        "an augmented image contains NaN or inf".to_string()
    })?;
    ensure(aug_labels.iter().all(|&l| l < 10), || {
        "an augmented label is outside 0..10: copy the labels you were given".to_string()
    })?;
    let plain = nearest_neighbour(&plain_x, &train_labels, &test_x, &truth);
    let augmented = nearest_neighbour(&flatten(&aug), &aug_labels, &test_x, &truth);
    let clean = nearest_neighbour(&plain_x, &train_labels, &clean_x, &truth);
    let note = format!(
        "; trained on the {n} plain images: {} (and {} on the unshifted held-out images)",
        fmt(plain),
        fmt(clean)
    );
    ensure(augmented - plain >= GAIN, || {
        format!(
            "1-NN trained on your augmented set scores {} on the shifted held-out images, trained on the plain set {}: a gain of {}, short of {GAIN}: the training set needs shifted copies",
            fmt(augmented),
            fmt(plain),
            fmt(augmented - plain)
        )
    })
    .hint("add shifted copies (|dy|, |dx| up to 2) of every training image, with its label")?;
    bar(
        &format!(
            "held-out accuracy on {} shifted images, trained on the augmented set",
            truth.len()
        ),
        augmented,
        BAR,
        Goal::AtLeast,
    )
    .note(&note)
}
