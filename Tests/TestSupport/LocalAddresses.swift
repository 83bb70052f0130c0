import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// This machine's own addresses, from `getifaddrs`.
public enum LocalAddresses {
    /// Every IPv4 and IPv6 address of an interface that is up and not loopback, without link-local
    /// IPv6 ones (they need a zone to be used in a URL).
    public static func nonLoopback() -> [String] {
        var head: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&head) == 0, let first = head else { return [] }
        defer { freeifaddrs(head) }
        var found: [String] = []
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            let flags = Int32(entry.pointee.ifa_flags)
            guard let address = entry.pointee.ifa_addr, flags & Int32(IFF_UP) != 0, flags & Int32(IFF_LOOPBACK) == 0 else { continue }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            switch Int32(address.pointee.sa_family) {
            case AF_INET:
                var v4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                inet_ntop(AF_INET, &v4, &text, socklen_t(text.count))
            case AF_INET6:
                var v6 = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                inet_ntop(AF_INET6, &v6, &text, socklen_t(text.count))
            default: continue
            }
            let string = String(cString: text)
            if !string.lowercased().hasPrefix("fe80") { found.append(string) }
        }
        return found
    }
}
