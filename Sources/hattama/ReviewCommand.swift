import ArgumentParser
import Foundation
import HattamaCore
import HattamaReview
import HattamaStore

/// `hattama review`: the volunteer review queue over a store (serve the web app, invite people).
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Run the volunteer review web app over a database, and manage its accounts.",
        subcommands: [Serve.self, Invite.self, AddCoordinator.self])

    static func openStore(_ db: String, policy: ConflictPolicy = .thirdVolunteer,
                          agreement: AgreementRule = .backed) throws -> SQLiteReviewStore {
        guard FileManager.default.fileExists(atPath: db) else {
            throw ValidationError("no database at \(db); fill one first with `hattama batch ... --db \(db)`")
        }
        do {
            return try SQLiteReviewStore(path: db, policy: policy, agreement: agreement)
        } catch {
            throw ValidationError("cannot open \(db): \(error)")
        }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue every uncertain field of the database for blind double entry and serve the review app.",
            discussion: "Put a TLS proxy in front (and pass --secure-cookies) before serving beyond loopback.")

        @Option(help: "The database file.")
        var db: String
        @Option(help: "Address to listen on.")
        var host = "127.0.0.1"
        @Option(help: "Port to listen on.")
        var port = 8080
        @Option(help: "When two volunteers disagree: third-volunteer (a third enters blind) or coordinator.")
        var policy = "third-volunteer"
        @Option(help: "What two agreeing volunteers need: backed (a machine reader or the arithmetic gives the same value, else a third volunteer must) or two-volunteers.")
        var agreement = "backed"
        @Option(help: "Templates folder for field labels (default: seeds/ of the project).")
        var seeds: String?
        @Flag(help: "Mark the session cookie Secure (required when served over HTTPS).")
        var secureCookies = false

        func validate() throws {
            guard AgreementRule(rawValue: agreement) != nil else {
                throw ValidationError("--agreement must be backed or two-volunteers, not \(agreement)")
            }
            guard ConflictPolicy(rawValue: policy) != nil else {
                throw ValidationError("--policy must be third-volunteer or coordinator, not \(policy)")
            }
            guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        }

        func run() async throws {
            let store = try ReviewCommand.openStore(db, policy: ConflictPolicy(rawValue: policy) ?? .thirdVolunteer,
                                                    agreement: AgreementRule(rawValue: agreement) ?? .backed)
            let queued: Int
            do {
                queued = try store.enqueueUncertainFields()
            } catch {
                throw ValidationError("cannot queue the uncertain fields of \(db): \(error)")
            }
            let seedsFolder = seeds.map { URL(fileURLWithPath: $0) } ?? TemplateCatalog.locateSeeds()
            if seedsFolder == nil {
                Environment.printError("warning: no seeds/ folder found; fields show their keys instead of labels (pass --seeds DIR)")
            }
            let configuration = ReviewConfiguration(databasePath: db, host: host, port: port, seedsFolder: seedsFolder,
                                                    secureCookies: secureCookies)
            let app = try buildReviewApplication(configuration: configuration, store: store)
            Environment.printError("review: \(queued) new fields queued; serving http://\(host):\(port)/ (Ctrl-C stops)")
            // Pages digitized into the same database while the server runs join the queue within a minute.
            let refresher = Task.detached {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(60))
                    if let added = try? store.enqueueUncertainFields(), added > 0 {
                        Environment.printError("review: \(added) new fields queued")
                    }
                }
            }
            defer { refresher.cancel() }
            try await app.runService()
        }
    }

    struct Invite: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a single-use invitation and print its path (open it on the review server to create the account).")

        @Option(help: "The database file.")
        var db: String
        @Option(help: "volunteer or coordinator.")
        var role = "volunteer"
        @Option(help: "The server's address as people reach it, to print a full link.")
        var baseURL = "http://127.0.0.1:8080"

        func run() throws {
            guard let role = ReviewRole(rawValue: role) else { throw ValidationError("--role must be volunteer or coordinator") }
            let store = try ReviewCommand.openStore(db)
            do {
                guard let coordinator = try store.accounts().first(where: { $0.role == .coordinator && !$0.isSuspended }) else {
                    throw ValidationError("no coordinator yet; create one with `hattama review add-coordinator --db \(db) --name NAME`")
                }
                let invitation = try store.createInvitation(role: role, createdBy: coordinator.id)
                print("\(baseURL)/invite/\(invitation.token)")
            } catch let error as ReviewError {
                throw ValidationError("cannot create the invitation: \(error)")
            }
        }
    }

    struct AddCoordinator: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-coordinator",
            abstract: "Create a coordinator account; the password is read from standard input (one line, 8 characters or more).")

        @Option(help: "The database file.")
        var db: String
        @Option(help: "The account name.")
        var name: String
        @Option(help: "Interface language: kk, ru or en.")
        var language = "kk"

        func run() throws {
            guard let language = InterfaceLanguage(rawValue: language) else { throw ValidationError("--language must be kk, ru or en") }
            guard let password = readLine(strippingNewline: true), password.count >= 8 else {
                throw ValidationError("give the password (8 characters or more) on standard input, e.g. `read -s P; echo \"$P\" | hattama review add-coordinator ...`")
            }
            let store = try ReviewCommand.openStore(db)
            do {
                let account = try store.createAccount(name: name, passwordHash: ReviewPasswords.hash(password), role: .coordinator,
                                                      language: language)
                print("coordinator \(account.name) created (account \(account.id))")
            } catch {
                throw ValidationError("cannot create the coordinator: \(error)")
            }
        }
    }
}
