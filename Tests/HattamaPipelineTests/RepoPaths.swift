import Foundation

/// Where the tests find the checkout's seeds and test images, and the six real images in ../shared.
enum RepoPaths {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let realImages = root.deletingLastPathComponent().appendingPathComponent("shared/realimages")
}
