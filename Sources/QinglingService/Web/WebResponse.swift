import HTTPTypes
import Hummingbird

/// The answers of the web pages: HTML that no other site may frame or script, never cached
/// (pages show what one account may see), and redirects after a form.
enum WebResponse {
    /// An HTML page; `live`, one that runs `/assets/dashboard.js` on the event stream.
    static func page(_ html: String, status: HTTPResponse.Status = .ok, cookies: [String] = [], live: Bool = false) -> Response {
        var response = Response(status: status, headers: headers(contentType: "text/html; charset=utf-8", live: live),
                                body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
        response.headers[values: .setCookie].append(contentsOf: cookies)
        return response
    }

    /// `303 See Other` to `location` (a path of this site), setting `cookies`.
    static func redirect(to location: String, cookies: [String] = []) -> Response {
        var fields = headers(contentType: "text/plain; charset=utf-8")
        fields[.location] = location
        var response = Response(status: .seeOther, headers: fields)
        response.headers[values: .setCookie].append(contentsOf: cookies)
        return response
    }

    /// The stylesheet, cached for a while (it changes with the program only).
    static func stylesheet(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600",
                                        .xContentTypeOptions: "nosniff"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A download (`/analysis/stats.csv`, `/hazards.csv`): the bytes of `text`, saved as `filename`.
    static func download(_ text: String, contentType: String, filename: String) -> Response {
        var fields = headers(contentType: contentType)
        fields[.contentDisposition] = "attachment; filename=\"\(filename)\""
        return Response(status: .ok, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// The dashboard's script, cached as the stylesheet is.
    static func script(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=3600",
                                        .xContentTypeOptions: "nosniff"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// Scripts and their connections only from this site, and only on a live page.
    private static func headers(contentType: String, live: Bool = false) -> HTTPFields {
        [.contentType: contentType,
         .cacheControl: "no-store",
         .contentSecurityPolicy: "default-src 'none'; style-src 'self'; img-src 'self'; "
            + (live ? "script-src 'self'; connect-src 'self'; " : "") + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
         .xContentTypeOptions: "nosniff",
         .referrerPolicy: "same-origin"]
    }
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
