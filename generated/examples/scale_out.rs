//! Adds worker nodes to an ACK cluster.
//!
//! ```text
//! cargo run --example scale_out                       # against a local test server (no account needed)
//! cargo run --example scale_out -- --region cn-hangzhou --cluster-id c123 --count 2 --key-pair my-key
//! ```
//!
//! With `--region`, credentials come from the default chain (environment
//! `ALIBABA_CLOUD_ACCESS_KEY_ID`/`ALIBABA_CLOUD_ACCESS_KEY_SECRET`, `~/.aliyun/config.json`,
//! `~/.alibabacloud/credentials.ini`) and the request goes to the real service.

// ScaleOutCluster is deprecated by ACK in favour of node pools; this example shows it anyway.
#![allow(deprecated)]

use std::error::Error;
use std::process::ExitCode;

use acs_cs20151215::{Client, Credentials};
use acs_runtime::test_server::TestServer;

struct Args {
    region: Option<String>,
    cluster_id: String,
    count: i32,
    key_pair: String,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        region: None,
        cluster_id: "c82e6987e2961451182edacd74faf".to_owned(),
        count: 2,
        key_pair: "example-key".to_owned(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--region" => args.region = Some(value()?),
            "--cluster-id" => args.cluster_id = value()?,
            "--count" => args.count = value()?.parse().map_err(|e| format!("--count: {e}"))?,
            "--key-pair" => args.key_pair = value()?,
            other => {
                return Err(format!(
                    "unknown argument {other}; expected --region, --cluster-id, --count, --key-pair"
                ));
            }
        }
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn Error>> {
    // Without a region, scale out against a local server that checks the signature.
    let _local;
    let client = match &args.region {
        Some(region) => Client::builder().region(region).build()?,
        None => {
            let server = TestServer::start([("LTAI-example", "example-secret")]).await?;
            println!("local test server at {}", server.endpoint());
            let client = Client::builder()
                .endpoint(server.endpoint())
                .credentials(Credentials::new("LTAI-example", "example-secret"))
                .build()?;
            _local = server;
            client
        }
    };
    let response = client
        .scale_out_cluster()
        .cluster_id(&args.cluster_id)
        .count(args.count)
        .key_pair(&args.key_pair)
        .send()
        .await?;
    println!(
        "scaling out cluster {}: task {}, request {}",
        response.cluster_id.as_deref().unwrap_or(&args.cluster_id),
        response.task_id.as_deref().unwrap_or("(none)"),
        response.request_id.as_deref().unwrap_or("(none)"),
    );
    Ok(())
}
