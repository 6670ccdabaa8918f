// Grader of foundations/vectors.

use learnml_grader::grade::*;
use learnml_kit::split::rng;
use ndarray::{Array1, array};
use rand::Rng;

use super::exercise::{cosine_similarity, dot, norm_l1, norm_l2};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("dot", check_dot),
    ("norms", check_norms),
    ("cosine", check_cosine),
    ("zero_vector", check_zero_vector),
];

/// Relative tolerance on sums of a few products of numbers of order 1.
const TOL: f64 = 1e-9;

/// A seeded random vector with entries in [-3, 3) (the hidden cases).
fn random_vector(n: usize, seed: u64) -> Array1<f64> {
    let mut r = rng(seed);
    Array1::from_iter((0..n).map(|_| r.gen_range(-3.0..3.0)))
}

fn my_dot(a: &Array1<f64>, b: &Array1<f64>) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn my_l2(a: &Array1<f64>) -> f64 {
    a.iter().map(|x| x * x).sum::<f64>().sqrt()
}

fn check_dot() -> Graded {
    let (a, b) = (array![1.0, 2.0, 3.0], array![4.0, 5.0, 6.0]);
    let got = dot(&a, &b);
    if (got - 6.0 * 15.0).abs() < TOL {
        return Err(fail("dot([1, 2, 3], [4, 5, 6]) = 90 = (1+2+3)(4+5+6): the product of the sums, not the sum of the products"))
            .hint("multiply element by element first (1*4 + 2*5 + 3*6), then add");
    }
    close(
        "dot([1, 2, 3], [4, 5, 6]) = 1*4 + 2*5 + 3*6",
        got,
        32.0,
        TOL,
    )?;
    close(
        "dot([1, -1], [1, 1]) (orthogonal vectors)",
        dot(&array![1.0, -1.0], &array![1.0, 1.0]),
        0.0,
        TOL,
    )?;
    // Hidden: 50-dimensional seeded vectors.
    let (a, b) = (random_vector(50, 11), random_vector(50, 12));
    let expected = my_dot(&a, &b);
    close(
        "dot of two hidden 50-dimensional vectors",
        dot(&a, &b),
        expected,
        TOL * 50.0,
    )?;
    pass("dot products match, including orthogonal vectors (0)")
}

fn check_norms() -> Graded {
    let a = array![3.0, -4.0];
    let l1 = norm_l1(&a);
    if (l1 + 1.0).abs() < TOL {
        return Err(fail(
            "norm_l1([3, -4]) = -1: the plain sum, the absolute values are missing",
        ))
        .hint("L1 adds the ABSOLUTE values: |3| + |-4| = 7 (`mapv(f64::abs)`)");
    }
    close("norm_l1([3, -4]) = |3| + |-4|", l1, 7.0, TOL)?;
    let l2 = norm_l2(&a);
    if (l2 - 25.0).abs() < TOL {
        return Err(fail(
            "norm_l2([3, -4]) = 25: the squared norm, the square root is missing",
        ))
        .hint("L2 = sqrt(3^2 + (-4)^2) = 5");
    }
    close("norm_l2([3, -4]) = sqrt(9 + 16)", l2, 5.0, TOL)?;
    close(
        "norm_l2 of the zero vector",
        norm_l2(&Array1::zeros(3)),
        0.0,
        TOL,
    )?;
    // Hidden: a seeded 20-dimensional vector.
    let v = random_vector(20, 21);
    close(
        "norm_l1 of a hidden 20-dimensional vector",
        norm_l1(&v),
        v.iter().map(|x| x.abs()).sum(),
        TOL * 20.0,
    )?;
    close(
        "norm_l2 of a hidden 20-dimensional vector",
        norm_l2(&v),
        my_l2(&v),
        TOL * 20.0,
    )?;
    pass("L1 and L2 norms match ([3, -4]: 7 and 5)")
}

fn check_cosine() -> Graded {
    let (a, b) = (array![1.0, 2.0, 2.0], array![2.0, 0.0, 1.0]);
    // a.b = 4, |a| = 3, |b| = sqrt(5): cos = 4 / (3 sqrt(5)).
    let expected = 4.0 / (3.0 * 5f64.sqrt());
    let got = cosine_similarity(&a, &b);
    if (got - 4.0).abs() < TOL {
        return Err(fail("cosine_similarity([1, 2, 2], [2, 0, 1]) = 4: the dot product, not divided by the norms"))
            .hint("divide a.b by |a|_2 * |b|_2");
    }
    if (got - 4.0 / 45.0).abs() < TOL {
        return Err(fail(
            "cosine_similarity([1, 2, 2], [2, 0, 1]) = 4/45: divided by the SQUARED norms",
        ))
        .hint("divide by the norms themselves: sqrt of the sums of squares");
    }
    if (got - 4.0 / 15.0).abs() < TOL {
        return Err(fail(
            "cosine_similarity([1, 2, 2], [2, 0, 1]) = 4/15: divided by the L1 norms",
        ))
        .hint("cosine similarity uses the L2 (Euclidean) norms");
    }
    // `dot / na * nb` reads as `(dot / na) * nb`: 4 / 3 * sqrt(5).
    if (got - 4.0 / 3.0 * 5f64.sqrt()).abs() < TOL {
        return Err(fail(
            "cosine_similarity([1, 2, 2], [2, 0, 1]) = 4 sqrt(5) / 3: divided by |a|_2 = 3, then MULTIPLIED by |b|_2 = sqrt(5); `dot / na * nb` means `(dot / na) * nb`: missing parentheses",
        ))
        .hint("divide by the product of the norms: `dot / (na * nb)`");
    }
    close(
        "cosine_similarity([1, 2, 2], [2, 0, 1]) = 4 / (3 sqrt 5)",
        got,
        expected,
        TOL,
    )?;
    close(
        "cosine_similarity([1, 0], [0, 1]) (perpendicular)",
        cosine_similarity(&array![1.0, 0.0], &array![0.0, 1.0]),
        0.0,
        TOL,
    )?;
    close(
        "cosine_similarity([1, 2], [-2, -4]) (opposite)",
        cosine_similarity(&array![1.0, 2.0], &array![-2.0, -4.0]),
        -1.0,
        TOL,
    )?;
    // Hidden: invariance to scaling, on seeded vectors.
    let (a, b) = (random_vector(30, 31), random_vector(30, 32));
    let expected = my_dot(&a, &b) / (my_l2(&a) * my_l2(&b));
    close(
        "cosine_similarity of two hidden 30-dimensional vectors",
        cosine_similarity(&a, &b),
        expected,
        TOL,
    )?;
    let scaled = a.mapv(|x| 7.5 * x);
    close(
        "cosine_similarity(a, 7.5 a) (same direction)",
        cosine_similarity(&a, &scaled),
        1.0,
        TOL,
    )
    .hint("scaling a vector does not change its direction: the similarity must be 1")?;
    pass("cosine similarity: 1 for the same direction, 0 perpendicular, -1 opposite")
}

fn check_zero_vector() -> Graded {
    let zero = Array1::zeros(3);
    let got = cosine_similarity(&array![1.0, 2.0, 3.0], &zero);
    if got.is_nan() {
        return Err(fail(
            "cosine_similarity([1, 2, 3], [0, 0, 0]) is NaN: 0 / 0",
        ))
        .hint("test whether a norm is 0 before dividing, and return 0.0 then");
    }
    close("cosine_similarity([1, 2, 3], [0, 0, 0])", got, 0.0, 0.0)?;
    let both = cosine_similarity(&zero, &zero);
    if both.is_nan() {
        return Err(fail("cosine_similarity of two zero vectors is NaN: 0 / 0"))
            .hint("return 0.0 when either norm is 0");
    }
    close("cosine_similarity([0, 0, 0], [0, 0, 0])", both, 0.0, 0.0)?;
    pass("a zero vector has similarity 0 with anything (no NaN)")
}
