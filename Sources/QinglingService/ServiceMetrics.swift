import Prometheus

/// What the service counts, in one Prometheus registry served at `GET /metrics`: appends,
/// refusals, logins, the log's size, and every HTTP request (`RequestMetrics`). What libraries
/// count through swift-metrics lands there too once the process bootstraps it with `factory`
/// (`qingling serve` does).
public struct ServiceMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let eventsAppended: Counter
    let appendsRefused: Counter
    let appendDuration: DurationHistogram
    let logEvents: Gauge
    let loginsSucceeded: Counter
    let loginsFailed: Counter
    let loginsThrottled: Counter

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        eventsAppended = registry.makeCounter(name: "qingling_events_appended_total", help: "Events written to the log by the service.")
        appendsRefused = registry.makeCounter(name: "qingling_appends_refused_total", help: "POST /events refused: nothing written.")
        appendDuration = registry.makeDurationHistogram(
            name: "qingling_append_duration_seconds",
            buckets: [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(50),
                      .milliseconds(100), .milliseconds(250), .seconds(1)],
            help: "Time to check, write, sync and fold one accepted POST /events.")
        logEvents = registry.makeGauge(name: "qingling_log_events", help: "Events in the log.")
        loginsSucceeded = registry.makeCounter(name: "qingling_logins_total", labels: [("outcome", "success")], help: "Logins by outcome.")
        loginsFailed = registry.makeCounter(name: "qingling_logins_total", labels: [("outcome", "failure")], help: "Logins by outcome.")
        loginsThrottled = registry.makeCounter(name: "qingling_logins_total", labels: [("outcome", "throttled")], help: "Logins by outcome.")
    }

    /// A metrics factory writing into this registry, for `MetricsSystem.bootstrap`.
    public var factory: PrometheusMetricsFactory { PrometheusMetricsFactory(registry: registry) }

    /// The registry in the Prometheus text format.
    func text() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
