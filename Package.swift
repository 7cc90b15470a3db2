// swift-tools-version: 6.0
import PackageDescription

// Dependencies point one way: CLI/Review -> Pipeline/Store -> OCR/Imaging -> CTesseract, and everything -> Core.
// Unsafe C interop is fenced into HattamaImaging and HattamaOCR.
let package = Package(
    name: "Hattama",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hattama", targets: ["hattama"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CTesseract",
            pkgConfig: "tesseract",
            providers: [.apt(["libtesseract-dev", "libleptonica-dev"])]
        ),
        .target(
            name: "HattamaCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "HattamaImaging",
            dependencies: ["CTesseract", "HattamaCore"]
        ),
        .target(
            name: "HattamaOCR",
            dependencies: ["CTesseract", "HattamaImaging", "HattamaCore"],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "HattamaPipeline",
            dependencies: ["HattamaCore", "HattamaImaging", "HattamaOCR"]
        ),
        .target(
            name: "HattamaStore",
            dependencies: ["HattamaCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The volunteer review web app; never imports the OCR targets (crops come from HattamaImaging).
        .target(
            name: "HattamaReview",
            dependencies: [
                "HattamaCore", "HattamaStore", "HattamaImaging",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            resources: [.copy("Resources")]
        ),
        .executableTarget(
            name: "hattama",
            dependencies: [
                "HattamaCore", "HattamaPipeline", "HattamaStore", "HattamaImaging", "HattamaReview",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "HattamaCoreTests", dependencies: ["HattamaCore"]),
        .testTarget(name: "HattamaImagingTests", dependencies: ["HattamaImaging"]),
        .testTarget(name: "HattamaOCRTests", dependencies: ["HattamaOCR", "HattamaImaging"], exclude: ["Fixtures"]),
        .testTarget(name: "HattamaPipelineTests", dependencies: ["HattamaPipeline"], exclude: ["Fixtures"]),
        .testTarget(name: "HattamaCLITests", dependencies: ["HattamaCore"]),
        .testTarget(name: "HattamaStoreTests", dependencies: ["HattamaStore", "HattamaCore"]),
        .testTarget(name: "HattamaCompareTests", dependencies: ["HattamaCore", "HattamaImaging"]),
        .testTarget(
            name: "HattamaReviewTests",
            dependencies: [
                "HattamaReview", "HattamaStore", "HattamaCore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
