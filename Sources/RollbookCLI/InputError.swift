import RollbookDomain

/// Bad input to a writing command: refused before anything is written.
///
/// Messages name the CSV line and column or the option, never a pupil's name.
struct InputError: Error, Equatable, CustomStringConvertible {
    /// Where: `line 7, column "code"` or `--code`.
    var place: String?
    /// What is wrong, as a sentence.
    var problem: String

    init(_ problem: String, place: String? = nil) {
        self.place = place
        self.problem = problem
    }

    var description: String {
        let sentence = problem.hasSuffix(".") ? problem : problem + "."
        let message = place.map { "\($0): \(sentence)" } ?? sentence
        return message + " Nothing was written."
    }

    func at(_ place: String) -> InputError { InputError(problem, place: place) }
}
