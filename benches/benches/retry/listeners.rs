//! The success path with each of the workspace's listeners attached, and
//! with none: what observing a retry costs.

use backon::otel::opentelemetry::metrics::MeterProvider;
use backon::otel::{OtelListener, OtelMetrics};
use backon::prelude::*;
use backon::prometheus::PromListener;
use backon::prometheus::PromMetrics;
use backon::prometheus::prometheus_client::registry::Registry;
use backon::stop::AfterAttempts;
use backon::tracing::TracingListener;
use backon::{AnyError, Listener, Policy};
use backon_benches::{ATTEMPTS, Busy, succeed, succeed_async};
use opentelemetry_sdk::metrics::{InMemoryMetricExporter, PeriodicReader, SdkMeterProvider};
use std::time::Duration;

type With<L> = Policy<Duration, AfterAttempts, AnyError, ((), L)>;

/// One policy per listener, built once: three attempts, no delay. The
/// registry and the meter provider live as long as the policies.
pub(crate) struct Listeners {
    pub(crate) none: Policy<Duration, AfterAttempts>,
    pub(crate) prometheus: With<PromListener>,
    pub(crate) otel: With<OtelListener>,
    pub(crate) tracing: With<TracingListener>,
    _registry: Registry,
    _provider: SdkMeterProvider,
}

impl Listeners {
    pub(crate) fn new() -> Self {
        let stop = after_attempts(ATTEMPTS).expect("three attempts is a valid stop");
        let policy = Policy::new(Duration::ZERO, stop);

        let mut registry = Registry::default();
        let prometheus = PromMetrics::register(&mut registry).listener("bench");

        // The SDK aggregates only for a reader; this one exports every
        // 60 s, so not during a measurement.
        let reader = PeriodicReader::builder(InMemoryMetricExporter::default()).build();
        let provider = SdkMeterProvider::builder().with_reader(reader).build();
        let meter = provider.meter("bench");
        let otel = OtelMetrics::new(&meter).listener("bench");

        Listeners {
            none: policy,
            prometheus: policy.listen(prometheus),
            otel: policy.listen(otel),
            // No subscriber is installed: the cost of an idle `tracing`.
            tracing: policy.listen(TracingListener::new("bench")),
            _registry: registry,
            _provider: provider,
        }
    }
}

/// A blocking call that succeeds at once, retried under `policy`.
pub(crate) fn blocking<L: Listener<Busy>>(
    policy: &Policy<Duration, AfterAttempts, AnyError, L>,
) -> Result<u64, Busy> {
    succeed.retry(policy).call()
}

/// An async call that succeeds at its first poll, retried under `policy`.
pub(crate) async fn on_async<L: Listener<Busy>>(
    policy: &Policy<Duration, AfterAttempts, AnyError, L>,
) -> Result<u64, Busy> {
    succeed_async.retry(policy).await
}
