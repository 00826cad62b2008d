// A libFuzzer harness for the CSV parser behind `pupils import` and `marks import`: each input is
// parsed; whatever is accepted must have as many fields in every row as in the header.
// Build and run: see tools/fuzz/README.md. Compiled together with Sources/RollbookDomain/CSVTable.swift.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let table = try? CSVTable.parse(bytes) {
        precondition(table.rows.allSatisfy { $0.fields.count == table.header.count }, "a row has the wrong number of fields")
        precondition(Set(table.header).count == table.header.count, "the header repeats a name")
    }
    return 0
}
