import Foundation
import HattamaCore
import HattamaStore

/// The pages every person sees: sign-in, the review of one field, the invitation form and messages.
extension PageLayout {
    func loginPage(name: String = "", error: String? = nil) -> String {
        let body = """
        <form class="login" method="post" action="/login">
        \(error.map { "<p class=\"error\" role=\"alert\">\(HTMLText.escape($0))</p>" } ?? "")
        <label for="name">\(t("name"))</label>
        <input id="name" name="name" autocomplete="username" required autofocus value="\(HTMLText.escape(name))">
        <label for="password">\(t("password"))</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>
        <button id="login" type="submit">\(t("login_button"))</button>
        </form>
        """
        return document(title: text("login_title", language), body: body)
    }

    /// One field to enter: its crop large, its label in Kazakh and Russian (and English when chosen), the row
    /// around it, and one input. Shows nothing of the machine's reading or other people's entries.
    /// `confirmable`: a value refused only for being above the field's bound; typing it again takes it.
    func reviewPage(_ assignment: ReviewAssignment, label: LocalizedText, typed: String = "", error: String? = nil,
                    confirmable: String? = nil) -> String {
        let id = assignment.id
        var labels = ["kk", "ru"].map { "<span lang=\"\($0)\">\(HTMLText.escape(label.text(in: $0)))</span>" }
        if language == .en { labels.append("<span lang=\"en\">\(HTMLText.escape(label.text(in: "en")))</span>") }
        let until = ISO8601DateFormatter().string(from: assignment.leasedUntil)
        let markForm = { (mark: String, buttonID: String, key: String) in
            "<form method=\"post\" action=\"/review/\(id)\">\(csrfField)<input type=\"hidden\" name=\"mark\" value=\"\(mark)\">"
                + "<button id=\"\(buttonID)\" type=\"submit\">\(t(key))</button></form>"
        }
        let body = """
        <p class="labels">\(labels.joined())<span class="line">\(t("line")) \(assignment.field.line)</span></p>
        <img id="crop" src="/crops/\(id).png" alt="\(t("field"))">
        <form class="entry" method="post" action="/review/\(id)" id="entry-form">\(csrfField)\(confirmable.map {
            "<input type=\"hidden\" name=\"confirm\" value=\"\(HTMLText.escape($0))\">" } ?? "")
        <input id="entry" name="value" type="text" inputmode="numeric" autocomplete="off" autofocus
         aria-label="\(t("enter_value"))" placeholder="\(t("enter_value"))" value="\(HTMLText.escape(typed))">
        <button id="submit" type="submit">\(t("submit"))</button>
        </form>
        \(error.map { "<p class=\"error\" id=\"error\" role=\"alert\">\(HTMLText.escape($0))</p>" } ?? "")
        <div class="marks">\(markForm("illegible", "illegible", "illegible"))\(markForm("not_a_protocol", "not-protocol", "not_protocol"))</div>
        <p class="hint">\(t("keys_hint"))</p>
        <p class="hint">\(t("row_context"))</p>
        <img id="row" src="/crops/\(id)/row.png" alt="\(t("row_context"))">
        <p class="hint">\(t("lease_until")) <time datetime="\(until)">\(until)</time></p>
        """
        // '*' and '/' sit on every numeric keypad and no keyboard layout moves them.
        let script = """
        var entry = document.getElementById('entry');
        entry.focus(); entry.select();
        entry.addEventListener('keydown', function (e) {
          if (e.key === '*') { e.preventDefault(); document.getElementById('illegible').click(); }
          else if (e.key === '/') { e.preventDefault(); document.getElementById('not-protocol').click(); }
        });
        """
        return document(title: text("review_title", language), body: body, script: script)
    }

    func nothingLeftPage() -> String {
        let body = "<p class=\"notice\" id=\"nothing-left\">\(t("nothing_left"))</p><p><a href=\"/review\">\(t("next_field"))</a></p>"
        return document(title: text("review_title", language), body: body)
    }

    func invitePage(token: String, name: String = "", error: String? = nil) -> String {
        let body = """
        <form class="login" method="post" action="/invite/\(HTMLText.escape(token))">
        \(error.map { "<p class=\"error\" role=\"alert\">\(HTMLText.escape($0))</p>" } ?? "")
        <label for="name">\(t("name"))</label>
        <input id="name" name="name" autocomplete="username" required autofocus maxlength="64" value="\(HTMLText.escape(name))">
        <label for="password">\(t("password"))</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required minlength="8">
        <button id="create" type="submit">\(t("create_account"))</button>
        </form>
        """
        return document(title: text("invite_title", language), body: body)
    }

    /// A page that only says what went wrong (or right).
    func messagePage(title: String, message: String, isError: Bool) -> String {
        let body = "<p class=\"\(isError ? "error" : "notice")\" role=\"alert\">\(HTMLText.escape(message))</p>"
            + (user == nil ? "<p><a href=\"/login\">\(t("login_title"))</a></p>" : "<p><a href=\"/review\">\(t("next_field"))</a></p>")
        return document(title: title, body: body)
    }
}
