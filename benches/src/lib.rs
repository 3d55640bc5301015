//! Shared inputs and measurements of the benchmarks (see `BENCHMARKS.md` at the repository
//! root): the ScaleOutCluster request with every field set, the credentials it is signed
//! with, the "floor" of each signature scheme, and memory and CPU readings from `/proc`.

// ScaleOutCluster is deprecated by ACK; it is still the operation under test.
#![allow(deprecated)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use acs_cs20151215::ScaleOutClusterRequest;
use acs_cs20151215::operations::scale_out_cluster::WorkerDataDisk;
use acs_cs20151215::types::{Runtime, Tag, Taint};
use acs_runtime::credentials::Credentials;
use acs_runtime::signing::{
    HttpRequest, SignatureScheme, acs3_canonical_request, acs3_signed_header_names,
    acs3_string_to_sign, roa_v1_string_to_sign,
};
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// The access key every benchmark signs with (the test server knows it).
pub const ACCESS_KEY_ID: &str = "LTAI5tTestKeyId";
/// Its secret.
pub const ACCESS_KEY_SECRET: &str = "TestSecretValue123";
/// The fixed `x-acs-signature-nonce` of the preparation benchmark.
pub const NONCE: &str = "0123456789abcdef0123456789abcdef";

/// The fixed signing time of the preparation benchmark: 2025-01-01T00:00:00Z.
pub fn signing_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_735_689_600)
}

/// The credentials every benchmark signs with.
pub fn credentials() -> Credentials {
    Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
}

/// A ScaleOutCluster request with every field set: the "every field" case of
/// `tests/tests/conformance_sdk.rs`, which uses this function
/// (`benches/scripts/python_sdk_prepare.py` builds the same request with the official Python
/// SDK).
pub fn full_request() -> ScaleOutClusterRequest {
    ScaleOutClusterRequest::builder()
        .cluster_id("c-abc 1/ä+*~_.-x")
        .count(3)
        .worker_instance_charge_type("PrePaid")
        .worker_period(1)
        .worker_period_unit("Month")
        .worker_auto_renew(true)
        .worker_auto_renew_period(6)
        .worker_system_disk_category("cloud_efficiency")
        .worker_system_disk_size(120)
        .login_password("Hello@1234")
        .cloud_monitor_flags(true)
        .cpu_policy("static")
        .image_id("aliyun_3_x64")
        .user_data_from_bytes("#!/bin/sh\necho \"hi\"\n")
        .runtime(Runtime::builder().name("containerd").version("1.6.20"))
        .vswitch_ids(["vsw-1", "vsw-2"])
        .worker_instance_types(["ecs.c5.xlarge", "ecs.g6.large"])
        .rds_instances(["rm-2zev748xi27xc"])
        .worker_data_disks([WorkerDataDisk::builder()
            .category("cloud_essd")
            .size(200)
            .encrypted(true)])
        .tags([Tag::builder()
            .key("团队")
            .value("前端 \"quoted\" \\ back\nslash\t/")])
        .taints([Taint::builder()
            .effect("NoSchedule")
            .key("node_type")
            .value("prod")])
        .build()
        .expect("the every-field request is valid")
}

/// The floor of ROA signature v1 for `request`: `serde_json::to_vec` of the body and one
/// HMAC-SHA1 over a string to sign of the real length.
pub fn roa_v1_floor(request: &ScaleOutClusterRequest, string_to_sign: &str) -> (Vec<u8>, Vec<u8>) {
    let body = serde_json::to_vec(request).expect("serializable");
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(ACCESS_KEY_SECRET.as_bytes())
        .expect("any key length");
    mac.update(string_to_sign.as_bytes());
    (body, mac.finalize().into_bytes().to_vec())
}

/// The floor of ACS3-HMAC-SHA256 for `request`: `serde_json::to_vec` of the body, SHA-256 of
/// the body, SHA-256 of a canonical request of the real length, and one HMAC-SHA256 over a
/// string to sign of the real length.
pub fn acs3_floor(
    request: &ScaleOutClusterRequest,
    canonical_request: &str,
    string_to_sign: &str,
) -> (Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>) {
    let body = serde_json::to_vec(request).expect("serializable");
    let body_hash = Sha256::digest(&body).to_vec();
    let canonical_hash = Sha256::digest(canonical_request.as_bytes()).to_vec();
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(ACCESS_KEY_SECRET.as_bytes())
        .expect("any key length");
    mac.update(string_to_sign.as_bytes());
    (
        body,
        body_hash,
        canonical_hash,
        mac.finalize().into_bytes().to_vec(),
    )
}

/// A scheme's floor for one signed request: the texts the scheme hashes and MACs, of the
/// lengths the client's are, taken from a request the client signed.
#[derive(Clone, Debug)]
pub enum Floor {
    RoaV1 {
        string_to_sign: String,
    },
    Acs3 {
        canonical_request: String,
        string_to_sign: String,
    },
}

impl Floor {
    /// The floor of `scheme` for `signed`, a request the client signed with `scheme`.
    pub fn of(signed: &HttpRequest, scheme: SignatureScheme) -> Self {
        match scheme {
            SignatureScheme::RoaV1 => Floor::RoaV1 {
                string_to_sign: roa_v1_string_to_sign(signed),
            },
            SignatureScheme::Acs3HmacSha256 => {
                let canonical_request =
                    acs3_canonical_request(signed, &acs3_signed_header_names(signed));
                Floor::Acs3 {
                    string_to_sign: acs3_string_to_sign(&canonical_request),
                    canonical_request,
                }
            }
        }
    }

    /// The floor's work for `request`: [`roa_v1_floor`] or [`acs3_floor`]. Returns the
    /// number of bytes produced, so that the work cannot be optimized away.
    pub fn run(&self, request: &ScaleOutClusterRequest) -> usize {
        match self {
            Floor::RoaV1 { string_to_sign } => {
                let (body, mac) = roa_v1_floor(request, string_to_sign);
                body.len() + mac.len()
            }
            Floor::Acs3 {
                canonical_request,
                string_to_sign,
            } => {
                let (body, body_hash, canonical_hash, mac) =
                    acs3_floor(request, canonical_request, string_to_sign);
                body.len() + body_hash.len() + canonical_hash.len() + mac.len()
            }
        }
    }
}

/// A `kB` field of `/proc/self/status` (`VmRSS`, `VmHWM`, …), in KiB; `None` off Linux.
pub fn proc_status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.trim().trim_end_matches("kB").trim().parse().ok()
    })
}

/// The resident set size of this process, in KiB.
pub fn rss_kib() -> Option<u64> {
    proc_status_kib("VmRSS")
}

/// CPU time (nanoseconds, from `/proc/self/task/*/schedstat`) of this process's threads,
/// split by whether the thread's name starts with `prefix`: `(matching, others)`.
pub fn thread_cpu_ns(prefix: &str) -> (u64, u64) {
    let mut matching = 0;
    let mut others = 0;
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return (0, 0);
    };
    for task in tasks.flatten() {
        let path = task.path();
        let name = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
        let ns: u64 = std::fs::read_to_string(path.join("schedstat"))
            .ok()
            .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
            .unwrap_or(0);
        if name.trim_end().starts_with(prefix) {
            matching += ns;
        } else {
            others += ns;
        }
    }
    (matching, others)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_and_the_readings_work() {
        let request = full_request();
        let (body, mac) = roa_v1_floor(&request, "x");
        assert!(body.len() > 500, "every field is set: {} bytes", body.len());
        assert_eq!(mac.len(), 20);
        let (_, body_hash, _, mac) = acs3_floor(&request, "a", "b");
        assert_eq!((body_hash.len(), mac.len()), (32, 32));
        if cfg!(target_os = "linux") {
            assert!(rss_kib().is_some_and(|kib| kib > 0));
            let (_, all) = thread_cpu_ns("\u{0}no thread has this name");
            assert!(all > 0);
        }
    }
}
