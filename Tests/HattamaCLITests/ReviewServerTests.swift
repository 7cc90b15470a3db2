import Foundation
import XCTest

/// The review app as users run it: `hattama review serve` on loopback over a database digitized by `hattama
/// batch`, driven by a real browser (Debian's chromium through chromium-driver) and by simulated volunteers.
/// Both drivers live in tools/review/ and fail with a message saying what went wrong.
final class ReviewServerTests: XCTestCase {
    /// Login, three reviews by two volunteers, a conflict settled by a third, all through chromium.
    func testBrowserDrivesLoginReviewsAndAConflictSettledByAThird() throws {
        let result = try runTool("tools/review/browser_test.py", [])
        XCTAssertEqual(result.status, 0, "browser test failed:\n\(result.stdout)\n\(result.stderr)")
        XCTAssertTrue(result.stdout.contains("('confirmed', 102, 'majority')"), result.stdout)
    }

    /// The short form of the load test: many volunteers at once on ten handwritten protocols (enough that more
    /// than 20 fields still go to people now that the machine accepts more of them), each
    /// mistyping 2% of the time, until every field is decided. No field goes to one volunteer twice, no
    /// acknowledged entry is missing from the store, and every final value equals the truth.
    func testConcurrentVolunteersWithTyposEndWithEveryFieldRight() throws {
        let result = try runTool("tools/review/volunteers.py",
                                 ["--generate", "10", "--volunteers", "40", "--think", "0.02,0.1", "--typo-rate", "0.02",
                                  "--until-done", "--duration", "240", "--seed", "3"])
        XCTAssertEqual(result.status, 0, "simulated volunteers failed:\n\(result.stdout)\n\(result.stderr)")
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let checks = try XCTUnwrap(report["checks"] as? [String: Any])
        XCTAssertEqual(checks["same_field_twice"] as? Int, 0)
        XCTAssertEqual(checks["entries_lost"] as? Int, 0)
        XCTAssertEqual(checks["wrong_final_values"] as? Int, 0)
        XCTAssertEqual(checks["not_confirmed"] as? Int, 0)
        XCTAssertGreaterThan(checks["confirmed_by_people"] as? Int ?? 0, 20, "too few fields went through review")
    }

    private func runTool(_ script: String, _ arguments: [String]) throws -> CLIRunner.Result {
        let root = CLIRunner.repoRoot
        let python = root.appendingPathComponent(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver") else {
            XCTFail("the review tests need .venv (with selenium) and chromium-driver: run tools/setup.sh")
            throw XCTSkip("tools missing")
        }
        let binary = try BinaryLocator.hattama()
        return try CLIRunner.run(python, [root.appendingPathComponent(script).path, "--binary", binary.path] + arguments)
    }
}
