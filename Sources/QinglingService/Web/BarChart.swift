/// A grouped bar chart as the server draws it in inline SVG (`chart.mustache`): every shape a
/// number computed here, every text (title, labels, each bar's `<title>`) a value the template
/// escapes. Horizontal (one row of bars per category, labels on the left: many categories, as
/// the regions) or vertical (one column group per category, labels below: a trend by month).
struct BarChart {
    /// One series of bars (a column of the table beside the chart), its CSS class and name.
    struct Series {
        var key: String
        var label: String
    }

    struct Bar {
        var x: Int, y: Int, width: Int, height: Int
        var series: String
        /// What a screen reader or a pointer's tooltip says: category, series, value.
        var title: String
    }

    struct Group {
        var label: String
        var labelX: Int, labelY: Int
        var anchor: String
        var bars: [Bar]
    }

    /// A grid line with its value.
    struct Tick {
        var x1: Int, y1: Int, x2: Int, y2: Int
        var labelX: Int, labelY: Int
        var label: String
    }

    /// The legend: a swatch and a series' name.
    struct Key {
        var series: String
        var label: String
        var x: Int, y: Int
        var textX: Int, textY: Int
    }

    var id: String
    var title: String
    var width: Int
    var height: Int
    var groups: [Group]
    var ticks: [Tick]
    var legend: [Key]

    private static let margin = 8, legendHeight = 28

    /// One row per category: `values[c][s]` the value of series `s` for category `c`.
    static func horizontal(id: String, title: String, categories: [String], series: [Series], values: [[Int]]) -> BarChart {
        let labelWidth = 120, barHeight = 9, rowHeight = barHeight * series.count + 12, width = 760
        let plotLeft = labelWidth, plotWidth = width - labelWidth - margin * 3
        let top = legendHeight + margin + 16
        let scale = Scale(values: values, length: plotWidth)
        let groups = categories.indices.map { c in
            let rowTop = top + c * rowHeight
            let bars = series.indices.map { s in
                Bar(x: plotLeft, y: rowTop + s * barHeight, width: scale.length(values[c][s]), height: barHeight - 1,
                    series: series[s].key, title: "\(categories[c]) \(series[s].label)：\(values[c][s])")
            }
            return Group(label: categories[c], labelX: plotLeft - margin, labelY: rowTop + rowHeight / 2, anchor: "end", bars: bars)
        }
        let bottom = top + categories.count * rowHeight
        let ticks = scale.ticks.map { value in
            let x = plotLeft + scale.length(value)
            return Tick(x1: x, y1: top - 4, x2: x, y2: bottom, labelX: x, labelY: top - 8, label: String(value))
        }
        return BarChart(id: id, title: title, width: width, height: bottom + margin, groups: groups, ticks: ticks, legend: legend(series, width: width))
    }

    /// One column group per category, in order (months, left to right).
    static func vertical(id: String, title: String, categories: [String], series: [Series], values: [[Int]]) -> BarChart {
        let width = 760, plotHeight = 220, axisWidth = 40
        let top = legendHeight + margin + 8, plotBottom = top + plotHeight
        let groupWidth = (width - axisWidth - margin) / max(categories.count, 1)
        let barWidth = max(2, (groupWidth - 8) / max(series.count, 1))
        let scale = Scale(values: values, length: plotHeight)
        let groups = categories.indices.map { c in
            let left = axisWidth + c * groupWidth + 4
            let bars = series.indices.map { s in
                let height = scale.length(values[c][s])
                return Bar(x: left + s * barWidth, y: plotBottom - height, width: barWidth - 1, height: height,
                           series: series[s].key, title: "\(categories[c]) \(series[s].label)：\(values[c][s])")
            }
            return Group(label: categories[c], labelX: left + (groupWidth - 8) / 2, labelY: plotBottom + 16, anchor: "middle", bars: bars)
        }
        let ticks = scale.ticks.map { value in
            let y = plotBottom - scale.length(value)
            return Tick(x1: axisWidth, y1: y, x2: width - margin, y2: y, labelX: axisWidth - 6, labelY: y + 4, label: String(value))
        }
        return BarChart(id: id, title: title, width: width, height: plotBottom + 24, groups: groups, ticks: ticks, legend: legend(series, width: width))
    }

    private static func legend(_ series: [Series], width: Int) -> [Key] {
        series.indices.map { s in
            let x = margin + s * 130
            return Key(series: series[s].key, label: series[s].label, x: x, y: margin, textX: x + 18, textY: margin + 12)
        }
    }

    /// From values to lengths: the largest value rounded up to a round number fills `length`.
    private struct Scale {
        var top: Int
        var step: Int
        var length: Int

        init(values: [[Int]], length: Int) {
            let largest = max(values.joined().max() ?? 0, 1)
            var step = 1, magnitude = 1
            search: while true {  // the smallest of 1, 2, 5, 10, 20, 50… that takes the largest in ten
                for multiple in [1, 2, 5] where largest <= multiple * magnitude * 10 {
                    step = multiple * magnitude
                    break search
                }
                magnitude *= 10
            }
            top = (largest + step - 1) / step * step
            self.step = step
            self.length = length
        }

        func length(_ value: Int) -> Int { max(0, value) * length / top }

        /// At most five round values from 0 to the top.
        var ticks: [Int] {
            let count = top / step
            return Array(stride(from: 0, through: top, by: step * ((count + 3) / 4)))
        }
    }
}
