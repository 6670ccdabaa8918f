//! mistake: cdf is the exclusive running sum (c[v] = h[0] + ... + h[v - 1]), pushed before adding
//! fails: histogram_cdf
//! message: "an exclusive sum"

// vision/image_histogram: normalize an image, its 256-bin histogram and CDF, and equalize it.
// `learnml show vision/image_histogram` shows the full statement; `learnml check vision/image_histogram` grades this file.

use ndarray::Array2;

/// Grey levels 0..=255 as floats in [0, 1]: each value divided by 255.
pub fn to_unit(img: &Array2<u8>) -> Array2<f64> {
    img.mapv(|v| f64::from(v) / 255.0)
}

/// Standardize one image: (x - mean) / std over all its pixels, with the population standard
/// deviation (divide by n, numpy's `np.std` default). A constant image (std below 1e-10:
/// rounding can leave 1e-17 instead of 0) gives all zeros.
pub fn standardize(img: &Array2<f64>) -> Array2<f64> {
    let n = img.len() as f64;
    let mean = img.iter().sum::<f64>() / n;
    let var = img.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    let std = var.sqrt();
    if std < 1e-10 {
        Array2::zeros(img.raw_dim())
    } else {
        img.mapv(|x| (x - mean) / std)
    }
}

/// The intensity histogram: 256 counts, `h[v]` = number of pixels equal to v (0..=255).
pub fn histogram(img: &Array2<u8>) -> Vec<usize> {
    img.iter().fold(vec![0; 256], |mut h, &v| {
        h[usize::from(v)] += 1;
        h
    })
}

/// The cumulative histogram: `c[v] = h[0] + ... + h[v]` (same length as `h`).
pub fn cdf(h: &[usize]) -> Vec<usize> {
    let mut c = Vec::with_capacity(h.len());
    let mut total = 0;
    for &count in h {
        c.push(total);
        total += count;
    }
    c
}

/// Histogram of an image with values in [0, 1], in `bins` equal-width bins, numpy's
/// `np.histogram(x, bins, range=(0, 1))`: bin i holds [i / bins, (i + 1) / bins), the last
/// bin also holds 1.0.
pub fn unit_histogram(img: &Array2<f64>, bins: usize) -> Vec<usize> {
    let edges: Vec<f64> = (0..=bins).map(|i| i as f64 / bins as f64).collect();
    let mut h = vec![0; bins];
    for &x in img {
        // number of edges <= x, minus one: the bin whose left edge is the last one <= x
        let k = edges.partition_point(|&e| e <= x);
        h[k.saturating_sub(1).min(bins - 1)] += 1;
    }
    h
}

/// Histogram equalization, OpenCV's `equalizeHist`: with N pixels, c the CDF and c_min its
/// first non-zero value, `lut[v] = round((c[v] - c_min) * 255 / (N - c_min))`, and each pixel
/// v becomes `lut[v]`. A constant image (N = c_min) is returned unchanged.
pub fn equalize(img: &Array2<u8>) -> Array2<u8> {
    let c = cdf(&histogram(img));
    let n = img.len();
    let c_min = c.iter().copied().find(|&x| x > 0).unwrap_or(0);
    if n == c_min {
        return img.clone();
    }
    let den = n - c_min;
    let lut: Vec<u8> = c
        .iter()
        .map(|&cv| {
            let num = cv.saturating_sub(c_min) * 255;
            let (q, r) = (num / den, num % den);
            // round half to even
            let up = 2 * r > den || (2 * r == den && q % 2 == 1);
            (q + usize::from(up)) as u8
        })
        .collect();
    img.mapv(|v| lut[usize::from(v)])
}
