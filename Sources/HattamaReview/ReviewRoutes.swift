import Foundation
import HattamaCore
import HattamaStore
import Hummingbird

/// The volunteer's pages and the crops of the fields they hold.
extension ReviewServices {
    func addReviewRoutes(to router: Router<BasicRequestContext>) {
        router.get("/review") { request, _ in
            let user = try self.requireUser(request)
            let layout = self.layout(request, user: user)
            guard let assignment = try self.nextAssignment(for: user) else {
                return self.html(layout.nothingLeftPage(), layout: layout)
            }
            return self.html(layout.reviewPage(assignment, label: self.label(of: assignment.field)), layout: layout)
        }
        router.post("/review/{assignmentID}") { request, context in
            let user = try self.requireUser(request)
            let assignmentID = try rowID("assignmentID", context)
            let form = try await BodyReader.form(of: request, limit: self.configuration.maxBodyBytes)
            try SessionAuthenticator.checkCSRF(user, formToken: form["csrf"], request: request)
            let held = try self.heldAssignment(assignmentID, by: user)
            // A value above the bound the relations give is refused once; typed again it is taken (the protocol
            // may really break its own arithmetic, and that is a finding to record).
            let insists = form["confirm"] != nil && form["confirm"] == form["value"]
            switch self.parser.parse(value: form["value"], mark: form["mark"], upperBound: insists ? nil : held?.field.upperBound) {
            case .failure(let problem):
                let layout = self.layout(request, user: user)
                let message = self.text(problem.text.key, layout.language, problem.text.values)
                guard let held else { throw problem.failure }
                var confirmable: String?
                if case .aboveUpperBound = problem { confirmable = form["value"] }
                return self.html(layout.reviewPage(held, label: self.label(of: held.field), typed: "", error: message,
                                                   confirmable: confirmable),
                                 layout: layout, status: .badRequest)
            case .success(let entry):
                _ = try self.submit(assignmentID, entry: entry, by: user)
                return self.redirect("/review")
            }
        }
        router.get("/crops/{assignmentID}.png") { request, context in
            let field = try self.heldField(try rowID("assignmentID", context), request: request)
            return self.png(try self.crops.fieldPNG(field))
        }
        router.get("/crops/{assignmentID}/row.png") { request, context in
            let field = try self.heldField(try rowID("assignmentID", context), request: request)
            return self.png(try self.crops.rowPNG(field))
        }
        router.get("/crops/task/{taskID}.png") { request, context in
            _ = try self.requireCoordinator(request)
            let taskID = try rowID("taskID", context)
            guard let task = try self.withStore({ () throws(ReviewError) in try self.store.conflicts() }).first(where: { $0.taskID == taskID })
            else { throw ReviewFailure.notFound("no field in conflict with task id \(taskID)") }
            return self.png(try self.crops.fieldPNG(task.field))
        }
    }

    /// The account's live assignment (the same one until it is entered or expires), remembered for its crops.
    func nextAssignment(for user: SignedIn) throws -> ReviewAssignment? {
        let assignment = try withStore { () throws(ReviewError) in try store.nextAssignment(for: user.account.id) }
        if let assignment { book.remember(assignment) }
        return assignment
    }

    /// The assignment if this account holds it; throws 409 when another account does; nil when this server
    /// does not know it (the store then decides).
    func heldAssignment(_ id: Int64, by user: SignedIn) throws -> ReviewAssignment? {
        if let known = book.assignment(id) {
            guard known.accountID == user.account.id else { throw ReviewFailure(ReviewError.notAssigned(assignmentID: id)) }
            return known
        }
        let current = try nextAssignment(for: user)
        return current?.id == id ? current : nil
    }

    /// Where the field of an assignment is, for its holder only (404 for everyone else, so ids reveal nothing).
    func heldField(_ id: Int64, request: Request) throws -> ReviewFieldLocation {
        let user = try requireUser(request)
        if let known = book.assignment(id), known.accountID != user.account.id { throw ReviewFailure.notFound("no assignment \(id) of yours") }
        guard let held = try heldAssignment(id, by: user) else { throw ReviewFailure.notFound("no assignment \(id) of yours") }
        return held.field
    }

    /// Records an entry already checked for form and range.
    func submit(_ assignmentID: Int64, entry: ReviewEntryValue, by user: SignedIn) throws -> SubmitOutcome {
        let outcome = try withStore { () throws(ReviewError) in
            try store.submit(assignmentID: assignmentID, accountID: user.account.id, entry: entry)
        }
        book.forget(assignmentID)
        return outcome
    }

    func label(of field: ReviewFieldLocation) -> LocalizedText { labels.label(formID: field.formID, key: field.key) }
}
