import HattamaCore

/// Measures how well a template's printed box outlines land on dark lines in an image under a transform.
public struct GridScorer: Sendable {
    /// Points on the outlines (just outside each value cell) and the matching points inside the cell.
    let outlinePoints: [(x: Double, y: Double, nx: Double, ny: Double)]

    /// Prepares the sample points of every value cell of the template (at most about `maxPoints`).
    public init(cells: [TemplateRect], maxPoints: Int = 1200) {
        var points: [(x: Double, y: Double, nx: Double, ny: Double)] = []
        let perSide = max(2, min(6, maxPoints / max(1, cells.count * 4)))
        for rect in cells {
            for i in 0..<perSide {
                let t = (Double(i) + 0.5) / Double(perSide)
                let x = rect.x + t * rect.width, y = rect.y + t * rect.height
                points.append((x, rect.y, 0, -1))
                points.append((x, rect.maxY, 0, 1))
                points.append((rect.x, y, -1, 0))
                points.append((rect.maxX, y, 1, 0))
            }
        }
        outlinePoints = points
    }

    /// The share (0-1) of outline points that are clearly darker than the paper just inside the cell.
    /// `reach` is how far outside the cell edge (reference pixels) the printed line may lie.
    public func score(_ image: GrayImage, _ homography: Homography, reach: Double = 8) -> Double {
        guard !outlinePoints.isEmpty else { return 0 }
        let hits = contrasts(image, homography, reach: reach).filter { $0 > 40 }.count
        return Double(hits) / Double(outlinePoints.count)
    }
}
