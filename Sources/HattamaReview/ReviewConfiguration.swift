import Foundation
import HattamaStore

/// Everything the review server needs to know besides its store: where it listens, how it signs people in,
/// where the images are and how strict it is with input.
public struct ReviewConfiguration: Sendable {
    /// Address to listen on (loopback by default; put a TLS proxy in front to serve the internet).
    public var host: String
    public var port: Int
    /// The images folder of the store (`<db>.images`), where crops are cut from.
    public var imagesFolder: URL
    /// The seeds folder with `forms/*.yaml`, for field labels; nil shows field keys instead of labels.
    public var seedsFolder: URL?
    /// Marks the session cookie `Secure`; turn on whenever the app is served over TLS.
    public var secureCookies: Bool
    /// Bcrypt cost of new password hashes (10 keeps a login near 100 ms; tests use 4).
    public var bcryptCost: UInt8
    /// How long a login lasts.
    public var sessionLifetime: TimeInterval
    /// Requests with a larger body are refused with 413.
    public var maxBodyBytes: Int
    /// Entries above this are refused as absurd when the field has no known upper bound.
    public var absurdValue: Int
    /// The interface language before anyone chooses one.
    public var defaultLanguage: InterfaceLanguage

    /// A configuration for a store at `databasePath`, with its images in `<databasePath>.images`.
    public init(databasePath: String, host: String = "127.0.0.1", port: Int = 8080, seedsFolder: URL? = nil,
                secureCookies: Bool = false, bcryptCost: UInt8 = 10, sessionLifetime: TimeInterval = 12 * 3600,
                maxBodyBytes: Int = 16 * 1024, absurdValue: Int = 100_000, defaultLanguage: InterfaceLanguage = .kk) {
        self.host = host
        self.port = port
        self.imagesFolder = URL(fileURLWithPath: databasePath + ".images")
        self.seedsFolder = seedsFolder
        self.secureCookies = secureCookies
        self.bcryptCost = bcryptCost
        self.sessionLifetime = sessionLifetime
        self.maxBodyBytes = maxBodyBytes
        self.absurdValue = absurdValue
        self.defaultLanguage = defaultLanguage
    }
}
