import Foundation
import HattamaCore

/// Scores a registration on the template's own scale and line contrast, and fine-tunes it by a small local
/// search so the template's box outlines land on the printed lines.
///
/// Two things the plain `GridScorer.score` (8 px reach, 40 grey levels) misses on some real forms:
/// - low-resolution references: on a 72 dpi template (a 546 px wide scan) 8 reference pixels is a third of
///   a row, so the "paper" sample inside a cell lands on the opposite edge or on the handwriting; the reach
///   is scaled with the template's dpi (8 px at 300 dpi, never under 2.5 px);
/// - boxes printed in a light colour (the Honduras acta's yellow boxes are only 15-20 grey levels darker
///   than the paper): when under 50% of the outlines pass the usual 40-level test, the threshold becomes
///   half the outlines' own typical (75th percentile) contrast, at least 10 levels.
/// Forms with dark ruled boxes at 300 dpi score exactly as before.
public enum GridRefinement {
    /// The usual contrast (grey levels) between a printed line and the paper.
    static let darkLineContrast = 40.0
    /// The lowest contrast threshold faint-line scoring may use (above scan noise).
    static let faintFloor = 10.0

    /// How far outside a cell edge, in reference pixels, the printed line may lie for this template.
    public static func reach(for template: FormTemplate) -> Double {
        guard let dpi = template.page.dpi, dpi > 0 else { return 8 }
        return max(2.5, min(8, 8 * dpi / 300))
    }

    /// The registration score of `homography`: the share of outline points on a printed line.
    public static func score(_ scorer: GridScorer, _ image: GrayImage, _ homography: Homography,
                             template: FormTemplate) -> Double {
        let contrasts = scorer.contrasts(image, homography, reach: reach(for: template))
        return share(contrasts, above: threshold(for: contrasts))
    }

    /// The registration after a local search over a small affine correction (shift, scale per axis,
    /// rotation, shear) in reference space, with its score. The correction is kept only if it does not
    /// lower the score.
    public static func refine(_ homography: Homography, in image: GrayImage, scorer: GridScorer,
                              template: FormTemplate) -> (homography: Homography, score: Double) {
        let reach = reach(for: template)
        let initial = scorer.contrasts(image, homography, reach: reach)
        let threshold = threshold(for: initial)
        let initialScore = share(initial, above: threshold)
        guard !scorer.outlinePoints.isEmpty else { return (homography, initialScore) }
        // The correction acts about the centre of the cells, so shifts and scales are nearly independent.
        let xs = scorer.outlinePoints.map(\.x), ys = scorer.outlinePoints.map(\.y)
        let cx = (xs.min()! + xs.max()!) / 2, cy = (ys.min()! + ys.max()!) / 2
        let extent = max(1, max(xs.max()! - xs.min()!, ys.max()! - ys.min()!) / 2)
        let cap = 2 * threshold
        func transform(_ p: [Double]) -> Homography {
            // p: tx, ty, log sx, log sy, rotation, shear (radians); x' = c + R·Sh·S·(x - c) + t
            let sx = exp(p[2]), sy = exp(p[3]), c = cos(p[4]), s = sin(p[4]), k = p[5]
            let a = c * sx, b = (c * k - s) * sy, d = s * sx, e = (s * k + c) * sy
            let correction = Homography([a, b, cx + p[0] - a * cx - b * cy,
                                         d, e, cy + p[1] - d * cx - e * cy,
                                         0, 0, 1])
            return homography.composed(with: correction)
        }
        func objective(_ p: [Double]) -> Double {
            let values = scorer.contrasts(image, transform(p), reach: reach)
            return values.reduce(0) { $0 + min(cap, max(0, $1)) } / Double(values.count)
        }
        // Which parameters the marks leave open: two marks along the top edge fix the x scale and rotation
        // well (they span the page) but not the vertical scale and shear far below them; three or four
        // marks fix everything but a residual shift. Cells often span only part of the page, so freeing
        // parameters the marks already fix would let the fit drift where no cells constrain it.
        let free: [Int]
        switch template.registration.marks?.count ?? 0 {
        case 2: free = [0, 1, 3, 5]
        case 3, 4: free = [0, 1]
        default: free = [0, 1, 2, 3, 4, 5]
        }
        var params = [Double](repeating: 0, count: 6)
        var best = objective(params)
        // Initial steps move the outermost outline by about half the reach.
        var steps = [reach / 2, reach / 2, reach / 2 / extent, reach / 2 / extent, reach / 2 / extent, reach / 2 / extent]
        let limits = [4 * reach, 4 * reach, 0.08, 0.08, 0.05, 0.05]
        for _ in 0..<5 {
            var improved = true, passes = 0
            while improved && passes < 8 {
                improved = false
                passes += 1
                for i in free {
                    for direction in [1.0, -1.0] {
                        var trial = params
                        trial[i] += direction * steps[i]
                        guard abs(trial[i]) <= limits[i] else { continue }
                        let value = objective(trial)
                        if value > best + 1e-9 {
                            best = value
                            params = trial
                            improved = true
                            break
                        }
                    }
                }
            }
            steps = steps.map { $0 / 2 }
        }
        let refined = transform(params)
        let refinedScore = share(scorer.contrasts(image, refined, reach: reach), above: threshold)
        return refinedScore >= initialScore ? (refined, refinedScore) : (homography, initialScore)
    }

    /// The usual dark-line threshold, or for faintly printed boxes half their typical contrast.
    static func threshold(for contrasts: [Double]) -> Double {
        guard !contrasts.isEmpty, share(contrasts, above: darkLineContrast) < 0.5 else { return darkLineContrast }
        let sorted = contrasts.sorted()
        let typical = sorted[min(sorted.count - 1, sorted.count * 3 / 4)]
        return max(faintFloor, min(darkLineContrast, typical / 2))
    }

    static func share(_ contrasts: [Double], above threshold: Double) -> Double {
        guard !contrasts.isEmpty else { return 0 }
        return Double(contrasts.filter { $0 > threshold }.count) / Double(contrasts.count)
    }
}

extension GridScorer {
    /// For each outline point: how much darker the darkest sample up to `reach` reference pixels outside
    /// the cell is than the paper `1.5 × reach` inside it (the quantity `score` thresholds at 40).
    func contrasts(_ image: GrayImage, _ homography: Homography, reach: Double) -> [Double] {
        let steps = 6
        return outlinePoints.map { p in
            var darkest = 255.0
            for s in 0...steps {
                let d = reach * Double(s) / Double(steps)
                let q = homography.apply(p.x + p.nx * d, p.y + p.ny * d)
                darkest = min(darkest, image.sample(x: q.x, y: q.y))
            }
            let inside = homography.apply(p.x - p.nx * reach * 1.5, p.y - p.ny * reach * 1.5)
            return image.sample(x: inside.x, y: inside.y) - darkest
        }
    }
}
