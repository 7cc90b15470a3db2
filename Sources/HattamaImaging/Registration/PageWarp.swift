import HattamaCore

extension GrayImage {
    /// Resamples the reference-space rectangle `rect` out of this (source) image through `homography`
    /// (reference to source), at `scale` output pixels per reference pixel.
    public func warped(_ rect: TemplateRect, through homography: Homography, scale: Double = 1) -> GrayImage {
        let outWidth = max(1, Int((rect.width * scale).rounded()))
        let outHeight = max(1, Int((rect.height * scale).rounded()))
        var out = [UInt8](repeating: 255, count: outWidth * outHeight)
        let step = 1 / scale
        for oy in 0..<outHeight {
            let ry = rect.y + (Double(oy) + 0.5) * step
            for ox in 0..<outWidth {
                let rx = rect.x + (Double(ox) + 0.5) * step
                let p = homography.apply(rx, ry)
                out[oy * outWidth + ox] = UInt8(max(0, min(255, sample(x: p.x - 0.5, y: p.y - 0.5).rounded())))
            }
        }
        return GrayImage(width: outWidth, height: outHeight, pixels: out)
    }
}

extension Homography {
    /// The bounding box in image pixels of a reference rectangle mapped through this transform.
    public func boundingBox(of rect: TemplateRect) -> PixelRect {
        let corners = [apply(rect.x, rect.y), apply(rect.maxX, rect.y), apply(rect.maxX, rect.maxY), apply(rect.x, rect.maxY)]
        let minX = corners.map(\.x).min()!, maxX = corners.map(\.x).max()!
        let minY = corners.map(\.y).min()!, maxY = corners.map(\.y).max()!
        return PixelRect(x: Int(minX.rounded(.down)), y: Int(minY.rounded(.down)),
                         width: Int((maxX - minX).rounded(.up)), height: Int((maxY - minY).rounded(.up)))
    }

    /// The four corners of a reference rectangle in image pixels, clockwise from top-left.
    public func corners(of rect: TemplateRect) -> [(x: Double, y: Double)] {
        [apply(rect.x, rect.y), apply(rect.maxX, rect.y), apply(rect.maxX, rect.maxY), apply(rect.x, rect.maxY)]
    }
}
