//! mistake: keeps the t with the largest within-class variance (Otsu minimizes it)
//! fails: otsu_synthetic, otsu_real
//! message: "maximizes the within-class variance"

// vision/otsu_components: Otsu's threshold, then connected components with 4- or 8-connectivity.
// `learnml show vision/otsu_components` shows the full statement; `learnml check vision/otsu_components` grades this file.

use ndarray::Array2;

/// Which neighbours join two foreground pixels into one component.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connectivity {
    /// Up, down, left, right.
    Four,
    /// The 4 above plus the 4 diagonal neighbours.
    Eight,
}

/// Otsu's threshold: the t in 0..=255 that maximizes the between-class variance
/// w0 * w1 * (m0 - m1)^2 of background (pixels <= t) and foreground (pixels > t), with w the
/// fractions of pixels and m the mean levels (0 when a class is empty); the smallest t among
/// ties. A constant image returns its own level.
pub fn otsu_threshold(img: &Array2<u8>) -> u8 {
    let mut h = [0.0f64; 256];
    for &v in img {
        h[usize::from(v)] += 1.0;
    }
    let n = img.len() as f64;
    let (mut best, mut best_t) = (0.0, None);
    for t in 0..256 {
        let n0: f64 = h[..=t].iter().sum();
        let n1 = n - n0;
        if n0 == 0.0 || n1 == 0.0 {
            continue;
        }
        let m0 = (0..=t).map(|v| v as f64 * h[v]).sum::<f64>() / n0;
        let m1 = (t + 1..256).map(|v| v as f64 * h[v]).sum::<f64>() / n1;
        let v0 = (0..=t).map(|v| h[v] * (v as f64 - m0).powi(2)).sum::<f64>() / n0;
        let v1 = (t + 1..256)
            .map(|v| h[v] * (v as f64 - m1).powi(2))
            .sum::<f64>()
            / n1;
        // Otsu's criterion: the within-class variance of the two classes.
        let within = (n0 / n) * v0 + (n1 / n) * v1;
        if best_t.is_none() || within > best {
            best = within;
            best_t = Some(t as u8);
        }
    }
    // No t splits the pixels in two: the image is constant.
    best_t.unwrap_or_else(|| img.iter().copied().next().unwrap_or(0))
}

/// The foreground mask: true where the pixel is above `t` (pixels <= t are background).
pub fn foreground(img: &Array2<u8>, t: u8) -> Array2<bool> {
    img.mapv(|v| v > t)
}

/// Connected components of the true pixels of `mask`: (labels, n) where labels is 0 on the
/// background and 1..=n on the components, numbered in raster order of their first pixel
/// (scan rows top to bottom, each row left to right: the first component met is 1).
pub fn label_components(mask: &Array2<bool>, connectivity: Connectivity) -> (Array2<usize>, usize) {
    let (h, w) = mask.dim();
    let mut labels = Array2::zeros((h, w));
    let mut n = 0;
    let steps: &[(isize, isize)] = match connectivity {
        Connectivity::Four => &[(-1, 0), (1, 0), (0, -1), (0, 1)],
        Connectivity::Eight => &[
            (-1, -1),
            (-1, 0),
            (-1, 1),
            (0, -1),
            (0, 1),
            (1, -1),
            (1, 0),
            (1, 1),
        ],
    };
    for i in 0..h {
        for j in 0..w {
            if !mask[[i, j]] || labels[[i, j]] != 0 {
                continue;
            }
            n += 1;
            labels[[i, j]] = n;
            let mut stack = vec![(i, j)];
            while let Some((a, b)) = stack.pop() {
                for &(da, db) in steps {
                    let (r, c) = (a as isize + da, b as isize + db);
                    if r < 0 || c < 0 || r >= h as isize || c >= w as isize {
                        continue;
                    }
                    let (r, c) = (r as usize, c as usize);
                    if mask[[r, c]] && labels[[r, c]] == 0 {
                        labels[[r, c]] = n;
                        stack.push((r, c));
                    }
                }
            }
        }
    }
    (labels, n)
}

/// Pixels per label: `sizes[k]` for k in 0..=n, `sizes[0]` the background.
pub fn component_sizes(labels: &Array2<usize>, n: usize) -> Vec<usize> {
    let mut sizes = vec![0; n + 1];
    for &k in labels {
        sizes[k] += 1;
    }
    sizes
}
