import HTTPTypes
import Hummingbird
import Prometheus
import Synchronization

/// Counts every request in `/metrics` by route, method and status, and times it from its
/// arrival to its answer being handed to the connection: `qingling_http_requests_total`,
/// `qingling_http_request_duration_seconds` and `qingling_http_requests_in_flight`.
///
/// Not Hummingbird's `MetricsMiddleware`: that one times the writing of the answer too, by
/// making its body a closure, and such a body is written apart from its head. Every answer then
/// took two writes to the socket instead of one, which cost the appends a tenth of their rate
/// or more (`docs/performance-service.md`).
///
/// The outermost middleware: what it counts is the answer `ErrorShape` made of any error.
struct RequestMetrics: RouterMiddleware {
    typealias Context = ServiceContext

    private let registry: PrometheusCollectorRegistry
    private let inFlight: Gauge
    /// The counter and histogram of each route, method and status met so far, made once.
    private let series = SeriesTable()

    private final class SeriesTable: Sendable {
        let known = Mutex<[Key: Series]>([:])
    }

    private struct Key: Hashable {
        var route: String
        var method: HTTPRequest.Method
        var status: Int
    }

    private struct Series: Sendable {
        let requests: Counter
        let duration: DurationHistogram
    }

    private static let buckets: [Duration] = [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20),
                                      .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1), .seconds(5)]

    init(metrics: ServiceMetrics) {
        registry = metrics.registry
        inFlight = registry.makeGauge(name: "qingling_http_requests_in_flight", help: "HTTP requests being answered.")
    }

    func handle(_ request: Request, context: ServiceContext, next: (Request, ServiceContext) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        inFlight.increment()
        defer { inFlight.decrement() }
        let status: HTTPResponse.Status
        do {
            let response = try await next(request, context)
            status = response.status
            record(request, context, status: status, since: started)
            return response
        } catch {
            // Never once `ErrorShape` has made the error an answer; a status all the same.
            record(request, context, status: (error as? any HTTPResponseError)?.status ?? .internalServerError, since: started)
            throw error
        }
    }

    private func record(_ request: Request, _ context: ServiceContext, status: HTTPResponse.Status, since started: ContinuousClock.Instant) {
        let key = Key(route: context.endpointPath ?? "unrouted", method: request.method, status: status.code)
        let series = series.known.withLock { known in
            if let series = known[key] { return series }
            let labels = [("route", key.route), ("method", key.method.rawValue), ("status", String(key.status))]
            let requests = MetricNameDescriptor(namespace: "qingling", subsystem: "http", metricName: "requests", unitName: "total",
                                                helpText: "HTTP requests answered, by route, method and status.")
            let duration = MetricNameDescriptor(namespace: "qingling", subsystem: "http", metricName: "request_duration", unitName: "seconds",
                                                helpText: "From a request's arrival to its answer handed to the connection.")
            let made = Series(requests: registry.makeCounter(descriptor: requests, labels: labels),
                              duration: registry.makeDurationHistogram(descriptor: duration, labels: labels, buckets: Self.buckets))
            known[key] = made
            return made
        }
        series.requests.increment()
        series.duration.record(ContinuousClock.now - started)
    }
}
