import GRDB
@testable import HattamaStore
import XCTest

final class StoreErrorTests: XCTestCase {
    func testSQLiteFailuresBecomeErrorsThatSayWhatToDo() {
        let path = "/data/results.sqlite"
        let full = SQLiteProtocolStore.storeError(DatabaseError(resultCode: .SQLITE_FULL), path: path)
        XCTAssertEqual(full, .diskFull(path: path))
        XCTAssertTrue(full.description.contains("Free some space and run the same command again"))
        XCTAssertEqual(SQLiteProtocolStore.storeError(DatabaseError(resultCode: .SQLITE_READONLY), path: path), .readOnly(path: path))
        XCTAssertEqual(SQLiteProtocolStore.storeError(DatabaseError(resultCode: .SQLITE_BUSY), path: path), .busy(path: path))
        guard case .corrupt = SQLiteProtocolStore.storeError(DatabaseError(resultCode: .SQLITE_NOTADB), path: path) else {
            return XCTFail("a file that is not a database is reported as damaged")
        }
    }

    func testAFileThatIsNotADatabaseIsRefusedClearly() throws {
        let temp = try TemporaryStore()
        try Data("these are not the tables you are looking for".utf8).write(to: URL(fileURLWithPath: temp.databasePath))
        XCTAssertThrowsError(try temp.open()) { error in
            guard case .corrupt? = error as? StoreError else { return XCTFail("\(error)") }
        }
    }
}
