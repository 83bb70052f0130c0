import Foundation
import Testing

@testable import WebhookCore

/// URL and header rules of webhooks (`WebhookValidation`) and the NUL rule (`StorableText`).
@Suite("Webhook validation")
struct WebhookValidationTests {
    func urlCode(_ url: String) -> String? {
        do throws(WebhookValidationError) {
            try WebhookValidation.validateURL(url)
            return nil
        } catch {
            return error.code
        }
    }

    func headersCode(_ headers: [String: String], signature: String = "X-Webhook-Signature", event: String = "X-Webhook-Event") -> String? {
        do throws(WebhookValidationError) {
            try WebhookValidation.validateHeaderNames(signatureHeader: signature, eventHeader: event)
            try WebhookValidation.validateHeaders(headers, signatureHeader: signature, eventHeader: event)
            return nil
        } catch {
            return error.code
        }
    }

    @Test(arguments: [
        "https://example.com/hook", "http://127.0.0.1:8080/a?b=c#d", "HTTPS://EXAMPLE.COM", "http://[::1]:9000/x",
        "http://[2001:db8::1]/x", "http://host:1/", "http://host:65535/", "http://host:00080/", "https://bücher.example/a",
        "https://example.com/a%20b%0D%0A",
    ])
    func acceptsSendableURLs(_ url: String) {
        #expect(urlCode(url) == nil, "\(url)")
    }

    @Test(arguments: [
        "", "http://host/x\r\nX-Injected: 1", "http://host/x\r\n", "http://host/x\n", "http://host/x\r", "\nhttp://host/x",
        "http://host/a b", "http://host/x ", " http://host/x", "http://host/\tx", "http://host/x\u{0}", "http://host/\u{7F}",
        "http://host/\u{85}", "http://host/\u{A0}", "http://host/\u{2028}", "http://host/\u{200B}", "http://host/\u{202E}",
        "http://host:99999/x", "http://host:0/x", "http://host:65536/", "http://host:-1/", "http://host:80a/", "http://host:/x",
        "http://host:123456/", "http://[::1]:99999/", "http://[::1/", "http://[::1]x/", "ftp://host/x", "file:///etc/passwd",
        "javascript:alert(1)", "http:/host/x", "http:host", "//host/x", "host/x", "http://", "http:///x", "http://?x",
        "http://user:pw@host/x", "http://user@host/x", "http://@host/x", "https://a@b@host/",
        "https://example.com/" + String(repeating: "a", count: 2100),
    ])
    func refusesURLsDeliveryCannotSend(_ url: String) {
        #expect(urlCode(url) == "E_INVALID_URL", "\(url.debugDescription)")
    }

    @Test func acceptsOrdinaryCustomHeaders() {
        #expect(headersCode([:]) == nil)
        #expect(headersCode(["Authorization": "Bearer abc", "X-Tab": "a\tb", "X-Unicode": "ünïcode", "x-api-key": "k"]) == nil)
        #expect(headersCode(["X-Atlas-Token": "t"], signature: "X-ATLAS-Signature", event: "X-ATLAS-Event") == nil)
    }

    @Test(arguments: [
        "Host", "host", "Content-Length", "Transfer-Encoding", "transfer-encoding", "Connection", "Content-Type", "User-Agent",
        "Keep-Alive", "Upgrade", "TE", "Trailer", "Expect", "Proxy-Authorization", "proxy-connection", "webhook-id",
        "Webhook-Timestamp", "WEBHOOK-SIGNATURE", "X-Webhook-Signature", "x-webhook-event",
    ])
    func refusesHeaderNamesThePlatformOwns(_ name: String) {
        #expect(headersCode([name: "v"]) == "E_RESERVED_HEADER", "\(name)")
    }

    @Test func theWebhooksOwnHeaderNamesAreReservedToo() {
        #expect(headersCode(["X-Sig": "v"], signature: "X-Sig", event: "X-Evt") == "E_RESERVED_HEADER")
        #expect(headersCode(["x-evt": "v"], signature: "X-Sig", event: "X-Evt") == "E_RESERVED_HEADER")
        #expect(headersCode(["X-Webhook-Signature": "v"], signature: "X-Sig", event: "X-Evt") == nil)
    }

    @Test func refusesBadCustomHeaders() {
        #expect(headersCode(["Bad Name": "v"]) == "E_INVALID_HEADERS")
        #expect(headersCode(["X-A:": "v"]) == "E_INVALID_HEADERS")
        #expect(headersCode(["X-A\r\nX-B": "v"]) == "E_INVALID_HEADERS")
        #expect(headersCode(["": "v"]) == "E_INVALID_HEADERS")
        #expect(headersCode([String(repeating: "x", count: 129): "v"]) == "E_INVALID_HEADERS")
        #expect(headersCode(["X-Ünï": "v"]) == "E_INVALID_HEADERS")
        // As Characters, "\r\n" is one grapheme equal to neither "\r" nor "\n": the check must see bytes.
        for value in ["a\r\nb", "a\nb", "a\rb", "a\u{0}b", "a\u{7F}b", "a\u{1B}b", "\r\n", String(repeating: "v", count: 4097)] {
            #expect(headersCode(["X-A": value]) == "E_INVALID_HEADERS", "\(value.debugDescription)")
        }
        #expect(headersCode(["X-A": "1", "x-a": "2"]) == "E_INVALID_HEADERS")
        let many = Dictionary(uniqueKeysWithValues: (0...50).map { ("X-H\($0)", "v") })
        #expect(headersCode(many) == "E_INVALID_HEADERS")
    }

    @Test func refusesBadSignatureAndEventHeaderNames() {
        #expect(headersCode([:], signature: "X Sig") == "E_INVALID_HEADERS")
        #expect(headersCode([:], event: "X-Evt\r\nX-Injected") == "E_INVALID_HEADERS")
        #expect(headersCode([:], signature: "") == "E_INVALID_HEADERS")
        #expect(headersCode([:], signature: "Content-Type") == "E_RESERVED_HEADER")
        #expect(headersCode([:], event: "webhook-id") == "E_RESERVED_HEADER")
        #expect(headersCode([:], event: "Proxy-X") == "E_RESERVED_HEADER")
        #expect(headersCode([:], signature: "X-Same", event: "x-same") == "E_INVALID_HEADERS")
    }

    @Test func deliveryNeverSendsAReservedCustomHeader() {
        let webhook = Webhook(
            tenantId: 1, url: "https://example.com/h", secret: "s",
            headers: ["Transfer-Encoding": "chunked", "Connection": "close", "Proxy-Authorization": "x", "X-Ok": "1"],
            events: ["*"])
        let event = Event(id: "e1", type: "job.failed", occurredAt: Date(timeIntervalSince1970: 0), data: .object([]))
        let request = WebhookRequest.make(webhook: webhook, event: event, messageID: "msg_1", timestamp: 1)
        let names = request.headers.map { $0.name.lowercased() }
        #expect(names.contains("x-ok"))
        #expect(!names.contains("transfer-encoding") && !names.contains("connection") && !names.contains("proxy-authorization"))
    }

    @Test func storableTextFindsTheFieldWithNUL() throws {
        #expect(StorableText.isStorable("plain ünïcode\r\n"))
        #expect(!StorableText.isStorable("a\u{0}b"))
        #expect(StorableText.containsControlCharacter("a\nb") && StorableText.containsControlCharacter("\u{7F}"))
        #expect(!StorableText.containsControlCharacter("ünïcode 2026-01-26T10:00:00Z"))
        func path(_ json: String) throws -> String? { StorableText.firstUnstorablePath(in: try JSONParser.parse(json)) }
        #expect(try path(#"{"name": "ok", "events": ["a", "b"], "headers": {"X": "y"}}"#) == nil)
        #expect(try path(#"{"name": "a\u0000b"}"#) == "name")
        #expect(try path(#"{"events": ["a", "\u0000"]}"#) == "events[1]")
        #expect(try path(#"{"headers": {"X-A": "v\u0000"}}"#) == "headers.X-A")
        #expect(try path(#"{"headers": {"X\u0000": "v"}}"#) == #"headers.X\u0000"#)
        #expect(try path(#"{"name": "a\\u0000b"}"#) == nil, "an escaped backslash is not NUL")
        #expect(try path(#""\u0000""#) == "(the body)")
    }
}
