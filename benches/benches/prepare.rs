//! Request preparation (validate + serialize + sign) of a ScaleOutCluster request with every
//! field set, per signature scheme, beside that scheme's floor measured in the same run:
//!
//! * `prepare_<scheme>/client`: [`acs_runtime::prepare::prepare`] with validation on;
//! * `prepare_<scheme>/floor`: `serde_json::to_vec` of the same request plus the hashing and
//!   HMAC the scheme needs (ROA v1: one HMAC-SHA1; ACS3: SHA-256 of the body, SHA-256 of the
//!   canonical request, one HMAC-SHA256), over inputs of the real length;
//! * `parts/*`: the client's steps on their own (validate, bind and serialize, sign).
//!
//! Run: `cargo bench -p acs-benches --bench prepare` (see BENCHMARKS.md). Under `cargo test`
//! criterion runs each routine once, as a smoke test.

// ScaleOutCluster is deprecated by ACK; it is still the operation under test.
#![allow(deprecated)]

mod common;

use std::hint::black_box;

use acs_benches::{Floor, NONCE, credentials, full_request, signing_time};
use acs_runtime::Validate as _;
use acs_runtime::endpoint::Endpoint;
use acs_runtime::operation::Operation as _;
use acs_runtime::prepare::{PrepareParams, prepare};
use acs_runtime::signing::{
    self, HttpRequest, SignatureScheme, SigningParams, acs3_canonical_request,
    acs3_signed_header_names, roa_v1_string_to_sign,
};
use acs_runtime::validate::ValidationMode;
use criterion::{Criterion, criterion_group, criterion_main};

fn prepare_per_scheme(c: &mut Criterion) {
    let request = full_request();
    let endpoint = Endpoint::https("cs.cn-hangzhou.aliyuncs.com");
    let credentials = credentials();
    for (name, scheme) in [
        ("roa_v1", SignatureScheme::RoaV1),
        ("acs3", SignatureScheme::Acs3HmacSha256),
    ] {
        let params = PrepareParams {
            endpoint: &endpoint,
            credentials: &credentials,
            scheme,
            validation: ValidationMode::Enforce,
            time: signing_time(),
            nonce: NONCE,
            retry: None,
        };
        // The floor hashes and MACs inputs of the same length as the client's.
        let floor = Floor::of(&prepare(&request, &params).expect("prepared"), scheme);

        let mut group = c.benchmark_group(format!("prepare_{name}"));
        group.bench_function("client", |b| {
            b.iter(|| prepare(black_box(&request), black_box(&params)).expect("prepared"));
        });
        group.bench_function("floor", |b| {
            b.iter(|| floor.run(black_box(&request)));
        });
        group.finish();
    }
}

fn parts(c: &mut Criterion) {
    let request = full_request();
    let credentials = credentials();
    let mut group = c.benchmark_group("parts");
    group.bench_function("validate", |b| {
        b.iter(|| black_box(&request).validate().expect("valid"));
    });
    group.bench_function("bind_and_serialize", |b| {
        b.iter(|| {
            let request = black_box(&request);
            (
                request.path().expect("path"),
                request.query(),
                request.headers(),
                request.body().expect("body"),
            )
        });
    });
    let mut bound = HttpRequest::new(
        "POST",
        "https",
        "cs.cn-hangzhou.aliyuncs.com",
        request.path().expect("path"),
    );
    bound.body = request.body().expect("body").expect("a JSON body");
    for (name, scheme) in [
        ("roa_v1", SignatureScheme::RoaV1),
        ("acs3", SignatureScheme::Acs3HmacSha256),
    ] {
        let params = SigningParams {
            action: "ScaleOutCluster",
            version: "2015-12-15",
            credentials: &credentials,
            scheme,
            time: signing_time(),
            nonce: NONCE,
            retry: None,
        };
        group.bench_function(format!("sign_{name}"), |b| {
            b.iter_batched_ref(
                || bound.clone(),
                |http| signing::sign(http, black_box(&params)),
                criterion::BatchSize::SmallInput,
            );
        });
    }
    // The strings to sign on their own, from the signed request.
    let mut signed = bound.clone();
    let roa_params = SigningParams {
        action: "ScaleOutCluster",
        version: "2015-12-15",
        credentials: &credentials,
        scheme: SignatureScheme::RoaV1,
        time: signing_time(),
        nonce: NONCE,
        retry: None,
    };
    signing::sign(&mut signed, &roa_params);
    group.bench_function("roa_v1_string_to_sign", |b| {
        b.iter(|| roa_v1_string_to_sign(black_box(&signed)));
    });
    let mut signed = bound.clone();
    signing::sign(
        &mut signed,
        &SigningParams {
            scheme: SignatureScheme::Acs3HmacSha256,
            ..roa_params
        },
    );
    let names = acs3_signed_header_names(&signed);
    group.bench_function("acs3_canonical_request", |b| {
        b.iter(|| acs3_canonical_request(black_box(&signed), black_box(&names)));
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = prepare_per_scheme, parts
}
criterion_main!(benches);
