// vision/image_histogram: normalize an image, its 256-bin histogram and CDF, and equalize it.
// `learnml show vision/image_histogram` shows the full statement; `learnml check vision/image_histogram` grades this file.

use ndarray::Array2;

/// Grey levels 0..=255 as floats in [0, 1]: each value divided by 255.
pub fn to_unit(img: &Array2<u8>) -> Array2<f64> {
    let _ = img;
    todo!("map every grey level v to v / 255")
}

/// Standardize one image: (x - mean) / std over all its pixels, with the population standard
/// deviation (divide by n, numpy's `np.std` default). A constant image (std below 1e-10:
/// rounding can leave 1e-17 instead of 0) gives all zeros.
pub fn standardize(img: &Array2<f64>) -> Array2<f64> {
    let _ = img;
    todo!("mean and population std of all pixels, then (x - mean) / std")
}

/// The intensity histogram: 256 counts, `h[v]` = number of pixels equal to v (0..=255).
pub fn histogram(img: &Array2<u8>) -> Vec<usize> {
    let _ = img;
    todo!("one counter per grey level")
}

/// The cumulative histogram: `c[v] = h[0] + ... + h[v]` (same length as `h`).
pub fn cdf(h: &[usize]) -> Vec<usize> {
    let _ = h;
    todo!("a running sum of the counts")
}

/// Histogram of an image with values in [0, 1], in `bins` equal-width bins, numpy's
/// `np.histogram(x, bins, range=(0, 1))`: bin i holds [i / bins, (i + 1) / bins), the last
/// bin also holds 1.0.
pub fn unit_histogram(img: &Array2<f64>, bins: usize) -> Vec<usize> {
    let _ = (img, bins);
    todo!("bin = floor(x * bins), with 1.0 in the last bin")
}

/// Histogram equalization, OpenCV's `equalizeHist`: with N pixels, c the CDF and c_min its
/// first non-zero value, `lut[v] = round((c[v] - c_min) * 255 / (N - c_min))`, and each pixel
/// v becomes `lut[v]`. A constant image (N = c_min) is returned unchanged.
pub fn equalize(img: &Array2<u8>) -> Array2<u8> {
    let _ = img;
    todo!("build the lookup table from the CDF, then map every pixel through it")
}
