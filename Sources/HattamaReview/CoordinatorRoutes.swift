import Foundation
import HattamaCore
import HattamaStore
import Hummingbird

/// The coordinator's page and its forms: invitations, suspensions and decisions on conflicts.
extension ReviewServices {
    func addCoordinatorRoutes(to router: Router<BasicRequestContext>) {
        router.get("/coordinator") { request, _ in
            let user = try self.requireCoordinator(request)
            let query = FormFields(encoded: request.uri.query ?? "")
            let layout = self.layout(request, user: user)
            let notice = query["suspended"].map { self.text("suspended_done", layout.language, ["value": $0]) }
                ?? (query["decided"] != nil ? self.text("decided", layout.language) : nil)
            return try self.coordinatorResponse(request, user: user, notice: notice)
        }
        router.post("/coordinator/invitations") { request, _ in
            let user = try self.requireCoordinator(request)
            let form = try await BodyReader.form(of: request, limit: self.configuration.maxBodyBytes)
            try SessionAuthenticator.checkCSRF(user, formToken: form["csrf"], request: request)
            guard let role = ReviewRole(rawValue: form["role"] ?? "volunteer") else {
                throw ReviewFailure.badRequest("role must be volunteer or coordinator")
            }
            let invitation = try self.withStore { () throws(ReviewError) in
                try self.store.createInvitation(role: role, createdBy: user.account.id)
            }
            let scheme = self.configuration.secureCookies ? "https" : "http"
            let host = request.head.authority ?? "\(self.configuration.host):\(self.configuration.port)"
            return try self.coordinatorResponse(request, user: user, invitationLink: "\(scheme)://\(host)/invite/\(invitation.token)")
        }
        router.post("/coordinator/suspend/{accountID}") { request, context in
            let user = try self.requireCoordinator(request)
            let accountID = try rowID("accountID", context)
            let form = try await BodyReader.form(of: request, limit: self.configuration.maxBodyBytes)
            try SessionAuthenticator.checkCSRF(user, formToken: form["csrf"], request: request)
            guard accountID != user.account.id else { throw ReviewFailure.badRequest("you cannot suspend your own account") }
            let voided = try self.withStore { () throws(ReviewError) in try self.store.suspend(accountID: accountID, by: user.account.id) }
            return self.redirect("/coordinator?suspended=\(voided)")
        }
        router.post("/coordinator/decide/{taskID}") { request, context in
            let user = try self.requireCoordinator(request)
            let taskID = try rowID("taskID", context)
            let form = try await BodyReader.form(of: request, limit: self.configuration.maxBodyBytes)
            try SessionAuthenticator.checkCSRF(user, formToken: form["csrf"], request: request)
            // A coordinator records what the protocol says, even above the bound its relations give: a
            // protocol that breaks its own arithmetic is a finding, and the re-check marks it.
            switch self.parser.parse(value: form["value"], mark: form["mark"], upperBound: nil) {
            case .failure(let problem):
                let language = self.language(request, user: user)
                return try self.coordinatorResponse(request, user: user, error: self.text(problem.text.key, language, problem.text.values),
                                                    status: .badRequest)
            case .success(let entry):
                _ = try self.withStore { () throws(ReviewError) in try self.store.decide(taskID: taskID, coordinatorID: user.account.id, entry: entry) }
                return self.redirect("/coordinator?decided=\(taskID)")
            }
        }
    }

    private func coordinatorResponse(_ request: Request, user: SignedIn, invitationLink: String? = nil, notice: String? = nil,
                                     error: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        let (progress, tasks, accounts) = try withStore { () throws(ReviewError) in
            (try store.progress(), try store.conflicts(), try store.accounts())
        }
        let conflicts = try tasks.map { task in
            ConflictView(task: task, label: labels.label(formID: task.field.formID, key: task.field.key),
                         entries: try withStore { () throws(ReviewError) in try store.history(taskID: task.taskID) })
        }
        let layout = self.layout(request, user: user)
        let page = layout.coordinatorPage(progress: progress, conflicts: conflicts, accounts: accounts,
                                          invitationLink: invitationLink, notice: notice, error: error)
        return html(page, layout: layout, status: status)
    }
}
