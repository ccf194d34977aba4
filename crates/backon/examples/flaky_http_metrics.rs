//! A flaky HTTP server, a client that retries against it with Prometheus
//! metrics and `tracing` attached, and a `/metrics` endpoint that the
//! example scrapes once at the end and prints.
//!
//! Everything listens on 127.0.0.1 on ports the system picks, and the
//! program ends by itself in well under a second:
//!
//! ```text
//! cargo run -p backon --example flaky_http_metrics --features metrics-prometheus,tracing
//! RUST_LOG=backon=debug cargo run ... # the same, with the retries logged
//! ```
//!
//! HTTP is hand-written and minimal (HTTP/1.1, one request per connection),
//! to keep the example free of an HTTP framework.

use backon::prelude::*;
use backon::prometheus::PromMetrics;
use backon::prometheus::prometheus_client::encoding::text::encode;
use backon::prometheus::prometheus_client::registry::Registry;
use backon::tracing::{Instrument, TracingListener};
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tracing_subscriber::filter::LevelFilter;

/// How many users the client fetches.
const USERS: u32 = 6;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `RUST_LOG`-style filtering without the env-filter feature: debug
    // when asked for, otherwise only warnings (and the retries stay quiet).
    let verbose = std::env::var("RUST_LOG").is_ok_and(|v| v.contains("debug"));
    let level = if verbose {
        LevelFilter::DEBUG
    } else {
        LevelFilter::WARN
    };
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(io::stderr)
        .init();

    // The instruments, registered once; the registry is read by /metrics.
    let mut registry = Registry::default();
    let metrics = PromMetrics::register(&mut registry);
    let registry = Arc::new(registry);

    let app = serve(TcpListener::bind("127.0.0.1:0").await?, flaky_app()).await;
    let scrape = {
        let registry = registry.clone();
        serve(TcpListener::bind("127.0.0.1:0").await?, move |path| {
            metrics_page(&registry, path)
        })
        .await
    };

    // Each user is fetched with retries: 4 attempts, 10 ms doubling.
    let logs = TracingListener::new("fetch_user");
    let policy = Policy::new(
        Exponential::new(Duration::from_millis(10)).max(Duration::from_millis(100)),
        after_attempts(4)?,
    )
    .listen(metrics.listener("fetch_user"))
    .listen(logs.clone());

    for id in 1..=USERS {
        let path = format!("/users/{id}");
        let outcome = (|| get(app, &path))
            .retry(&policy)
            .instrument(logs.span())
            .await;
        match outcome {
            Ok(body) => println!("GET {path}: {body}"),
            Err(err) => println!("GET {path}: gave up: {err}"),
        }
    }

    // One scrape of our own /metrics, as Prometheus would do it.
    let text = get(scrape, "/metrics").await?;
    println!("\n--- GET http://{scrape}/metrics ---\n{text}");
    Ok(())
}

/// The flaky service: of every three requests, the first two get a 503.
/// User 4 is always down, so its call gives up.
fn flaky_app() -> impl Fn(&str) -> (u16, String) + Send + Sync + 'static {
    let requests = AtomicU32::new(0);
    move |path| {
        let n = requests.fetch_add(1, Ordering::Relaxed);
        if path == "/users/4" || n % 3 != 2 {
            (503, "busy".to_string())
        } else {
            (
                200,
                format!("{{\"user\":\"{}\"}}", path.trim_start_matches("/users/")),
            )
        }
    }
}

/// The /metrics page: the registry in the OpenMetrics text format.
fn metrics_page(registry: &Registry, path: &str) -> (u16, String) {
    if path != "/metrics" {
        return (404, "not found".to_string());
    }
    let mut text = String::new();
    match encode(&mut text, registry) {
        Ok(()) => (200, text),
        Err(_) => (500, "encoding failed".to_string()),
    }
}

/// Serves `handler` on `listener` in a background task; returns its address.
async fn serve<H>(listener: TcpListener, handler: H) -> std::net::SocketAddr
where
    H: Fn(&str) -> (u16, String) + Send + Sync + 'static,
{
    let addr = listener
        .local_addr()
        .expect("a bound listener has an address");
    let handler = Arc::new(handler);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let handler = handler.clone();
            tokio::spawn(async move {
                let _ = respond(stream, &*handler).await;
            });
        }
    });
    addr
}

/// Reads one request's head and writes one response.
async fn respond(
    mut stream: TcpStream,
    handler: &(dyn Fn(&str) -> (u16, String) + Send + Sync),
) -> io::Result<()> {
    let head = read_head(&mut stream).await?;
    let path = head.split_whitespace().nth(1).unwrap_or("/");
    let (status, body) = handler(path);

    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    };
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

/// The error of a GET: the connection failed, or the status was not 200.
#[derive(Debug)]
enum GetError {
    Io(io::Error),
    Status(u16),
}

impl std::fmt::Display for GetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GetError::Io(err) => write!(f, "{err}"),
            GetError::Status(status) => write!(f, "status {status}"),
        }
    }
}

impl std::error::Error for GetError {}

impl From<io::Error> for GetError {
    fn from(err: io::Error) -> Self {
        GetError::Io(err)
    }
}

/// A minimal HTTP/1.1 GET: the body of a 200, an error otherwise.
async fn get(addr: std::net::SocketAddr, path: &str) -> Result<String, GetError> {
    let mut stream = TcpStream::connect(addr).await?;
    let request = format!("GET {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;

    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));

    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "no status line"))?;
    if status == 200 {
        Ok(body.to_string())
    } else {
        Err(GetError::Status(status))
    }
}

/// Reads up to the blank line that ends a request's head.
async fn read_head(stream: &mut TcpStream) -> io::Result<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).await? == 0 || head.len() > 8192 {
            break;
        }
        head.push(byte[0]);
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}
