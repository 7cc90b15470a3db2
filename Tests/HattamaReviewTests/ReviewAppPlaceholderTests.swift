import XCTest
@testable import HattamaReview
