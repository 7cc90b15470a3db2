import Foundation

/// Why the store could not do something; each message says what to do next.
public enum StoreError: Error, Sendable, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, detail: String)
    case readOnly(path: String)
    case diskFull(path: String)
    case busy(path: String)
    case corrupt(path: String, detail: String)
    case imageCopy(path: String, detail: String)
    case database(path: String, detail: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let detail):
            return "cannot open the database \(path): \(detail); check that its folder exists and is writable"
        case .readOnly(let path):
            return "the database \(path) is read-only; nothing was written. Give write permission to the file and its folder "
                + "(chmod u+w), or pass another --db"
        case .diskFull(let path):
            return "the disk holding \(path) is full; the image being saved was not written (its transaction was rolled back). "
                + "Free some space and run the same command again: it resumes where it stopped"
        case .busy(let path):
            return "the database \(path) is locked by another process for too long; wait for the other batch to finish or use another --db"
        case .corrupt(let path, let detail):
            return "the database \(path) is damaged (\(detail)); restore it from a backup or start a new one with another --db"
        case .imageCopy(let path, let detail):
            return "cannot keep a copy of the image \(path): \(detail); check free space and permissions of the images folder next to the database"
        case .database(let path, let detail):
            return "database error in \(path): \(detail)"
        }
    }
}
