import Foundation
import PostgresNIO

/// A one-dimensional array bound in PostgreSQL's binary format, NULL elements included: the batch
/// statements bind one array per column and read them back as rows with `unnest` (PostgresNIO's own
/// `Array` conformance has no NULL elements). Text is made storable on the way: PostgreSQL text
/// cannot hold NUL, which becomes U+FFFD (as `JSONRecordSet` does).
struct ArrayBind<Element: PostgresArrayEncodable & PostgresNonThrowingEncodable>: PostgresNonThrowingEncodable, Sendable
where Element: Sendable {
    var elements: [Element?]

    init(_ elements: [Element?]) { self.elements = elements }

    static var psqlType: PostgresDataType { Element.psqlArrayType }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        // Header: dimensions (0 for an empty array), whether NULLs occur, the element type.
        buffer.writeInteger(elements.isEmpty ? 0 : 1, as: Int32.self)
        buffer.writeInteger(elements.contains(where: { $0 == nil }) ? 1 : 0, as: Int32.self)
        buffer.writeInteger(Element.psqlType.rawValue)
        guard !elements.isEmpty else { return }
        buffer.writeInteger(Int32(elements.count))  // length of the one dimension
        buffer.writeInteger(1, as: Int32.self)  // its lower bound
        for element in elements {
            guard let element else {
                buffer.writeInteger(-1, as: Int32.self)
                continue
            }
            let lengthAt = buffer.writerIndex
            buffer.writeInteger(0, as: Int32.self)
            let start = buffer.writerIndex
            element.encode(into: &buffer, context: context)
            buffer.setInteger(Int32(buffer.writerIndex - start), at: lengthAt)
        }
    }
}

extension ArrayBind where Element == String {
    /// Text elements, each made storable (`storable(_:)`).
    init(text elements: [String?]) { self.elements = elements.map { $0.map(storable) } }
}

/// `text` as PostgreSQL can store it: NUL, which its text type cannot hold, replaced by U+FFFD.
func storable(_ text: String) -> String {
    holdsNUL(text) ? text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : text
}

/// Whether `text` holds a NUL byte: `memchr` over its UTF-8 storage when it is contiguous (native
/// strings are), a byte loop otherwise. Payloads of a kilobyte and more are scanned on every write.
func holdsNUL(_ text: String) -> Bool {
    let found = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
        return memchr(base, 0, bytes.count) != nil
    }
    return found ?? text.utf8.contains(0)
}
