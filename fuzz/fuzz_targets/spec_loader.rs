//! The spec loader: JSON text → raw spec types (with error locations) → resolved model →
//! generated files (formatting off). The first byte picks which file the rest is:
//! 0 the service file (with one real operation), 1 an operation file (with the real
//! service file), 2 the imported shapes file (with both).
//!
//! Invariants: nothing panics; a spec that resolves generates files that `syn` parses (the
//! generator turns unparsable output into a `compile_error!`, which is a generator bug).
#![no_main]

use std::path::Path;

use acs_codegen::load::{Loaded, ServiceSources, parse_text};
use acs_codegen::spec::{OperationFile, ServiceFile, ShapesFile};
use libfuzzer_sys::fuzz_target;

const SERVICE: &str = include_str!("../../api-spec/cs-2015-12-15/service.json");
const OPERATION: &str = include_str!("../../api-spec/cs-2015-12-15/ScaleClusterNodePool.json");

fn service(text: &str) -> Option<Loaded<ServiceFile>> {
    parse_text(Path::new("api-spec/fuzz/service.json"), text).ok()
}

fn operation(text: &str) -> Option<Loaded<OperationFile>> {
    parse_text(Path::new("api-spec/fuzz/Fuzzed.json"), text).ok()
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let (service, operations, shapes) = match selector % 3 {
        0 => (service(text), operation(OPERATION), None),
        1 => (service(SERVICE), operation(text), None),
        _ => {
            let shapes: Option<Loaded<ShapesFile>> =
                parse_text(Path::new("api-spec/fuzz/imported/shapes.json"), text).ok();
            if shapes.is_none() {
                return;
            }
            (service(SERVICE), operation(OPERATION), shapes)
        }
    };
    let (Some(service), Some(operation)) = (service, operations) else {
        return;
    };
    let sources = ServiceSources {
        service,
        operations: vec![operation],
        curated: 1,
        imported_shapes: shapes,
    };
    let Ok(model) = acs_codegen::resolve::resolve(&sources, Path::new("")) else {
        return;
    };
    for file in acs_codegen::emit::emit_on(&model, 1) {
        assert!(
            !file
                .contents
                .contains("compile_error!(\"generator produced invalid Rust"),
            "{} is not valid Rust:\n{}",
            file.path,
            file.contents
        );
    }
});
