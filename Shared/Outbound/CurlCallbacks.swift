import CCurl

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// C callbacks installed on every easy handle. They capture nothing (so they
// convert to C function pointers) and find their TransferContext through the
// unretained pointer passed as user data. libcurl calls them on the curl
// thread, inside curl_multi_perform.

private func context(_ pointer: UnsafeMutableRawPointer) -> TransferContext {
    Unmanaged<TransferContext>.fromOpaque(pointer).takeUnretainedValue()
}

/// CURLOPT_WRITEFUNCTION: keep up to the cap, always claim the whole chunk so
/// the transfer continues (reading and discarding) instead of aborting.
func outboundWriteCallback(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ user: UnsafeMutableRawPointer?
) -> Int {
    let length = size * count
    guard let data, let user, length > 0 else { return length }
    context(user).receiveBody(UnsafeRawBufferPointer(start: data, count: length))
    return length
}

/// CURLOPT_HEADERFUNCTION: one complete header line per call.
func outboundHeaderCallback(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ user: UnsafeMutableRawPointer?
) -> Int {
    let length = size * count
    guard let data, let user, length > 0 else { return length }
    context(user).receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
    return length
}

/// CURLOPT_OPENSOCKETFUNCTION: the SSRF guard. Runs for every address curl is
/// about to connect to (after DNS), refuses those the policy rejects, and
/// otherwise creates the socket exactly as curl would (plus close-on-exec).
func outboundOpenSocketCallback(
    _ user: UnsafeMutableRawPointer?, _ purpose: curlsocktype, _ address: UnsafeMutablePointer<curl_sockaddr>?
) -> curl_socket_t {
    guard let user, let address else { return ccurl_socket_bad() }
    let transfer = context(user)
    guard purpose == CURLSOCKTYPE_IPCXN, let ip = ipAddress(of: address) else {
        return ccurl_socket_bad()
    }
    guard transfer.policy.permits(ip) else {
        transfer.refusedAddress = ip
        return ccurl_socket_bad()
    }
    transfer.permittedAttempts += 1
    let socketType = address.pointee.socktype | Int32(bitPattern: UInt32(SOCK_CLOEXEC.rawValue))
    return socket(address.pointee.family, socketType, address.pointee.protocol)
}

/// Reads the IP out of curl's sockaddr; nil for anything but AF_INET/AF_INET6.
private func ipAddress(of address: UnsafeMutablePointer<curl_sockaddr>) -> IPAddress? {
    guard let sockaddrPointer = ccurl_sockaddr_address(address) else { return nil }
    let raw = UnsafeRawPointer(sockaddrPointer)
    let length = Int(address.pointee.addrlen)
    switch Int32(sockaddrPointer.pointee.sa_family) {
    case AF_INET where length >= MemoryLayout<sockaddr_in>.size:
        let offset = MemoryLayout<sockaddr_in>.offset(of: \.sin_addr)!
        return IPAddress(bytes: UnsafeRawBufferPointer(start: raw + offset, count: 4))
    case AF_INET6 where length >= MemoryLayout<sockaddr_in6>.size:
        let offset = MemoryLayout<sockaddr_in6>.offset(of: \.sin6_addr)!
        return IPAddress(bytes: UnsafeRawBufferPointer(start: raw + offset, count: 16))
    default:
        return nil
    }
}
