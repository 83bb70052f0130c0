import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Ports already handed out in this process: the kernel may offer a port again once its probe
/// socket is closed, and two services given the same port would clash.
private let handedOut = Mutex<Set<Int>>([])

/// A TCP port on 127.0.0.1 that was free a moment ago (the kernel picks it), never the same twice
/// in one test process.
public func freePort() -> Int {
    while true {
        let port = probePort()
        if handedOut.withLock({ $0.insert(port).inserted }) { return port }
    }
}

private func probePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}
