/// The report's colours: Okabe–Ito for categories and viridis for the attendance scale, both readable by
/// people with the common kinds of colour-blindness; every coloured mark also carries a label or pattern.
enum ReportPalette {
    /// A fill and the text colour that reads on it.
    struct Swatch: Sendable, Hashable {
        var fill: String
        var text: String
        var label: String
    }

    /// Attendance bands for the school heat map, best first (viridis, light to dark).
    static let bands: [(atLeast: Int, swatch: Swatch)] = [
        (97, Swatch(fill: "#fde725", text: "#000000", label: "97% or more")),
        (95, Swatch(fill: "#5ec962", text: "#000000", label: "95% to under 97%")),
        (90, Swatch(fill: "#21918c", text: "#ffffff", label: "90% to under 95%")),
        (80, Swatch(fill: "#3b528b", text: "#ffffff", label: "80% to under 90%")),
        (0, Swatch(fill: "#440154", text: "#ffffff", label: "under 80%")),
    ]

    /// The band of an attendance rate (part of whole, compared in integers so 95% exactly is in 95–97).
    static func band(_ part: Int, _ whole: Int) -> Swatch {
        for (atLeast, swatch) in bands where part * 100 >= atLeast * whole { return swatch }
        return bands[bands.count - 1].swatch
    }

    /// A closed day or session: white, hatched in grey, labelled with its code.
    static let closed = Swatch(fill: "#ffffff", text: "#000000", label: "school closed (# planned, Y1–Y7 unplanned), hatched")
    /// A weekday outside the terms.
    static let holiday = Swatch(fill: "#e8e8e8", text: "#444444", label: "holiday (not a school day)")
    /// A school day with nothing marked yet, or an unmarked session.
    static let unmarked = Swatch(fill: "#ffffff", text: "#555555", label: "not marked")
    /// Not on roll.
    static let offRoll = Swatch(fill: "#f4f4f4", text: "#888888", label: "not on roll")

    /// The session categories for one pupil's calendar (Okabe–Ito).
    static func category(_ category: AttendanceCategory) -> Swatch {
        switch category {
        case .present: return Swatch(fill: "#56b4e9", text: "#000000", label: "present (/ \\)")
        case .presentLate: return Swatch(fill: "#f0e442", text: "#000000", label: "late, before the register closed (L)")
        case .approvedActivity: return Swatch(fill: "#009e73", text: "#ffffff", label: "approved educational activity")
        case .leaveOfAbsence, .otherAuthorised: return Swatch(fill: "#e69f00", text: "#000000", label: "authorised absence")
        case .unauthorised, .unauthorisedLate: return Swatch(fill: "#d55e00", text: "#ffffff", label: "unauthorised absence (hatched)")
        case .notPossible: return Swatch(fill: "#cccccc", text: "#000000", label: "not a possible session (D X Q Y1–Y7 Z #)")
        }
    }

    /// The categories in legend order.
    static let legendCategories: [AttendanceCategory] = [.present, .presentLate, .approvedActivity, .otherAuthorised, .unauthorised,
                                                         .notPossible]

    /// Lines and bars.
    static let blue = "#0072b2"
    static let orange = "#e69f00"
    static let vermillion = "#d55e00"
    static let grey = "#666666"
}

import RollbookDomain
