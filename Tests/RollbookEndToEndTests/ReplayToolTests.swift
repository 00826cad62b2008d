import Foundation
import Testing

/// `rollbook-replay`, the auditor's read-only tool, run like an auditor would against ledgers built
/// through `rollbook`.
struct ReplayToolTests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func replay(_ t: TestLedger, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try t.ok(arguments, tool: "rollbook-replay", sourceLocation: sourceLocation)
    }

    // MARK: must show 1 — register --as-of gives what `rollbook register` printed at that moment

    @Test func registerAsOfEachPhaseIsWhatRollbookPrintedThen() throws {
        let t = try TestLedger()
        var recorded: [(time: String, outputs: [String: String])] = []
        let dates = ["2025-09-03", "2025-09-04", "2025-09-10"]
        func record() throws {
            var outputs: [String: String] = [:]
            for date in dates {
                outputs[date] = try t.ok(["register", "--date", date, "--format", "json"])
                outputs[date + "/7B/PM"] = try t.ok(["register", "--date", date, "--group", "7B", "--session", "PM", "--format", "json"])
            }
            recorded.append((t.now, outputs))
        }
        t.now = "2025-09-01T08:00:00.000Z"
        try t.standardSchool()
        t.now = "2025-09-01T08:00:00.000Z"
        try record()
        t.now = "2025-09-03T09:05:00.000Z"
        let am = try t.file("am.csv", """
            upn,date,session,code,minutes_late
            Y123456789001,2025-09-03,AM,/,
            M123456789002,2025-09-03,AM,N,
            B123456789003,2025-09-03,AM,L,6
            Q123456789004,2025-09-03,AM,/,
            E123456789005,2025-09-03,AM,N,

            """)
        try t.ok(["marks", "import", am])
        try record()
        t.now = "2025-09-03T13:50:00.000Z"
        for upn in ["Y123456789001", "M123456789002", "Q123456789004", "E123456789005"] {
            try t.ok(["mark", "--upn", upn, "--date", "2025-09-03", "--session", "PM", "--code", "\\"])
        }
        try record()
        t.now = "2025-09-04T10:15:00.000Z"
        t.author = ("Jo Reed", "Deputy Headteacher")
        try t.ok(["amend", "--upn", "M123456789002", "--date", "2025-09-03", "--session", "AM", "--code", "I", "--reason", "parent phoned: ill"])
        try t.ok(["mark", "--upn", "Q123456789004", "--date", "2025-09-04", "--session", "AM", "--code", "/"])
        try record()
        t.now = "2025-09-05T12:00:00.000Z"
        try t.ok(["calendar", "closure", "--from", "2025-09-04", "--to", "2025-09-04", "--session", "PM", "--code", "Y1", "--reason", "heating failure"])
        try record()
        t.now = "2025-09-11T09:30:00.000Z"
        try t.ok(["amend", "--upn", "E123456789005", "--date", "2025-09-03", "--session", "AM", "--code", "O", "--reason", "no reason given"])
        try t.ok(["pupils", "leave", "--upn", "B123456789003", "--on", "2025-09-10", "--ground", "moved to another school"])
        try t.ok(["mark", "--upn", "U123456789006", "--date", "2025-09-10", "--session", "AM", "--code", "/"])
        try record()
        #expect(recorded.count == 6)

        for (time, outputs) in recorded {
            for (key, printed) in outputs {
                let parts = key.split(separator: "/").map(String.init)
                var args = ["register", "--date", parts[0], "--as-of", time, "--format", "json"]
                if parts.count == 3 { args += ["--group", parts[1], "--session", parts[2]] }
                let replayed = try replay(t, args)
                // Identical, except that the replay names the moment it shows (`rollbook register` said "as it stands").
                var expected = try json(printed)
                #expect(expected["as_of"] is NSNull)
                expected["as_of"] = time
                #expect(try json(replayed) as NSDictionary == expected as NSDictionary, "register \(key) as of \(time)")
                // And byte for byte what `rollbook register --as-of` prints for that moment, in every format.
                for format in ["json", "text", "csv"] {
                    var both = args
                    both[both.firstIndex(of: "json")!] = format
                    #expect(try replay(t, both) == t.ok(both), "register \(key) as of \(time) --format \(format)")
                }
            }
        }
        // The phases really differ: the amendment shows only from its phase on.
        let before = try replay(t, ["register", "--date", "2025-09-03", "--as-of", recorded[2].time, "--format", "csv"])
        let after = try replay(t, ["register", "--date", "2025-09-03", "--as-of", recorded[3].time, "--format", "csv"])
        #expect(before.contains("M123456789002,7A,AM,N,"))
        #expect(after.contains("M123456789002,7A,AM,I,"))
    }

    // MARK: must show 2 — a twice-amended session: history and amendments

    func twiceAmended(_ t: TestLedger) throws {
        try t.standardSchool()
        t.now = "2025-09-03T09:05:00.000Z"
        t.author = ("Sam Patel", "Attendance Officer")
        try t.ok(["mark", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "N"])
        try t.ok(["mark", "--upn", "M123456789002", "--date", "2025-09-03", "--session", "AM", "--code", "N"])
        t.now = "2025-09-04T11:30:00.000Z"
        t.author = ("Jo Reed", "Deputy Headteacher")
        try t.ok(["amend", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "I", "--reason", "parent phoned: ill"])
        t.now = "2025-09-08T10:00:00.000Z"
        try t.ok(["mark", "--upn", "M123456789002", "--date", "2025-09-08", "--session", "AM", "--code", "N"])
        t.now = "2025-09-09T14:00:00.000Z"
        t.author = ("Priya Shah", "Headteacher")
        try t.ok(["amend", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "M", "--reason", "appointment card seen"])
        t.now = "2025-09-10T09:00:00.000Z"
        t.author = ("Jo Reed", "Deputy Headteacher")
        try t.ok(["amend", "--upn", "M123456789002", "--date", "2025-09-08", "--session", "AM", "--code", "O", "--reason", "no reason given"])
    }

    @Test func historyListsTheOriginalAndBothAmendmentsInOrder() throws {
        let t = try TestLedger()
        try twiceAmended(t)
        let session = ["--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM"]
        let values = try #require(try json(replay(t, ["history"] + session + ["--format", "json"]))["values"] as? [[String: Any]])
        #expect(values.count == 3)
        #expect(values.map { $0["code"] as? String } == ["N", "I", "M"])
        #expect(values.map { $0["author"] as? String } == ["Sam Patel", "Jo Reed", "Priya Shah"])
        #expect(values.map { $0["position"] as? String } == ["Attendance Officer", "Deputy Headteacher", "Headteacher"])
        #expect(values.map { $0["at"] as? String } == ["2025-09-03T09:05:00.000Z", "2025-09-04T11:30:00.000Z", "2025-09-09T14:00:00.000Z"])
        #expect(values[0]["reason"] is NSNull)
        #expect(values.dropFirst().map { $0["reason"] as? String } == ["parent phoned: ill", "appointment card seen"])
        let seqs = values.compactMap { $0["seq"] as? Int }
        #expect(seqs.count == 3 && seqs == seqs.sorted() && Set(seqs).count == 3)
        for v in values { #expect(Set(v.keys) == ["seq", "code", "at", "author", "position", "reason"]) }

        let text = try replay(t, ["history"] + session)
        #expect(text.contains("Standing now: M."))
        for (seq, author) in zip(seqs, ["Sam Patel", "Jo Reed", "Priya Shah"]) {
            #expect(text.split(separator: "\n").contains { $0.hasPrefix("\(seq) ") && $0.contains(author) })
        }
        // As of a moment between the amendments, the history stops there.
        let earlier = try #require(try json(replay(t, ["history"] + session + ["--as-of", "2025-09-05", "--format", "json"]))["values"] as? [[String: Any]])
        #expect(earlier.map { $0["code"] as? String } == ["N", "I"])
        // A UPN the ledger does not know is an error, not an empty history.
        let unknown = try t.run("rollbook-replay", ["history", "--upn", "F999999999999", "--date", "2025-09-03", "--session", "AM"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("F999999999999"))
    }

    @Test func amendmentsListsBothWithTheFiveStatutoryFieldsAndFilters() throws {
        let t = try TestLedger()
        try twiceAmended(t)
        func list(_ extra: [String]) throws -> [[String: Any]] {
            try #require(try json(replay(t, ["amendments", "--format", "json"] + extra))["amendments"] as? [[String: Any]])
        }
        let all = try list([])
        #expect(all.count == 3)
        let mine = try list(["--upn", "Y123456789001"])
        #expect(mine.count == 2)
        let first = mine[0], second = mine[1]
        #expect(first["original"] as? String == "N" && first["amended"] as? String == "I")
        #expect(first["reason"] as? String == "parent phoned: ill")
        #expect(first["amended_at"] as? String == "2025-09-04T11:30:00.000Z")
        #expect(first["author"] as? String == "Jo Reed" && first["position"] as? String == "Deputy Headteacher")
        #expect(second["original"] as? String == "I" && second["amended"] as? String == "M")
        #expect(second["reason"] as? String == "appointment card seen")
        #expect(second["amended_at"] as? String == "2025-09-09T14:00:00.000Z")
        #expect(second["author"] as? String == "Priya Shah" && second["position"] as? String == "Headteacher")
        for a in mine {
            #expect(Set(a.keys) == ["seq", "upn", "date", "session", "original", "amended", "reason", "amended_at", "author", "position"])
            #expect(a["date"] as? String == "2025-09-03" && a["session"] as? String == "AM" && a["upn"] as? String == "Y123456789001")
        }

        // --author (any case) and the session-date filters.
        #expect(try list(["--author", "Jo Reed"]).map { $0["amended"] as? String } == ["I", "O"])
        #expect(try list(["--author", "priya shah"]).map { $0["amended"] as? String } == ["M"])
        #expect(try list(["--author", "Nobody"]).isEmpty)
        #expect(try list(["--from", "2025-09-04"]).map { $0["amended"] as? String } == ["O"])
        #expect(try list(["--to", "2025-09-03"]).map { $0["amended"] as? String } == ["I", "M"])
        #expect(try list(["--from", "2025-09-03", "--to", "2025-09-03", "--author", "Jo Reed"]).map { $0["amended"] as? String } == ["I"])
        #expect(try list(["--from", "2025-09-08", "--to", "2025-09-08"]).map { $0["upn"] as? String } == ["M123456789002"])

        // Every text line names the seq and the five statutory facts.
        let text = try replay(t, ["amendments", "--upn", "Y123456789001"])
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("seq ") }
        #expect(lines.count == 2)
        for (line, a) in zip(lines, mine) {
            for fact in ["seq \(a["seq"] as! Int):", "from \(a["original"] as! String) ", "to \(a["amended"] as! String) ",
                         "reason: \(a["reason"] as! String)", "on \(a["amended_at"] as! String)",
                         "by \(a["author"] as! String) (\(a["position"] as! String))"] {
                #expect(line.contains(fact), "\(line) should contain \(fact)")
            }
        }
        let csv = try replay(t, ["amendments", "--author", "Priya Shah", "--format", "csv"])
        #expect(csv.split(separator: "\n").map(String.init) == [
            "seq,upn,date,session,original,amended,reason,amended_at,author,position",
            "\(second["seq"] as! Int),Y123456789001,2025-09-03,AM,I,M,appointment card seen,2025-09-09T14:00:00.000Z,Priya Shah,Headteacher",
        ])
        let bad = try t.run("rollbook-replay", ["amendments", "--from", "2025-09-31"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--from"))
    }

    // MARK: must show 3 — diff between two moments

    @Test func diffListsExactlyTheChangesBetweenTwoMoments() throws {
        let t = try TestLedger()
        try t.standardSchool()
        t.now = "2025-09-03T09:05:00.000Z"
        try t.ok(["mark", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "N"])
        try t.ok(["mark", "--upn", "Q123456789004", "--date", "2025-09-03", "--session", "AM", "--code", "/"])
        let t1 = "2025-09-03T10:00:00.000Z"
        t.now = t1  // a change exactly at T1 is not in (T1, T2]
        try t.ok(["mark", "--upn", "M123456789002", "--date", "2025-09-03", "--session", "AM", "--code", "/"])
        t.now = "2025-09-03T13:50:00.000Z"
        t.author = ("Jo Reed", "Teacher")
        try t.ok(["mark", "--upn", "B123456789003", "--date", "2025-09-03", "--session", "PM", "--code", "L", "--minutes-late", "4"])
        t.now = "2025-09-04T11:00:00.000Z"
        t.author = ("Sam Patel", "Attendance Officer")
        try t.ok(["amend", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "I", "--reason", "ill"])
        try t.ok(["mark", "--upn", "E123456789005", "--date", "2025-09-05", "--session", "AM", "--code", "D"])
        // A planned absence may be entered before the register opens (a present mark may not).
        try t.ok(["mark", "--upn", "Q123456789004", "--date", "2025-09-05", "--session", "AM", "--code", "C"])
        let t2 = "2025-09-04T12:00:00.000Z"
        t.now = t2  // exactly at T2: included. A planned closure overrides every session but the D.
        try t.ok(["calendar", "closure", "--from", "2025-09-05", "--to", "2025-09-05", "--session", "AM", "--code", "#", "--reason", "INSET"])
        t.now = "2025-09-05T09:00:00.000Z"
        try t.ok(["amend", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "M", "--reason", "card seen"])

        let out = try json(replay(t, ["diff", "--from", t1, "--to", t2, "--format", "json"]))
        let changes = try #require(out["changes"] as? [[String: Any]])
        func row(_ c: [String: Any]) -> String {
            ["upn", "date", "session", "before", "after", "at", "author"].map { k in (c[k] as? String) ?? "null" }.joined(separator: " ")
        }
        #expect(changes.map(row) == [
            "B123456789003 2025-09-03 PM null L 2025-09-03T13:50:00.000Z Jo Reed",
            "Y123456789001 2025-09-03 AM N I 2025-09-04T11:00:00.000Z Sam Patel",
            "E123456789005 2025-09-05 AM null D 2025-09-04T11:00:00.000Z Sam Patel",
            "Q123456789004 2025-09-05 AM null C 2025-09-04T11:00:00.000Z Sam Patel",
            "Y123456789001 2025-09-05 AM null # 2025-09-04T12:00:00.000Z Sam Patel",
            "M123456789002 2025-09-05 AM null # 2025-09-04T12:00:00.000Z Sam Patel",
            "B123456789003 2025-09-05 AM null # 2025-09-04T12:00:00.000Z Sam Patel",
            "Q123456789004 2025-09-05 AM C # 2025-09-04T12:00:00.000Z Sam Patel",
        ])
        for c in changes { #expect(Set(c.keys) == ["upn", "date", "session", "before", "after", "at", "author"]) }

        // The diff is exactly the difference between the two registers.
        for date in ["2025-09-03", "2025-09-05"] {
            func codes(_ asOf: String) throws -> [String: String] {
                let marks = try #require(try json(replay(t, ["register", "--date", date, "--as-of", asOf, "--format", "json"]))["marks"] as? [[String: Any]])
                return Dictionary(uniqueKeysWithValues: marks.map { ("\($0["upn"]!) \($0["session"]!)", $0["code"] as! String) })
            }
            var expected = try codes(t1)
            for c in changes where c["date"] as? String == date { expected["\(c["upn"]!) \(c["session"]!)"] = c["after"] as? String }
            #expect(expected == (try codes(t2)), "register for \(date)")
        }
        let text = try replay(t, ["diff", "--from", t1, "--to", t2])
        #expect(text.contains("8 changes."))
        #expect(text.contains("L 4m"))
        let none = try replay(t, ["diff", "--from", t2, "--to", "2025-09-04T23:00:00Z", "--format", "json"])
        #expect(try json(none)["changes"] as? [Any] == nil || (try json(none)["changes"] as! [Any]).isEmpty)
        // A backdated deletion from roll takes the pupil's marked sessions out of the registers.
        t.now = "2025-09-06T09:00:00.000Z"
        try t.ok(["pupils", "leave", "--upn", "Q123456789004", "--on", "2025-09-05", "--ground", "moved to another school"])
        let leaving = try #require(try json(replay(t, ["diff", "--from", "2025-09-05T12:00:00Z", "--to", "2025-09-06T12:00:00Z", "--format", "json"]))["changes"] as? [[String: Any]])
        #expect(leaving.map(row) == ["Q123456789004 2025-09-05 AM # null 2025-09-06T09:00:00.000Z Sam Patel"])
        let backwards = try t.run("rollbook-replay", ["diff", "--from", t2, "--to", t1])
        #expect(backwards.status == 64)
    }

    @Test func aSessionDisposedOfUnderRetentionSaysSoInHistory() throws {
        let (t, _) = try RetentionTests().makeLedger()
        let session = ["--upn", "Y123456789001", "--date", "2019-09-05", "--session", "AM"]
        let kept = try #require(try json(replay(t, ["history"] + session + ["--format", "json"]))["values"] as? [[String: Any]])
        #expect(kept.map { $0["code"] as? String } == ["I"])
        #expect(kept.first?["at"] as? String == "2019-09-05T08:50:00.000Z", "a migrated mark is dated by its recorded_at")
        try t.ok(["retention", "dispose", "--before", "2020-01-01", "--confirm"])
        let text = try replay(t, ["history"] + session)
        #expect(text.contains("disposed of under retention"))
        #expect(text.contains("No value remains in the log for this session."))
        #expect((try json(replay(t, ["history"] + session + ["--format", "json"]))["values"] as? [Any])?.isEmpty == true)
        // This year's sessions are untouched, and the auditor's verify still agrees with the officer's.
        let now = try replay(t, ["history", "--upn", "Y123456789001", "--date", "2025-09-04", "--session", "AM", "--format", "json"])
        #expect((try json(now)["values"] as? [[String: Any]])?.map { $0["code"] as? String } == ["M"])
        let officer = try t.run("rollbook", ["verify"]), auditor = try t.run("rollbook-replay", ["verify"])
        #expect(officer.status == 0 && auditor.status == 0 && officer.stdout == auditor.stdout)
        // Migrated history (recorded_at) is not a back-filled register.
        let anomalies = try json(replay(t, ["anomalies", "--format", "json"]))
        #expect((anomalies["findings"] as? [[String: Any]])?.filter { $0["rule"] as? String == "mark-before-admission" }.isEmpty == true)
    }

    // MARK: must show 4 — read-only by construction

    /// Every file and directory under `path`: kind, mode and bytes.
    static func listing(_ path: String) throws -> [String: String] {
        var out: [String: String] = [:]
        let fm = FileManager.default
        let base = URL(fileURLWithPath: path)
        out["."] = try "dir \(fm.attributesOfItem(atPath: path)[.posixPermissions]!)"
        guard let e = fm.enumerator(atPath: path) else { return out }
        for case let rel as String in e {
            let full = base.appendingPathComponent(rel).path
            let attributes = try fm.attributesOfItem(atPath: full)
            let mode = attributes[.posixPermissions]!
            if attributes[.type] as? FileAttributeType == .typeDirectory {
                out[rel] = "dir \(mode)"
            } else {
                out[rel] = "file \(mode) " + (try Data(contentsOf: URL(fileURLWithPath: full))).base64EncodedString()
            }
        }
        return out
    }

    static func setMode(_ path: String, file: Int, directory: Int) throws {
        let fm = FileManager.default
        for case let rel as String in fm.enumerator(atPath: path)! {
            let full = URL(fileURLWithPath: path).appendingPathComponent(rel).path
            var isDir: ObjCBool = false
            _ = fm.fileExists(atPath: full, isDirectory: &isDir)
            if !isDir.boolValue { try fm.setAttributes([.posixPermissions: file], ofItemAtPath: full) }
        }
        for case let rel as String in fm.enumerator(atPath: path)! {
            let full = URL(fileURLWithPath: path).appendingPathComponent(rel).path
            var isDir: ObjCBool = false
            _ = fm.fileExists(atPath: full, isDirectory: &isDir)
            if isDir.boolValue { try fm.setAttributes([.posixPermissions: directory], ofItemAtPath: full) }
        }
        try fm.setAttributes([.posixPermissions: directory], ofItemAtPath: path)
    }

    @Test func everySubcommandLeavesAReadOnlyLedgerUntouched() throws {
        let t = try TestLedger()
        try twiceAmended(t)
        t.now = "2025-09-12T12:00:00.000Z"
        try t.ok(["calendar", "closure", "--from", "2025-09-11", "--to", "2025-09-11", "--code", "#", "--reason", "INSET"])
        let fm = FileManager.default
        // A world-readable place for the copy, so an unprivileged user can reach it.
        let outer = t.root.appendingPathComponent("auditor")
        try fm.createDirectory(at: outer, withIntermediateDirectories: true)
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: t.root.path)
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: outer.path)
        let copy = outer.appendingPathComponent("ledger-copy").path
        try fm.copyItem(atPath: t.ledger, toPath: copy)
        try? fm.removeItem(atPath: copy + "/lock")  // a lock the tool might want must not be created either
        try ReplayToolTests.setMode(copy, file: 0o444, directory: 0o555)
        defer { try? ReplayToolTests.setMode(copy, file: 0o644, directory: 0o755) }
        let before = try ReplayToolTests.listing(copy)
        #expect(before["lock"] == nil)
        #expect(before["checkpoint"] != nil && before["segments/000001.jsonl"] != nil)

        var commands: [[String]] = []
        for format in ["text", "json"] { commands.append(["verify", "--format", format]) }
        for format in ["text", "csv", "json"] {
            commands += [
                ["register", "--date", "2025-09-03", "--format", format],
                ["register", "--date", "2025-09-03", "--as-of", "2025-09-04T12:00:00Z", "--format", format],
                ["amendments", "--format", format],
                ["amendments", "--author", "Jo Reed", "--from", "2025-09-01", "--to", "2025-09-30", "--format", format],
                ["history", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--format", format],
                ["diff", "--from", "2025-09-03T00:00:00Z", "--to", "2025-09-30T00:00:00Z", "--format", format],
                ["anomalies", "--format", format],
            ]
        }
        // The proofs are read-only too (the digest file sits beside the copy, readable by anyone).
        let digest = try t.file("read-only-digest.txt", try t.ok(["digest"]))
        commands += [["prove", "--upn", "Y123456789001"], ["consistency", "--from", digest],
                     ["consistency", "--from", digest, "--format", "json"]]
        var outputs: [String] = []
        for command in commands {
            let r = try t.run("rollbook-replay", command + ["--ledger", copy])
            #expect(r.status == 0, "\(command.joined(separator: " ")): \(r.stderr)")
            #expect(!r.stdout.isEmpty)
            outputs.append(r.stdout)
        }
        #expect(try ReplayToolTests.listing(copy) == before, "the read-only ledger changed")
        let history = try json(outputs[commands.firstIndex(of: ["history", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--format", "json"])!])
        #expect((history["values"] as? [Any])?.count == 3)

        // Root ignores permission bits, so as root run it again as an unprivileged user (nobody).
        guard getuid() == 0 else { return }
        let setpriv = "/usr/bin/setpriv"
        #expect(fm.isExecutableFile(atPath: setpriv), "util-linux setpriv is needed to test as an unprivileged user")
        guard fm.isExecutableFile(atPath: setpriv) else { return }
        let binary = outer.appendingPathComponent("rollbook-replay").path
        try fm.copyItem(atPath: TestLedger.binaries.appendingPathComponent("rollbook-replay").path, toPath: binary)
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: binary)
        // Nobody cannot write here at all: prove it first, so the test cannot pass vacuously.
        let probe = try TestLedger.unprivileged(setpriv, "/usr/bin/touch", [copy + "/probe"], in: outer.path)
        #expect(probe.status != 0, "the unprivileged user could create a file in the read-only ledger")
        for (command, output) in zip(commands, outputs) {
            let r = try TestLedger.unprivileged(setpriv, binary, ["--ledger", copy] + command, in: outer.path)  // the spec's form
            #expect(r.status == 0, "as nobody: \(command.joined(separator: " ")): \(r.stderr)")
            #expect(r.stdout == output, "as nobody: \(command.joined(separator: " ")) printed something else")
        }
        #expect(try ReplayToolTests.listing(copy) == before, "the read-only ledger changed")
    }

    // MARK: must show 5 — verify agrees with `rollbook verify`

    enum Tamper: String, CaseIterable {
        case intact, editedMiddleLine, removedLastLine, removedCheckpoint, swappedLines, appendedForgery
    }

    @Test(arguments: Tamper.allCases)
    func verifyAgreesWithRollbookVerify(_ tamper: Tamper) throws {
        let t = try TestLedger()
        try twiceAmended(t)
        let digest = try t.file("digest.txt", try t.ok(["digest"]))
        let segment = t.ledger + "/segments/000001.jsonl"
        var lines = try String(contentsOfFile: segment, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.last == "")
        switch tamper {
        case .intact: break
        case .editedMiddleLine:
            let i = try #require(lines.firstIndex { $0.contains("\"mark.amended\"") })
            lines[i] = lines[i].replacingOccurrences(of: "\"amended\":\"I\"", with: "\"amended\":\"/\"")
        case .removedLastLine: lines.remove(at: lines.count - 2)
        case .removedCheckpoint: try FileManager.default.removeItem(atPath: t.ledger + "/checkpoint")
        case .swappedLines: lines.swapAt(5, 6)
        case .appendedForgery: lines.insert(lines[lines.count - 2], at: lines.count - 1)
        }
        if tamper != .removedCheckpoint { try lines.joined(separator: "\n").write(toFile: segment, atomically: false, encoding: .utf8) }
        for extra in [[], ["--digest", digest]] {
            for format in ["text", "json"] {
                let officer = try t.run("rollbook", ["verify", "--format", format] + extra)
                let auditor = try t.run("rollbook-replay", ["verify", "--format", format] + extra)
                #expect(officer.status == auditor.status, "\(tamper) \(extra) \(format)")
                #expect(officer.stdout == auditor.stdout, "\(tamper) \(extra) \(format)")
                #expect((officer.status == 0) == (tamper == .intact), "\(tamper) \(extra) \(format): \(officer.stdout)")
                if format == "json" {
                    let a = try json(auditor.stdout)
                    #expect(a["ok"] as? Bool == (tamper == .intact))
                    #expect((a["first_bad_seq"] as? Int) == (try json(officer.stdout)["first_bad_seq"] as? Int))
                    if tamper != .intact { #expect(a["first_bad_seq"] as? Int != nil) }
                }
            }
        }
    }
}

extension TestLedger {
    /// Runs an executable as the unprivileged user nobody (uid and gid 65534, no groups) through setpriv.
    static func unprivileged(_ setpriv: String, _ executable: String, _ arguments: [String], in directory: String) throws -> Result {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "ROLLBOOK_LEDGER")
        return try execute(URL(fileURLWithPath: setpriv), ["--reuid=65534", "--regid=65534", "--clear-groups", executable] + arguments,
                           environment: env, in: URL(fileURLWithPath: directory))
    }
}
