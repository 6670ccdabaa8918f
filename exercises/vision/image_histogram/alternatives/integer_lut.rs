//! alternative: loops, exact integer rounding (2 num + den) / (2 den) with halves up, ndarray mean/std

// vision/image_histogram: normalize an image, its 256-bin histogram and CDF, and equalize it.
// `learnml show vision/image_histogram` shows the full statement; `learnml check vision/image_histogram` grades this file.

use ndarray::Array2;

/// Grey levels 0..=255 as floats in [0, 1]: each value divided by 255.
pub fn to_unit(img: &Array2<u8>) -> Array2<f64> {
    let mut out = Array2::zeros(img.dim());
    for ((i, j), &v) in img.indexed_iter() {
        out[[i, j]] = v as f64 / 255.0;
    }
    out
}

/// Standardize one image: (x - mean) / std over all its pixels, with the population standard
/// deviation (divide by n, numpy's `np.std` default). A constant image (std below 1e-10:
/// rounding can leave 1e-17 instead of 0) gives all zeros.
pub fn standardize(img: &Array2<f64>) -> Array2<f64> {
    let mean = img.mean().unwrap_or(0.0);
    let std = img.std(0.0);
    if std >= 1e-10 {
        (img - mean) / std
    } else {
        img.mapv(|_| 0.0)
    }
}

/// The intensity histogram: 256 counts, `h[v]` = number of pixels equal to v (0..=255).
pub fn histogram(img: &Array2<u8>) -> Vec<usize> {
    (0..=255u8)
        .map(|level| img.iter().filter(|&&v| v == level).count())
        .collect()
}

/// The cumulative histogram: `c[v] = h[0] + ... + h[v]` (same length as `h`).
pub fn cdf(h: &[usize]) -> Vec<usize> {
    let mut c = h.to_vec();
    for v in 1..c.len() {
        c[v] += c[v - 1];
    }
    c
}

/// Histogram of an image with values in [0, 1], in `bins` equal-width bins, numpy's
/// `np.histogram(x, bins, range=(0, 1))`: bin i holds [i / bins, (i + 1) / bins), the last
/// bin also holds 1.0.
pub fn unit_histogram(img: &Array2<f64>, bins: usize) -> Vec<usize> {
    let mut h = vec![0; bins];
    for &x in img {
        if x >= 1.0 {
            h[bins - 1] += 1;
        } else {
            h[(x * bins as f64) as usize] += 1;
        }
    }
    h
}

/// Histogram equalization, OpenCV's `equalizeHist`: with N pixels, c the CDF and c_min its
/// first non-zero value, `lut[v] = round((c[v] - c_min) * 255 / (N - c_min))`, and each pixel
/// v becomes `lut[v]`. A constant image (N = c_min) is returned unchanged.
pub fn equalize(img: &Array2<u8>) -> Array2<u8> {
    let h = histogram(img);
    let c = cdf(&h);
    let n = img.len();
    let darkest = h.iter().position(|&count| count > 0).unwrap_or(0);
    let c_min = c[darkest];
    if c_min == n {
        return img.clone();
    }
    let den = n - c_min;
    let mut lut = [0u8; 256];
    for v in darkest..256 {
        let num = (c[v] - c_min) * 255;
        lut[v] = ((2 * num + den) / (2 * den)) as u8;
    }
    img.mapv(|v| lut[v as usize])
}
