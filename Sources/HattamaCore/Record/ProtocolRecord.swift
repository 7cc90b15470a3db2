/// The machine-readable record of one protocol page: schema `hattama.protocol/1`
/// (published as seeds/schema/hattama.protocol.v1.json).
public struct ProtocolRecord: Sendable, Equatable, Codable {
    /// The schema identifier every record carries.
    public static let schemaID = "hattama.protocol/1"

    public var schema: String = ProtocolRecord.schemaID
    public var form: FormReference?
    public var election: String?
    /// The precinct number read from the form, when it was read.
    public var precinct: String?
    public var source: SourceImage
    public var registration: RegistrationSummary?
    public var fields: [FieldRecord]
    public var relations: [RelationRecord]
    public var status: ProtocolStatus
    /// Problems with the page as a whole (for example why it could not be registered).
    public var problems: [String]
    public var producer: Producer

    public init(form: FormReference?, election: String?, precinct: String?, source: SourceImage,
                registration: RegistrationSummary?, fields: [FieldRecord], relations: [RelationRecord],
                status: ProtocolStatus, problems: [String], producer: Producer = .current) {
        self.form = form
        self.election = election
        self.precinct = precinct
        self.source = source
        self.registration = registration
        self.fields = fields
        self.relations = relations
        self.status = status
        self.problems = problems
        self.producer = producer
    }

    /// The field with this key.
    public func field(_ key: String) -> FieldRecord? { fields.first { $0.key == key } }
}

/// Which template (and which version of it) read the page.
public struct FormReference: Sendable, Equatable, Codable {
    public var id: String
    public var version: Int

    public init(id: String, version: Int) {
        self.id = id
        self.version = version
    }
}

/// The image the record was read from.
public struct SourceImage: Sendable, Equatable, Codable {
    public var path: String
    public var sha256: String
    /// 1-based page within a multi-page file.
    public var page: Int
    public var width: Int
    public var height: Int

    public init(path: String, sha256: String, page: Int, width: Int, height: Int) {
        self.path = path
        self.sha256 = sha256
        self.page = page
        self.width = width
        self.height = height
    }
}

/// How the page was mapped onto the template's reference rendering.
public struct RegistrationSummary: Sendable, Equatable, Codable {
    /// `marks` (corner marks) or `table` (ruled frame).
    public var method: String
    /// 0-1: how well the template's printed lines match the image after registration.
    public var score: Double
    /// Quarter turns (0-3, clockwise) the page was rotated by in the image.
    public var quarterTurns: Int
    /// Row-major 3x3 homography from reference coordinates to image pixels.
    public var homography: [Double]

    enum CodingKeys: String, CodingKey {
        case method, score, homography
        case quarterTurns = "quarter_turns"
    }

    public init(method: String, score: Double, quarterTurns: Int, homography: [Double]) {
        self.method = method
        self.score = score
        self.quarterTurns = quarterTurns
        self.homography = homography
    }
}

/// The program that wrote a record, and the digit model its classifier read with: two builds or two
/// models can read the same pixels differently, so a record says which one read it.
public struct Producer: Sendable, Equatable, Codable {
    public var tool: String
    public var version: String
    /// "sha256:" and the hex digest of the digit classifier's weights file (digit-classifier.json); nil
    /// when no classifier read the page.
    public var digitModel: String?
    /// "sha256:" and the hex digest of the handwriting line reader's model (strip-reader.json); nil when no
    /// line reader read the page.
    public var lineModel: String?

    enum CodingKeys: String, CodingKey {
        case tool, version
        case digitModel = "digit_model"
        case lineModel = "line_model"
    }

    public init(tool: String = "hattama", version: String = HattamaVersion.string, digitModel: String? = nil,
                lineModel: String? = nil) {
        self.tool = tool
        self.version = version
        self.digitModel = digitModel
        self.lineModel = lineModel
    }

    public static let current = Producer()
}

/// The version of this program. 0.2.0: the classifier takes second looks at unsure digit boxes, so
/// handwritten boxes can read otherwise than with 0.1.0.
public enum HattamaVersion {
    public static let string = "0.2.0"
}

/// The overall verdict on a protocol.
public enum ProtocolStatus: String, Sendable, Equatable, Codable, CaseIterable {
    /// Every field accepted (or confirmed by people) and every relation holds.
    case complete
    /// Some fields need a person to check them.
    case needsReview = "needs_review"
    /// Numbers read with confidence break the form's own arithmetic: a finding about the form itself.
    case inconsistent
    /// The page could not be read at all (not registered, or no field read).
    case unreadable
}
