// unsupervised/pca_variance: PCA (linfa-reduction), shares of the total variance, components
// needed for a target share.
// `learnml show unsupervised/pca_variance` shows the full statement; `learnml check unsupervised/pca_variance` grades this file.
use ndarray::Array2;

/// The sum of the sample variances (divided by n - 1, about each column's mean) of the columns.
pub fn total_variance(x: &Array2<f64>) -> f64 {
    let _ = x;
    todo!("sum of the centred column variances")
}

/// The share of `total_variance(x)` kept by each of the first `n_components` principal
/// components, largest first (fitted with linfa's `Pca`).
pub fn variance_shares(x: &Array2<f64>, n_components: usize) -> Vec<f64> {
    let _ = (x, n_components);
    todo!("Pca::params(n_components), singular values squared over n - 1, over the total")
}

/// The smallest number of components whose shares add up to at least `fraction`.
pub fn components_for(x: &Array2<f64>, fraction: f64) -> usize {
    let _ = (x, fraction);
    todo!("accumulate the shares of all components")
}
