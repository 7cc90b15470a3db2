import Foundation
import HattamaCore
import HattamaStore

/// A field in conflict as the coordinator page shows it: where it is, its label and every entry so far.
struct ConflictView: Sendable {
    var task: ReviewTaskSummary
    var label: LocalizedText
    var entries: [ReviewEntryRecord]
}

/// The coordinator's page: progress, conflicts to decide, invitations and suspensions.
extension PageLayout {
    func coordinatorPage(progress: ReviewProgress, conflicts: [ConflictView], accounts: [ReviewAccount],
                         invitationLink: String? = nil, notice: String? = nil, error: String? = nil) -> String {
        var body = ""
        if let notice { body += "<p class=\"notice\" role=\"status\">\(HTMLText.escape(notice))</p>\n" }
        if let error { body += "<p class=\"error\" role=\"alert\">\(HTMLText.escape(error))</p>\n" }
        body += progressSection(progress, accounts: accounts)
        body += conflictSection(conflicts)
        body += invitationSection(invitationLink)
        return document(title: text("coordinator_title", language), body: body)
    }

    private func percent(_ rate: Double?) -> String {
        rate.map { String(format: "%.1f%%", $0 * 100) } ?? "–"
    }

    private func progressSection(_ progress: ReviewProgress, accounts: [ReviewAccount]) -> String {
        var html = "<section id=\"progress\"><h2>\(t("progress"))</h2>\n<ul class=\"figures\">"
        for (key, value, id) in [("tasks_total", "\(progress.tasks)", "tasks"), ("tasks_confirmed", "\(progress.confirmed)", "confirmed"),
                                 ("tasks_conflict", "\(progress.inConflict)", "in-conflict"), ("tasks_left", "\(progress.left)", "left"),
                                 ("agreement_rate", percent(progress.agreementRate), "agreement")] {
            html += "<li>\(t(key))<b id=\"\(id)\">\(value)</b></li>"
        }
        html += "</ul>\n<table class=\"volunteers\"><thead><tr><th>\(t("volunteer"))</th><th>\(t("role"))</th><th>\(t("entries"))</th>"
            + "<th>\(t("per_hour"))</th><th>\(t("agreement_rate"))</th><th>\(t("status"))</th><th></th></tr></thead><tbody>\n"
        let figures = Dictionary(progress.volunteers.map { ($0.accountID, $0) }, uniquingKeysWith: { first, _ in first })
        for account in accounts.sorted(by: { $0.name < $1.name }) {
            let figure = figures[account.id]
            let suspend = account.isSuspended || account.id == user?.account.id ? "" :
                "<form method=\"post\" action=\"/coordinator/suspend/\(account.id)\" class=\"suspend\">\(csrfField)"
                + "<button type=\"submit\" id=\"suspend-\(account.id)\">\(t("suspend"))</button></form>"
            html += "<tr data-account=\"\(account.id)\"><td>\(HTMLText.escape(account.name))</td>"
                + "<td>\(t(account.role == .coordinator ? "role_coordinator" : "role_volunteer"))</td>"
                + "<td>\(figure?.entries ?? 0)</td><td>\(String(format: "%.0f", figure?.entriesPerHour ?? 0))</td>"
                + "<td>\(percent(figure?.agreementRate))</td><td>\(t(account.isSuspended ? "suspended" : "active"))</td>"
                + "<td>\(suspend)</td></tr>\n"
        }
        return html + "</tbody></table></section>\n"
    }

    private func shown(_ value: ReviewEntryValue) -> String {
        switch value {
        case .number(let number): return "\(number)"
        case .illegible: return text("illegible", language)
        case .notAProtocol: return text("not_protocol", language)
        }
    }

    private func conflictSection(_ conflicts: [ConflictView]) -> String {
        var html = "<section id=\"conflicts\"><h2>\(t("conflicts"))</h2>\n"
        if conflicts.isEmpty { html += "<p>\(t("no_conflicts"))</p>" }
        for conflict in conflicts {
            let id = conflict.task.taskID
            let labels = ["kk", "ru"].map { HTMLText.escape(conflict.label.text(in: $0)) }.joined(separator: " / ")
            let entries = conflict.entries.map { entry in
                "<li\(entry.counts ? "" : " class=\"voided\"")>\(HTMLText.escape(entry.accountName)): \(HTMLText.escape(shown(entry.value)))</li>"
            }.joined()
            html += """
            <div class="conflict" id="conflict-\(id)">
            <p>\(labels) <small>(\(HTMLText.escape(conflict.task.field.key)), \(t("line")) \(conflict.task.field.line))</small></p>
            <img src="/crops/task/\(id).png" alt="\(t("field"))">
            <ul class="entries">\(entries)</ul>
            <form class="decide" method="post" action="/coordinator/decide/\(id)">\(csrfField)
            <input name="value" inputmode="numeric" autocomplete="off" aria-label="\(t("enter_value"))">
            <button type="submit">\(t("decide"))</button>
            <button type="submit" name="mark" value="illegible">\(t("illegible"))</button>
            <button type="submit" name="mark" value="not_a_protocol">\(t("not_protocol"))</button>
            </form>
            </div>

            """
        }
        return html + "</section>\n"
    }

    private func invitationSection(_ link: String?) -> String {
        var html = "<section id=\"invitations\"><h2>\(t("invitations"))</h2>\n"
        if let link {
            html += "<p>\(t("invitation_created")): <code class=\"link\" id=\"invitation-link\">\(HTMLText.escape(link))</code></p>\n"
        }
        html += """
        <form method="post" action="/coordinator/invitations" id="invite">\(csrfField)
        <label for="role">\(t("role"))</label>
        <select id="role" name="role"><option value="volunteer">\(t("role_volunteer"))</option><option value="coordinator">\(t("role_coordinator"))</option></select>
        <button type="submit">\(t("create_invitation"))</button>
        </form></section>
        """
        return html
    }
}
