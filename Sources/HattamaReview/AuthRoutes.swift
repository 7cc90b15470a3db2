import Foundation
import HattamaStore
import Hummingbird

/// Sign-in, sign-out, the language switch, invitations to redeem, and the stylesheet.
extension ReviewServices {
    func addAuthRoutes(to router: Router<BasicRequestContext>) {
        router.get("/") { request, _ in
            guard let user = try self.signedIn(request) else { return self.redirect("/login") }
            return self.redirect(user.isCoordinator ? "/coordinator" : "/review")
        }
        router.get("/static/review.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(bytes: self.stylesheet)))
        }
        router.get("/login") { request, _ in
            let layout = self.layout(request, user: nil)
            return self.html(layout.loginPage(), layout: layout)
        }
        router.post("/login") { request, _ in
            let form = try await BodyReader.form(of: request, limit: self.configuration.maxBodyBytes)
            let name = form["name"] ?? ""
            guard let signed = try await self.auth.signIn(name: name, password: form["password"] ?? "") else {
                let layout = self.layout(request, user: nil)
                return self.html(layout.loginPage(name: name, error: self.text("login_failed", layout.language)), layout: layout,
                                 status: .unauthorized)
            }
            var response = self.redirect(signed.account.role == .coordinator ? "/coordinator" : "/review")
            response.setCookie(self.auth.cookie(token: signed.token))
            return response
        }
        router.post("/logout") { request, _ in
            let user = try self.requireUser(request)
            let form = try await BodyReader.form(of: request, limit: self.configuration.maxBodyBytes)
            try SessionAuthenticator.checkCSRF(user, formToken: form["csrf"], request: request)
            try self.withStore { () throws(ReviewError) in try self.auth.signOut(request) }
            var response = self.redirect("/login")
            response.setCookie(self.auth.expiredCookie())
            return response
        }
        router.post("/language") { request, _ in
            let form = try await BodyReader.form(of: request, limit: self.configuration.maxBodyBytes)
            guard let language = form["language"].flatMap(InterfaceLanguage.init(rawValue:)) else {
                throw ReviewFailure.badRequest("language must be kk, ru or en")
            }
            // Only a path of this site: "/x", never "//host" or "http://host".
            let back = form["back"].flatMap { $0.hasPrefix("/") && !$0.hasPrefix("//") && !$0.contains("\\") ? $0 : nil } ?? "/"
            var response = self.redirect(back)
            if let user = try self.signedIn(request) {
                try SessionAuthenticator.checkCSRF(user, formToken: form["csrf"], request: request)
                try self.withStore { () throws(ReviewError) in try self.store.setLanguage(language, accountID: user.account.id) }
            }
            response.setCookie(Cookie(name: SessionAuthenticator.languageCookieName, value: language.rawValue, maxAge: 365 * 86400,
                                      path: "/", secure: self.configuration.secureCookies, httpOnly: true, sameSite: .strict))
            return response
        }
        router.get("/invite/{token}") { request, context in
            let layout = self.layout(request, user: nil)
            return self.html(layout.invitePage(token: context.parameters.get("token") ?? ""), layout: layout)
        }
        router.post("/invite/{token}") { request, context in
            let token = context.parameters.get("token") ?? ""
            let form = try await BodyReader.form(of: request, limit: self.configuration.maxBodyBytes)
            let name = (form["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let password = form["password"] ?? ""
            let layout = self.layout(request, user: nil)
            func refuse(_ key: String, _ status: HTTPResponse.Status) -> Response {
                self.html(layout.invitePage(token: token, name: name, error: self.text(key, layout.language)), layout: layout, status: status)
            }
            guard (1...64).contains(name.count), !name.contains(where: { $0.isNewline }) else { return refuse("name_invalid", .badRequest) }
            guard password.count >= 8 else { return refuse("password_too_short", .badRequest) }
            let passwordHash = try await self.auth.hashPassword(password)
            let account: ReviewAccount
            do {
                account = try self.store.redeemInvitation(token: token, name: name, passwordHash: passwordHash, language: layout.language)
            } catch let error as ReviewError {
                if case .nameTaken = error { return refuse("name_taken", .conflict) }
                throw ReviewFailure(error)
            }
            let signed = try self.withStore { () throws(ReviewError) in try self.auth.openSession(for: account) }
            var response = self.redirect(account.role == .coordinator ? "/coordinator" : "/review")
            response.setCookie(self.auth.cookie(token: signed.token))
            return response
        }
    }
}
