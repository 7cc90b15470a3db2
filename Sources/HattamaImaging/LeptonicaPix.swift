import CTesseract
import Foundation
import HattamaCore

/// Owns one Leptonica `Pix` and frees it in `deinit`; the only way Swift code in this module holds a Pix.
///
/// Internal on purpose: pointers never leave HattamaImaging. Other files of the module (registration,
/// warping) may use `pointer` for Leptonica calls that borrow the image, and `adopt` for calls that
/// return a new one.
final class LeptonicaPix {
    /// The owned Pix; valid for the life of this object.
    let pointer: UnsafeMutablePointer<Pix>

    /// Takes ownership of a Pix returned by Leptonica; returns nil when Leptonica returned NULL.
    init?(adopting pointer: UnsafeMutablePointer<Pix>?) {
        guard let pointer else { return nil }
        Leptonica.configureOnce()
        self.pointer = pointer
    }

    deinit {
        var owned: UnsafeMutablePointer<Pix>? = pointer
        pixDestroy(&owned)
    }

    var width: Int { Int(pixGetWidth(pointer)) }
    var height: Int { Int(pixGetHeight(pointer)) }
    var depth: Int { Int(pixGetDepth(pointer)) }

    /// Creates an 8 bpp Pix holding a copy of `image`.
    convenience init?(gray image: GrayImage) {
        Leptonica.configureOnce()
        guard image.width > 0, image.height > 0,
              let created = pixCreate(Int32(image.width), Int32(image.height), 8) else { return nil }
        self.init(adopting: created)
        guard let data = pixGetData(pointer) else { return nil }
        let wordsPerLine = Int(pixGetWpl(pointer))
        let width = image.width
        image.pixels.withUnsafeBufferPointer { source in
            let bytes = UnsafeMutableRawPointer(data).assumingMemoryBound(to: UInt8.self)
            for y in 0..<image.height {
                let line = bytes + y * wordsPerLine * 4
                let row = y * width
                for x in 0..<width {
                    line[Leptonica.byteIndex(x)] = source[row + x]
                }
            }
        }
    }

    /// Creates a 32 bpp RGB Pix holding a copy of `image`.
    convenience init?(rgb image: RGBImage) {
        Leptonica.configureOnce()
        guard image.width > 0, image.height > 0,
              let created = pixCreate(Int32(image.width), Int32(image.height), 32) else { return nil }
        self.init(adopting: created)
        guard let data = pixGetData(pointer) else { return nil }
        let wordsPerLine = Int(pixGetWpl(pointer))
        image.bytes.withUnsafeBufferPointer { source in
            for y in 0..<image.height {
                let line = data + y * wordsPerLine
                for x in 0..<image.width {
                    let i = (y * image.width + x) * 3
                    // Leptonica RGB word: red in the most significant byte, then green, blue, alpha.
                    line[x] = UInt32(source[i]) << 24 | UInt32(source[i + 1]) << 16 | UInt32(source[i + 2]) << 8 | 0xFF
                }
            }
        }
    }

    /// A copy as 8-bit grey: colour by luminance, alpha composited onto white, 1 bpp ink as black.
    func grayImage() -> GrayImage? {
        var source: LeptonicaPix = self
        if pixGetSpp(pointer) == 4, depth == 32 {
            guard let flattened = LeptonicaPix(adopting: pixAlphaBlendUniform(pointer, 0xFFFF_FF00)) else { return nil }
            source = flattened
        }
        let eightBit: LeptonicaPix
        if source.depth == 8, pixGetColormap(source.pointer) == nil {
            eightBit = source
        } else {
            guard let converted = LeptonicaPix(adopting: pixConvertTo8(source.pointer, 0)) else { return nil }
            eightBit = converted
        }
        guard eightBit.depth == 8, let data = pixGetData(eightBit.pointer) else { return nil }
        let width = eightBit.width, height = eightBit.height
        let wordsPerLine = Int(pixGetWpl(eightBit.pointer))
        var pixels = [UInt8](repeating: 255, count: width * height)
        let bytes = UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self)
        pixels.withUnsafeMutableBufferPointer { out in
            for y in 0..<height {
                let line = bytes + y * wordsPerLine * 4
                let row = y * width
                for x in 0..<width {
                    out[row + x] = line[Leptonica.byteIndex(x)]
                }
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }
}

/// Process-wide Leptonica settings.
enum Leptonica {
    /// Silences Leptonica's own stderr messages once per process; our errors carry the detail instead.
    static func configureOnce() { _ = quiet }

    private static let quiet: Bool = {
        _ = setMsgSeverity(Int32(L_SEVERITY_NONE))
        return true
    }()

    /// Index of pixel `x` inside a line of 8 bpp data: Leptonica packs bytes big-endian within 32-bit words.
    @inline(__always)
    static func byteIndex(_ x: Int) -> Int {
        #if _endian(little)
        return x ^ 3
        #else
        return x
        #endif
    }
}
