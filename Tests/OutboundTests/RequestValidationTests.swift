import CCurl
import Testing

@testable import Outbound

@Suite struct RequestValidationTests {
    @Test(arguments: [
        ("ftp://example.com/x", OutboundError.Code.unsupportedScheme),
        ("FILE:///etc/passwd", .unsupportedScheme),
        ("gopher://example.com", .unsupportedScheme),
        ("http://user:pw@example.com/", .invalidURL),
        ("https://user@example.com/", .invalidURL),
        ("http://a\\@127.0.0.1/", .invalidURL),
        ("example.com/hook", .invalidURL),
        ("http:/example.com", .invalidURL),
        ("http://", .invalidURL),
        ("http://exa mple.com/", .invalidURL),
        ("1http://example.com", .invalidURL),
    ])
    func rejectsURL(url: String, code: OutboundError.Code) throws {
        let error = try #require(RequestValidation.urlProblem(url))
        #expect(error.code == code)
    }

    @Test(arguments: ["http://example.com", "HTTPS://example.com:8443/a?b=c#d", "http://[::1]:80/x@y", "http://h/p?q=a@b"])
    func acceptsURL(url: String) {
        #expect(RequestValidation.urlProblem(url) == nil)
    }

    @Test func rejectsHeaderInjectionAndBadMethods() {
        func code(_ request: OutboundRequest) -> OutboundError.Code? { RequestValidation.problem(with: request)?.code }
        let url = "https://example.com/hook"
        #expect(code(OutboundRequest(url: url, headers: [.init(name: "X-A", value: "1\r\nX-Evil: 2")])) == .invalidRequest)
        #expect(code(OutboundRequest(url: url, headers: [.init(name: "Bad Name", value: "1")])) == .invalidRequest)
        #expect(code(OutboundRequest(url: url, headers: [.init(name: "Content-Length", value: "1")])) == .invalidRequest)
        #expect(code(OutboundRequest(url: url, method: "PO ST")) == .invalidRequest)
        #expect(code(OutboundRequest(url: url, totalTimeout: .zero)) == .invalidRequest)
        #expect(code(OutboundRequest(url: url, maxResponseBytes: -1)) == .invalidRequest)
        #expect(code(OutboundRequest(url: url, headers: [.init(name: "X-Sig", value: "t=1,v1=ab")])) == nil)
    }

    @Test func timeoutsRoundUpToWholeMilliseconds() {
        #expect(TransferSetup.milliseconds(.seconds(10)) == 10_000)
        #expect(TransferSetup.milliseconds(.microseconds(1)) == 1)
        #expect(TransferSetup.milliseconds(.milliseconds(1500)) == 1500)
        #expect(TransferSetup.milliseconds(.seconds(Int64.max)) > 0)
    }

    @Test func curlCodesMapToStableCategories() {
        #expect(CurlErrorMapping.code(for: CURLE_OPERATION_TIMEDOUT, refused: false) == .timeout)
        #expect(CurlErrorMapping.code(for: CURLE_COULDNT_RESOLVE_HOST, refused: false) == .dnsFailed)
        #expect(CurlErrorMapping.code(for: CURLE_COULDNT_CONNECT, refused: false) == .connectFailed)
        #expect(CurlErrorMapping.code(for: CURLE_COULDNT_CONNECT, refused: true) == .addressRefused)
        #expect(CurlErrorMapping.code(for: CURLE_PEER_FAILED_VERIFICATION, refused: false) == .tlsFailed)
        #expect(CurlErrorMapping.code(for: CURLE_SSL_CONNECT_ERROR, refused: false) == .tlsFailed)
        #expect(CurlErrorMapping.code(for: CURLE_URL_MALFORMAT, refused: false) == .invalidURL)
        #expect(CurlErrorMapping.code(for: CURLE_UNSUPPORTED_PROTOCOL, refused: false) == .unsupportedScheme)
        #expect(CurlErrorMapping.code(for: CURLE_SEND_ERROR, refused: false) == .sendFailed)
        #expect(CurlErrorMapping.code(for: CURLE_RECV_ERROR, refused: false) == .receiveFailed)
        #expect(CurlErrorMapping.code(for: CURLE_OUT_OF_MEMORY, refused: false) == .internal)
        let error = CurlErrorMapping.error(
            for: CURLE_COULDNT_CONNECT, detail: "Failed to connect",
            refusedAddress: IPAddress("10.0.0.7"))
        #expect(error.code == .addressRefused)
        #expect(error.message.contains("10.0.0.7"))
        #expect(error.message.contains("Failed to connect"))
    }

    @Test func errorCodeRawValuesAreStable() {
        #expect(
            OutboundError.Code.allCases.map(\.rawValue) == [
                "invalid_url", "unsupported_scheme", "address_refused", "dns_failed", "connect_failed",
                "timeout", "tls_failed", "send_failed", "receive_failed", "shutdown", "invalid_request", "internal",
            ])
    }
}
