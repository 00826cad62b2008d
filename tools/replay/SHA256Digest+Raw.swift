import RollbookLog

extension SHA256Digest {
    /// A digest from its 32 raw bytes.
    init?(raw: UnsafeRawBufferPointer) {
        guard raw.count == 32 else { return nil }
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        let digits = Array("0123456789abcdef".utf8)
        for b in raw { hex.append(digits[Int(b >> 4)]); hex.append(digits[Int(b & 15)]) }
        self.init(hex: hex)
    }
}
