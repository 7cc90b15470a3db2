import HattamaCore
import HattamaStore

/// The frame of every page: header with the account, language switch and sign-out, then the content.
struct PageLayout: Sendable {
    let text: InterfaceText
    let language: InterfaceLanguage
    let user: SignedIn?
    /// The per-response nonce that lets the page's inline script run under the Content-Security-Policy.
    let nonce: String
    /// The path of the page, so the language switch can come back to it.
    var path: String = "/"

    func t(_ key: String, _ values: [String: String] = [:]) -> String { HTMLText.escape(text(key, language, values)) }

    /// A hidden CSRF field for forms of a signed-in page.
    var csrfField: String {
        guard let user else { return "" }
        return "<input type=\"hidden\" name=\"csrf\" value=\"\(HTMLText.escape(user.session.csrfToken))\">"
    }

    func document(title: String, body: String, script: String? = nil) -> String {
        var html = """
        <!doctype html>
        <html lang="\(language.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTMLText.escape(title)) · \(t("app_title"))</title>
        <link rel="stylesheet" href="/static/review.css">
        </head>
        <body>
        <header><span class="title">\(t("app_title"))</span>
        """
        html += languageSwitch
        if let user {
            html += "<span class=\"who\">\(HTMLText.escape(user.account.name))</span>"
            html += "<form method=\"post\" action=\"/logout\">\(csrfField)<button id=\"logout\" type=\"submit\">\(t("logout"))</button></form>"
        }
        html += "</header>\n<main>\n<h1>\(HTMLText.escape(title))</h1>\n\(body)\n</main>\n"
        if let script { html += "<script nonce=\"\(nonce)\">\(script)</script>\n" }
        html += "</body>\n</html>\n"
        return html
    }

    private var languageSwitch: String {
        let names: [(InterfaceLanguage, String)] = [(.kk, "Қаз"), (.ru, "Рус"), (.en, "Eng")]
        var html = "<form method=\"post\" action=\"/language\" aria-label=\"\(t("language"))\">\(csrfField)"
            + "<input type=\"hidden\" name=\"back\" value=\"\(HTMLText.escape(path))\">"
        for (code, name) in names {
            html += "<button type=\"submit\" name=\"language\" value=\"\(code.rawValue)\" lang=\"\(code.rawValue)\" "
                + "aria-pressed=\"\(code == language)\">\(name)</button>"
        }
        return html + "</form>"
    }
}
