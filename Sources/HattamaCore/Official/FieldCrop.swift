/// The picture of one field cut from the page it was read on, turned upright so people read it as printed.
public enum FieldCrop {
    /// The field's box with a margin, cut from `page` and turned back by the page's quarter turns.
    ///
    /// `quarterTurns` is the registration's count of clockwise quarter turns of the page in the image
    /// (`RegistrationSummary.quarterTurns`); the crop is turned as many quarter turns counter-clockwise.
    public static func upright(from page: GrayImage, box: ImageBox, quarterTurns: Int) -> GrayImage {
        let margin = max(4, min(box.width, box.height) / 5)
        let crop = page.cropped(to: PixelRect(x: box.x - margin, y: box.y - margin,
                                              width: box.width + 2 * margin, height: box.height + 2 * margin))
        return crop.rotatedCounterClockwise(quarterTurns: quarterTurns)
    }
}

extension GrayImage {
    /// The image turned `quarterTurns` x 90 degrees counter-clockwise (any integer; negative turns clockwise).
    public func rotatedCounterClockwise(quarterTurns: Int) -> GrayImage {
        switch ((quarterTurns % 4) + 4) % 4 {
        case 1:
            // The right column becomes the top row: output (x, y) is source (width - 1 - y, x).
            var out = [UInt8](repeating: 255, count: pixels.count)
            for y in 0..<width {
                for x in 0..<height { out[y * height + x] = pixels[x * width + (width - 1 - y)] }
            }
            return GrayImage(width: height, height: width, pixels: out)
        case 2:
            return GrayImage(width: width, height: height, pixels: pixels.reversed())
        case 3:
            // The left column becomes the top row, read bottom up: output (x, y) is source (y, height - 1 - x).
            var out = [UInt8](repeating: 255, count: pixels.count)
            for y in 0..<width {
                for x in 0..<height { out[y * height + x] = pixels[(height - 1 - x) * width + y] }
            }
            return GrayImage(width: height, height: width, pixels: out)
        default:
            return self
        }
    }
}
