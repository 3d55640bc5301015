//! End-to-end throughput on loopback: the generated client calling ScaleOutCluster (every
//! field set; validated, signed, sent, answer parsed) against the local test server with N
//! concurrent tasks, beside raw reqwest posting pre-built signed bytes to the same server in
//! the same run; then a long run of the client that samples the resident set size.
//!
//! A third side, "raw + floor", is raw reqwest that also does the scheme's floor for every
//! request (what the preparation benchmark calls the floor: serializing the body and the
//! hashing and MAC the scheme requires) before posting the same pre-built bytes. It is what
//! any client that signs each request must at least do, so `floor / raw` bounds what
//! `client / raw` can reach on this machine.
//!
//! ```text
//! cargo run --release -p acs-benches --bin throughput -- [options]
//!   --concurrency 1,16,64   concurrent tasks (comma-separated list)
//!   --seconds 3             length of one measured interval
//!   --rounds 3              intervals per side and concurrency, alternating raw and client
//!   --scheme acs3|roa_v1    the signature scheme (default acs3)
//!   --client-threads 1      Tokio worker threads of the client side
//!   --soak-seconds 120      length of the long run (0 skips it)
//!   --soak-concurrency 16   concurrent tasks of the long run
//!   --sides raw,floor,client  the sides to measure (one alone, for profiling it with `perf`)
//!   --raw-without-timeouts  raw reqwest without the client's timeouts (which cost timers)
//! ```
//!
//! The server runs on its own Tokio runtime with one worker thread (`acs-server`), the
//! clients on another (`bench-client`), so each side's CPU time is read per thread from
//! `/proc/self/task/*/schedstat`. The server records every request; the run clears that
//! record every 100 ms so that it does not count as growth.

// ScaleOutCluster is deprecated by ACK; it is still the operation under test.
#![allow(deprecated)]

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use acs_benches::{
    ACCESS_KEY_ID, ACCESS_KEY_SECRET, Floor, credentials, full_request, rss_kib, thread_cpu_ns,
};
use acs_cs20151215::{Client, RetryPolicy, ScaleOutClusterRequest, SignatureScheme};
use acs_runtime::prepare::{PrepareParams, prepare};
use acs_runtime::test_server::TestServer;
use acs_runtime::validate::ValidationMode;

struct Options {
    concurrency: Vec<usize>,
    seconds: f64,
    rounds: usize,
    scheme: SignatureScheme,
    client_threads: usize,
    /// Raw reqwest with the client's default timeouts, so that both sides arm the same timers.
    raw_timeouts: bool,
    soak_seconds: u64,
    soak_concurrency: usize,
    /// Which sides to measure, by [`Side::key`].
    sides: Vec<String>,
}

/// The sides, by [`Side::key`], in the order they are measured.
const SIDES: [&str; 3] = ["raw", "floor", "client"];

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        concurrency: vec![1, 16, 64],
        seconds: 3.0,
        rounds: 3,
        scheme: SignatureScheme::Acs3HmacSha256,
        client_threads: 1,
        raw_timeouts: true,
        soak_seconds: 120,
        soak_concurrency: 16,
        sides: SIDES.map(String::from).to_vec(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        let number = |text: String| {
            text.parse::<usize>()
                .map_err(|_| format!("{flag}: not a number"))
        };
        match flag.as_str() {
            "--concurrency" => {
                options.concurrency = value()?
                    .split(',')
                    .map(|n| n.trim().parse().map_err(|_| format!("{flag}: not a list")))
                    .collect::<Result<_, _>>()?;
            }
            "--seconds" => {
                options.seconds = value()?
                    .parse()
                    .map_err(|_| format!("{flag}: not a number"))?;
            }
            "--rounds" => options.rounds = number(value()?)?,
            "--client-threads" => options.client_threads = number(value()?)?.max(1),
            "--soak-seconds" => options.soak_seconds = number(value()?)? as u64,
            "--soak-concurrency" => options.soak_concurrency = number(value()?)?.max(1),
            "--scheme" => {
                options.scheme = match value()?.as_str() {
                    "acs3" => SignatureScheme::Acs3HmacSha256,
                    "roa_v1" => SignatureScheme::RoaV1,
                    other => return Err(format!("--scheme: unknown scheme `{other}`")),
                }
            }
            "--sides" => {
                options.sides = value()?.split(',').map(|s| s.trim().to_owned()).collect();
                if let Some(unknown) = options.sides.iter().find(|s| !SIDES.contains(&s.as_str())) {
                    return Err(format!("{flag}: unknown side `{unknown}`"));
                }
            }
            "--raw-without-timeouts" => options.raw_timeouts = false,
            // `cargo bench` passes `--bench`; this is a plain binary, but accept it.
            "--bench" => {}
            other => {
                return Err(format!(
                    "unknown argument `{other}` (see the source's header)"
                ));
            }
        }
    }
    Ok(options)
}

/// One measured interval.
#[derive(Clone, Copy, Debug)]
struct Interval {
    requests: u64,
    errors: u64,
    elapsed: Duration,
    /// CPU time of the client side (every thread but the server's).
    client_cpu_ns: u64,
    /// CPU time of the server's thread.
    server_cpu_ns: u64,
}

impl Interval {
    fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
    fn client_us_per_request(&self) -> f64 {
        self.client_cpu_ns as f64 / 1000.0 / self.requests.max(1) as f64
    }
    fn server_us_per_request(&self) -> f64 {
        self.server_cpu_ns as f64 / 1000.0 / self.requests.max(1) as f64
    }
}

/// What one side sends.
#[derive(Clone)]
enum Side {
    Client {
        client: Client,
        request: Arc<ScaleOutClusterRequest>,
    },
    Raw {
        http: reqwest::Client,
        /// Built once; each post sends a copy (URL, header map and a shared body).
        request: Arc<reqwest::Request>,
        /// The scheme's floor, done before each post ("raw + floor").
        floor: Option<Arc<(Floor, ScaleOutClusterRequest)>>,
    },
}

impl Side {
    /// The side's name in `--sides`.
    fn key(&self) -> &'static str {
        match self {
            Side::Client { .. } => "client",
            Side::Raw { floor: None, .. } => "raw",
            Side::Raw { floor: Some(_), .. } => "floor",
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Side::Client { .. } => "client",
            Side::Raw { floor: None, .. } => "raw reqwest",
            Side::Raw { floor: Some(_), .. } => "raw + floor",
        }
    }

    /// Sends one request; `true` when it succeeded.
    async fn once(&self) -> bool {
        match self {
            Side::Client { client, request } => {
                client.runtime().call().send(request.as_ref()).await.is_ok()
            }
            Side::Raw {
                http,
                request,
                floor,
            } => {
                if let Some(floor) = floor {
                    let (floor, request) = floor.as_ref();
                    std::hint::black_box(floor.run(std::hint::black_box(request)));
                }
                let request = request.try_clone().expect("a body in memory can be copied");
                let sent = http.execute(request).await;
                match sent {
                    Ok(response) if response.status().is_success() => {
                        response.bytes().await.is_ok()
                    }
                    _ => false,
                }
            }
        }
    }
}

/// Runs `side` with `tasks` concurrent tasks for `length`.
async fn measure(side: &Side, tasks: usize, length: Duration) -> Interval {
    let requests = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let (client_before, server_before) = cpu();
    let started = Instant::now();
    let mut handles = Vec::with_capacity(tasks);
    for _ in 0..tasks {
        let side = side.clone();
        let requests = Arc::clone(&requests);
        let errors = Arc::clone(&errors);
        let stop = Arc::clone(&stop);
        handles.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                if side.once().await {
                    requests.fetch_add(1, Ordering::Relaxed);
                } else {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    tokio::time::sleep(length).await;
    stop.store(true, Ordering::Relaxed);
    for handle in handles {
        handle.await.expect("a sending task panicked");
    }
    let elapsed = started.elapsed();
    let (client_after, server_after) = cpu();
    Interval {
        requests: requests.load(Ordering::Relaxed),
        errors: errors.load(Ordering::Relaxed),
        elapsed,
        client_cpu_ns: client_after.saturating_sub(client_before),
        server_cpu_ns: server_after.saturating_sub(server_before),
    }
}

/// `(client side, server side)` CPU nanoseconds so far.
fn cpu() -> (u64, u64) {
    let (server, others) = thread_cpu_ns("acs-server");
    (others, server)
}

/// Whether `--sides` leaves `side` out.
fn skipped(options: &Options, side: &Side) -> bool {
    !options.sides.iter().any(|s| s == side.key())
}

/// The median; NaN for a side that was left out.
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The signed request, as raw reqwest sends it: the same bytes the client sends, signed once;
/// with `with_floor`, the scheme's floor is done before each post.
fn raw_side(
    http: reqwest::Client,
    endpoint: &str,
    scheme: SignatureScheme,
    with_floor: bool,
) -> Side {
    let endpoint = acs_runtime::endpoint::Endpoint::parse(endpoint).expect("endpoint");
    let credentials = credentials();
    let nonce = acs_runtime::signing::new_nonce();
    let signed = prepare(
        &full_request(),
        &PrepareParams {
            endpoint: &endpoint,
            credentials: &credentials,
            scheme,
            validation: ValidationMode::Enforce,
            time: std::time::SystemTime::now(),
            nonce: &nonce,
            retry: None,
        },
    )
    .expect("prepared");
    let url = reqwest::Url::parse(&signed.url()).expect("URL");
    let mut request = reqwest::Request::new(reqwest::Method::POST, url);
    for (name, value) in &signed.headers {
        request.headers_mut().append(
            reqwest::header::HeaderName::from_bytes(name.as_bytes()).expect("header name"),
            reqwest::header::HeaderValue::from_str(value).expect("header value"),
        );
    }
    let floor = with_floor.then(|| Arc::new((Floor::of(&signed, scheme), full_request())));
    *request.body_mut() = Some(signed.body.into());
    Side::Raw {
        http,
        request: Arc::new(request),
        floor,
    }
}

fn main() -> ExitCode {
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("throughput: {message}");
            return ExitCode::from(2);
        }
    };
    // The server: its own runtime and thread, so that its CPU time can be told apart.
    let server_runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("acs-server")
        .enable_all()
        .build()
        .expect("server runtime");
    let server = Arc::new(
        server_runtime
            .block_on(TestServer::start([(ACCESS_KEY_ID, ACCESS_KEY_SECRET)]))
            .expect("test server"),
    );
    {
        let server = Arc::clone(&server);
        server_runtime.spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(100));
            loop {
                tick.tick().await;
                server.clear();
            }
        });
    }
    let endpoint = server.endpoint();

    let client_runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(options.client_threads)
        .thread_name("bench-client")
        .enable_all()
        .build()
        .expect("client runtime");
    let ok = client_runtime.block_on(run(&options, &endpoint));
    drop(client_runtime);
    drop(server);
    drop(server_runtime);
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

async fn run(options: &Options, endpoint: &str) -> bool {
    let client = Client::builder()
        .endpoint(endpoint)
        .credentials(credentials())
        .signature(options.scheme)
        .retry(RetryPolicy::disabled())
        .no_proxy()
        .build()
        .expect("client");
    let client_side = Side::Client {
        client,
        request: Arc::new(full_request()),
    };
    // Raw reqwest with the same settings as the client's transport that matter on loopback:
    // the timeouts arm timers for every request (and every read), so by default both sides
    // have them.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut http = reqwest::Client::builder()
        .no_proxy()
        .pool_idle_timeout(Duration::from_secs(50))
        .redirect(reqwest::redirect::Policy::none());
    if options.raw_timeouts {
        let timeouts = acs_runtime::client::Timeouts::default();
        http = http
            .connect_timeout(timeouts.connect)
            .read_timeout(timeouts.read)
            .timeout(timeouts.attempt);
    }
    let http = http.build().expect("reqwest client");
    let sides = [
        raw_side(http.clone(), endpoint, options.scheme, false),
        raw_side(http, endpoint, options.scheme, true),
        client_side,
    ];
    let length = Duration::from_secs_f64(options.seconds);
    let mut ok = true;

    println!(
        "scheme {:?}, {} client worker thread(s), server on 1 thread, {} x {:.1} s per side and concurrency, raw reqwest {} the client's timeouts",
        options.scheme,
        options.client_threads,
        options.rounds,
        options.seconds,
        if options.raw_timeouts {
            "with"
        } else {
            "without"
        }
    );
    println!(
        "| tasks | raw reqwest req/s | raw + floor req/s | client req/s | client / raw | floor / raw | client / floor | client-side µs/req: raw | raw + floor | client | server µs/req |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &tasks in &options.concurrency {
        // Warm up both sides (connections, allocator).
        for side in &sides {
            if !skipped(options, side) {
                measure(side, tasks, Duration::from_millis(500)).await;
            }
        }
        let mut results: [Vec<Interval>; 3] = Default::default();
        for _ in 0..options.rounds.max(1) {
            for (index, side) in sides.iter().enumerate() {
                if skipped(options, side) {
                    continue;
                }
                let interval = measure(side, tasks, length).await;
                if interval.errors > 0 {
                    eprintln!(
                        "{}: {} of {} requests failed",
                        side.name(),
                        interval.errors,
                        interval.errors + interval.requests
                    );
                    ok = false;
                }
                results[index].push(interval);
            }
        }
        let rate = |i: usize| median(results[i].iter().map(Interval::per_second).collect());
        let client_us = |i: usize| {
            median(
                results[i]
                    .iter()
                    .map(Interval::client_us_per_request)
                    .collect(),
            )
        };
        let server_us = median(
            results
                .iter()
                .flatten()
                .map(Interval::server_us_per_request)
                .collect(),
        );
        println!(
            "| {tasks} | {:.0} | {:.0} | {:.0} | {:.2} | {:.2} | {:.2} | {:.1} | {:.1} | {:.1} | {:.1} |",
            rate(0),
            rate(1),
            rate(2),
            rate(2) / rate(0),
            rate(1) / rate(0),
            rate(2) / rate(1),
            client_us(0),
            client_us(1),
            client_us(2),
            server_us,
        );
    }

    if options.soak_seconds > 0 {
        ok &= soak(options, &sides[2]).await;
    }
    ok
}

/// The long run: the client alone, RSS sampled every second.
async fn soak(options: &Options, side: &Side) -> bool {
    let tasks = options.soak_concurrency;
    let total = options.soak_seconds;
    println!();
    println!("long run: client, {tasks} tasks, {total} s, RSS sampled every second");
    let mut samples: Vec<(u64, u64)> = Vec::new();
    let mut requests = 0;
    let mut errors = 0;
    for second in 1..=total {
        let interval = measure(side, tasks, Duration::from_secs(1)).await;
        requests += interval.requests;
        errors += interval.errors;
        samples.push((second, rss_kib().unwrap_or(0)));
    }
    // Growth: the least-squares slope over the second half (after warm-up), and the first and
    // last 10% of the samples compared.
    let half = &samples[samples.len() / 2..];
    let n = half.len() as f64;
    let mean_t = half.iter().map(|(t, _)| *t as f64).sum::<f64>() / n;
    let mean_r = half.iter().map(|(_, r)| *r as f64).sum::<f64>() / n;
    let covariance: f64 = half
        .iter()
        .map(|(t, r)| (*t as f64 - mean_t) * (*r as f64 - mean_r))
        .sum();
    let variance: f64 = half.iter().map(|(t, _)| (*t as f64 - mean_t).powi(2)).sum();
    let slope_kib_per_min = if variance > 0.0 {
        covariance / variance * 60.0
    } else {
        0.0
    };
    let tenth = (samples.len() / 10).max(1);
    let early = samples[..tenth].iter().map(|(_, r)| *r).max().unwrap_or(0);
    let late = samples[samples.len() - tenth..]
        .iter()
        .map(|(_, r)| *r)
        .max()
        .unwrap_or(0);
    let peak = samples.iter().map(|(_, r)| *r).max().unwrap_or(0);
    let series: Vec<String> = samples
        .iter()
        .step_by((samples.len() / 12).max(1))
        .map(|(t, r)| format!("{t}s:{}", r / 1024))
        .collect();
    println!(
        "requests {requests} ({:.0}/s), errors {errors}",
        requests as f64 / total as f64
    );
    println!("RSS MiB over time: {}", series.join(" "));
    println!(
        "RSS: first 10% max {early} KiB, last 10% max {late} KiB, peak {peak} KiB; slope over the second half {slope_kib_per_min:+.1} KiB/min"
    );
    errors == 0
}
