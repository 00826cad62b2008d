/// The report's charts, each an inline SVG written by Rollbook with its numbers drawn as text: the
/// calendar heat map (`SVGChart+Calendar`), the weekly trend (`+Trend`), the stage ladder and the stages
/// over time (`+Stages`), and the cohort comparison (`+Cohorts`).
enum SVGChart {}
